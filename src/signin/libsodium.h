#pragma once
// libsodium must be initialised before use; every signin class that calls it does so here.

namespace portrait::signin {

// Idempotent and safe for concurrent use. Throws Fault when libsodium cannot start (no source
// of randomness).
void InitLibsodium();

}  // namespace portrait::signin
