#pragma once
// What the pages share (pages.h): the document around a page's content, and the fields of a
// sign-in form. Internal to src/web.
#include "web/html.h"
#include "web/pages.h"

namespace portrait::web {

// The whole document: head, the header with the person's links, and content in <main>.
Html Layout(const Frame& frame, const Html& content);

// A sign-in form's error line, screen name and password fields (the form element is the
// caller's).
Html CredentialFields(const SignInForm& form);

// <p class="error">message</p>, or nothing for an empty message; likewise notices.
Html ErrorLine(std::string_view message);
Html NoticeLine(std::string_view message);

}  // namespace portrait::web
