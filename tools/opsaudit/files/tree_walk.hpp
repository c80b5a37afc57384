#pragma once
// The one walk perms and changes make over the trees they are given: every
// entry once, directories in name order, symlinks reported and never
// followed (ops::walk_tree: openat/fstatat below each directory's fd, with
// O_NOFOLLOW), excluded paths never entered, and what cannot be read counted
// for one note instead of stopping the walk. The keys `exclude` and
// `one_file_system` are declared here so both audits (and `run`, which takes
// every audit's keys once) mean the same by them.

#include "opsaudit/audit.hpp"

#include <ops/fs.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace opsaudit::files {

// --exclude PATTERN (a list): see excluded().
ops::SectionKey exclude_key();
// --one-file-system, -x: stay on each PATH's filesystem.
ops::SectionKey one_file_system_key();

struct WalkSettings {
  std::vector<std::string> exclude;
  bool one_file_system = false;
};
WalkSettings walk_settings(const ops::SectionValues& settings);

// Whether `path` (as the walk builds it from a PATH argument) is excluded: a
// pattern with a '/' is an fnmatch(3) glob matched against the whole path
// (`/var/www/app/cache`, `/srv/*/tmp`), one without against the last name
// (`.git`, `*.log`). '*' crosses '/' in a whole-path pattern, as in AIDE's
// and find -path's.
bool excluded(const std::string& path, const std::vector<std::string>& patterns);

// A PATH argument as the walk names it: without trailing slashes ("/" kept).
std::string root_name(const std::string& arg);

struct TreeEntry {
  const std::string& path;
  const struct stat& st;
  int dir_fd;        // open the entry with openat(dir_fd, name, …|O_NOFOLLOW)
  const char* name;
  int depth;         // a PATH itself: 0
  bool excluded;     // shown to the visitor, never entered, whatever it answers
};

// What the walk passed over: entries it could not stat or open.
struct WalkTrouble {
  std::size_t count = 0;
  std::string first;  // "PATH: Permission denied"
  // "12 entries could not be read, the first: /srv/x: Permission denied"; empty when none.
  std::string note() const;
};

// Walks each root in turn. A root that does not exist or cannot be stat'ed is
// ops::fail (exit 2: the audit cannot say anything about it). `visit` returns
// false to leave a directory unentered; an excluded entry is shown with
// `excluded` set (perms must know a `chown -R` would reach it) and never
// entered. A PATH that is itself excluded is left out whole.
void walk_trees(const std::vector<std::string>& roots, const WalkSettings& settings,
                const std::function<bool(const TreeEntry&)>& visit, WalkTrouble& trouble);

}  // namespace opsaudit::files
