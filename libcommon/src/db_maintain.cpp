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

std::vector<std::string> maintain_table(Connection& db, const TableName& table, Maintenance what) {
  std::vector<std::string> notes;
  for (const auto& sql : maintenance_statements(db.engine(), table, what)) {
    if (db.engine() != Engine::mysql) {
      db.execute(sql);
      continue;
    }
    // Columns Table, Op, Msg_type, Msg_text. Msg_type is "error" for what the
    // storage engine found, "Error" for an SQL error (no such table, a lock
    // wait timeout), then "status" "Operation failed"; "note", "warning",
    // "info" are no failure; "status" "OK" or "Table is already up to date" is
    // the result.
    auto cursor = db.query(sql);
    while (cursor->next()) {
      const std::string type = ascii_lower(cursor->get(2).value_or(""));
      const std::string text(cursor->get(3).value_or(""));
      if (type == "error") throw SqlError(fmt::format("{} on {}: {}", sql, db.describe(), text.empty() ? "failed" : text), "");
      if (type == "note" || type == "warning" || type == "info") notes.push_back(fmt::format("{}: {}", sql, text));
    }
  }
  return notes;
}

}  // namespace ops::db
