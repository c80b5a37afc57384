#include "table_counts.hpp"

#include <algorithm>

namespace opsbackup {

namespace {

struct TableName {
  std::string schema, table;
};

std::vector<TableName> list_tables(ops::db::Connection& db) {
  const char* sql = nullptr;
  switch (db.engine()) {
    case ops::db::Engine::postgresql:
      // Plain and partition leaf tables hold the rows; partitioned parents hold none.
      sql = "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";
      break;
    case ops::db::Engine::mysql:
      sql = "SELECT '', table_name FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'";
      break;
    case ops::db::Engine::sqlite:
      sql = "SELECT '', name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
      break;
  }
  std::vector<TableName> names;
  auto cursor = db.query(sql);
  while (cursor->next()) names.push_back({cursor->get_string(0), cursor->get_string(1)});
  return names;
}

}  // namespace

std::vector<TableCount> count_table_rows(ops::db::Connection& db) {
  std::vector<TableCount> counts;
  for (const auto& t : list_tables(db)) {
    std::string quoted = t.schema.empty() ? db.quote_identifier(t.table)
                                          : db.quote_identifier(t.schema) + "." + db.quote_identifier(t.table);
    auto rows = db.query_value("SELECT count(*) FROM " + quoted);
    counts.push_back({t.schema.empty() ? t.table : t.schema + "." + t.table, rows ? std::stoll(*rows) : 0});
  }
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.table < b.table; });
  return counts;
}

}  // namespace opsbackup
