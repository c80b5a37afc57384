#pragma once
// The indexes of PostgreSQL tables as check and reindex need them: those of
// a table and of its TOAST table, and the invalid ones of a database with
// the table each belongs to and whether another session holds it now.

#include <ops/db.hpp>
#include <ops/db_catalog.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace opsdb {

struct PgIndex {
  std::string quoted;   // "schema"."name", for SQL
  // For SQL that takes a regclass: the quoted name as a literal, or for the
  // TOAST table's index its OID (only superusers may look names up in pg_toast).
  std::string regclass;
  std::string display;  // name, or pg_toast.name for the TOAST table's index
  std::string method;   // btree, gin, gist, hash, brin, spgist…
  bool valid = true;    // indisvalid and indisready: usable by queries and kept up to date
  bool exclusion = false;  // backs an exclusion constraint: REINDEX CONCURRENTLY skips it

  // amcheck checks B-tree indexes (amcheck 1.3, PostgreSQL 15).
  bool checkable() const { return valid && method == "btree"; }
};

// The indexes of `table` and of its TOAST table: the table's own first,
// each group by name. Reads the catalogue only.
std::vector<PgIndex> table_indexes(ops::db::Connection& db, const ops::db::TableName& table);

// An index that is not valid: built by a CREATE INDEX CONCURRENTLY or a
// REINDEX CONCURRENTLY that failed, was cancelled, or is running now.
struct PgInvalidIndex {
  std::string schema, name;  // unquoted
  std::string quoted;
  std::string table;         // the table it indexes (its TOAST table's owner), as regclass prints it
  std::string table_schema, table_name;  // the same, unquoted
  std::vector<int> holders;  // PIDs of the sessions building it now (or an index of its table)
};

// Every invalid index of the database, by schema and name.
std::vector<PgInvalidIndex> invalid_indexes(ops::db::Connection& db);

// An index an interrupted REINDEX CONCURRENTLY left: the new copy it was
// building (NAME_ccnew, NAME_ccnew1 …) or the old one it had swapped out
// (NAME_ccold…).
bool is_reindex_leftover(std::string_view index_name);

// The server's version as a number: 150005 for 15.5, 90624 for 9.6.24.
int server_version_num(ops::db::Connection& db);

}  // namespace opsdb
