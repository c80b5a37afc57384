#include <ops/error.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <utility>

namespace ops {

namespace {

// Splits "1.5G" into 1.5 and "G". Returns false when there is no leading number.
bool split_number(std::string_view s, double& number, std::string_view& rest) {
  std::size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (i == 0) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + i, number);
  if (ec != std::errc() || ptr != s.data() + i) return false;
  rest = s.substr(i);
  return true;
}

}  // namespace

std::uint64_t parse_size(std::string_view text) {
  auto bad = [&](std::string_view why) -> std::uint64_t {
    fail_usage(fmt::format("invalid size '{}': {}", shown(text), why),
               "sizes look like 512K, 10M, 1.5G (powers of 1024) or 10MB (powers of 1000)");
  };
  std::string_view s = trim(text);
  double number = 0;
  std::string_view unit;
  if (!split_number(s, number, unit)) return bad("expected a number");
  std::string u = ascii_lower(trim(unit));
  double multiplier = 0;
  static const std::array<std::pair<const char*, double>, 20> units{{
      {"", 1.0}, {"b", 1.0},
      {"k", 0x1p10}, {"kib", 0x1p10}, {"m", 0x1p20}, {"mib", 0x1p20},
      {"g", 0x1p30}, {"gib", 0x1p30}, {"t", 0x1p40}, {"tib", 0x1p40},
      {"p", 0x1p50}, {"pib", 0x1p50},
      {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"pb", 1e15},
      {"bytes", 1.0}, {"byte", 1.0}, {"e", 0x1p60},
  }};
  for (const auto& [name, value] : units)
    if (u == name) multiplier = value;
  if (multiplier == 0) return bad(fmt::format("unknown unit '{}'", shown(unit)));
  double bytes = std::round(number * multiplier);
  if (bytes >= 0x1p64) return bad("too large");
  return static_cast<std::uint64_t>(bytes);
}

std::string format_size(std::uint64_t bytes) {
  static constexpr std::array<char, 6> suffix{'K', 'M', 'G', 'T', 'P', 'E'};
  if (bytes < 1024) return fmt::format("{}B", bytes);
  double value = static_cast<double>(bytes);
  std::size_t i = 0;
  value /= 1024;
  while (value >= 1024 && i + 1 < suffix.size()) {
    value /= 1024;
    ++i;
  }
  // Like df -h: one decimal below 10, none above, never rounding 1023.96 to "1024".
  if (value < 9.95) return fmt::format("{:.1f}{}", value, suffix[i]);
  if (value >= 1023.5 && i + 1 < suffix.size()) return fmt::format("1.0{}", suffix[i + 1]);
  return fmt::format("{:.0f}{}", value, suffix[i]);
}

