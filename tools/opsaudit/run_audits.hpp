#pragma once
// Running audits: one from its subcommand, or the configured set (`run`).

#include "opsaudit/audit.hpp"

#include <ops/cli.hpp>

namespace opsaudit {

// `opsaudit AUDIT ARGS…`: the audit's report and exit status.
ops::Status run_one(ops::cli::Context& ctx, const Audit& audit);

// `opsaudit run`: every audit [audit] (or the command line) configures.
ops::cli::Subcommand run_command();

}  // namespace opsaudit
