#pragma once
// The state of every entry of the trees, as a baseline records it and a
// later run compares it: SHA-256 of each file (once per inode: hard links
// share it), mode, owner, size, mtime, a symlink's target (read, never
// followed).

#include "opsaudit/files/baseline.hpp"
#include "opsaudit/files/tree_walk.hpp"

#include <functional>
#include <string>
#include <vector>

namespace opsaudit::files {

struct Scan {
  std::vector<std::pair<std::string, FileState>> entries;  // in walk order
  WalkTrouble unreadable;  // files whose content could not be read ("?")
  WalkTrouble trouble;     // entries the walk could not reach
};

// `skip` leaves an entry out (the baseline file itself).
Scan scan_trees(const std::vector<std::string>& roots, const WalkSettings& settings,
                const std::function<bool(const TreeEntry&)>& skip);

}  // namespace opsaudit::files
