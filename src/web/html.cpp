#include "web/html.h"

#include <algorithm>
#include <vector>

#include "common/result.h"

namespace portrait::web {

// The only code that makes Html from a std::string.
class HtmlWriter {
 public:
  static Html Make(std::string text) {
    Html html;
    html.text_ = std::move(text);
    return html;
  }
};

namespace {

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";
constexpr std::string_view kUrlAttributes[] = {"href=\"", "src=\"", "action=\""};

bool InUrlAttribute(std::string_view before) {
  return std::any_of(std::begin(kUrlAttributes), std::end(kUrlAttributes),
                     [before](std::string_view attribute) { return before.ends_with(attribute); });
}

bool IsLinkable(std::string_view url) {
  if (url.starts_with("/")) return !url.starts_with("//") && !url.starts_with("/\\");
  std::string lowered(url.substr(0, 8));
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered.starts_with("http://") || lowered.starts_with("https://");
}

}  // namespace

Slot::Slot(std::string_view name, int64_t number) : name_(name), text_(std::to_string(number)) {}

Slot UrlSlot(std::string_view name, std::string_view url) {
  Slot slot(name, IsLinkable(url) ? url : std::string_view("#"));
  slot.kind_ = Slot::Kind::kUrl;
  return slot;
}

std::string EscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Html Fill(Markup tmpl, std::initializer_list<Slot> slots) {
  std::string_view rest = tmpl.text();
  std::string out;
  std::vector<bool> used(slots.size(), false);
  while (true) {
    const size_t open = rest.find(kOpen);
    if (open == std::string_view::npos) break;
    out.append(rest.substr(0, open));
    const size_t close = rest.find(kClose, open + kOpen.size());
    if (close == std::string_view::npos) throw Fault("html: an unclosed slot in a template");
    const std::string_view name = rest.substr(open + kOpen.size(), close - open - kOpen.size());
    const auto slot = std::find_if(slots.begin(), slots.end(),
                                   [name](const Slot& s) { return s.name() == name; });
    if (slot == slots.end()) throw Fault("html: no value for {{" + std::string(name) + "}}");
    used[slot - slots.begin()] = true;
    if (out.ends_with('=')) throw Fault("html: {{" + std::string(name) + "}} is unquoted");
    if (InUrlAttribute(out) && slot->kind() != Slot::Kind::kUrl) {
      throw Fault("html: {{" + std::string(name) + "}} is a URL attribute and needs UrlSlot");
    }
    if (slot->kind() == Slot::Kind::kHtml) {
      out.append(slot->value());
    } else {
      out += EscapeText(slot->value());
    }
    rest.remove_prefix(close + kClose.size());
  }
  out.append(rest);
  if (std::find(used.begin(), used.end(), false) != used.end()) {
    throw Fault("html: a value for a slot the template does not have");
  }
  return HtmlWriter::Make(std::move(out));
}

Html Text(std::string_view text) { return HtmlWriter::Make(EscapeText(text)); }

}  // namespace portrait::web
