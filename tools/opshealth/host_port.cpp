#include "opshealth/host_port.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <charconv>
#include <fmt/format.h>

namespace opshealth {

HostPort parse_host_port(std::string_view text) {
  auto bad = [&](std::string_view why) {
    ops::fail_usage(fmt::format("invalid target '{}': {}", ops::shown(text), why),
                    "write it HOST:PORT, as localhost:443 or [::1]:5432");
  };
  HostPort out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) bad("no ']' after the IPv6 address");
    out.host = std::string(text.substr(1, close - 1));
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') bad("no port");
    port_text = rest.substr(1);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) bad("no port");
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) bad("write an IPv6 address in brackets");
    port_text = text.substr(colon + 1);
  }
  if (out.host.empty()) bad("no host");
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), out.port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || out.port < 1 ||
      out.port > 65535)
    bad("the port must be a number from 1 to 65535");
  return out;
}

}  // namespace opshealth
