#pragma once
// The rows of a run in the five formats: a table for people (worst first),
// TSV, JSON, the Nagios plugin output (a summary line naming the problem,
// a line per check, perfdata) and Prometheus' text format.

#include "opshealth/check.hpp"

#include <ops/output.hpp>

#include <iosfwd>
#include <vector>

namespace opshealth {

// The worst status of the rows (ok for none).
ops::Status overall(const std::vector<Result>& rows);

// Sorts worst first (critical, unknown, warning, ok), keeping the order of
// equal rows, and makes every check name unique ("disk /", "disk / (2)"), so
// neither a perfdata label nor a Prometheus series is repeated.
void order_rows(std::vector<Result>& rows);

// Prints the rows. With `only_problems` (-q), OK rows are left out.
void print_report(std::ostream& out, ops::Format format, const std::vector<Result>& rows, bool only_problems);

// The status and figures of every row as Prometheus gauges (ops::Metrics
// keys: `status{check="db app"}`, `db_time_seconds{check="db app"}`), for
// --format prometheus and --metrics-dir alike.
ops::Metrics prometheus_figures(const std::vector<Result>& rows);

// The Nagios plugin output. Exposed for the tests.
std::string nagios_text(const std::vector<Result>& rows, bool only_problems);

}  // namespace opshealth
