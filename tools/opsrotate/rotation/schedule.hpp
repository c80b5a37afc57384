#pragma once
// Whether a log is due, and why, in words a person reads in --dry-run:
// "rotate: size 12M >= 10M", "skip: rotated 3h ago, daily". The rules are
// logrotate's: the criterion (hourly … yearly, size), then maxsize, minsize,
// minage and notifempty; -f forces all but notifempty, as logrotate does.
// The tail a copytruncate kept in the log (kept_tail.hpp) is not new: a log
// holding only it is empty for notifempty, and size, minsize and maxsize
// weigh what was written after it.

#include "opsrotate/config/log_config.hpp"

#include <ops/clock.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace opsrotate {

struct LogFacts {
  std::uint64_t size = 0;
  std::uint64_t kept = 0;  // of size, the first bytes: the tail the last rotation kept
  ops::SysTime modified{};
  std::optional<ops::SysTime> last_rotated;  // nullopt: not in the state file
};

struct Decision {
  bool rotate = false;
  std::string reason;  // "size 12M >= 10M", "rotated 3h ago, daily"
};

Decision decide(const LogConfig& config, const LogFacts& facts, ops::SysTime now, bool force);


}  // namespace opsrotate
