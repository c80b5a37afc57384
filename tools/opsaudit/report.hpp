#pragma once
// The report of one or more audits: text for a person or `mail`, TSV (the
// findings, one a line) for scripts, one JSON document for everything else.

#include "opsaudit/audit.hpp"

#include <ops/output.hpp>
#include <ops/status.hpp>

#include <iosfwd>
#include <vector>

namespace opsaudit {

void print_report(std::ostream& out, ops::Format format, const std::vector<Section>& sections);

// The exit status: 2 when a critical finding is at or above `fail_on`, 1
// when a warning or info one is, else 0.
ops::Status audit_status(const std::vector<Section>& sections, Severity fail_on);

}  // namespace opsaudit
