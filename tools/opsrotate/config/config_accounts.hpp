#pragma once
// logrotate refuses a `create`, `createolddir` or `su` naming a user or group
// the host does not know, when it reads the configuration. So do we (unless
// ParseOptions::check_accounts is off), so a typo is caught before anything
// is rotated rather than in the middle of a run.

#include <optional>
#include <string>
#include <sys/types.h>

namespace opsrotate {

// The id of a user or group named in the configuration: by name first, then,
// for a number, by id — the order logrotate uses. nullopt when unknown. The
// rotation resolves names with these too, so what the parser accepts is what
// the rotation uses.
std::optional<uid_t> find_user(const std::string& name);
std::optional<gid_t> find_group(const std::string& name);

inline bool user_exists(const std::string& name) { return find_user(name).has_value(); }
inline bool group_exists(const std::string& name) { return find_group(name).has_value(); }

}  // namespace opsrotate
