#pragma once
// What an app may be registered with, checked before it reaches the store: a name of 1 to 32
// characters, a description of at most 200, a website that is an absolute http(s) URL (or none),
// at most kMaxRegisteredCallbacks callback URLs, each registrable (callback_url.h). Twitter's
// developer portal had the same bounds.
#include "common/result.h"
#include "store/records.h"

namespace portrait::signin {

Status CheckNewApp(const store::NewApp& app);
// Checks only the fields the update sets.
Status CheckAppUpdate(const store::AppUpdate& update);

}  // namespace portrait::signin
