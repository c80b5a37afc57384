// Renaming without replacing, also where the filesystem lacks RENAME_NOREPLACE.
#include <ops/dir.hpp>
#include <ops/error.hpp>

#include <cerrno>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ops {

namespace {

// The errors with which a filesystem (or an old kernel) says it does not do
// RENAME_NOREPLACE, as opposed to refusing this rename.
bool noreplace_unsupported(int err) { return err == EINVAL || err == ENOSYS || err == EOPNOTSUPP || err == ENOTSUP; }

std::string both(const Dir& from_dir, const std::string& from, const Dir& to_dir, const std::string& to) {
  return from_dir.path(from).string() + " to " + to_dir.path(to).string();
}

// A directory cannot be linked: mkdir claims the name (it fails on anything
// there), and rename(2) may replace an empty directory, the one just made.
// Something put into it meanwhile makes the rename fail: nothing is lost.
// A crash between the two leaves an empty directory under the final name.
Moved move_directory(const Dir& from_dir, const std::string& from, const Dir& to_dir, const std::string& to) {
  if (::mkdirat(to_dir.fd(), to.c_str(), 0700) != 0) {
    int err = errno;
    if (err == EEXIST) return Moved::target_exists;
    fail_errno("cannot move " + both(from_dir, from, to_dir, to), err);
  }
  if (::renameat(from_dir.fd(), from.c_str(), to_dir.fd(), to.c_str()) != 0) {
    int err = errno;
    ::unlinkat(to_dir.fd(), to.c_str(), AT_REMOVEDIR);
    if (err == EXDEV) return Moved::other_filesystem;
    if (err == ENOTEMPTY || err == EEXIST) return Moved::target_exists;
    fail_errno("cannot move " + both(from_dir, from, to_dir, to), err);
  }
  return Moved::yes;
}

}  // namespace

Moved rename_noreplace(const Dir& from_dir, const std::string& from, const Dir& to_dir, const std::string& to) {
  // The glibc wrapper, not syscall(): tests put a shim in its place.
  if (::renameat2(from_dir.fd(), from.c_str(), to_dir.fd(), to.c_str(), RENAME_NOREPLACE) == 0) return Moved::yes;
  int err = errno;
  if (err == EEXIST) return Moved::target_exists;
  if (err == EXDEV) return Moved::other_filesystem;
  if (!noreplace_unsupported(err)) fail_errno("cannot move " + both(from_dir, from, to_dir, to), err);
  if (auto st = from_dir.stat(from); st && S_ISDIR(st->st_mode)) return move_directory(from_dir, from, to_dir, to);
  // link() never replaces either. Between the link and the unlink both names
  // exist; a crash there leaves the file under both, never under neither.
  if (::linkat(from_dir.fd(), from.c_str(), to_dir.fd(), to.c_str(), 0) != 0) {
    err = errno;
    if (err == EEXIST) return Moved::target_exists;
    if (err == EXDEV) return Moved::other_filesystem;
    fail_errno("cannot move " + both(from_dir, from, to_dir, to), err);
  }
  if (::unlinkat(from_dir.fd(), from.c_str(), 0) != 0 && errno != ENOENT)
    fail_errno("cannot remove " + from_dir.path(from).string() + " after linking it to " + to_dir.path(to).string(),
               errno);
  return Moved::yes;
}

}  // namespace ops
