#pragma once
// The cut-off of a --where clause is fixed once, at the start of a run: a
// clause like "created_at < NOW() - INTERVAL 90 DAY" must not move forward
// while a long run works through its batches (a row that turned 90 days old
// at batch 300 was not part of what the operator asked for at start).
//
// MySQL/MariaDB freeze it for the session with SET TIMESTAMP, which every
// NOW()-style function reads; SYSDATE() ignores it and is refused. PostgreSQL
// and SQLite have no such switch, so the clause's now-functions are replaced
// by literals of the start time, outside strings, identifiers and comments.

#include <ops/db.hpp>

#include <string>
#include <string_view>

namespace opsarchive {

// The start time as each now-function shows it, read from the server once.
struct StartTime {
  std::string timestamp_tz;  // PostgreSQL now(): "2026-12-02 13:00:00.123+00"
  std::string timestamp;     // localtimestamp, or SQLite's UTC "2026-12-02 13:00:00"
  std::string date;          // current_date: "2026-12-02"
  std::string time_tz;       // current_time (PostgreSQL)
  std::string time;          // localtime (PostgreSQL), SQLite's current_time
};

// The where clause with its now-functions replaced by literals of `start`
// (PostgreSQL and SQLite); for MySQL it is returned unchanged, and a clause
// calling SYSDATE() is an exit-3 error. `changed` tells whether anything was
// replaced (for the dry run's note).
std::string freeze_now(ops::db::Engine engine, std::string_view where, const StartTime& start, bool* changed = nullptr);

}  // namespace opsarchive
