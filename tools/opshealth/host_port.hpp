#pragma once
// HOST:PORT as the tcp and cert checks take it: "db1:5432", "192.0.2.7:80",
// "[::1]:5432" (an IPv6 address needs its brackets: "::1:80" is refused,
// it could end anywhere).

#include <string>
#include <string_view>

namespace opshealth {

struct HostPort {
  std::string host;  // without the brackets
  int port = 0;      // 1..65535
};

// A usage error (exit 3) naming the text and what is wrong with it.
HostPort parse_host_port(std::string_view text);

}  // namespace opshealth
