#include <ops/local_time.hpp>

#include <ctime>

namespace ops {

namespace {

std::optional<std::tm> local_tm(SysTime t) {
  const std::time_t secs = static_cast<std::time_t>(t.time_since_epoch().count());
  ::tzset();  // cheap when TZ is unchanged: glibc compares it with the zone it holds
  std::tm tm{};
  if (!::localtime_r(&secs, &tm)) return std::nullopt;
  return tm;
}

}  // namespace

std::chrono::sys_days LocalTime::date() const {
  namespace c = std::chrono;
  return c::sys_days{c::year{year} / c::month{static_cast<unsigned>(month)} / c::day{static_cast<unsigned>(day)}};
}

std::optional<LocalTime> to_local(SysTime t) {
  const auto tm = local_tm(t);
  if (!tm) return std::nullopt;
  return LocalTime{tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
                   tm->tm_wday};
}

SysTime from_local(const LocalTime& fields) {
  std::tm tm{};
  tm.tm_year = fields.year - 1900;
  tm.tm_mon = fields.month - 1;
  tm.tm_mday = fields.day;
  tm.tm_hour = fields.hour;
  tm.tm_min = fields.minute;
  tm.tm_sec = fields.second;
  tm.tm_isdst = -1;  // let the zone say whether DST was in force then
  // mktime calls tzset itself. On a 64-bit time_t its -1 is a real second
  // (1969-12-31T23:59:59Z), and every year an int holds fits.
  return SysTime{std::chrono::seconds{std::mktime(&tm)}};
}

std::optional<std::string> format_local(SysTime t, const std::string& format) {
  const auto tm = local_tm(t);
  if (!tm || format.empty()) return std::nullopt;
  // strftime returns 0 both for an empty result and for a buffer too small:
  // grow the buffer before believing "empty".
  for (std::size_t size = format.size() * 4 + 256; size <= 1024 * 1024; size *= 4) {
    std::string out(size, '\0');
    // The format is the operator's; strftime only reads it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    const std::size_t n = std::strftime(out.data(), out.size(), format.c_str(), &*tm);
#pragma GCC diagnostic pop
    if (n > 0) {
      out.resize(n);
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace ops
