#pragma once
// What changed between a baseline and now, as findings. Severity:
//   critical: content changed of an executable or setuid/setgid file; a file
//     added setuid/setgid; a mode that newly gives setuid/setgid or write to
//     the group or others; an owner changed; a symlink pointing elsewhere; an
//     entry that changed type (a file become a symlink).
//   warning: content changed of any other file; a file added or removed;
//     any other mode change (bits taken away, read given).
//   info: mtime alone changed (the content is the same).
// With `accepted` (--update) every finding is info: it was seen and taken in.

#include "opsaudit/audit.hpp"
#include "opsaudit/files/baseline.hpp"

#include <string>
#include <utility>
#include <vector>

namespace opsaudit::files {

std::vector<Finding> compare(const std::vector<std::pair<std::string, FileState>>& before,
                             const std::vector<std::pair<std::string, FileState>>& now, bool accepted);

}  // namespace opsaudit::files
