#pragma once
// "Now" for the whole suite. OPS_NOW (ISO-8601, e.g. 2026-01-31T12:00:00Z)
// overrides the system clock so that tests and dry runs are deterministic.
// Times here are UTC; the local calendar (TZ, DST) is ops/local_time.hpp.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ops {

using SysTime = std::chrono::sys_seconds;

// The current time: OPS_NOW when set (a bad value is an exit-3 error), else the clock.
SysTime now();

// OPS_NOW when it is set (and not empty), else nullopt: for a caller with a
// clock of its own to take when the time is not fixed, such as a database
// server's now(). Nothing but this file reads OPS_NOW.
std::optional<SysTime> fixed_now();

// Parses "2026-01-31", "2026-01-31T12:00:00", "…Z", "…+02:00", " " for "T".
// Without a zone the time is UTC. Throws ops::Error (unknown) naming the text.
SysTime parse_time(std::string_view text);

// "2026-01-31T12:00:00Z".
std::string format_time(SysTime t);
// "2026-01-31".
std::string format_date(SysTime t);

}  // namespace ops
