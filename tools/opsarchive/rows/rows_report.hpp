#pragma once
// How a rows archiving is reported: a line (a record) per table, with where
// the time went when --statistics asks.

#include "opsarchive/rows/rows_job.hpp"

#include <ops/output.hpp>

#include <string>
#include <vector>

namespace opsarchive {

struct RowsReportLine {
  std::string name;  // the [archive.NAME], or the table
  std::string table;
  RowsOutcome outcome;
};

ops::Table rows_table(const std::vector<RowsReportLine>& lines, bool statistics);

}  // namespace opsarchive
