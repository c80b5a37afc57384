// The user tables of a database and their sizes, from each engine's own
// catalogue. The one rule (ops/db_catalog.hpp) is written once per engine,
// in the WHERE clauses below; the listing and the sizes share them.

#include <ops/db_catalog.hpp>

#include <algorithm>
#include <tuple>

namespace ops::db {

namespace {

// "pg_" prefixes are reserved for system schemas; LIKE's escape is the backslash.
constexpr const char* pg_from = R"(
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema')";

// MariaDB's TABLE_TYPE also says SYSTEM VERSIONED, SEQUENCE and TEMPORARY.
constexpr const char* mysql_from = R"(
FROM information_schema.TABLES
WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
  AND (TABLE_SCHEMA = DATABASE() OR (DATABASE() IS NULL AND TABLE_SCHEMA NOT IN
       ('mysql', 'information_schema', 'performance_schema', 'sys'))))";

// A virtual table's rootpage is 0: it owns no b-tree.
constexpr const char* sqlite_where = R"(
type = 'table' AND rootpage <> 0 AND name NOT LIKE 'sqlite\_%' ESCAPE '\')";

std::string pg_list() { return std::string("SELECT n.nspname, c.relname, (c.relkind = 'm')::int, ''") + pg_from; }
std::string mysql_list() { return std::string("SELECT TABLE_SCHEMA, TABLE_NAME, 0, COALESCE(ENGINE, '')") + mysql_from; }
std::string sqlite_list() { return std::string("SELECT 'main', name, 0, '' FROM sqlite_schema WHERE") + sqlite_where; }

std::string pg_sizes() {
  return std::string(R"(SELECT n.nspname, c.relname, (c.relkind = 'm')::int, '',
       COALESCE(pg_table_size(c.oid), 0), COALESCE(pg_indexes_size(c.oid), 0),
       GREATEST(c.reltuples, 0)::bigint)") +
         pg_from;
}
std::string mysql_sizes() {
  return std::string(R"(SELECT TABLE_SCHEMA, TABLE_NAME, 0, COALESCE(ENGINE, ''),
       COALESCE(DATA_LENGTH, 0), COALESCE(INDEX_LENGTH, 0), COALESCE(TABLE_ROWS, 0))") +
         mysql_from;
}
// dbstat (SQLITE_ENABLE_DBSTAT_VTAB, on in Debian's build) gives the bytes of
// each b-tree, read in one pass; each index is charged to its table.
std::string sqlite_sizes() {
  return std::string(R"(SELECT 'main', m.tbl_name, 0, '',
       COALESCE(SUM(CASE WHEN m.type = 'table' THEN s.bytes END), 0),
       COALESCE(SUM(CASE WHEN m.type = 'index' THEN s.bytes END), 0), 0
FROM sqlite_schema m
LEFT JOIN (SELECT name, SUM(pgsize) AS bytes FROM dbstat('main') GROUP BY name) s ON s.name = m.name
WHERE m.type IN ('table', 'index') AND m.tbl_name IN (SELECT name FROM sqlite_schema WHERE)") +
         sqlite_where + ")\nGROUP BY m.tbl_name";
}

// The first four columns of both queries: schema, name, is a materialized view, engine.
Table read_table(const Cursor& c) {
  Table t;
  t.schema = c.get_string(0);
  t.name = c.get_string(1);
  t.kind = c.get_int64(2) ? TableKind::materialized_view : TableKind::table;
  t.storage_engine = c.get_string(3);
  return t;
}

template <typename T>
void sort_by_name(std::vector<T>& tables) {
  std::sort(tables.begin(), tables.end(),
            [](const T& a, const T& b) { return std::tie(a.schema, a.name) < std::tie(b.schema, b.name); });
}

}  // namespace

std::string TableName::display() const { return schema.empty() ? name : schema + "." + name; }

std::string TableName::quoted(Engine engine) const {
  return schema.empty() ? quote_identifier(engine, name) : quote_identifier(engine, schema, name);
}

std::vector<Table> list_tables(Connection& db) {
  const Engine e = db.engine();
  std::vector<Table> tables;
  for (auto c = db.query(e == Engine::postgresql ? pg_list() : e == Engine::mysql ? mysql_list() : sqlite_list());
       c->next();)
    tables.push_back(read_table(*c));
  sort_by_name(tables);
  return tables;
}

std::vector<TableSize> table_sizes(Connection& db) {
  const Engine e = db.engine();
  std::vector<TableSize> tables;
  for (auto c = db.query(e == Engine::postgresql ? pg_sizes() : e == Engine::mysql ? mysql_sizes() : sqlite_sizes());
       c->next();) {
    TableSize t;
    static_cast<Table&>(t) = read_table(*c);
    t.data_bytes = c->get_int64(4);
    t.index_bytes = c->get_int64(5);
    t.total_bytes = t.data_bytes + t.index_bytes;
    t.estimated_rows = c->get_int64(6);
    tables.push_back(std::move(t));
  }
  // count(*) walks the smallest b-tree of the table: acceptable at the sizes
  // SQLite is used at.
  if (e == Engine::sqlite)
    for (TableSize& t : tables)
      t.estimated_rows = std::stoll(db.query_value("SELECT count(*) FROM " + t.quoted(e)).value_or("0"));
  sort_by_name(tables);
  return tables;
}

}  // namespace ops::db
