#pragma once
// What a database holds, asked of its own catalogue, the same way for every
// tool: which tables are the user's, what they take on disk, and the upkeep
// of one table (ANALYZE, VACUUM, OPTIMIZE).
//
// The one rule. A user table is a relation that stores rows of its own, in a
// schema that is not the system's:
//   PostgreSQL: tables and partitions (relkind r) and materialized views (m),
//     in every schema but information_schema and those named pg_* (pg_catalog,
//     pg_toast, temporary pg_temp_N). Not views, not partitioned parents
//     (their partitions hold the rows and are listed), not foreign tables.
//   MySQL/MariaDB: base and system-versioned tables of any storage engine, in
//     the DSN's database, or in every database but mysql, information_schema,
//     performance_schema and sys when the DSN names none. Not views, not
//     sequences, not temporary tables.
//   SQLite: the tables of main that own a b-tree, which includes the shadow
//     tables holding a virtual table's data (an FTS5 table docs keeps it in
//     docs_data, docs_idx, docs_content, …). Not the virtual tables
//     themselves (they store nothing, and reading one needs its module), not
//     views, not SQLite's own sqlite_* tables (sqlite_sequence, sqlite_stat1).

#include <ops/db.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ops::db {

// A table as a tool names it; an empty schema is the connection's default
// (PostgreSQL's search_path, the DSN's MySQL database, SQLite's main).
struct TableName {
  std::string schema;
  std::string name;

  // "name" or "schema.name", unquoted: for messages.
  std::string display() const;
  // Each part quoted by the engine's rules.
  std::string quoted(Engine engine) const;
};

enum class TableKind {
  table,              // holds rows written to it
  materialized_view,  // PostgreSQL: rows a query computed, rewritten by REFRESH
};

// One user table. schema is always set: the PostgreSQL schema, the MySQL
// database, "main" for SQLite.
struct Table : TableName {
  TableKind kind = TableKind::table;
  std::string storage_engine;  // MySQL: InnoDB, MyISAM, Aria …; empty elsewhere
};

// The user tables of the connected database, by the one rule above, sorted
// by schema then name (byte order). Reads the catalogue only.
std::vector<Table> list_tables(Connection& db);

// A user table and what it takes on disk.
struct TableSize : Table {
  std::int64_t data_bytes = 0;   // the table itself (PostgreSQL: with TOAST)
  std::int64_t index_bytes = 0;  // all its indexes
  std::int64_t total_bytes = 0;  // data + indexes
  // PostgreSQL: the planner's estimate (0 until the first ANALYZE or VACUUM);
  // MySQL: TABLE_ROWS (an estimate for InnoDB, exact for MyISAM and Aria);
  // SQLite: counted, as it keeps no estimate but ANALYZE's, often stale.
  std::int64_t estimated_rows = 0;
};

// list_tables() with sizes. Bytes are the engine's own figures, read without
// scanning a table: PostgreSQL's relation sizes, MySQL's DATA_LENGTH and
// INDEX_LENGTH (InnoDB: pages allocated; MySQL 8 caches them for
// information_schema_stats_expiry seconds), SQLite's pages of each b-tree
// (dbstat, which reads every page of the file once). Only SQLite's row
// count reads the tables.
std::vector<TableSize> table_sizes(Connection& db);

// Upkeep of one table after many of its rows changed.
struct Maintenance {
  bool analyze = false;   // refresh the planner's statistics
  bool optimize = false;  // give back the space of deleted rows (PostgreSQL: and analyze)
};

// The statements maintain_table() runs, in order: MySQL OPTIMIZE TABLE and
// ANALYZE TABLE; PostgreSQL VACUUM (ANALYZE) when optimizing, else ANALYZE;
// SQLite VACUUM (of the whole file: SQLite cannot vacuum one table) and
// ANALYZE. For a --dry-run to show.
std::vector<std::string> maintenance_statements(Engine engine, const TableName& table, Maintenance what);

// Runs them. MySQL answers with result rows, not errors: a row whose
// Msg_type is error (or Error) fails with its Msg_text (SqlError, sqlstate
// empty); a note such as InnoDB's "Table does not support optimize, doing
// recreate + analyze instead" is not a failure, and is returned, with the
// other note, warning and info rows, as "STATEMENT: TEXT" for a report to show.
std::vector<std::string> maintain_table(Connection& db, const TableName& table, Maintenance what);

}  // namespace ops::db
