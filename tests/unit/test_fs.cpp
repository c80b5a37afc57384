// ops/fs.hpp: atomic publication of files, flock-based run locks, and the
// symlink-safe directory walk.
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

using ops::test::TempDir;
using ops::test::slurp;
using ops::test::spit;

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// Sets the umask for a scope, so that "the mode asked" is tested against a
// umask that would otherwise take bits away.
class UmaskGuard {
 public:
  explicit UmaskGuard(mode_t m) : old_(::umask(m)) {}
  ~UmaskGuard() { ::umask(old_); }
  UmaskGuard(const UmaskGuard&) = delete;
  UmaskGuard& operator=(const UmaskGuard&) = delete;

 private:
  mode_t old_;
};

// A pipe used to step a forked child and its parent through a test.
struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() {
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  }
  ~Pipe() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void send(char c) const {
    if (::write(fds[1], &c, 1) != 1) throw std::runtime_error("pipe write failed");
  }
  char receive() const {
    char c = 0;
    return ::read(fds[0], &c, 1) == 1 ? c : '\0';
  }
};

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("fs: AtomicFile commit publishes the content with the mode asked") {
  TempDir dir;
  auto dest = dir.path() / "state.tsv";
  UmaskGuard umask(077);  // would turn 0644 into 0600 if the mode came from open()
  ops::AtomicFile file(dest, 0644);
  file.write("first line\n");
  file.write("second line\n");
  // Before commit nothing is visible under the destination name, and the
  // temporary sits beside it (same filesystem, so the rename is atomic) with a
  // leading dot so globs like *.tsv do not see it.
  CHECK_FALSE(fs::exists(dest));
  CHECK(file.temp_path().parent_path() == dest.parent_path());
  CHECK(file.temp_path().filename().string().front() == '.');
  CHECK(fs::exists(file.temp_path()));
  file.commit();
  CHECK(slurp(dest) == "first line\nsecond line\n");
  CHECK(mode_of(dest) == 0644);
  CHECK(names_in(dir.path()) == std::vector<std::string>{"state.tsv"});

  ops::write_file_atomic(dir.path() / "secret", "x", 0600);
  CHECK(mode_of(dir.path() / "secret") == 0600);
  ops::write_file_atomic(dir.path() / "group", "x", 0640);
  CHECK(mode_of(dir.path() / "group") == 0640);
}

TEST_CASE("fs: an AtomicFile abandoned mid-write leaves the old file and no temporary") {
  TempDir dir;
  auto dest = dir.path() / "backup.manifest";
  spit(dest, "old content\n");
  std::string temp;
  try {
    ops::AtomicFile file(dest, 0600);
    temp = file.temp_path().string();
    file.write("half of the new con");
    throw std::runtime_error("the dump failed");  // commit() never reached
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "the dump failed");
  }
  CHECK(slurp(dest) == "old content\n");
  CHECK_FALSE(temp.empty());
  CHECK_FALSE(fs::exists(temp));
  CHECK(names_in(dir.path()) == std::vector<std::string>{"backup.manifest"});
}

TEST_CASE("fs: write_file_atomic replaces the file as a whole") {
  TempDir dir;
  auto dest = dir.path() / "opsdf.prom";
  spit(dest, "old metrics\n");
  // A reader that opened the old file keeps reading the old content, whole:
  // the new file replaces it by rename, it is not rewritten in place.
  int reader = ::open(dest.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(reader >= 0);
  ops::Fd owned(reader);
  ops::write_file_atomic(dest, "new metrics, longer than before\n");
  CHECK(slurp(dest) == "new metrics, longer than before\n");
  char buf[64] = {};
  auto n = ::pread(owned.get(), buf, sizeof buf, 0);
  CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == "old metrics\n");
  CHECK(names_in(dir.path()) == std::vector<std::string>{"opsdf.prom"});
}

