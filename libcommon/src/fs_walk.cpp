// A sequential walk for tools that visit every file once (permissions audits,
// log discovery). opsdf du has its own parallel scanner; this one favours
// simplicity and a predictable (sorted) order.
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/handle.hpp>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <vector>

namespace ops {

namespace {

using DirPtr = Handle<DIR, ::closedir>;

struct Walker {
  const WalkOptions& options;
  const std::function<bool(const WalkEntry&)>& visit;
  const std::function<void(const std::filesystem::path&, int)>& on_error;
  dev_t root_dev = 0;

  void descend(Fd dirfd, const std::filesystem::path& dir, int depth) {
    DirPtr d(::fdopendir(dirfd.get()));
    if (!d) {
      on_error(dir, errno);
      return;
    }
    dirfd.release();  // now owned by DIR*
    std::vector<std::string> names;
    errno = 0;
    while (dirent* e = ::readdir(d.get())) {
      std::string_view n = e->d_name;
      if (n != "." && n != "..") names.emplace_back(n);
    }
    if (errno != 0) on_error(dir, errno);
    std::sort(names.begin(), names.end());
    int fd = ::dirfd(d.get());
    for (const auto& name : names) {
      struct stat st {};
      auto path = dir / name;
      if (::fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) on_error(path, errno);  // vanished: not an error
        continue;
      }
      bool descend_into = visit(WalkEntry{path, st, depth + 1, fd, name.c_str()});
      if (!descend_into || !S_ISDIR(st.st_mode)) continue;
      if (options.one_file_system && st.st_dev != root_dev) continue;
      int child = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (child < 0) {
        if (errno != ENOENT) on_error(path, errno);
        continue;
      }
      descend(Fd(child), path, depth + 1);
    }
  }
};

}  // namespace

void walk_tree(const std::filesystem::path& root, const WalkOptions& options,
               const std::function<bool(const WalkEntry&)>& visit,
               const std::function<void(const std::filesystem::path&, int err)>& on_error) {
  struct stat st {};
  if (::lstat(root.c_str(), &st) != 0) {
    on_error(root, errno);
    return;
  }
  Walker walker{options, visit, on_error, st.st_dev};
  if (!visit(WalkEntry{root, st, 0, AT_FDCWD, root.c_str()}) || !S_ISDIR(st.st_mode)) return;
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    on_error(root, errno);
    return;
  }
  walker.descend(Fd(fd), root, 0);
}

}  // namespace ops
