// ops::Dir: opening directories and files relative to a directory fd.
#include <ops/dir.hpp>
#include <ops/error.hpp>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ops {

Dir Dir::open(const fs::path& path) { return Dir(open_file(path, O_RDONLY | O_DIRECTORY), path); }

Dir Dir::open_parent(const fs::path& path) {
  fs::path parent = path.parent_path();
  return open(parent.empty() ? fs::path(".") : parent);
}

Dir Dir::dup() const {
  Fd copy(::fcntl(fd_.get(), F_DUPFD_CLOEXEC, 0));
  if (!copy) fail_errno("cannot open " + path_.string(), errno);
  return Dir(std::move(copy), path_);
}

Dir Dir::below(const fs::path& relative) const {
  Dir current = dup();
  for (const auto& part : relative) {
    if (part.empty() || part == ".") continue;
    const fs::path shown = path_ / relative;
    if (part == "..") fail("cannot open " + shown.string() + ": the path leaves its directory");
    int fd;
    do fd = ::openat(current.fd(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) fail_errno("cannot open directory " + shown.string(), errno);
    current.fd_.reset(fd);
  }
  current.path_ = path_ / relative;
  return current;
}

Fd Dir::open(const std::string& name, int flags, mode_t mode) const {
  int fd;
  do fd = ::openat(fd_.get(), name.c_str(), flags | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, mode);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) fail_errno("cannot open " + path(name).string(), errno);
  return Fd(fd);
}

Fd Dir::open_read(const std::string& name) const { return open(name, O_RDONLY | O_NONBLOCK); }

std::optional<struct stat> Dir::stat(const std::string& name) const {
  struct stat st {};
  if (::fstatat(fd_.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return st;
  if (errno == ENOENT) return std::nullopt;
  fail_errno("cannot stat " + path(name).string(), errno);
}

bool Dir::remove(const std::string& name) const {
  if (::unlinkat(fd_.get(), name.c_str(), 0) == 0) return true;
  if (errno == ENOENT) return false;
  fail_errno("cannot remove " + path(name).string(), errno);
}

void Dir::sync() const {
  // EINVAL: a filesystem that cannot fsync a directory has nothing to make durable.
  if (::fsync(fd_.get()) != 0 && errno != EINVAL) fail_errno("cannot fsync directory " + path_.string(), errno);
}

bool unchanged(const struct stat& seen, const struct stat& now) noexcept {
  return seen.st_dev == now.st_dev && seen.st_ino == now.st_ino && seen.st_size == now.st_size &&
         seen.st_mtim.tv_sec == now.st_mtim.tv_sec && seen.st_mtim.tv_nsec == now.st_mtim.tv_nsec;
}

}  // namespace ops
