// Removing a whole tree below a directory fd, never through a symlink.
#include <ops/dir.hpp>
#include <ops/error.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ops {

namespace {

// A directory we own but may not list or change (restored as 0500, 0000):
// opened up so that what is inside can go. AT_SYMLINK_NOFOLLOW: st said it
// is a directory, and a symlink is never what gets the new mode.
void open_up(const Dir& dir, const std::string& name, const struct stat& st) {
  if ((st.st_mode & S_IRWXU) == S_IRWXU || st.st_uid != ::geteuid()) return;
  ::fchmodat(dir.fd(), name.c_str(), S_IRWXU, AT_SYMLINK_NOFOLLOW);  // on failure, below() says why
}

void remove_directory(const Dir& dir, const std::string& name, const struct stat& st) {
  open_up(dir, name, st);
  const Dir inside = dir.below(name);
  for (const auto& entry : list_names(inside)) remove_tree(inside, entry);
  if (::unlinkat(dir.fd(), name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
    fail_errno("cannot remove directory " + dir.path(name).string(), errno);
}

}  // namespace

bool remove_tree(const Dir& dir, const std::string& name) {
  auto st = dir.stat(name);
  if (!st) return false;
  if (!S_ISDIR(st->st_mode)) return dir.remove(name);
  remove_directory(dir, name, *st);
  return true;
}

}  // namespace ops
