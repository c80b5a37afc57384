#pragma once
// The timestamps of log lines, in the formats the logs of a web host are
// written in, read into UTC seconds (fractions are dropped):
//
//   iso8601       2026-12-06T09:12:01Z, 2026-12-06 09:12:01.123+01:00, and
//                 Python logging's 2026-12-06 09:12:01,123 (no zone: local)
//   slashed       2026/12/06 09:12:01 (nginx error log; local)
//   syslog        Dec  6 09:12:01 (local; the year is the latest that does
//                 not put the line more than a day after now: a line of
//                 "Dec 31" read on January 2nd is last year's, and a writer's
//                 clock a little ahead of ours does not make a line a year old)
//   access        [06/Dec/2026:09:12:01 +0000] (Apache/nginx access logs)
//   apache_error  [Sun Dec 06 09:12:01.123456 2026] (local)
//   php           [06-Dec-2026 09:12:01 UTC] (UTC, GMT or +hhmm as written;
//                 another zone name, PHP's date.timezone, is read as local;
//                 none, as PHP-FPM's own log writes it: local)
//
// A timestamp is looked for at a word start within the first kLogTimeScan
// bytes of a line, so prefixes such as "127.0.0.1 - - [" or "[" or
// "INFO " are passed over. A file is written in one format: LogTimeReader
// detects it on the first line that has any and then looks only for that
// one, so a date quoted in a message or a traceback is not taken for the
// line's time.

#include <ops/clock.hpp>

#include <array>
#include <optional>
#include <string_view>

namespace ops {

enum class LogTimeFormat { iso8601, slashed, syslog, access, apache_error, php };

inline constexpr std::size_t kLogTimeScan = 80;

std::string_view log_time_format_name(LogTimeFormat format) noexcept;

struct LogTime {
  LogTimeFormat format;
  SysTime time;
};

// The time of `line` in `format`; nullopt when the line has none. `now`
// decides the year of a syslog line.
std::optional<SysTime> log_time(std::string_view line, LogTimeFormat format, SysTime now);
// The first timestamp of `line` in any format.
std::optional<LogTime> find_log_time(std::string_view line, SysTime now);

// The times of the lines of one file, its format detected on the first
// line that has a timestamp. A reader remembers the last local minute it
// converted and now's year: a log's lines share them, and a mktime per line
// would cost more than reading the line (so TZ is read once per minute of
// log, not per line).
class LogTimeReader {
 public:
  explicit LogTimeReader(SysTime now) : now_(now) {}
  std::optional<SysTime> time_of(std::string_view line);
  std::optional<LogTimeFormat> format() const noexcept { return format_; }

  struct Memo {
    bool valid = false;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0;
    SysTime minute_start{};
    std::optional<int> now_year;
    std::array<int, 6> cutoff{};  // now + 1 day on the local wall clock: year, month, day, h, m, s
  };

 private:
  SysTime now_;
  std::optional<LogTimeFormat> format_;
  Memo memo_;
};

}  // namespace ops
