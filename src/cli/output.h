#pragma once
// What commands print: JSON for scripts (--json), aligned tables for people.
#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace portrait::cli {

// One JSON object on stdout.
void PrintJson(const boost::json::value& value);

// With as_json, a JSON array of rows; otherwise a table of the given columns (keys of rows).
void PrintRows(const std::vector<boost::json::object>& rows,
               const std::vector<std::string>& columns, bool as_json);

}  // namespace portrait::cli
