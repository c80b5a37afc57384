#pragma once
// The report of `opsdb bloat`: a row per relation (text, TSV or JSON), the
// columns the engine has; in text and JSON also the wraparound headroom, the
// tables not estimated and what was left out.

#include "opsdb/bloat/bloat.hpp"
#include "opsdb/bloat/bloat_judge.hpp"

#include <ops/output.hpp>

#include <ostream>

namespace opsdb {

// The rows as an ops::Table with the engine's columns.
ops::Table bloat_table(const BloatReport& report);

// The lines under the table in text: wraparound, not estimated, left out,
// the engine's notes and what the reclaiming commands do.
std::vector<std::string> bloat_notes(const BloatReport& report, const BloatLimits& limits);

void print_bloat(std::ostream& out, ops::Format format, const BloatReport& report, const BloatLimits& limits);

// relations, wasted_bytes (of those shown), not_estimated; PostgreSQL: xid_age.
void add_bloat_metrics(ops::Metrics& metrics, const BloatReport& report);

}  // namespace opsdb
