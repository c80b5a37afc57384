#include "opsdf/db/table_sizes.hpp"

#include <algorithm>
#include <tuple>

namespace opsdf {

std::vector<TableSize> table_sizes(ops::db::Connection& connection) {
  std::vector<TableSize> tables = ops::db::table_sizes(connection);
  // Sorted here, not in SQL: byte order, whatever the database's collation.
  std::stable_sort(tables.begin(), tables.end(),
                   [](const TableSize& a, const TableSize& b) { return b.total_bytes < a.total_bytes; });
  return tables;
}

}  // namespace opsdf
