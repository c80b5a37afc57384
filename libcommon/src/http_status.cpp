#include <ops/error.hpp>
#include <ops/http_status.hpp>
#include <ops/text.hpp>

#include <charconv>
#include <fmt/format.h>

namespace ops {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A three-digit code in 100..599, or -1.
long code_of(std::string_view s) {
  long code = 0;
  if (s.size() != 3) return -1;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), code);
  if (ec != std::errc() || end != s.data() + s.size() || code < 100 || code > 599) return -1;
  return code;
}

}  // namespace

HttpStatusSet HttpStatusSet::parse(std::string_view text) {
  HttpStatusSet set;
  set.text_ = std::string(trimmed(text));
  auto bad = [&](std::string_view why) {
    fail_usage(fmt::format("invalid HTTP status list '{}': {}", shown(text), why),
               "give codes, classes or spans, comma-separated: 200,301 or 2xx or 200-204");
  };
  if (set.text_.empty()) bad("it is empty");
  std::string_view rest = text;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = trimmed(rest.substr(0, comma));
    if (item.empty()) bad("an empty item");
    if (item.size() == 3 && (item[1] == 'x' || item[1] == 'X') && (item[2] == 'x' || item[2] == 'X')) {
      if (item[0] < '1' || item[0] > '5') bad(fmt::format("'{}' is not a class 1xx to 5xx", shown(item)));
      const long base = (item[0] - '0') * 100;
      set.spans_.emplace_back(base, base + 99);
    } else if (const auto dash = item.find('-'); dash != std::string_view::npos) {
      const long low = code_of(trimmed(item.substr(0, dash)));
      const long high = code_of(trimmed(item.substr(dash + 1)));
      if (low < 0 || high < 0 || low > high) bad(fmt::format("'{}' is not a span of codes 100 to 599", shown(item)));
      set.spans_.emplace_back(low, high);
    } else {
      const long code = code_of(item);
      if (code < 0) bad(fmt::format("'{}' is not a code 100 to 599", shown(item)));
      set.spans_.emplace_back(code, code);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return set;
}

bool HttpStatusSet::contains(long status) const noexcept {
  for (const auto& [low, high] : spans_)
    if (status >= low && status <= high) return true;
  return false;
}

}  // namespace ops