TEST_CASE("fs: AtomicFile in a missing directory fails naming the directory") {
  TempDir dir;
  auto missing = dir.path() / "no-such-dir";
  try {
    ops::write_file_atomic(missing / "file", "x");
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::critical);
    CHECK_THAT(e.what(), Catch::Matchers::Contains(missing.string()));
  }
}

TEST_CASE("fs: read_file reads everything and names a missing path") {
  TempDir dir;
  std::string big(200000, 'x');
  big += "end";
  spit(dir.path() / "big", big);
  CHECK(ops::read_file(dir.path() / "big") == big);
  try {
    ops::read_file(dir.path() / "nope");
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::critical);
    CHECK_THAT(e.what(), Catch::Matchers::Contains((dir.path() / "nope").string()));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("No such file"));
  }
}

// Issue 14, item 11: `-c FIFO` hung every tool in open(2). A FIFO (or any
// file that is not a regular file) is refused at once, exit 3, naming it.
TEST_CASE("fs: read_file refuses a FIFO at once instead of waiting for a writer") {
  TempDir dir;
  const fs::path fifo = dir.path() / "fifo.conf";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const fs::path& path : {fifo, dir.path()}) {
    INFO("path: " << path);
    try {
      ops::read_file(path);
      FAIL("accepted");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
      CHECK(std::string(e.what()) == path.string() + " is not a regular file");
    }
  }
  try {
    ops::open_regular(fifo);
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
  }
}

TEST_CASE("fs: open_regular hands back a blocking fd for a regular file") {
  TempDir dir;
  spit(dir.path() / "plain", "text");
  ops::Fd fd = ops::open_regular(dir.path() / "plain");
  CHECK((::fcntl(fd.get(), F_GETFL) & O_NONBLOCK) == 0);
  CHECK(ops::read_all(fd.get(), "plain") == "text");
}

TEST_CASE("fs: Fd closes what it owns and hands it over on move") {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(raw >= 0);
  {
    ops::Fd a(raw);
    ops::Fd b(std::move(a));
    CHECK_FALSE(a);
    CHECK(b.get() == raw);
    CHECK(::fcntl(raw, F_GETFD) >= 0);
  }
  CHECK(::fcntl(raw, F_GETFD) == -1);  // closed exactly when its owner went away
  CHECK(errno == EBADF);
}

TEST_CASE("fs: FileLock try_acquire fails while another holds the lock") {
  TempDir dir;
  auto path = dir.path() / "opsdf.lock";
  SECTION("a second lock in the same process (its own open file description)") {
    {
      auto first = ops::FileLock::try_acquire(path);
      REQUIRE(first);
      CHECK(first.path() == path);
      CHECK(mode_of(path) == 0600);
      auto second = ops::FileLock::try_acquire(path);
      CHECK_FALSE(second);
    }
    auto again = ops::FileLock::try_acquire(path);  // released with its owner
    CHECK(again);
  }
  SECTION("another process") {
    Pipe to_child, to_parent;
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int rc = 1;
      try {
        auto held = ops::FileLock::acquire(path);
        to_parent.send(held ? 'L' : 'F');
        to_child.receive();  // hold until told to go
        rc = 0;
      } catch (...) {
        to_parent.send('E');
      }
      ::_exit(rc);
    }
    REQUIRE(to_parent.receive() == 'L');
    CHECK_FALSE(ops::FileLock::try_acquire(path));
    to_child.send('x');
    CHECK(wait_child(pid) == 0);
    CHECK(ops::FileLock::try_acquire(path));
  }
}

