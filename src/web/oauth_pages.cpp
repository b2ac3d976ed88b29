#include "web/layout.h"

namespace portrait::web {
namespace {

Html AppSummary(const AppView& app) {
  Html description;
  if (!app.description.empty()) {
    description = Fill(R"(<p class="app-description">{{description}}</p>
)",
                       {{"description", app.description}});
  }
  Html website;
  if (!app.website.empty()) {
    website = Fill(
        R"(<p class="app-website"><a href="{{url}}" rel="noopener noreferrer">{{website}}</a></p>
)",
        {UrlSlot("url", app.website), {"website", app.website}});
  }
  return Fill(R"(<div class="app">
<p class="app-name" id="app-name">{{name}}</p>
{{description}}{{website}}</div>
)",
              {{"name", app.name}, {"description", description}, {"website", website}});
}

Html AccessLists(bool read_write) {
  if (read_write) {
    return Markup(R"(<h2>This application will be able to:</h2>
<ul class="can" id="access">
<li>See your profile: name, screen name, description, location, website and profile image.</li>
<li>Update your profile and your profile image.</li>
</ul>
<h2>It will not be able to:</h2>
<ul class="cannot">
<li>See your password.</li>
</ul>
)");
  }
  return Markup(R"(<h2>This application will be able to:</h2>
<ul class="can" id="access">
<li>See your profile: name, screen name, description, location, website and profile image.</li>
</ul>
<h2>It will not be able to:</h2>
<ul class="cannot">
<li>Update your profile or your profile image.</li>
<li>See your password.</li>
</ul>
)");
}

}  // namespace

Html AuthorizePage(const Frame& frame, const AuthorizeView& view) {
  Html who;
  if (view.ask_credentials) {
    who = CredentialFields({view.csrf_token, view.screen_name, view.error});
  } else {
    who = Fill(
        R"({{error}}<p class="aside" id="signed-in-as">Signed in as @{{screen_name}}. <a href="{{switch_url}}">Not you?</a></p>
)",
        {{"error", ErrorLine(view.error)},
         {"screen_name", frame.signed_in_as.value_or("")},
         UrlSlot("switch_url", view.switch_account_url)});
  }
  Html force_login;
  if (view.force_login) {
    force_login = Markup(R"(<input type="hidden" name="force_login" value="true">
)");
  }
  return Layout(frame, Fill(R"(<section class="card">
<h1>Authorize this app to use your account?</h1>
{{app}}{{access}}<form method="post" action="/oauth/authorize" class="stack">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<input type="hidden" name="oauth_token" value="{{oauth_token}}">
{{force_login}}{{who}}<div class="buttons">
<button type="submit" name="allow" value="1" class="primary" id="allow">Authorize app</button>
<button type="submit" name="cancel" value="1" formnovalidate id="cancel">Cancel</button>
</div>
</form>
</section>)",
                            {{"app", AppSummary(view.app)},
                             {"access", AccessLists(view.app.read_write)},
                             {"csrf_token", view.csrf_token},
                             {"oauth_token", view.oauth_token},
                             {"force_login", force_login},
                             {"who", who}}));
}

Html PinPage(const Frame& frame, std::string_view app_name, std::string_view pin) {
  Frame quiet = frame;
  quiet.name_in_header = false;
  return Layout(quiet, Fill(R"(<section class="card">
<h1>You have authorized the app</h1>
<p>Go back to <strong>{{app}}</strong> and enter this PIN to finish:</p>
<p class="pin" id="pin"><code>{{pin}}</code></p>
</section>)",
                            {{"app", app_name}, {"pin", pin}}));
}

Html DeniedPage(const Frame& frame, std::string_view app_name) {
  return Layout(frame, Fill(R"(<section class="card">
<h1>Authorization cancelled</h1>
<p id="message">You did not let <strong>{{app}}</strong> use your account. You can close this page.</p>
</section>)",
                            {{"app", app_name}}));
}

Html InvalidRequestTokenPage(const Frame& frame) {
  return Layout(frame, Markup(R"(<section class="card">
<h1>This page is no longer valid</h1>
<p id="message">The request token for this page is invalid: it may have been used already, or it expired. Go back to the app that sent you here and try again.</p>
</section>)"));
}

}  // namespace portrait::web
