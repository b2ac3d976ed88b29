#include "signin/pruning.h"

namespace portrait::signin {

store::PrunedSignInState PruneSignInState(store::MetadataStore& store, int64_t now) {
  store::PrunedSignInState pruned;
  pruned.request_tokens = store.PruneRequestTokens(now);
  pruned.web_sessions = store.PruneWebSessions(now);
  pruned.throttles = store.PruneSignInThrottles(now);
  return pruned;
}

}  // namespace portrait::signin
