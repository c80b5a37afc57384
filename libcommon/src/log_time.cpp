// Each format is read by hand, byte by byte: these are fixed layouts, and
// a log of millions of lines is read through them.
#include <ops/log_time.hpp>

#include <ops/local_time.hpp>

#include <array>
#include <cctype>

namespace ops {
namespace {

using namespace std::chrono;

// ASCII only, and inline: the <cctype> functions are calls into libc that
// depend on the locale, and these run on every byte of every line's start.
constexpr bool ascii_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool ascii_alnum(char c) noexcept {
  return ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::optional<int> offset_minutes;  // nullopt: local time
};

// A cursor over a line; every reader returns false at the first byte that does not fit.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool at_end() const { return i >= s.size(); }
  char peek() const { return at_end() ? '\0' : s[i]; }
  bool lit(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  bool digit() const { return !at_end() && ascii_digit(s[i]); }
  // Exactly n digits.
  bool number(int n, int& out) {
    out = 0;
    for (int k = 0; k < n; ++k) {
      if (!digit()) return false;
      out = out * 10 + (s[i++] - '0');
    }
    return true;
  }
  // One or two digits, or a space then one digit (syslog's " 6").
  bool day(int& out) {
    if (lit(' ')) return number(1, out);
    if (!number(1, out)) return false;
    if (digit()) out = out * 10 + (s[i++] - '0');
    return true;
  }
  void skip_fraction(char separator_a, char separator_b) {
    if ((peek() == separator_a || peek() == separator_b) && i + 1 < s.size() &&
        ascii_digit(s[i + 1])) {
      ++i;
      while (digit()) ++i;
    }
  }
  bool month_name(int& out) {
    static constexpr std::array<std::string_view, 12> names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (s.size() - i < 3) return false;
    for (std::size_t m = 0; m < names.size(); ++m)
      if (s.substr(i, 3) == names[m]) {
        out = static_cast<int>(m) + 1;
        i += 3;
        return true;
      }
    return false;
  }
  bool weekday_name() {
    static constexpr std::array<std::string_view, 7> names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    if (s.size() - i < 3) return false;
    for (auto n : names)
      if (s.substr(i, 3) == n) {
        i += 3;
        return true;
      }
    return false;
  }
  bool clock(Fields& f) {
    return number(2, f.hour) && lit(':') && number(2, f.minute) && lit(':') && number(2, f.second);
  }
  // +hh:mm, +hhmm or +hh.
  bool numeric_zone(Fields& f) {
    const char sign = peek();
    if (sign != '+' && sign != '-') return false;
    ++i;
    int h = 0, m = 0;
    if (!number(2, h)) return false;
    if (lit(':')) {
      if (!number(2, m)) return false;
    } else if (digit() && !number(2, m)) {
      return false;
    }
    f.offset_minutes = (sign == '-' ? -1 : 1) * (h * 60 + m);
    return true;
  }
};

bool valid(const Fields& f) {
  return f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= 31 && f.hour <= 23 && f.minute <= 59 &&
         f.second <= 60 && f.year >= 1970 && f.year <= 9999;
}

using Memo = LogTimeReader::Memo;

SysTime to_time(const Fields& f, Memo* memo = nullptr) {
  if (!f.offset_minutes && memo) {
    if (!(memo->valid && memo->year == f.year && memo->month == f.month && memo->day == f.day &&
          memo->hour == f.hour && memo->minute == f.minute)) {
      Fields start = f;
      start.second = 0;
      memo->minute_start = to_time(start);
      memo->valid = true;
      memo->year = f.year;
      memo->month = f.month;
      memo->day = f.day;
      memo->hour = f.hour;
      memo->minute = f.minute;
    }
    return memo->minute_start + seconds{f.second};
  }
  if (!f.offset_minutes) {
    LocalTime local;
    local.year = f.year;
    local.month = f.month;
    local.day = f.day;
    local.hour = f.hour;
    local.minute = f.minute;
    local.second = f.second;
    return from_local(local);
  }
  const sys_days date = year_month_day{year{f.year}, month{static_cast<unsigned>(f.month)},
                                       std::chrono::day{static_cast<unsigned>(f.day)}};
  return SysTime{date} + hours{f.hour} + minutes{f.minute} + seconds{f.second} - minutes{*f.offset_minutes};
}

bool read_iso(Cursor& c, Fields& f) {
  if (!(c.number(4, f.year) && c.lit('-') && c.number(2, f.month) && c.lit('-') && c.number(2, f.day))) return false;
  if (!c.lit('T') && !c.lit(' ')) return false;
  if (!c.clock(f)) return false;
  c.skip_fraction('.', ',');
  if (!c.lit('Z')) {
    const std::size_t before = c.i;
    if (!c.numeric_zone(f)) {
      c.i = before;
      f.offset_minutes.reset();
    }
  } else {
    f.offset_minutes = 0;
  }
  return true;
}

bool read_slashed(Cursor& c, Fields& f) {
  return c.number(4, f.year) && c.lit('/') && c.number(2, f.month) && c.lit('/') && c.number(2, f.day) &&
         c.lit(' ') && c.clock(f);
}

bool read_syslog(Cursor& c, Fields& f) {
  return c.month_name(f.month) && c.lit(' ') && c.day(f.day) && c.lit(' ') && c.clock(f);
}

bool read_access(Cursor& c, Fields& f) {
  return c.lit('[') && c.number(2, f.day) && c.lit('/') && c.month_name(f.month) && c.lit('/') &&
         c.number(4, f.year) && c.lit(':') && c.clock(f) && c.lit(' ') && c.numeric_zone(f) && c.lit(']');
}

bool read_apache_error(Cursor& c, Fields& f) {
  if (!(c.lit('[') && c.weekday_name() && c.lit(' ') && c.month_name(f.month) && c.lit(' ') && c.day(f.day) &&
        c.lit(' ') && c.clock(f)))
    return false;
  c.skip_fraction('.', '.');
  return c.lit(' ') && c.number(4, f.year) && c.lit(']');
}

bool read_php(Cursor& c, Fields& f) {
  if (!(c.lit('[') && c.number(2, f.day) && c.lit('-') && c.month_name(f.month) && c.lit('-') &&
        c.number(4, f.year) && c.lit(' ') && c.clock(f)))
    return false;
  // PHP-FPM's own log writes no zone ("[06-Dec-2026 09:12:01]"): the host's time.
  if (c.lit(']')) return true;
  if (!c.lit(' ')) return false;
  const std::size_t zone = c.i;
  const std::size_t end = c.s.find(']', zone);
  if (end == std::string_view::npos || end == zone) return false;
  const std::string_view name = c.s.substr(zone, end - zone);
  if (name == "UTC" || name == "GMT" || name == "Z") {
    f.offset_minutes = 0;
  } else if (!(c.numeric_zone(f) && c.i == end)) {
    f.offset_minutes.reset();  // a zone name (Europe/Berlin): the host's own, as PHP is usually set up
  }
  c.i = end + 1;
  return true;
}

bool read_format(Cursor& c, LogTimeFormat format, Fields& f) {
  switch (format) {
    case LogTimeFormat::iso8601: return read_iso(c, f);
    case LogTimeFormat::slashed: return read_slashed(c, f);
    case LogTimeFormat::syslog: return read_syslog(c, f);
    case LogTimeFormat::access: return read_access(c, f);
    case LogTimeFormat::apache_error: return read_apache_error(c, f);
    case LogTimeFormat::php: return read_php(c, f);
  }
  return false;
}

// The year of a syslog line: now's local year, or the one before when that
// would put the line more than a day in the future.
void infer_year(Fields& f, SysTime now, Memo* memo) {
  if (!memo) {
    const auto local = to_local(now);
    f.year = local ? local->year : 1970;
    if (to_time(f) > now + days{1}) --f.year;
    return;
  }
  // The same rule on wall-clock fields, against now + 1 day read once.
  if (!memo->now_year) {
    const auto local = to_local(now);
    const auto cutoff = to_local(now + days{1});
    memo->now_year = local ? local->year : 1970;
    memo->cutoff = cutoff ? std::array<int, 6>{cutoff->year, cutoff->month, cutoff->day, cutoff->hour,
                                               cutoff->minute, cutoff->second}
                          : std::array<int, 6>{1970, 1, 1, 0, 0, 0};
  }
  f.year = *memo->now_year;
  const std::array<int, 6> line{f.year, f.month, f.day, f.hour, f.minute, f.second};
  if (line > memo->cutoff) --f.year;
}

std::optional<SysTime> read_at(std::string_view line, std::size_t at, LogTimeFormat format, SysTime now,
                               Memo* memo = nullptr) {
  if (at > 0 && ascii_alnum(line[at - 1])) return std::nullopt;
  Cursor c{line, at};
  Fields f;
  if (format == LogTimeFormat::syslog) f.year = 2000;  // a leap year, so "Feb 29" reads; replaced below
  if (!read_format(c, format, f) || !valid(f)) return std::nullopt;
  // The timestamp ends at a word end: "2026-12-06 09:12:015" is not one.
  if (!c.at_end() && ascii_alnum(c.peek())) return std::nullopt;
  if (format == LogTimeFormat::syslog) infer_year(f, now, memo);
  return to_time(f, memo);
}

constexpr std::array kFormats{LogTimeFormat::iso8601, LogTimeFormat::access,       LogTimeFormat::syslog,
                              LogTimeFormat::slashed, LogTimeFormat::apache_error, LogTimeFormat::php};

}  // namespace

std::string_view log_time_format_name(LogTimeFormat format) noexcept {
  switch (format) {
    case LogTimeFormat::iso8601: return "ISO 8601";
    case LogTimeFormat::slashed: return "yyyy/mm/dd";
    case LogTimeFormat::syslog: return "syslog";
    case LogTimeFormat::access: return "access log";
    case LogTimeFormat::apache_error: return "Apache error log";
    case LogTimeFormat::php: return "PHP";
  }
  return "?";
}

std::optional<SysTime> log_time(std::string_view line, LogTimeFormat format, SysTime now) {
  const std::size_t scan = std::min(line.size(), kLogTimeScan);
  for (std::size_t at = 0; at < scan; ++at)
    if (auto t = read_at(line, at, format, now)) return t;
  return std::nullopt;
}

std::optional<LogTime> find_log_time(std::string_view line, SysTime now) {
  const std::size_t scan = std::min(line.size(), kLogTimeScan);
  for (std::size_t at = 0; at < scan; ++at)
    for (LogTimeFormat format : kFormats)
      if (auto t = read_at(line, at, format, now)) return LogTime{format, *t};
  return std::nullopt;
}

std::optional<SysTime> LogTimeReader::time_of(std::string_view line) {
  if (format_) {
    const std::size_t scan = std::min(line.size(), kLogTimeScan);
    for (std::size_t at = 0; at < scan; ++at)
      if (auto t = read_at(line, at, *format_, now_, &memo_)) return t;
    return std::nullopt;
  }
  auto found = find_log_time(line, now_);
  if (!found) return std::nullopt;
  format_ = found->format;
  return found->time;
}

}  // namespace ops
