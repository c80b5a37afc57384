// libFuzzer target for the logrotate configuration reader: whatever the bytes,
// parse_config_text returns, its errors (each naming file:line) in the
// result; an exception escaping, a crash, a leak or undefined behaviour is a
// finding. Includes and account lookups are off so no host file is read.
#include "opsrotate/config/config_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  opsrotate::parse_config_text(text, "fuzz.conf",
                               opsrotate::ParseOptions{.allow_include = false, .check_accounts = false});
  return 0;
}
