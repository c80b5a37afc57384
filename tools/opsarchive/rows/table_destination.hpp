#pragma once
// Destinations that are tables: of the same database (INSERT … SELECT in the
// source's transaction) or on another server (committed there first, then
// replayed harmlessly after a crash).

#include "opsarchive/rows/destination.hpp"

namespace opsarchive {

// Checks (and with --create makes) the destination table; exit 3 for anything
// that does not fit the source.
std::unique_ptr<Destination> open_table_destination(const DestinationRequest& request, ops::db::Connection& source,
                                                    const TableShape& shape, const BatchSql& source_sql, bool dry_run,
                                                    std::ostream& notes);

}  // namespace opsarchive
