#include "web/layout.h"

namespace portrait::web {

Html SignInPage(const Frame& frame, const SignInForm& form, std::string_view next,
                bool sign_up_open) {
  Html sign_up;
  if (sign_up_open) {
    sign_up = Markup(R"(<p class="aside">New here? <a href="/signup">Make an account</a>.</p>
)");
  }
  return Layout(frame, Fill(R"(<section class="card">
<h1>Sign in to Portrait</h1>
<form method="post" action="/login" class="stack">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<input type="hidden" name="next" value="{{next}}">
{{fields}}<button type="submit" class="primary" id="sign-in">Sign in</button>
</form>
{{sign_up}}</section>)",
                            {{"csrf_token", form.csrf_token},
                             {"next", next},
                             {"fields", CredentialFields(form)},
                             {"sign_up", sign_up}}));
}

Html SignUpPage(const Frame& frame, const SignInForm& form) {
  return Layout(frame, Fill(R"(<section class="card">
<h1>Make a Portrait account</h1>
<form method="post" action="/signup" class="stack">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{error}}<label for="screen_name">Screen name</label>
<input type="text" id="screen_name" name="screen_name" value="{{screen_name}}" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="15" required>
<p class="hint">Up to 15 letters, digits or underscores.</p>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="new-password" minlength="8" maxlength="1024" required>
<p class="hint">At least 8 characters; a long passphrase is best.</p>
<button type="submit" class="primary" id="sign-up">Make my account</button>
</form>
<p class="aside">Have an account? <a href="/login">Sign in</a>.</p>
</section>)",
                            {{"csrf_token", form.csrf_token},
                             {"error", ErrorLine(form.error)},
                             {"screen_name", form.screen_name}}));
}

Html SignOutPage(const Frame& frame) {
  return Layout(frame, Fill(R"(<section class="card">
<h1>Sign out of Portrait?</h1>
<form method="post" action="/logout">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button type="submit" class="primary" id="confirm-sign-out">Sign out</button>
</form>
</section>)",
                            {{"csrf_token", frame.csrf_token}}));
}

Html SignedOutPage(const Frame& frame) {
  return Layout(frame, Markup(R"(<section class="card">
<h1>You are signed out</h1>
<p id="message">You have signed out of Portrait in this browser.</p>
<p><a href="/login">Sign in again</a></p>
</section>)"));
}

}  // namespace portrait::web