TEST_CASE("fs: FileLock remove_if_created removes only a lock file it made") {
  TempDir dir;
  auto path = dir.path() / "state.lock";
  SECTION("made by this lock: removed, and the next lock makes it anew") {
    auto lock = ops::FileLock::try_acquire(path);
    REQUIRE(lock);
    CHECK(lock.created());
    lock.remove_if_created();
    CHECK_FALSE(lock);
    CHECK_FALSE(std::filesystem::exists(path));
    auto again = ops::FileLock::try_acquire(path);
    CHECK(again);
    CHECK(again.created());
  }
  SECTION("there before: kept") {
    spit(path, "");
    auto lock = ops::FileLock::try_acquire(path);
    REQUIRE(lock);
    CHECK_FALSE(lock.created());
    lock.remove_if_created();
    CHECK_FALSE(lock);
    CHECK(std::filesystem::exists(path));
  }
  SECTION("a waiter on the removed file locks the file the path names, not the removed one") {
    Pipe to_child, to_parent;
    pid_t pid = ::fork();  // before the lock: a child would share its flock
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int rc = 1;
      try {
        to_child.receive();                          // the parent holds the lock now
        auto waited = ops::FileLock::acquire(path);  // opens the file the parent made, waits
        rc = waited ? 0 : 1;
        to_parent.send(waited ? 'L' : 'F');
        to_child.receive();
      } catch (...) {
        to_parent.send('E');
      }
      ::_exit(rc);
    }
    auto first = ops::FileLock::try_acquire(path);
    REQUIRE(first.created());
    to_child.send('x');
    ::usleep(200 * 1000);  // the child has opened the file and waits on it
    first.remove_if_created();
    REQUIRE(to_parent.receive() == 'L');
    CHECK(std::filesystem::exists(path));           // the child made it anew
    CHECK_FALSE(ops::FileLock::try_acquire(path));  // and holds that one
    to_child.send('x');
    CHECK(wait_child(pid) == 0);
  }
}

TEST_CASE("fs: FileLock acquire waits for the holder") {
  TempDir dir;
  auto path = dir.path() / "run.lock";
  auto marker = dir.path() / "released";
  Pipe to_parent;
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    {
      auto held = ops::FileLock::try_acquire(path);
      to_parent.send(held ? 'L' : 'F');
      ::usleep(200 * 1000);
      spit(marker, "done");  // written before the lock goes
    }
    ::_exit(0);
  }
  REQUIRE(to_parent.receive() == 'L');
  auto lock = ops::FileLock::acquire(path);
  CHECK(lock);
  CHECK(fs::exists(marker));  // we got the lock only after the child let go
  CHECK(wait_child(pid) == 0);
}

TEST_CASE("fs: FileLock does not follow a symlink planted at the lock path") {
  TempDir dir;
  auto target = dir.path() / "precious";
  spit(target, "keep me");
  fs::create_symlink(target, dir.path() / "evil.lock");
  CHECK_THROWS_AS(ops::FileLock::try_acquire(dir.path() / "evil.lock"), ops::Error);
  CHECK(slurp(target) == "keep me");
}

