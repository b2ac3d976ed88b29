#include "signin/app_settings.h"

#include <algorithm>
#include <set>
#include <string>

#include "signin/callback_url.h"

namespace portrait::signin {
namespace {

constexpr size_t kMaxNameCharacters = 32;
constexpr size_t kMaxDescriptionCharacters = 200;

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Status CheckName(const std::string& name) {
  if (name.empty() || CodePoints(name) > kMaxNameCharacters || HasControlCharacter(name)) {
    return Status::Error("an app's name takes 1 to " + std::to_string(kMaxNameCharacters) +
                         " characters, no control characters");
  }
  return Status::Ok();
}

Status CheckDescription(const std::string& description) {
  if (CodePoints(description) > kMaxDescriptionCharacters) {
    return Status::Error("an app's description takes at most " +
                         std::to_string(kMaxDescriptionCharacters) + " characters");
  }
  return Status::Ok();
}

Status CheckWebsite(const std::string& website) {
  if (website.empty()) return Status::Ok();
  // Any absolute http(s) URL with a host, as a requested callback would be.
  if (!ApproveCallback(website, {}).ok() || IsOutOfBand(website)) {
    return Status::Error("an app's website must be an absolute http or https URL: " + website);
  }
  return Status::Ok();
}

Status CheckCallbacks(const std::vector<std::string>& callbacks) {
  if (callbacks.size() > kMaxRegisteredCallbacks) {
    return Status::Error("an app takes at most " + std::to_string(kMaxRegisteredCallbacks) +
                         " callback URLs");
  }
  for (const std::string& callback : callbacks) {
    if (Status checked = CheckRegistrableCallback(callback); !checked.ok()) return checked;
  }
  if (std::set<std::string>(callbacks.begin(), callbacks.end()).size() != callbacks.size()) {
    return Status::Error("the same callback URL is given twice");
  }
  return Status::Ok();
}

}  // namespace

Status CheckNewApp(const store::NewApp& app) {
  for (Status checked : {CheckName(app.name), CheckDescription(app.description),
                         CheckWebsite(app.website), CheckCallbacks(app.callback_urls)}) {
    if (!checked.ok()) return checked;
  }
  return Status::Ok();
}

Status CheckAppUpdate(const store::AppUpdate& update) {
  if (update.name) {
    if (Status checked = CheckName(*update.name); !checked.ok()) return checked;
  }
  if (update.description) {
    if (Status checked = CheckDescription(*update.description); !checked.ok()) return checked;
  }
  if (update.website) {
    if (Status checked = CheckWebsite(*update.website); !checked.ok()) return checked;
  }
  if (update.callback_urls) {
    if (Status checked = CheckCallbacks(*update.callback_urls); !checked.ok()) return checked;
  }
  return Status::Ok();
}

}  // namespace portrait::signin
