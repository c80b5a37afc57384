#pragma once
// logrotate's rules on local calendar time (ops/local_time.hpp): the host's
// zone (TZ), not UTC, decides when a day has passed.

#include <ops/clock.hpp>
#include <ops/local_time.hpp>

namespace opsrotate {

// `t` on the local wall clock. A time beyond the zone's calendar (never one
// of a clock or a state file) reads as 1970-01-01 00:00:00.
ops::LocalTime local_time(ops::SysTime t);

// Days between the local calendar dates of a and b (b later: positive).
int calendar_days_between(ops::SysTime a, ops::SysTime b);

// The time logrotate records for a log it sees for the first time: now,
// with minutes and seconds cleared (so the first run never rotates by time).
ops::SysTime first_seen_time(ops::SysTime now);

}  // namespace opsrotate
