#include "web/layout.h"

namespace portrait::web {
namespace {

constexpr int64_t kRefreshSeconds = 2;

Html Navigation(const Frame& frame) {
  if (!frame.signed_in_as) {
    return Markup(R"(<nav><a href="/login">Sign in</a></nav>)");
  }
  const std::string who = frame.name_in_header ? " @" + *frame.signed_in_as : "";
  return Fill(
      R"(<nav><a href="/settings/profile">Profile</a> <a href="/settings/applications">Apps</a>
<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf_token" value="{{csrf_token}}"><button type="submit" class="link" id="sign-out">Sign out{{who}}</button></form></nav>)",
      {{"csrf_token", frame.csrf_token}, {"who", who}});
}

}  // namespace

Html Layout(const Frame& frame, const Html& content) {
  Html refresh;
  if (frame.refresh) {
    refresh = Fill(R"(<meta http-equiv="refresh" content="{{seconds}}">
)",
                   {{"seconds", kRefreshSeconds}});
  }
  return Fill(R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
{{refresh}}<title>{{title}} · Portrait</title>
<link rel="stylesheet" href="/static/portrait.css">
</head>
<body>
<header class="bar"><a class="brand" href="/">Portrait</a>
{{navigation}}
</header>
<main>
{{content}}
</main>
</body>
</html>
)",
              {{"refresh", refresh},
               {"title", frame.title},
               {"navigation", Navigation(frame)},
               {"content", content}});
}

Html CredentialFields(const SignInForm& form) {
  return Fill(R"({{error}}<label for="screen_name">Screen name</label>
<input type="text" id="screen_name" name="screen_name" value="{{screen_name}}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="16" required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" maxlength="1024" required>
)",
              {{"error", ErrorLine(form.error)}, {"screen_name", form.screen_name}});
}

Html ErrorLine(std::string_view message) {
  if (message.empty()) return {};
  return Fill(R"(<p class="error" role="alert">{{message}}</p>
)",
              {{"message", message}});
}

Html NoticeLine(std::string_view message) {
  if (message.empty()) return {};
  return Fill(R"(<p class="notice" role="status">{{message}}</p>
)",
              {{"message", message}});
}

Html ErrorPage(const Frame& frame, std::string_view message) {
  return Layout(frame, Fill(R"(<section class="card">
<h1>{{title}}</h1>
<p id="message">{{message}}</p>
<p><a href="/">Back to Portrait</a></p>
</section>)",
                            {{"title", frame.title}, {"message", message}}));
}

}  // namespace portrait::web
