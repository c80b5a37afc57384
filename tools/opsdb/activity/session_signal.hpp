#pragma once
// --cancel and --terminate: ends one session's query, or the session, and
// says whether it happened. The server only takes the request
// (pg_cancel_backend, KILL QUERY): the query ends when the session next
// looks, so the answer comes from watching the session until its query (or
// itself) is gone, for a few seconds at most.

#include "opsdb/activity/sessions.hpp"

#include <chrono>
#include <string>

namespace opsdb {

enum class SessionAction { cancel, terminate };

// "pg_cancel_backend(4242)", "KILL QUERY 42": what is run, for --dry-run and
// the confirmation.
std::string action_statement(ops::db::Engine engine, SessionAction action, std::int64_t pid);

struct ActionResult {
  bool done = false;   // the query (or the session) is gone
  std::string result;  // "cancelled", "terminated", "not cancelled", "not terminated"
  std::string detail;  // one line: how it ended, or why not
};

// `session` as read_activity() saw it. Permission refused: ops::db::SqlError.
ActionResult act_on_session(ops::db::Connection& db, const Session& session, SessionAction action,
                            std::chrono::milliseconds wait);

}  // namespace opsdb
