// Upkeep of one table: each engine's statements, and MySQL's way of
// reporting their failure in result rows.

#include <ops/db_catalog.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

namespace ops::db {

std::vector<std::string> maintenance_statements(Engine engine, const TableName& table, Maintenance what) {
  const std::string name = table.quoted(engine);
  std::vector<std::string> sql;
  switch (engine) {
    case Engine::postgresql:
      if (what.optimize) sql.push_back("VACUUM (ANALYZE) " + name);  // both in one pass
      else if (what.analyze) sql.push_back("ANALYZE " + name);
      break;
    case Engine::mysql:
      if (what.optimize) sql.push_back("OPTIMIZE TABLE " + name);
      if (what.analyze) sql.push_back("ANALYZE TABLE " + name);
      break;
    case Engine::sqlite:
      if (what.optimize) sql.push_back("VACUUM");
      if (what.analyze) sql.push_back("ANALYZE " + name);
      break;
  }
  return sql;
}

void maintain_table(Connection& db, const TableName& table, Maintenance what) {
  for (const auto& sql : maintenance_statements(db.engine(), table, what)) {
    if (db.engine() != Engine::mysql) {
      db.execute(sql);
      continue;
    }
    // Columns Table, Op, Msg_type, Msg_text. Msg_type is "error" for what the
    // storage engine found, "Error" for an SQL error (no such table), then
    // "status" "Operation failed"; "note", "warning", "info" are no failure.
    auto cursor = db.query(sql);
    while (cursor->next())
      if (cursor->get(2) && ascii_lower(*cursor->get(2)) == "error")
        fail(fmt::format("{} on {}: {}", sql, db.describe(), cursor->get(3).value_or("failed")));
  }
}

}  // namespace ops::db