namespace {

struct Visit {
  std::string path;  // relative to the walk's root, "." for the root
  int depth;
  char kind;  // d, f, l
  bool operator==(const Visit&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Visit& v) {
  return os << "{" << v.path << " depth " << v.depth << " " << v.kind << "}";
}

char kind_of(const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return 'd';
  if (S_ISLNK(st.st_mode)) return 'l';
  return 'f';
}

std::string rel(const fs::path& root, const fs::path& p) {
  return p == root ? "." : p.lexically_relative(root).string();
}

// root/ b.txt  a/ x  a/y/ z   c -> a   loop -> .   (and a/up -> ..)
void make_tree(const fs::path& root) {
  fs::create_directories(root / "a" / "y");
  spit(root / "b.txt", "b");
  spit(root / "a" / "x", "x");
  spit(root / "a" / "y" / "z", "z");
  fs::create_directory_symlink("a", root / "c");
  fs::create_directory_symlink(".", root / "loop");
  fs::create_directory_symlink("..", root / "a" / "up");
}

}  // namespace

TEST_CASE("fs: walk_tree visits everything once in sorted order without following symlinks") {
  TempDir dir;
  auto root = dir.path() / "tree";
  make_tree(root);
  std::vector<Visit> visits;
  std::vector<std::string> errors;
  ops::walk_tree(
      root, {},
      [&](const ops::WalkEntry& e) {
        visits.push_back({rel(root, e.path), e.depth, kind_of(e.st)});
        return true;
      },
      [&](const fs::path& p, int err) { errors.push_back(p.string() + ": " + std::to_string(err)); });
  std::vector<Visit> expected = {
      {".", 0, 'd'},      {"a", 1, 'd'},    {"a/up", 2, 'l'},    {"a/x", 2, 'f'}, {"a/y", 2, 'd'},
      {"a/y/z", 3, 'f'},  {"b.txt", 1, 'f'}, {"c", 1, 'l'},      {"loop", 1, 'l'},
  };
  CHECK(visits == expected);
  CHECK(errors.empty());
}

TEST_CASE("fs: walk_tree does not descend where the visitor says no") {
  TempDir dir;
  auto root = dir.path() / "tree";
  make_tree(root);
  std::vector<std::string> seen;
  ops::walk_tree(
      root, {},
      [&](const ops::WalkEntry& e) {
        seen.push_back(rel(root, e.path));
        return rel(root, e.path) != "a";
      },
      [](const fs::path&, int) {});
  CHECK(seen == std::vector<std::string>{".", "a", "b.txt", "c", "loop"});
}

TEST_CASE("fs: walk_tree hands each entry's directory fd and name, for opening it without its path") {
  TempDir dir;
  auto root = dir.path() / "tree";
  make_tree(root);
  std::vector<std::string> checked;
  ops::walk_tree(
      root, {},
      [&](const ops::WalkEntry& e) {
        REQUIRE(e.name != nullptr);
        if (e.depth == 0) {
          CHECK(e.dir_fd == AT_FDCWD);
          CHECK(std::string(e.name) == root.string());
        } else {
          CHECK(std::string(e.name) == e.path.filename().string());
        }
        struct stat st {};
        REQUIRE(::fstatat(e.dir_fd, e.name, &st, AT_SYMLINK_NOFOLLOW) == 0);
        CHECK(st.st_ino == e.st.st_ino);
        checked.push_back(rel(root, e.path));
        return true;
      },
      [](const fs::path&, int) { FAIL("error reported"); });
  CHECK(checked.size() == 9);
}

TEST_CASE("fs: walk_tree of a symlink or a file visits just that") {
  TempDir dir;
  auto root = dir.path() / "tree";
  make_tree(root);
  for (const char* start : {"c", "b.txt"}) {
    std::vector<Visit> visits;
    ops::walk_tree(
        root / start, {},
        [&](const ops::WalkEntry& e) {
          visits.push_back({e.path.string(), e.depth, kind_of(e.st)});
          return true;
        },
        [](const fs::path&, int) { FAIL("error reported"); });
    REQUIRE(visits.size() == 1);
    CHECK(visits[0].path == (root / start).string());
    CHECK(visits[0].kind == (std::string(start) == "c" ? 'l' : 'f'));
  }
}

TEST_CASE("fs: walk_tree reports a missing root through on_error") {
  TempDir dir;
  int visits = 0;
  std::vector<std::pair<std::string, int>> errors;
  ops::walk_tree(
      dir.path() / "missing", {}, [&](const ops::WalkEntry&) { return ++visits, true; },
      [&](const fs::path& p, int err) { errors.emplace_back(p.string(), err); });
  CHECK(visits == 0);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].first == (dir.path() / "missing").string());
  CHECK(errors[0].second == ENOENT);
}

