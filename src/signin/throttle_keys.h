#pragma once
// The keys sign-in attempts are counted under (store::MetadataStore::CountSignInAttempt).
#include <string>
#include <string_view>

namespace portrait::signin {

// "account:" and the screen name folded to lower case.
std::string AccountThrottleKey(std::string_view screen_name);

// "address:" and the client's address: an IPv4 address as written; an IPv6 address by its /64
// network (one subscriber usually holds a whole /64, so counting single addresses would give an
// attacker 2^64 budgets), an IPv4-mapped IPv6 address as the IPv4 address it maps. Anything that
// is not an address is kept as given (bounded to 64 bytes).
std::string AddressThrottleKey(std::string_view client_address);

}  // namespace portrait::signin
