#pragma once
// The tables of a database and what they take on disk, for `opsdf db`: each
// engine's own catalogue, read through one ops::db::Connection.

#include <ops/db.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace opsdf {

struct TableSize {
  std::string schema;  // PostgreSQL schema, MySQL database, "main" for SQLite
  std::string name;
  std::int64_t data_bytes = 0;      // the table itself (PostgreSQL: with TOAST)
  std::int64_t index_bytes = 0;     // all its indexes
  std::int64_t total_bytes = 0;     // data + indexes
  std::int64_t estimated_rows = 0;  // the planner's estimate; 0 if never analyzed
};

// All user tables of the connected database (PostgreSQL: every schema but the
// system ones; MySQL: the DSN's database, or every non-system one if it names
// none), largest total first, ties by schema then name.
std::vector<TableSize> table_sizes(ops::db::Connection& connection);

}  // namespace opsdf
