#pragma once
// The report of one verb over one database: a table of TABLE, RESULT,
// SECONDS, BEFORE, AFTER, DETAIL (text, TSV or JSON), and its metrics.

#include "opsdb/upkeep/runner.hpp"

#include <ops/output.hpp>

#include <ostream>

namespace opsdb {

void print_report(std::ostream& out, ops::Format format, const UpkeepReport& report, bool dry_run);

// The columns of the report (after `leading` ones), and its rows added to a
// table after the `leading` cells: `opsdb run` puts its sections' reports in one table.
std::vector<ops::Column> report_columns(std::vector<ops::Column> leading = {});
void add_report_rows(ops::Table& table, const UpkeepReport& report, const std::vector<ops::Cell>& leading = {});
// With --dry-run: the statements each table would get, notes as comments.
void print_dry_run(std::ostream& out, const UpkeepReport& report);

// tables_done, tables_skipped, tables_failed, bytes_reclaimed (added to).
void add_metrics(ops::Metrics& metrics, const UpkeepReport& report);

}  // namespace opsdb
