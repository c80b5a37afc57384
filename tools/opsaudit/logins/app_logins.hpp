#pragma once
// The login events an application keeps in its own database (the
// case-management system's SecurityEvent rows with AUTH_FAILURE, a Django
// app's audit table), so they count beside sshd's: each [audit.NAME]
// section names a database and the query that yields them, or the command
// line gives one with --db and --sql.
//
//   [audit.casework]
//   db = casework
//   sql = SELECT created_at, ip, username, event = 'AUTH_SUCCESS' FROM SecurityEvent WHERE event LIKE 'AUTH_%'
//
// The query's columns are, in order: the time (a timestamp, or seconds
// since the epoch), the address, the user name and whether the login
// succeeded (true/false, t/f, 1/0, yes/no, or the words success/failure).

#include "opsaudit/logins/auth_event.hpp"

#include <ops/clock.hpp>
#include <ops/config.hpp>
#include <ops/sections.hpp>

#include <functional>
#include <string>
#include <vector>

namespace opsaudit {

struct AppLoginSource {
  std::string name;   // "casework" of [audit.casework], or "--db" for the command line
  std::string db;     // NAME of [db.NAME] or a DSN
  std::string sql;    // the operator's query, run as written (read-only)
  std::string where;  // "/etc/ops/ops.conf:12", for messages
};

const ops::SectionSchema& app_login_schema();

// Every [audit.NAME] of the file, checked (exit 3 naming file and line).
std::vector<AppLoginSource> app_login_sources(const ops::Config& config);

// Runs the source's query and hands each row at or after `since` to `each`
// as an AuthEvent (source "app NAME"). A row that cannot be read (no time,
// a bad flag) is counted in the return value, not handed over. Cannot
// connect, or the query fails: ops::Error naming the source.
std::size_t read_app_logins(const ops::Config& config, const AppLoginSource& source, ops::SysTime since,
                            const std::function<void(const AuthEvent&)>& each);

// What one read of a source handed over and passed over, for the report's
// notes: rows before `since` (a query without a WHERE on the time reads the
// whole table), rows that could not be read and the first of them.
struct AppLoginCounts {
  std::size_t events = 0;
  std::size_t before_since = 0;
  std::size_t unreadable = 0;
  std::size_t first_unreadable_row = 0;  // 1-based row of the result; 0: none
  std::string first_unreadable_why;      // "time '0000-00-00 00:00:00' is not a time"
};

// read_app_logins with the counts: the same rows, the same errors.
AppLoginCounts read_app_logins_counted(const ops::Config& config, const AppLoginSource& source, ops::SysTime since,
                                       const std::function<void(const AuthEvent&)>& each);

// The note on the unreadable rows, empty when there were none:
// "[audit.casework] (/etc/ops/ops.conf:12): 3 rows not understood, the first
// at row 7: succeeded 'maybe' is not true/false, t/f, 1/0, yes/no or success/failure".
std::string app_login_note(const AppLoginSource& source, const AppLoginCounts& counts);

// How messages name the source: "[audit.casework] (/etc/ops/ops.conf:12)",
// or "--db casework" for the command line's.
std::string app_login_label(const AppLoginSource& source);

}  // namespace opsaudit
