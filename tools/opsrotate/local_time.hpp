#pragma once
// Local calendar time, as logrotate reasons about "daily" and names dated
// rotations: the host's zone (TZ), not UTC.

#include <ops/clock.hpp>

#include <ctime>
#include <string>

namespace opsrotate {

std::tm local_tm(ops::SysTime t);
// strftime in local time; the formats are the few dateformat allows.
std::string format_local(ops::SysTime t, const std::string& format);
// Days between the local calendar dates of a and b (b later: positive).
int calendar_days_between(ops::SysTime a, ops::SysTime b);

}  // namespace opsrotate

namespace opsrotate {
// The time logrotate records for a log it sees for the first time: now,
// with minutes and seconds cleared (so the first run never rotates by time).
ops::SysTime first_seen_time(ops::SysTime now);
}  // namespace opsrotate
