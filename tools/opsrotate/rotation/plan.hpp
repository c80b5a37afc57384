#pragma once
// The file operations that rotate one log, worked out before any is done, so
// --dry-run prints exactly what a real run does, in the same order:
//   rotate_ops  (after prerotate)  shift old rotations, rename or copy the
//                                  log, create the new one
//   finish_ops  (after postrotate) compress, mail, remove the oldest
// Names follow logrotate (rotated_names.hpp).

#include "opsrotate/config/log_config.hpp"
#include "opsrotate/rotation/dir_listing.hpp"
#include "opsrotate/rotation/schedule.hpp"

#include <ops/clock.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace opsrotate {

enum class OpKind { mkdir, rename, copy, copytruncate, create, compress, mail, preremove, remove };

struct Op {
  OpKind kind;
  std::filesystem::path from;  // the file acted on
  std::filesystem::path to;    // rename/copy/compress target, created file, mkdir path
  mode_t mode = 0;             // create, mkdir
  uid_t uid = static_cast<uid_t>(-1);  // create, mkdir: -1 = leave as is
  gid_t gid = static_cast<gid_t>(-1);
  // create without a mode: the rotated log, whose access ACL the new log
  // takes (as in logrotate, which then leaves the mode to the ACL).
  std::filesystem::path acl_from = {};
};

std::string op_name(OpKind kind);
// "rename /var/log/app.log -> /var/log/app.log.1", "create /var/log/app.log 0640 www-data:adm"
std::string describe(const Op& op);

struct LogPlan {
  std::filesystem::path log;
  const LogConfig* config = nullptr;
  Decision decision;
  std::filesystem::path rotated;  // the new rotation's name (before compression): postrotate's $2
  std::vector<Op> rotate_ops;
  std::vector<Op> finish_ops;
};

// The plan for a log that is due. st is the log's lstat. Throws ops::Error
// (critical) for what makes rotating impossible (unknown create owner,
// missing olddir without createolddir).
LogPlan plan_rotation(const LogConfig& config, const std::filesystem::path& log, const struct stat& st,
                      ops::SysTime now, Decision decision);
// The same, the log's earlier rotations found in listings (read once for
// all the logs of a directory).
LogPlan plan_rotation(const LogConfig& config, const std::filesystem::path& log, const struct stat& st,
                      ops::SysTime now, Decision decision, DirListings& listings);

}  // namespace opsrotate