namespace {

// The seconds in a duration text; ms and us only when sub_second (a latency),
// so a retention or an age is never a fraction of a second.
double duration_seconds(std::string_view text, bool sub_second) {
  auto bad = [&](std::string_view why) -> double {
    fail_usage(fmt::format("invalid duration '{}': {}", shown(text), why),
               sub_second ? "durations look like 500ms, 2s, 1min, 1h30min"
                          : "durations look like 90d, 12h, 1w, 30min, 1h30min");
  };
  std::string_view s = trim(text);
  if (s.empty()) return bad("empty");
  // No "m": it reads as minutes to some and months to others, and a delete
  // option must not guess which (issue 14); it is refused below by name.
  static const std::array<std::pair<const char*, double>, 22> units{{
      {"s", 1}, {"sec", 1}, {"second", 1}, {"seconds", 1},
      {"min", 60}, {"minute", 60}, {"minutes", 60},
      {"h", 3600}, {"hour", 3600}, {"hours", 3600},
      {"d", 86400}, {"day", 86400}, {"days", 86400},
      {"w", 604800}, {"week", 604800}, {"weeks", 604800},
      {"mo", 2592000}, {"month", 2592000}, {"months", 2592000},
      {"y", 31536000}, {"year", 31536000}, {"years", 31536000},
  }};
  static const std::array<std::pair<const char*, double>, 2> sub_units{{{"ms", 1e-3}, {"us", 1e-6}}};
  double total = 0;
  while (!s.empty()) {
    double number = 0;
    std::string_view rest;
    if (!split_number(s, number, rest)) return bad("expected a number");
    rest = trim(rest);  // "30 min" as well as "30min"
    std::size_t n = 0;
    while (n < rest.size() && std::isalpha(static_cast<unsigned char>(rest[n]))) ++n;
    if (n == 0) return bad(sub_second ? "missing unit (ms, s, min, h, d)" : "missing unit (s, min, h, d, w, mo, y)");
    std::string u = ascii_lower(rest.substr(0, n));
    if (u == "m")
      return bad(fmt::format("'{}' is ambiguous: write 'min' for minutes or 'mo' for months",
                             rest.substr(0, n)));
    double factor = 0;
    for (const auto& [name, value] : units)
      if (u == name) factor = value;
    if (sub_second)
      for (const auto& [name, value] : sub_units)
        if (u == name) factor = value;
    if (factor == 0) return bad(fmt::format("unknown unit '{}'", shown(rest.substr(0, n))));
    total += number * factor;
    s = trim(rest.substr(n));
  }
  if (total > 1e15) return bad("too large");
  return total;
}

}  // namespace

std::chrono::seconds parse_duration(std::string_view text) {
  return std::chrono::seconds(static_cast<std::int64_t>(std::llround(duration_seconds(text, false))));
}

double parse_seconds(std::string_view text) { return duration_seconds(text, true); }

std::string format_duration(std::chrono::seconds d) {
  std::int64_t s = d.count();
  if (s == 0) return "0s";
  std::string out;
  if (s < 0) {
    out = "-";
    s = -s;
  }
  static constexpr std::array<std::pair<std::int64_t, const char*>, 5> parts{{
      {604800, "w"}, {86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}}};
  // Weeks only when exact: "90d" reads better than "12w6d".
  if (s % 604800 != 0) {
    for (std::size_t i = 1; i < parts.size(); ++i) {
      auto [size, name] = parts[i];
      if (s >= size) {
        out += fmt::format("{}{}", s / size, name);
        s %= size;
      }
    }
    return out;
  }
  return out + fmt::format("{}w", s / 604800);
}

std::string format_seconds(double s) {
  if (s < 0.01) return fmt::format("{:.1f} ms", s * 1000);
  if (s < 1) return fmt::format("{:.0f} ms", s * 1000);
  if (s < 60) return fmt::format("{:.1f} s", s);
  return format_duration(std::chrono::seconds(static_cast<long long>(s)));
}

Threshold parse_threshold(std::string_view text) {
  std::string_view s = trim(text);
  Threshold t;
  if (!s.empty() && s.back() == '%') {
    double number = 0;
    std::string_view rest;
    if (!split_number(s.substr(0, s.size() - 1), number, rest) || !rest.empty() || number > 100)
      fail_usage(fmt::format("invalid threshold '{}': expected a percentage 0-100% or a size like 2G", shown(text)));
    t.kind = Threshold::Kind::percent;
    t.percent = number;
    return t;
  }
  t.kind = Threshold::Kind::bytes;
  // "--warn 80" could mean 80% or 80 bytes free (check_disk reads megabytes):
  // refuse to guess, as parse_duration refuses a bare number.
  if (!s.empty() && s.find_first_not_of("0123456789.") == std::string_view::npos)
    fail_usage(fmt::format("invalid threshold '{}': add % for a percentage ({}%) or a unit for free space ({}G)",
                           text, s, s));
  try {
    t.bytes = parse_size(s);
  } catch (const Error&) {
    fail_usage(fmt::format("invalid threshold '{}': expected a percentage like 80% or a size like 2G", shown(text)));
  }
  return t;
}

}  // namespace ops
