#include <ops/clock.hpp>
#include <ops/text.hpp>
#include <ops/error.hpp>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>

namespace ops {

namespace {

// Reads exactly n digits at s[pos]; false when they are not all digits.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

SysTime parse_time(std::string_view text) {
  auto bad = [&]() -> SysTime {
    fail_usage(fmt::format("invalid time '{}': expected ISO-8601 like 2026-01-31T12:00:00Z", shown(text)));
  };
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d))
    return bad();
  std::size_t pos = 10;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    if (!digits(text, pos + 1, 2, h) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !digits(text, pos + 4, 2, mi))
      return bad();
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!digits(text, pos + 1, 2, sec)) return bad();
      pos += 3;
    }
  }
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] == 'Z' && pos + 1 == text.size()) {
      pos += 1;
    } else if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() && text[pos + 3] == ':') {
      int oh, om;
      if (!digits(text, pos + 1, 2, oh) || !digits(text, pos + 4, 2, om) || oh > 23 || om > 59) return bad();
      offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
      pos += 6;
    } else {
      return bad();
    }
  }
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return bad();
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} - minutes{offset_minutes};
}

std::optional<SysTime> fixed_now() {
  const char* fixed = std::getenv("OPS_NOW");
  if (!fixed || !*fixed) return std::nullopt;
  try {
    return parse_time(fixed);
  } catch (const Error& e) {
    fail_usage(std::string("OPS_NOW: ") + e.what());
  }
}

SysTime now() {
  if (auto fixed = fixed_now()) return *fixed;
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string format_time(SysTime t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string format_date(SysTime t) { return format_time(t).substr(0, 10); }

}  // namespace ops
