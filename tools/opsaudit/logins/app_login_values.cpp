#include "opsaudit/logins/app_login_values.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <string>

namespace opsaudit {

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// The last second of year 9999: beyond it a number is not seconds (it may be
// milliseconds, which an operator's query must divide).
constexpr std::int64_t kLastEpochSecond = 253402300799;

std::optional<ops::SysTime> epoch_seconds(std::string_view text) {
  std::string_view whole = text.substr(0, text.find('.'));
  if (whole.size() < text.size() && !all_digits(text.substr(whole.size() + 1))) return std::nullopt;
  if (!all_digits(whole) || whole.size() > 12) return std::nullopt;
  std::int64_t seconds = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  if (seconds > kLastEpochSecond) return std::nullopt;
  return ops::SysTime(std::chrono::seconds(seconds));
}

// "2026-12-06 09:12:01.123456+00" into what ops::parse_time reads
// ("2026-12-06 09:12:01+00:00"): the fraction dropped (times are whole
// seconds everywhere in the report), a zone of hours only or without its
// colon written out.
std::optional<std::string> iso_form(std::string_view text) {
  // Date and time are 19 bytes; anything shorter is a date alone or not a time.
  if (text.size() < 19) return text.size() == 10 ? std::optional<std::string>(text) : std::nullopt;
  std::string out(text.substr(0, 19));
  std::string_view rest = text.substr(19);
  if (rest.starts_with('.')) {
    std::size_t end = std::min(rest.find_first_not_of("0123456789", 1), rest.size());
    if (end == 1) return std::nullopt;  // a dot without digits
    rest.remove_prefix(end);
  }
  if (rest.empty() || rest == "Z") return out + std::string(rest);
  if (rest.front() != '+' && rest.front() != '-') return std::nullopt;
  std::string_view digits = rest.substr(1);
  if (all_digits(digits) && digits.size() == 2) return out + std::string(rest) + ":00";
  if (all_digits(digits) && digits.size() == 4)
    return out + rest.front() + std::string(digits.substr(0, 2)) + ":" + std::string(digits.substr(2));
  if (digits.size() == 5 && digits[2] == ':') return out + std::string(rest);
  return std::nullopt;
}

}  // namespace

std::optional<ops::SysTime> app_login_time(std::string_view text) {
  text = ops::trim(text);
  if (text.empty()) return std::nullopt;
  if (text.front() >= '0' && text.front() <= '9' && text.find('-') == std::string_view::npos)
    return epoch_seconds(text);
  std::optional<std::string> iso = iso_form(text);
  if (!iso) return std::nullopt;
  // MySQL's zero date and year 0 (a "0000-00-00" default) are no time.
  if (iso->starts_with("0000")) return std::nullopt;
  try {
    return ops::parse_time(*iso);
  } catch (const ops::Error&) {
    return std::nullopt;
  }
}

std::optional<bool> app_login_success(std::string_view text) {
  std::string word = ops::ascii_lower(ops::trim(text));
  if (word == "true" || word == "t" || word == "1" || word == "yes" || word == "success") return true;
  if (word == "false" || word == "f" || word == "0" || word == "no" || word == "failure") return false;
  return std::nullopt;
}

}  // namespace opsaudit
