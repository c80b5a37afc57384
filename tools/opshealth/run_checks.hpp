#pragma once
// The two ways to run checks: one named on the command line (`opshealth db
// app`), or `all`: every [health.NAME] of ops.conf, or, with none, the host
// checks with the guides' limits.

#include "opshealth/check.hpp"

#include <ops/cli.hpp>

namespace opshealth {

ops::Status run_one(ops::cli::Context& ctx, const Kind& kind);
ops::cli::Subcommand all_command();

// The kinds `all` runs when ops.conf has no [health.NAME]: cpu, load,
// memory, swap, disk.
std::vector<std::string> host_kinds();

}  // namespace opshealth
