#pragma once
// Exact rows per table, asked of the database: for custom-format dumps (in the
// dump's exported snapshot) and for the restore test (in the scratch copy).
// Names as the dump counters write them: "schema.table" for PostgreSQL, the
// bare table name for MySQL/MariaDB and SQLite. The tables are the user
// tables of ops/db_catalog.hpp whose rows a dump carries (not materialized
// views); for SQLite that means the shadow tables of a virtual table, not
// the virtual table itself.

#include "opsbackup/store/manifest.hpp"

#include <ops/db.hpp>

#include <vector>

namespace opsbackup {

// Sorted by name.
std::vector<TableCount> count_table_rows(ops::db::Connection& db);

}  // namespace opsbackup
