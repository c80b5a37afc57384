#pragma once
// Local calendar time: the host's zone (TZ) with its daylight saving time, as
// operators read dates (logrotate's "daily", a backup's week, a tar named by
// its month). This is the only code in ops that calls localtime_r, mktime,
// strftime or tzset; everything else works in ops::SysTime (UTC seconds).
//
// Each call follows TZ as it is at that moment (glibc's localtime_r would
// otherwise keep the zone it read first), so a test or a tool that sets TZ
// needs no tzset() of its own.

#include <ops/clock.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace ops {

// A moment's wall-clock fields in the local zone.
struct LocalTime {
  int year = 1970;
  int month = 1;   // 1-12
  int day = 1;     // 1-31
  int hour = 0;    // 0-23
  int minute = 0;  // 0-59
  int second = 0;  // 0-60
  int weekday = 4; // 0 = Sunday … 6 = Saturday, as cron and logrotate count (ignored by from_local)

  // The calendar date as a day number, for counting days between dates.
  std::chrono::sys_days date() const;
};

// `t` on the local wall clock; nullopt when the year does not fit (never for
// a time ops reads from a clock, a file or a name).
std::optional<LocalTime> to_local(SysTime t);

// The moment the local wall clock shows `fields`. Fields past their range
// roll over as mktime rolls them (2020-02-30 is March 1st); whether DST was in
// force is the zone's to say. In the hour a DST change repeats, the earlier
// or later reading is mktime's choice; a time skipped by a DST change is read
// with the offset before the change (02:30 on a spring-forward night is 03:30).
SysTime from_local(const LocalTime& fields);

// strftime(format) of `t` in local time: the formats are operators' own
// (logrotate's dateformat, opsarchive's --into-tar PATH). nullopt when `t` is
// out of range or the expansion is empty.
std::optional<std::string> format_local(SysTime t, const std::string& format);

}  // namespace ops
