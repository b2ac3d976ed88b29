#include "signin/throttle_keys.h"

#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>

#include "signin/screen_name.h"

namespace portrait::signin {
namespace {

constexpr size_t kMaxOpaqueAddressLength = 64;
constexpr size_t kIpv6NetworkBytes = 8;  // a /64

}  // namespace

std::string AccountThrottleKey(std::string_view screen_name) {
  return "account:" + FoldScreenName(screen_name);
}

std::string AddressThrottleKey(std::string_view client_address) {
  if (auto v4 = boost::urls::parse_ipv4_address(client_address)) {
    return "address:" + v4->to_string();
  }
  if (auto v6 = boost::urls::parse_ipv6_address(client_address)) {
    boost::urls::ipv6_address::bytes_type bytes = v6->to_bytes();
    if (v6->is_v4_mapped()) {
      const boost::urls::ipv4_address::bytes_type v4_bytes{bytes[12], bytes[13], bytes[14],
                                                           bytes[15]};
      return "address:" + boost::urls::ipv4_address(v4_bytes).to_string();
    }
    for (size_t i = kIpv6NetworkBytes; i < bytes.size(); ++i) bytes[i] = 0;
    return "address:" + boost::urls::ipv6_address(bytes).to_string() + "/64";
  }
  return "address:" + std::string(client_address.substr(0, kMaxOpaqueAddressLength));
}

}  // namespace portrait::signin
