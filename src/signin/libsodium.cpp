#include "signin/libsodium.h"

#include <sodium.h>

#include "common/result.h"

namespace portrait::signin {

void InitLibsodium() {
  if (sodium_init() < 0) throw Fault("libsodium could not be initialised");
}

}  // namespace portrait::signin
