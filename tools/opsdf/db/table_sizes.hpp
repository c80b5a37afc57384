#pragma once
// The tables of a database and what they take on disk, for `opsdf db` and
// `opsdf record`: the user tables and sizes of ops/db_catalog.hpp, largest
// first.

#include <ops/db.hpp>
#include <ops/db_catalog.hpp>

#include <vector>

namespace opsdf {

using TableSize = ops::db::TableSize;

// All user tables of the connected database (PostgreSQL: every schema but the
// system ones; MySQL: the DSN's database, or every non-system one if it names
// none), largest total first, ties by schema then name.
std::vector<TableSize> table_sizes(ops::db::Connection& connection);

}  // namespace opsdf
