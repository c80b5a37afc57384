#pragma once
// The engine of `opsdf du`: how much space each PATH and its largest
// descendants take, counted as du(1) counts it, on several threads.
//
// Sizes are allocated blocks (st_blocks * 512) unless apparent_size, when they
// are st_size — for directories and symlinks too, as GNU du does. A directory's
// own blocks count. Symlinks are never followed (the link itself is counted).
// A non-directory with more than one link is counted once per call, across all
// roots, at the first place the scan meets it: roots are scanned in order, but
// within one root, which of two directories holding links to the same file
// gets it depends on thread timing (the root's total does not). Unlike du, a
// directory given twice (or inside another root) is counted again.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace opsdf {

struct DuOptions {
  // Descendants down to this depth are candidates for `largest`; deeper content
  // is counted in its ancestor at this depth. 0 = only the totals.
  int depth = 1;
  // How many of the largest candidates to keep per root; 0 = all of them.
  std::size_t top = 10;
  // Skip every entry whose st_dev differs from its root's (as du -x; the
  // mount point itself is not counted either).
  bool one_file_system = false;
  bool apparent_size = false;
  // fnmatch(3) globs, flags 0 (so `*` also matches `/`), tried against the
  // entry's full path and every suffix of it that starts after a `/` — its base
  // name included — as du --exclude does. An excluded entry is neither counted
  // nor descended. A root itself is never excluded.
  std::vector<std::string> excludes;
  // Worker threads; 0 = the number of CPUs, at least 2, at most 16.
  unsigned threads = 0;
  // Directories whose descriptor may be held open for opening their
  // subdirectories; beyond it a directory is reopened by its path below the
  // root. 0 = a quarter of RLIMIT_NOFILE, at most 4096. Tests set it low.
  unsigned max_open_dirs = 0;
};

struct DuEntry {
  std::string path;     // the root as given, then "/name/..."
  std::uint64_t bytes;  // the entry and everything counted under it
  std::uint64_t files;  // non-directories counted under it (1 for a file)
  int depth;            // 1 = a child of the root
  bool is_dir;
};

struct DuResult {
  std::string root;  // as given
  std::uint64_t bytes = 0;
  std::uint64_t files = 0;
  bool is_dir = false;
  // Descendants at depth 1..DuOptions::depth, largest first (ties by path),
  // at most DuOptions::top of them.
  std::vector<DuEntry> largest;
};

struct DuReport {
  // One per root that could be examined, in the order of the roots.
  std::vector<DuResult> results;
  // One line each, without a prefix, sorted per root:
  //   "cannot access /nope: No such file or directory"  (a root: it has no result)
  //   "cannot read directory /x/y: Permission denied"   (counted: its own size only)
  //   "cannot access /x/y/z: Permission denied"         (an entry fstatat failed on)
  // A directory that vanishes between being listed and being opened is
  // reported too; an entry that vanishes before it could be examined is not
  // (it takes no space), as with any file removed before the scan reached it.
  std::vector<std::string> errors;
  // How many roots failed entirely (so the CLI can tell "all failed").
  std::size_t failed_roots = 0;
};

// Scans each root in turn (each with the whole thread pool). Problems with the
// file tree never throw: they go to `errors` and the totals are those of what
// could be read. Throws ops::Error only for what is not about the tree (no
// thread could be started, out of memory).
DuReport scan_du(const std::vector<std::string>& roots, const DuOptions& options);

}  // namespace opsdf
