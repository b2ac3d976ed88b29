#pragma once
// HTML that is safe to send, by construction: the one place where text becomes markup.
//
// A page is made of Markup, HTML written in the source (its constructor takes only a string
// literal, checked at compile time, so no stored or received text can be Markup), and of values
// put into the {{name}} slots of a Markup template by Fill. A value is text, always escaped
// (& < > " ' become entities, so it is inert in element content and in a quoted attribute), or
// Html made the same way (a fragment built earlier), kept as it is, or a URL (UrlSlot), which
// is also escaped and, unless it is an http(s) URL or a path on this server, replaced by "#",
// so that no stored value can become a javascript: link. Html itself can only come from Markup,
// from Fill, or from joining Html: a page cannot put unescaped text in a response.
//
// Fill refuses templates a value could escape from, by throwing Fault (a bug in a page; every
// page is rendered by the tests): a slot right after '=' (an unquoted attribute), a text or Html
// value in an href, src or action attribute (only UrlSlot goes there), a slot the call does not
// fill, or a value no slot takes.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace portrait::web {

class Markup {
 public:
  template <size_t N>
  consteval Markup(const char (&literal)[N]) : text_(literal, N - 1) {}

  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

class Html {
 public:
  Html() = default;
  Html(Markup markup) : text_(markup.text()) {}

  Html& operator+=(const Html& more) {
    text_ += more.text_;
    return *this;
  }
  bool empty() const { return text_.empty(); }
  const std::string& str() const { return text_; }

 private:
  friend class HtmlWriter;
  std::string text_;
};

// The value of one {{name}} slot.
class Slot {
 public:
  enum class Kind { kText, kHtml, kUrl };

  Slot(std::string_view name, std::string_view text) : name_(name), text_(text) {}
  Slot(std::string_view name, const std::string& text) : name_(name), text_(text) {}
  Slot(std::string_view name, const char* text) : name_(name), text_(text) {}
  Slot(std::string_view name, int64_t number);
  Slot(std::string_view name, const Html& html)
      : name_(name), text_(html.str()), kind_(Kind::kHtml) {}

  std::string_view name() const { return name_; }
  std::string_view value() const { return text_; }
  Kind kind() const { return kind_; }

 private:
  friend Slot UrlSlot(std::string_view name, std::string_view url);
  std::string_view name_;
  std::string text_;
  Kind kind_ = Kind::kText;
};

// A URL for an href, src or action attribute: kept (escaped) when it is an absolute http or
// https URL or a path on this server ("/settings/profile", not "//elsewhere"); "#" otherwise.
Slot UrlSlot(std::string_view name, std::string_view url);

// text with & < > " ' replaced by entities.
std::string EscapeText(std::string_view text);

// template with each {{name}} replaced by its slot's value (see the header comment).
Html Fill(Markup tmpl, std::initializer_list<Slot> slots);

// text, escaped, as Html (for a fragment that is text alone).
Html Text(std::string_view text);

}  // namespace portrait::web
