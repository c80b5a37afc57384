// PostgreSQL: pg_stat_activity's client backends. A session's duration is
// its query's for an active one (query_start), its idle time otherwise
// (state_change); pg_blocking_pids() names the sessions whose locks it waits
// for, and those ahead of it in the lock's queue.
#include "opsdb/activity/sessions.hpp"

#include <charconv>

namespace opsdb {
namespace {

std::vector<std::int64_t> pid_list(std::string_view text) {
  std::vector<std::int64_t> pids;
  while (!text.empty()) {
    const std::size_t comma = std::min(text.find(','), text.size());
    std::int64_t pid = 0;
    if (std::from_chars(text.data(), text.data() + comma, pid).ec == std::errc{}) pids.push_back(pid);
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return pids;
}

}  // namespace

Activity read_postgres_activity(ops::db::Connection& db) {
  // A role without pg_read_all_stats sees another role's session with its
  // backend_type, state and query hidden (NULL), but its database and user.
  auto c = db.query(
      "SELECT pid, EXTRACT(EPOCH FROM clock_timestamp() - CASE WHEN state = 'active' THEN query_start "
      "ELSE state_change END)::float8, EXTRACT(EPOCH FROM clock_timestamp() - xact_start)::float8, state, usename, "
      "CASE WHEN client_addr IS NOT NULL THEN host(client_addr) || ':' || client_port "
      "WHEN client_port = -1 THEN 'local' END, datname, "
      "CASE WHEN wait_event IS NOT NULL THEN wait_event_type || ':' || wait_event END, query, "
      "array_to_string(pg_blocking_pids(pid), ','), backend_type IS NULL "
      "FROM pg_stat_activity WHERE (backend_type = 'client backend' "
      "OR (backend_type IS NULL AND datid IS NOT NULL AND usesysid IS NOT NULL)) AND pid <> pg_backend_pid()");
  Activity a;
  while (c->next()) {
    if (c->get(10) == "t") {
      ++a.hidden;
      continue;
    }
    Session s;
    s.pid = c->get_int64(0);
    if (!c->is_null(1)) s.duration = std::max(c->get_double(1), 0.0);
    if (!c->is_null(2)) s.transaction = std::max(c->get_double(2), 0.0);
    s.state = std::string(c->get(3).value_or(""));
    s.user = std::string(c->get(4).value_or(""));
    s.client = std::string(c->get(5).value_or(""));
    s.database = std::string(c->get(6).value_or(""));
    s.wait = std::string(c->get(7).value_or(""));
    s.query = std::string(c->get(8).value_or(""));
    s.blocked_by = pid_list(c->get(9).value_or(""));
    a.sessions.push_back(std::move(s));
  }
  return a;
}

}  // namespace opsdb
