#include "cli/output.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cstdio>

namespace portrait::cli {
namespace {

std::string Cell(const boost::json::object& row, const std::string& column) {
  auto it = row.find(column);
  if (it == row.end() || it->value().is_null()) return "-";
  if (it->value().is_string()) return std::string(it->value().as_string());
  return boost::json::serialize(it->value());
}

}  // namespace

void PrintJson(const boost::json::value& value) {
  std::printf("%s\n", boost::json::serialize(value).c_str());
}

void PrintRows(const std::vector<boost::json::object>& rows,
               const std::vector<std::string>& columns, bool as_json) {
  if (as_json) {
    boost::json::array array(rows.begin(), rows.end());
    PrintJson(array);
    return;
  }
  std::vector<size_t> widths;
  for (const auto& column : columns) widths.push_back(column.size());
  for (const auto& row : rows) {
    for (size_t i = 0; i < columns.size(); ++i) {
      widths[i] = std::max(widths[i], Cell(row, columns[i]).size());
    }
  }
  auto print_line = [&](auto cell_of) {
    std::string line;
    for (size_t i = 0; i < columns.size(); ++i) {
      std::string cell = cell_of(i);
      line += cell;
      if (i + 1 < columns.size()) line += std::string(widths[i] - cell.size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  };
  print_line([&](size_t i) { return columns[i]; });
  for (const auto& row : rows) print_line([&](size_t i) { return Cell(row, columns[i]); });
}

}  // namespace portrait::cli
