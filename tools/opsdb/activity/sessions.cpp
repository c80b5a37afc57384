#include "opsdb/activity/sessions.hpp"

#include <map>

namespace opsdb {

Activity read_activity(ops::db::Connection& db) {
  Activity a = db.engine() == ops::db::Engine::postgresql ? read_postgres_activity(db) : read_mysql_activity(db);
  // Each edge once more, from the holder's side: the blockers are marked.
  std::map<std::int64_t, Session*> by_pid;
  for (auto& s : a.sessions) by_pid[s.pid] = &s;
  for (const auto& s : a.sessions)
    for (std::int64_t holder : s.blocked_by)
      if (auto it = by_pid.find(holder); it != by_pid.end()) it->second->blocking.push_back(s.pid);
  return a;
}

}  // namespace opsdb
