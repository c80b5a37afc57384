#pragma once
// The tools of the suite, for a tool's main() to hand to ops::cli::run:
// ops.conf is one file, and every tool that reads it checks the sections of
// the others too (issue 14, item 13), which libcommon, knowing no tool,
// cannot do by itself.

#include <ops/cli.hpp>

#include <vector>

namespace ops_suite {

// opsdf, opsbackup, opsrotate, opsarchive and opshealth (cli::run skips the tool itself).
std::vector<ops::cli::Tool> tools();

}  // namespace ops_suite
