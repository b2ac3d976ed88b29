#pragma once
// Unguessable identifiers from OpenSSL's CSPRNG. Safe for concurrent use.
#include <cstddef>
#include <string>

namespace portrait {

// length characters drawn uniformly from [A-Za-z0-9].
std::string RandomAlphanumeric(size_t length);

// length characters drawn uniformly from [a-z0-9] (used for image keys, as Twitter's look).
std::string RandomLowerAlphanumeric(size_t length);

}  // namespace portrait
