#pragma once
// The report of one verb over one database: a table of TABLE, RESULT,
// SECONDS, BEFORE, AFTER, DETAIL (text, TSV or JSON), and its metrics.

#include "opsdb/upkeep/runner.hpp"

#include <ops/output.hpp>

#include <ostream>

namespace opsdb {

void print_report(std::ostream& out, ops::Format format, const UpkeepReport& report, bool dry_run);

// tables_done, tables_skipped, tables_failed, bytes_reclaimed (added to).
void add_metrics(ops::Metrics& metrics, const UpkeepReport& report);

}  // namespace opsdb
