#include "opsrotate/rotation/run_as.hpp"

#include "opsrotate/config/config_accounts.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <cerrno>
#include <fmt/format.h>
#include <unistd.h>

namespace opsrotate {

RunAs::RunAs(const LogConfig& c) {
  if (!c.su || ::geteuid() != 0) return;
  const auto& [user, group] = *c.su;  // the parser requires both, as logrotate
  auto uid = find_user(user);
  if (!uid) ops::fail(fmt::format("{}:{}: su: unknown user '{}'", c.file, c.line, user));
  auto gid = find_group(group);
  if (!gid) ops::fail(fmt::format("{}:{}: su: unknown group '{}'", c.file, c.line, group));
  // Group first: once the user is not root it may not change its group.
  if (::setegid(*gid) != 0) ops::fail_errno(fmt::format("su {}: cannot switch group", user), errno);
  if (::seteuid(*uid) != 0) {
    int err = errno;
    if (::setegid(0) != 0) ops::log::error_line("cannot switch the group back after su");
    ops::fail_errno(fmt::format("su {}: cannot switch user", user), err);
  }
  switched_ = true;
}

RunAs::~RunAs() {
  if (!switched_) return;
  // Back to root; failing here would leave the rest of the run unprivileged,
  // which only makes later operations fail with a clear error.
  if (::seteuid(0) != 0 || ::setegid(0) != 0)
    ops::log::error_line("cannot switch back to root after su: " + ops::errno_text(errno));
}

}  // namespace opsrotate
