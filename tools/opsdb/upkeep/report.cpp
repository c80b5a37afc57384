// One verb's report: a row per table (and per note of the run), or with
// --dry-run the statements, in the order they would run.
#include "opsdb/upkeep/report.hpp"

#include <fmt/format.h>

namespace opsdb {

namespace {

ops::Cell bytes_cell(const std::optional<std::int64_t>& bytes) {
  if (!bytes) return std::monostate{};
  return *bytes;
}

}  // namespace

void print_dry_run(std::ostream& out, const UpkeepReport& report) {
  for (const auto& note : report.notes) out << "-- " << note << "\n";
  for (const TableRow& row : report.rows) {
    if (row.outcome.result == "not-needed") {
      out << fmt::format("-- {}: not needed: {}\n", row.table, row.outcome.detail);
      continue;
    }
    for (const auto& sql : row.statements) out << (sql.starts_with("-- ") ? sql : sql + ";") << "\n";
  }
}

std::vector<ops::Column> report_columns(std::vector<ops::Column> leading) {
  for (ops::Column c : {ops::Column{"table"}, ops::Column{"result"}, ops::Column{"seconds", ops::ColumnKind::number},
                        ops::Column{"bytes_before", ops::ColumnKind::bytes, "BEFORE"},
                        ops::Column{"bytes_after", ops::ColumnKind::bytes, "AFTER"}, ops::Column{"detail"}})
    leading.push_back(std::move(c));
  return leading;
}

void add_report_rows(ops::Table& table, const UpkeepReport& report, const std::vector<ops::Cell>& leading) {
  auto add = [&](std::vector<ops::Cell> cells) {
    std::vector<ops::Cell> row = leading;
    for (auto& c : cells) row.push_back(std::move(c));
    table.add_row(std::move(row));
  };
  // The engine's answer when it lacks the verb: a row, so that TSV and JSON
  // readers see it too, and exit 0: nothing failed.
  if (!report.unsupported.empty())
    add({"(database)", "not-applicable", std::monostate{}, std::monostate{}, std::monostate{}, report.unsupported});
  for (const auto& note : report.notes) add({"(database)", "note", std::monostate{}, std::monostate{}, std::monostate{}, note});
  for (const TableRow& row : report.rows) {
    const bool ran = row.outcome.result != "not-needed";
    add({row.table, row.outcome.result, ran ? ops::Cell{row.seconds} : ops::Cell{std::monostate{}},
         bytes_cell(row.outcome.bytes_before), bytes_cell(row.outcome.bytes_after), row.outcome.detail});
  }
}

void print_report(std::ostream& out, ops::Format format, const UpkeepReport& report, bool dry_run) {
  if (dry_run && report.unsupported.empty()) return print_dry_run(out, report);
  ops::Table table(report_columns());
  add_report_rows(table, report);
  table.print(out, format);
}

void add_metrics(ops::Metrics& metrics, const UpkeepReport& report) {
  double done = 0, skipped = 0, failed = 0, not_needed = 0, seconds = 0, reclaimed = 0;
  for (const TableRow& row : report.rows) {
    const auto& o = row.outcome;
    if (o.result == "skipped") ++skipped;
    else if (o.result == "not-needed") ++not_needed;
    else if (o.status == ops::Status::critical) ++failed;
    else ++done;
    seconds += row.seconds;
    if (o.bytes_before && o.bytes_after && *o.bytes_before > *o.bytes_after)
      reclaimed += static_cast<double>(*o.bytes_before - *o.bytes_after);
  }
  metrics["tables_done"] += done;
  metrics["tables_skipped"] += skipped;
  metrics["tables_failed"] += failed;
  metrics["tables_not_needed"] += not_needed;
  metrics["table_seconds"] += seconds;
  metrics["bytes_reclaimed"] += reclaimed;
}

}  // namespace opsdb
