// Temporary files: their names (known here only), creating and publishing
// them, and clearing what a killed run left.
#include <ops/dir.hpp>
#include <ops/error.hpp>

#include <cctype>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <random>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ops {

namespace {

constexpr std::size_t kRandomLength = 6;

std::string marker(std::string_view tag) { return tag.empty() ? ".tmp." : "." + std::string(tag) + "-tmp."; }

std::string random_suffix() {
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static thread_local std::mt19937 engine{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof chars - 2);
  std::string s;
  for (std::size_t i = 0; i < kRandomLength; ++i) s += chars[pick(engine)];
  return s;
}

// flock, retried on EINTR. A filesystem without locks (ENOLCK, EOPNOTSUPP) is
// not an error: the file is then simply not known to be held.
bool lock(int fd, int operation) {
  while (::flock(fd, operation) != 0)
    if (errno != EINTR) return false;
  return true;
}

}  // namespace

std::string temp_name_prefix(std::string_view final_name, std::string_view tag) {
  return "." + std::string(final_name) + marker(tag);
}

std::optional<std::string> temp_name_target(std::string_view name, std::string_view tag) {
  const std::string m = marker(tag);
  if (name.size() < 1 + 1 + m.size() + kRandomLength || name.front() != '.') return std::nullopt;
  const std::size_t marker_at = name.size() - kRandomLength - m.size();
  if (name.substr(marker_at, m.size()) != m) return std::nullopt;
  for (char c : name.substr(name.size() - kRandomLength))
    if (!std::isalnum(static_cast<unsigned char>(c))) return std::nullopt;
  return std::string(name.substr(1, marker_at - 1));
}

TempFile::TempFile(const Dir& dir, std::string final_name, const TempOptions& options)
    : dir_(dir.dup()), final_(std::move(final_name)), durable_(options.durable) {
  const std::string prefix = temp_name_prefix(final_, options.tag);
  for (int attempt = 0; attempt < 100 && !fd_; ++attempt) {
    name_ = prefix + random_suffix();
    int fd;
    do fd = ::openat(dir_.fd(), name_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    while (fd < 0 && errno == EINTR);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) fail_errno("cannot create a temporary file in " + dir_.path().string(), errno);
    fd_.reset(fd);
    // Locked before anything is written. A run clearing leftovers between
    // our create and our lock may have removed the name: start again then.
    struct stat mine {};
    lock(fd, LOCK_EX);
    std::optional<struct stat> there;
    if (::fstat(fd, &mine) == 0) there = dir_.stat(name_);
    if (!there || there->st_ino != mine.st_ino || there->st_dev != mine.st_dev) fd_.reset();
  }
  if (!fd_) fail("cannot create a temporary file in " + dir_.path().string() + ": no free name");
  if (::fchmod(fd_.get(), options.mode) != 0) {
    int err = errno;
    discard();  // no destructor for a constructor that throws
    fail_errno("cannot set the mode of " + path().string(), err);
  }
}

std::string create_temp_dir(const Dir& dir, std::string_view final_name, mode_t mode, std::string_view tag) {
  const std::string prefix = temp_name_prefix(final_name, tag);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = prefix + random_suffix();
    if (::mkdirat(dir.fd(), name.c_str(), 0700) != 0) {
      if (errno == EEXIST) continue;
      fail_errno("cannot create a temporary directory in " + dir.path().string(), errno);
    }
    if (mode != 0700) {
      Dir made = dir.below(name);
      if (::fchmod(made.fd(), mode) != 0) {
        int err = errno;
        ::unlinkat(dir.fd(), name.c_str(), AT_REMOVEDIR);
        fail_errno("cannot set the mode of " + dir.path(name).string(), err);
      }
    }
    return name;
  }
  fail("cannot create a temporary directory in " + dir.path().string() + ": no free name");
}

TempFile::~TempFile() { discard(); }

void TempFile::discard() noexcept {
  if (done_) return;
  done_ = true;
  fd_.reset();
  ::unlinkat(dir_.fd(), name_.c_str(), 0);
}

void TempFile::write(std::string_view data) { write_all(fd_.get(), data, path().string()); }

void TempFile::sync() {
  if (durable_ && ::fsync(fd_.get()) != 0) fail_errno("cannot fsync " + path().string(), errno);
}

// The fd (and its lock) is closed only once the name is final: a run clearing
// leftovers meanwhile must not take the temporary for a dead run's.
void TempFile::finish() {
  done_ = true;
  fd_.close();  // a failed close can mean lost data (NFS)
  if (durable_) dir_.sync();
}

bool TempFile::publish() {
  sync();
  const Moved moved = rename_noreplace(dir_, name_, dir_, final_);
  if (moved == Moved::other_filesystem) fail("cannot move " + path().string() + ": another filesystem");
  if (moved == Moved::target_exists) {
    discard();
    return false;
  }
  finish();
  return true;
}

void TempFile::publish_replacing() {
  sync();
  if (::renameat(dir_.fd(), name_.c_str(), dir_.fd(), final_.c_str()) != 0)
    fail_errno("cannot rename " + path().string() + " to " + final_path().string(), errno);
  finish();
}

std::vector<std::string> list_names(const Dir& dir) {
  Fd copy(::fcntl(dir.fd(), F_DUPFD_CLOEXEC, 0));
  if (!copy) fail_errno("cannot read directory " + dir.path().string(), errno);
  std::unique_ptr<DIR, int (*)(DIR*)> d(::fdopendir(copy.get()), ::closedir);
  if (!d) fail_errno("cannot read directory " + dir.path().string(), errno);
  copy.release();  // the DIR owns it now
  ::rewinddir(d.get());
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = ::readdir(d.get())) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
    errno = 0;
  }
  if (errno != 0) fail_errno("cannot read directory " + dir.path().string(), errno);
  return names;
}

std::optional<std::uint64_t> clear_leftover(const Dir& dir, const std::string& name, bool dry_run) {
  int fd;
  do fd = ::openat(dir.fd(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == ENOENT || errno == ELOOP) return std::nullopt;
    fail_errno("cannot open " + dir.path(name).string(), errno);
  }
  Fd held(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (!lock(fd, LOCK_EX | LOCK_NB)) return std::nullopt;  // a live run is writing it (or no locks here)
  if (!dry_run) dir.remove(name);
  return static_cast<std::uint64_t>(st.st_size);
}

std::vector<Leftover> clear_leftovers(const Dir& dir, const LeftoverQuery& query) {
  std::vector<Leftover> found;
  for (const auto& name : list_names(dir)) {
    auto target = temp_name_target(name, query.tag);
    if (!target || (query.wanted && !query.wanted(*target))) continue;
    if (query.skip) {
      auto st = dir.stat(name);
      if (!st || query.skip(*st)) continue;
    }
    if (auto size = clear_leftover(dir, name, query.dry_run)) found.push_back({name, *target, *size});
  }
  if (!found.empty() && !query.dry_run) dir.sync();
  return found;
}

}  // namespace ops
