// scan_du: each root in turn — a file is its own size, a directory is walked
// by the parallel walker (du_walker.cpp).
#include "opsdf/du/du_scan.hpp"

#include "opsdf/du/du_walker.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>

namespace opsdf {

namespace {

void scan_root(du::ScanShared& shared, const std::string& root, DuReport& report, std::vector<std::string>& errors) {
  struct stat st;
  if (::lstat(root.c_str(), &st) != 0) {
    errors.push_back("cannot access " + root + ": " + ops::errno_text(errno));
    ++report.failed_roots;
    return;
  }
  DuResult result;
  result.root = root;
  result.is_dir = S_ISDIR(st.st_mode);
  if (!result.is_dir) {
    // A link to a file already counted (under an earlier root) adds nothing, as in du.
    bool counted = st.st_nlink <= 1 || shared.seen.insert(st.st_dev, st.st_ino);
    result.bytes = counted ? shared.size_of(st.st_blocks, st.st_size) : 0;
    result.files = counted ? 1 : 0;
    report.results.push_back(std::move(result));
    return;
  }
  ops::Fd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    // Like du: the directory's own size counts even when it cannot be listed.
    errors.push_back("cannot read directory " + root + ": " + ops::errno_text(errno));
    result.bytes = shared.size_of(st.st_blocks, st.st_size);
    report.results.push_back(std::move(result));
    return;
  }
  // What was opened is what is walked, even if the path changed since lstat().
  struct stat opened;
  if (::fstat(fd.get(), &opened) == 0) st = opened;
  du::walk_root(shared, std::move(fd), st.st_dev, shared.size_of(st.st_blocks, st.st_size), result, errors);
  report.results.push_back(std::move(result));
}

}  // namespace

DuReport scan_du(const std::vector<std::string>& roots, const DuOptions& options) {
  du::ScanShared shared(options);
  DuReport report;
  for (const auto& root : roots) {
    std::vector<std::string> errors;
    scan_root(shared, root, report, errors);
    // Workers find problems in no particular order; print them in a stable one.
    std::sort(errors.begin(), errors.end());
    for (auto& e : errors) report.errors.push_back(std::move(e));
  }
  return report;
}

}  // namespace opsdf
