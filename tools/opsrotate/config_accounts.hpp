#pragma once
// logrotate refuses a `create`, `createolddir` or `su` naming a user or group
// the host does not know, when it reads the configuration. So do we (unless
// ParseOptions::check_accounts is off), so a typo is caught before anything
// is rotated rather than in the middle of a run.

#include <string>

namespace opsrotate {

// By name first, then, for a number, by id: the order logrotate uses.
bool user_exists(const std::string& name);
bool group_exists(const std::string& name);

}  // namespace opsrotate
