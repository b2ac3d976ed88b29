#include "web/html.h"

#include <gtest/gtest.h>

#include "common/result.h"

namespace portrait::web {
namespace {

TEST(EscapeText, ReplacesEveryCharacterThatCanEndTextOrAQuotedAttribute) {
  EXPECT_EQ(EscapeText(R"(<a href="x" onclick='y'>&amp;</a>)"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  EXPECT_EQ(EscapeText("plain text, ünïcode"), "plain text, ünïcode");
}

TEST(Fill, EscapesTextAndKeepsHtmlFragments) {
  Html bold = Fill("<b>{{x}}</b>", {{"x", "<i>"}});
  EXPECT_EQ(bold.str(), "<b>&lt;i&gt;</b>");
  Html page = Fill(R"(<p title="{{title}}">{{body}} {{n}}</p>)",
                   {{"title", "\"><script>alert(1)</script>"}, {"body", bold}, {"n", int64_t{42}}});
  EXPECT_EQ(page.str(),
            "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"><b>&lt;i&gt;</b> 42</p>");
}

TEST(Fill, RepeatsASlotThatAppearsTwice) {
  EXPECT_EQ(Fill("{{a}}-{{a}}", {{"a", "&"}}).str(), "&amp;-&amp;");
}

TEST(Fill, RefusesAnUnquotedAttributeSlot) {
  EXPECT_THROW(Fill("<input value={{v}}>", {{"v", "x onfocus=alert(1)"}}), Fault);
}

TEST(Fill, RefusesTextInAUrlAttributeAndTakesUrlSlots) {
  EXPECT_THROW(Fill(R"(<a href="{{u}}">)", {{"u", "https://example.com"}}), Fault);
  EXPECT_THROW(Fill(R"(<img src="{{u}}">)", {{"u", "/x.png"}}), Fault);
  EXPECT_EQ(Fill(R"(<a href="{{u}}">)", {UrlSlot("u", "https://example.com/?a=1&b=2")}).str(),
            R"(<a href="https://example.com/?a=1&amp;b=2">)");
  EXPECT_EQ(Fill(R"(<form action="{{u}}">)", {UrlSlot("u", "/settings/profile")}).str(),
            R"(<form action="/settings/profile">)");
}

TEST(UrlSlot, ReplacesEveryUrlThatIsNotHttpOrALocalPath) {
  for (std::string_view url : {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
                               "//evil.example/", "/\\evil.example", "vbscript:x", ""}) {
    EXPECT_EQ(Fill(R"(<a href="{{u}}">)", {UrlSlot("u", url)}).str(), R"(<a href="#">)") << url;
  }
  EXPECT_EQ(Fill(R"(<a href="{{u}}">)", {UrlSlot("u", "HTTP://Example.com")}).str(),
            R"(<a href="HTTP://Example.com">)");
}

TEST(Fill, RefusesASlotWithoutValueAndAValueWithoutSlot) {
  EXPECT_THROW(Fill("<p>{{missing}}</p>", {}), Fault);
  EXPECT_THROW(Fill("<p>{{a}}</p>", {{"a", "1"}, {"b", "2"}}), Fault);
  EXPECT_THROW(Fill("<p>{{a</p>", {{"a", "1"}}), Fault);
}

TEST(Fill, LeavesBracesInsideValuesAlone) {
  EXPECT_EQ(Fill("<p>{{a}}</p>", {{"a", "{{b}}"}}).str(), "<p>{{b}}</p>");
}

TEST(Text, IsEscapedHtml) {
  Html joined = Text("a<b");
  joined += Markup("<br>");
  EXPECT_EQ(joined.str(), "a&lt;b<br>");
}

}  // namespace
}  // namespace portrait::web
