#pragma once
// `su USER GROUP`: the block's files are handled with that user's and group's
// rights (effective ids), as logrotate does, so a log directory owned by the
// application can be rotated without root writing into it. A no-op when we
// are not root. The ids are switched back when the object goes.

#include "opsrotate/config/log_config.hpp"

#include <sys/types.h>

namespace opsrotate {

class RunAs {
 public:
  // Throws ops::Error (critical) for an unknown user or group.
  explicit RunAs(const LogConfig& config);
  ~RunAs();
  RunAs(const RunAs&) = delete;
  RunAs& operator=(const RunAs&) = delete;

 private:
  bool switched_ = false;
};

}  // namespace opsrotate
