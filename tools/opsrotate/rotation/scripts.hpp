#pragma once
// firstaction/prerotate/postrotate/lastaction/preremove scripts, run as
// logrotate runs them: `/bin/sh -c SCRIPT logrotate_script ARG`, so $1 is the
// log (or, for shared scripts, the block's patterns). Their output goes to our
// stderr; a failure is an ops::Error (critical), "error running non-shared
// postrotate script for LOG (FILE:LINE): exited with status 1: LAST LINE".

#include "opsrotate/config/log_config.hpp"

#include <string>

namespace opsrotate {

// `what` names the script in messages: "postrotate".
void run_script(const LogConfig& config, const std::string& what, const std::string& script, const std::string& arg);

}  // namespace opsrotate