TEST_CASE("fs: walk_tree reports an unreadable directory and carries on") {
  // Root reads every directory, so the walk runs in a child as nobody.
  TempDir dir;
  auto root = dir.path() / "tree";
  fs::create_directories(root / "b-locked" / "inside");
  fs::create_directories(root / "c-open");
  spit(root / "a-file", "a");
  spit(root / "c-open" / "z", "z");
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(root / "c-open", fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(root / "b-locked", fs::perms::none);

  char out_path[] = "/tmp/ops-test-walk-out.XXXXXX";
  int out_fd = ::mkstemp(out_path);
  REQUIRE(out_fd >= 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(99);
    std::string log;
    ops::walk_tree(
        root, {},
        [&](const ops::WalkEntry& e) {
          log += "visit " + rel(root, e.path) + "\n";
          return true;
        },
        [&](const fs::path& p, int err) { log += "error " + rel(root, p) + " " + std::to_string(err) + "\n"; });
    ::_exit(::write(out_fd, log.data(), log.size()) == static_cast<ssize_t>(log.size()) ? 0 : 98);
  }
  REQUIRE(wait_child(pid) == 0);
  ::close(out_fd);
  std::string log = slurp(out_path);
  ::unlink(out_path);
  CHECK(log ==
        "visit .\n"
        "visit a-file\n"
        "visit b-locked\n"
        "error b-locked " + std::to_string(EACCES) + "\n"
        "visit c-open\n"
        "visit c-open/z\n");
}

TEST_CASE("fs: walk_tree with one_file_system stays on the root's filesystem") {
  struct stat root_st {}, proc_st {};
  REQUIRE(::stat("/", &root_st) == 0);
  REQUIRE(::stat("/proc/self", &proc_st) == 0);
  REQUIRE(root_st.st_dev != proc_st.st_dev);  // /proc is its own mount on Linux
  for (bool one : {true, false}) {
    bool entered_proc = false, saw_proc = false;
    ops::WalkOptions options;
    options.one_file_system = one;
    ops::walk_tree(
        "/", options,
        [&](const ops::WalkEntry& e) {
          if (e.depth == 0) return true;
          if (e.depth == 1) {
            saw_proc |= e.path == "/proc";
            return e.path == "/proc";  // only /proc: keep the walk small
          }
          if (e.depth == 2) entered_proc = true;
          return false;
        },
        [](const fs::path&, int) {});
    CHECK(saw_proc);  // the mount point itself is still reported
    CHECK(entered_proc == !one);
  }
}

TEST_CASE("fs: the read helpers read to the end, in chunks or up to a limit") {
  TempDir dir;
  const std::string text(200000, 'r');
  spit(dir.path() / "f", text);
  ops::Fd fd = ops::open_file(dir.path() / "f", O_RDONLY);
  std::size_t chunks = 0;
  std::string got;
  CHECK(ops::read_chunks(fd.get(), "f", [&](std::string_view c) { got.append(c), ++chunks; }, 4096) == text.size());
  CHECK(got == text);
  CHECK(chunks >= text.size() / 4096);
  CHECK(::lseek(fd.get(), 0, SEEK_SET) == 0);
  CHECK(ops::read_all(fd.get(), "f", 10) == std::string(10, 'r'));
  char buf[8];
  CHECK(ops::pread_full(fd.get(), buf, sizeof buf, static_cast<off_t>(text.size() - 3), "f") == 3);
  CHECK(ops::read_full(fd.get(), buf, sizeof buf, "f") == 8);
  ops::Fd dirfd = ops::open_file(dir.path(), O_RDONLY | O_DIRECTORY);
  CHECK_THROWS_WITH(ops::read_all(dirfd.get(), "the directory"), Catch::Contains("cannot read the directory"));
}

TEST_CASE("fs: AtomicFile with Replace::no refuses an existing destination and keeps it") {
  TempDir dir;
  auto dest = dir.path() / "backup.tar.gz";
  spit(dest, "first backup\n");
  ops::AtomicFile file(dest, 0600, ops::AtomicFile::Replace::no);
  file.write("second");
  CHECK_THROWS_WITH(file.commit(), Catch::Contains(dest.string() + ": it exists"));
  CHECK(slurp(dest) == "first backup\n");
  CHECK(names_in(dir.path()) == std::vector<std::string>{"backup.tar.gz"});
}
