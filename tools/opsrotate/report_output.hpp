#pragma once
// What a run did (or, in a dry run, would do), for people and for scripts.
// Text: one line per log, "LOG: rotated: daily, last rotated 25h ago", with the
// file operations indented below in a dry run or with --verbose; logs that
// were not due only then too. TSV: log, result, reason, error. JSON: every
// log with its decision, reason, operations and compression figures.

#include "opsrotate/rotation/rotate_run.hpp"

#include <ops/output.hpp>

#include <ostream>

namespace opsrotate {

void print_report(std::ostream& out, const RunReport& report, ops::Format format, bool verbose, bool dry_run);

}  // namespace opsrotate
