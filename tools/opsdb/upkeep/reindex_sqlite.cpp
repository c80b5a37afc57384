// opsdb reindex on SQLite: REINDEX of one table's indexes. The table is
// named with its schema (main.t): a bare name that is also a collation's
// would rebuild every index using that collation instead.
#include "opsdb/upkeep/reindex.hpp"

#include <fmt/format.h>

namespace opsdb::reindex {

namespace {

// Its indexes, the automatic ones of UNIQUE and PRIMARY KEY constraints too.
std::int64_t index_count(ops::db::Connection& db, const ops::db::Table& table) {
  return std::stoll(db.query_value("SELECT count(*) FROM main.sqlite_schema WHERE type = 'index' AND tbl_name = ?",
                                   {table.name})
                        .value_or("0"));
}

}  // namespace

std::vector<std::string> sqlite_statements(const ops::db::TableName& table) {
  return {"-- holds the database's write lock until it ends: other writers wait",
          "REINDEX " + table.quoted(ops::db::Engine::sqlite)};
}

std::optional<std::string> sqlite_no_index(ops::db::Connection& db, const ops::db::Table& table) {
  if (index_count(db, table) == 0) return "no index";
  return std::nullopt;
}

TableOutcome reindex_sqlite(ops::db::Connection& db, const ops::db::Table& table) {
  const std::int64_t n = index_count(db, table);
  db.execute("REINDEX " + table.quoted(db.engine()));
  TableOutcome out;
  out.result = "done";
  out.detail = fmt::format("{} index{} rebuilt", n, n == 1 ? "" : "es");
  return out;
}

}  // namespace opsdb::reindex
