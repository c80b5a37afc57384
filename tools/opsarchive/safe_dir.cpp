#include "safe_dir.hpp"
#include "file_rules.hpp"

#include <ops/error.hpp>

#include <cerrno>
#include <fcntl.h>
#include <random>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace opsarchive {

namespace {

std::string random_suffix() {
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static thread_local std::mt19937 engine{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof chars - 2);
  std::string s;
  for (int i = 0; i < 6; ++i) s += chars[pick(engine)];
  return s;
}

// RENAME_NOREPLACE, or link+unlink where the filesystem lacks it; both refuse
// to replace an existing file. Returns false when `to` exists.
bool rename_noreplace(int dirfd, const std::string& from, const std::string& to, const fs::path& shown) {
  if (::renameat2(dirfd, from.c_str(), dirfd, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  int err = errno;
  if (err == EEXIST) return false;
  if (err != EINVAL && err != ENOSYS) ops::fail_errno("cannot rename " + (shown / from).string() + " to " + to, err);
  if (::linkat(dirfd, from.c_str(), dirfd, to.c_str(), 0) != 0) {
    err = errno;
    if (err == EEXIST) return false;
    ops::fail_errno("cannot link " + (shown / from).string() + " to " + to, err);
  }
  ::unlinkat(dirfd, from.c_str(), 0);
  return true;
}

}  // namespace

ops::Fd open_dir(const fs::path& dir) { return ops::open_file(dir, O_RDONLY | O_DIRECTORY); }

ops::Fd open_below(int root, const fs::path& relative, const fs::path& shown) {
  ops::Fd current(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  if (!current) ops::fail_errno("cannot open " + shown.string(), errno);
  for (const auto& part : relative) {
    if (part.empty() || part == ".") continue;
    if (part == "..") ops::fail("cannot open " + shown.string() + ": the path leaves its directory");
    int fd = ::openat(current.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) ops::fail_errno("cannot open directory " + shown.string(), errno);
    current.reset(fd);
  }
  return current;
}

void fsync_dir(int dirfd, const fs::path& shown) {
  if (::fsync(dirfd) != 0 && errno != EINVAL) ops::fail_errno("cannot fsync directory " + shown.string(), errno);
}

ops::Fd open_file_at(int dirfd, const std::string& name, const fs::path& shown) {
  int fd;
  do fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) ops::fail_errno("cannot open " + shown.string(), errno);
  return ops::Fd(fd);
}

std::optional<struct stat> stat_at(int dirfd, const std::string& name, const fs::path& shown) {
  struct stat st {};
  if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return st;
  if (errno == ENOENT) return std::nullopt;
  ops::fail_errno("cannot stat " + shown.string(), errno);
}

bool unchanged(const struct stat& seen, const struct stat& now) {
  return seen.st_dev == now.st_dev && seen.st_ino == now.st_ino && seen.st_size == now.st_size &&
         seen.st_mtim.tv_sec == now.st_mtim.tv_sec && seen.st_mtim.tv_nsec == now.st_mtim.tv_nsec;
}

TempFile::TempFile(int dirfd, std::string final_name, fs::path shown_dir)
    : dirfd_(dirfd), final_(std::move(final_name)), shown_dir_(std::move(shown_dir)) {
  for (int attempt = 0; attempt < 100 && !fd_; ++attempt) {
    name_ = temp_prefix(final_) + random_suffix();
    int fd = ::openat(dirfd_, name_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) ops::fail_errno("cannot create a temporary file in " + shown_dir_.string(), errno);
    fd_.reset(fd);
    // Locked before anything is written; a run cleaning up leftovers between
    // our create and our lock would have removed the name: start again then.
    struct stat mine {};
    auto there = (::flock(fd, LOCK_EX) == 0 && ::fstat(fd, &mine) == 0) ? stat_at(dirfd_, name_, shown()) : std::nullopt;
    if (!there || there->st_ino != mine.st_ino || there->st_dev != mine.st_dev) fd_.reset();
  }
  if (!fd_) ops::fail("cannot create a temporary file in " + shown_dir_.string() + ": no free name");
}

TempFile::~TempFile() {
  if (!published_) ::unlinkat(dirfd_, name_.c_str(), 0);
}

bool TempFile::publish() {
  if (::fsync(fd_.get()) != 0) ops::fail_errno("cannot fsync " + shown().string(), errno);
  if (!rename_noreplace(dirfd_, name_, final_, shown_dir_)) return false;
  published_ = true;
  fsync_dir(dirfd_, shown_dir_);
  fd_.close();
  return true;
}

std::optional<std::uint64_t> remove_leftover_temp(int dirfd, const std::string& name, const fs::path& shown,
                                                  bool dry_run) {
  int fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    ops::fail_errno("cannot open " + shown.string(), errno);
  }
  ops::Fd held(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) return std::nullopt;  // a live run is writing it
  if (!dry_run && ::unlinkat(dirfd, name.c_str(), 0) != 0 && errno != ENOENT)
    ops::fail_errno("cannot remove " + shown.string(), errno);
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace opsarchive
