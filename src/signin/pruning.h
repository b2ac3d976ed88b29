#pragma once
// One pass over the sign-in tables that grow (request tokens, web sessions, sign-in
// throttles), deleting what has expired: for the janitor, on any one node (the deletes are
// idempotent, so several nodes pruning at once do no harm). Throws Fault as the store does.
#include <cstdint>

#include "store/metadata_store.h"

namespace portrait::signin {

store::PrunedSignInState PruneSignInState(store::MetadataStore& store, int64_t now);

}  // namespace portrait::signin
