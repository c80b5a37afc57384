#include "opsbackup/db/table_counts.hpp"

#include <ops/db_catalog.hpp>

#include <algorithm>

namespace opsbackup {

std::vector<TableCount> count_table_rows(ops::db::Connection& db) {
  const ops::db::Engine e = db.engine();
  std::vector<TableCount> counts;
  for (const auto& t : ops::db::list_tables(db)) {
    // A dump carries no rows of a materialized view: a restore recomputes them.
    if (t.kind != ops::db::TableKind::table) continue;
    auto rows = db.query_value("SELECT count(*) FROM " + t.quoted(e));
    counts.push_back({e == ops::db::Engine::postgresql ? t.display() : t.name, rows ? std::stoll(*rows) : 0});
  }
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.table < b.table; });
  return counts;
}

}  // namespace opsbackup
