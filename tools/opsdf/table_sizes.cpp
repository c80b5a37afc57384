// Table sizes from each engine's catalogue: no table is scanned except by
// SQLite's row count (see below).

#include "table_sizes.hpp"

#include <algorithm>
#include <tuple>

namespace opsdf {

namespace {

using ops::db::Connection;
using ops::db::Cursor;

// Tables and materialized views. Partitioned parents hold no data: their
// partitions are listed as tables. "pg_" prefixes are reserved for system
// schemas (pg_catalog, pg_toast, other sessions' pg_temp_N).
constexpr const char* postgresql_sql = R"(
SELECT n.nspname, c.relname,
       COALESCE(pg_table_size(c.oid), 0),
       COALESCE(pg_indexes_size(c.oid), 0),
       COALESCE(pg_total_relation_size(c.oid), 0),
       GREATEST(c.reltuples, 0)::bigint
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema')";

// DATA_LENGTH and INDEX_LENGTH are the engine's own figures (InnoDB: pages
// allocated); TABLE_ROWS is an estimate for InnoDB. MySQL 8 caches them for
// information_schema_stats_expiry seconds; MariaDB reads them live.
constexpr const char* mysql_sql = R"(
SELECT TABLE_SCHEMA, TABLE_NAME,
       COALESCE(DATA_LENGTH, 0), COALESCE(INDEX_LENGTH, 0),
       COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0), COALESCE(TABLE_ROWS, 0)
FROM information_schema.TABLES
WHERE TABLE_TYPE = 'BASE TABLE'
  AND (TABLE_SCHEMA = DATABASE() OR (DATABASE() IS NULL AND TABLE_SCHEMA NOT IN
       ('mysql', 'information_schema', 'performance_schema', 'sys'))))";

// dbstat (SQLITE_ENABLE_DBSTAT_VTAB, on in Debian's build) gives the bytes of
// each b-tree; each index is charged to its table through sqlite_schema.
// Virtual tables own no b-tree (their shadow tables are listed instead).
constexpr const char* sqlite_sql = R"(
SELECT m.tbl_name,
       COALESCE(SUM(CASE WHEN m.type = 'table' THEN s.bytes END), 0),
       COALESCE(SUM(CASE WHEN m.type = 'index' THEN s.bytes END), 0)
FROM sqlite_schema m
LEFT JOIN (SELECT name, SUM(pgsize) AS bytes FROM dbstat('main') GROUP BY name) s ON s.name = m.name
WHERE m.type IN ('table', 'index') AND m.tbl_name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.tbl_name NOT IN (SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%')
GROUP BY m.tbl_name)";

TableSize read_row(const Cursor& c) {
  return {c.get_string(0), c.get_string(1), c.get_int64(2), c.get_int64(3), c.get_int64(4), c.get_int64(5)};
}

std::vector<TableSize> sqlite_table_sizes(Connection& connection) {
  std::vector<TableSize> tables;
  for (auto c = connection.query(sqlite_sql); c->next();) {
    TableSize t{"main", c->get_string(0), c->get_int64(1), c->get_int64(2), 0, 0};
    t.total_bytes = t.data_bytes + t.index_bytes;
    tables.push_back(std::move(t));
  }
  // SQLite keeps no row estimate unless ANALYZE wrote sqlite_stat1, and that
  // is often stale or missing, so the rows are counted. count(*) walks the
  // smallest b-tree of the table: acceptable for the sizes SQLite is used at.
  for (TableSize& t : tables) {
    auto count = connection.query_value("SELECT count(*) FROM " + connection.quote_identifier(t.name));
    t.estimated_rows = count ? std::stoll(*count) : 0;
  }
  return tables;
}

}  // namespace

std::vector<TableSize> table_sizes(Connection& connection) {
  std::vector<TableSize> tables;
  switch (connection.engine()) {
    case ops::db::Engine::postgresql:
    case ops::db::Engine::mysql: {
      const bool pg = connection.engine() == ops::db::Engine::postgresql;
      for (auto c = connection.query(pg ? postgresql_sql : mysql_sql); c->next();) tables.push_back(read_row(*c));
      break;
    }
    case ops::db::Engine::sqlite:
      tables = sqlite_table_sizes(connection);
      break;
  }
  // Sorted here, not in SQL: byte order, whatever the database's collation.
  std::sort(tables.begin(), tables.end(), [](const TableSize& a, const TableSize& b) {
    return std::tie(b.total_bytes, a.schema, a.name) < std::tie(a.total_bytes, b.schema, b.name);
  });
  return tables;
}

}  // namespace opsdf
