#include "opsarchive/rows/rows_report.hpp"

namespace opsarchive {

ops::Table rows_table(const std::vector<RowsReportLine>& lines, bool statistics) {
  using ops::ColumnKind;
  std::vector<ops::Column> columns{{"table"},
                                   {"destination"},
                                   {"rows", ColumnKind::integer},
                                   {"batches", ColumnKind::integer},
                                   {"seconds", ColumnKind::number},
                                   {"rows_per_second", ColumnKind::integer, "ROWS/S"},
                                   {"stopped"}};
  if (statistics)
    for (const char* c : {"select_seconds", "copy_seconds", "delete_seconds", "commit_seconds", "pause_seconds"})
      columns.emplace_back(c, ColumnKind::number);
  ops::Table table(std::move(columns));
  for (const auto& l : lines) {
    const RowsOutcome& o = l.outcome;
    const double busy = o.seconds - o.pause_seconds;
    std::vector<ops::Cell> row{l.table,
                               o.destination,
                               static_cast<std::int64_t>(o.rows),
                               static_cast<std::int64_t>(o.batches),
                               o.seconds,
                               static_cast<std::int64_t>(busy > 0 ? static_cast<double>(o.rows) / busy : 0),
                               o.stopped};
    if (statistics)
      for (double v : {o.select_seconds, o.copy_seconds, o.delete_seconds, o.commit_seconds, o.pause_seconds})
        row.emplace_back(v);
    table.add_row(std::move(row));
  }
  return table;
}

}  // namespace opsarchive
