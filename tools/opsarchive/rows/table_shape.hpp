#pragma once
// What opsarchive needs to know of a table before it moves a row: that it
// exists, its columns, and a key that names each row exactly once (the
// primary key, else a unique index over NOT NULL columns), read from the
// catalog of each engine.

#include <ops/db.hpp>
#include <ops/db_catalog.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsarchive {

// "audit_logs" or "archive.audit_logs" (a PostgreSQL schema, a MySQL database,
// an attached SQLite database).
using TableRef = ops::db::TableName;

// Splits at the first dot; an empty part is an exit-3 error naming `option`.
TableRef parse_table_ref(std::string_view text, std::string_view option);

struct ColumnInfo {
  std::string name;
  std::string type;  // as the catalog declares it: "bigint", "varchar(64)", "TEXT"
  bool not_null = false;
  bool has_default = false;  // includes identity, serial and auto_increment
  bool generated = false;    // computed by the server: never inserted into
};

struct TableShape {
  TableRef ref;
  std::vector<ColumnInfo> columns;
  std::vector<std::string> key;  // empty: no primary key and no unique NOT NULL index
  std::string key_source;        // "primary key" or "unique index NAME"
  // The table as its catalog names it, whatever name it was reached by
  // (search_path, default database, case): PostgreSQL's oid, MySQL's
  // schema.name, SQLite's schema.name in lower case. Equal on one database
  // means one table.
  std::string identity;

  const ColumnInfo* column(std::string_view name) const;
  // The columns a copy inserts: every column but generated ones.
  std::vector<std::string> copy_columns() const;
};

// nullopt when the table does not exist.
std::optional<TableShape> describe_table(ops::db::Connection& db, const TableRef& table);

// Names compare as the engine compares identifiers: exactly for PostgreSQL,
// ignoring case for MySQL and SQLite.
bool same_identifier(ops::db::Engine engine, std::string_view a, std::string_view b);

}  // namespace opsarchive
