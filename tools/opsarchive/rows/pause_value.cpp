#include "opsarchive/rows/pause_value.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace opsarchive {

std::chrono::milliseconds parse_pause(std::string_view text, std::string_view where) {
  std::string_view number = text;
  double scale = 1000;  // a bare number is seconds
  if (text.ends_with("ms")) {
    number = text.substr(0, text.size() - 2);
    scale = 1;
  } else if (text.ends_with("s") && !text.ends_with("ms")) {
    number = text.substr(0, text.size() - 1);
  }
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec == std::errc{} && end == number.data() + number.size() && !number.empty() && value >= 0 &&
      std::isfinite(value))
    return std::chrono::milliseconds(static_cast<long long>(std::llround(value * scale)));
  try {
    return ops::parse_duration(text);  // "1min", "1h"
  } catch (const ops::Error&) {
    ops::fail_usage(fmt::format("{}: invalid pause '{}' (e.g. 0.5s, 250ms, 2s, 1min)", where, text));
  }
}

}  // namespace opsarchive
