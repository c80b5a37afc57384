#include "local_time.hpp"

#include <chrono>

namespace opsrotate {

std::tm local_tm(ops::SysTime t) {
  std::time_t secs = static_cast<std::time_t>(t.time_since_epoch().count());
  std::tm tm{};
  ::localtime_r(&secs, &tm);
  return tm;
}

std::string format_local(ops::SysTime t, const std::string& format) {
  std::tm tm = local_tm(t);
  char buf[256];
  // The format is the operator's dateformat, checked by the parser.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  std::size_t n = std::strftime(buf, sizeof buf, format.c_str(), &tm);
#pragma GCC diagnostic pop
  return std::string(buf, n);
}

int calendar_days_between(ops::SysTime a, ops::SysTime b) {
  auto day_number = [](ops::SysTime t) {
    std::tm tm = local_tm(t);
    using namespace std::chrono;
    return sys_days{year{tm.tm_year + 1900} / month{static_cast<unsigned>(tm.tm_mon + 1)} /
                    day{static_cast<unsigned>(tm.tm_mday)}}
        .time_since_epoch()
        .count();
  };
  return static_cast<int>(day_number(b) - day_number(a));
}

}  // namespace opsrotate

namespace opsrotate {
ops::SysTime first_seen_time(ops::SysTime now) {
  std::tm tm = local_tm(now);
  tm.tm_min = 0;
  tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return ops::SysTime{std::chrono::seconds{::mktime(&tm)}};
}
}  // namespace opsrotate
