// opsdf du's scanner (tools/opsdf/du/du_scan.hpp) on real trees in temporary
// directories, checked against GNU du run on the same tree.
#include "opsdf/du/du_pool.hpp"
#include "opsdf/du/du_scan.hpp"
#include "opsdf/du/du_support.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using opsdf::DuOptions;
using opsdf::scan_du;

namespace {

using ops::test::TempDir;

// Writes `bytes` of real data, so the file has blocks allocated.
void make_file(const fs::path& p, std::size_t bytes) {
  fs::create_directories(p.parent_path());
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + p.string());
  std::string chunk(64 * 1024, 'x');
  while (bytes > 0) {
    std::size_t n = std::min(bytes, chunk.size());
    if (::write(fd, chunk.data(), n) != static_cast<ssize_t>(n)) throw std::runtime_error("short write");
    bytes -= n;
  }
  ::close(fd);
}

std::string shell_output(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  if (::pclose(pipe) != 0) throw std::runtime_error("command failed: " + command);
  return out;
}

// GNU du -s -B1 [flags] PATH...: the byte totals, one per path.
std::vector<std::uint64_t> gnu_du(const std::vector<std::string>& paths, const std::string& flags = "") {
  std::string cmd = "du -s -B1 " + flags;
  for (const auto& p : paths) cmd += " '" + p + "'";
  std::istringstream in(shell_output(cmd));
  std::vector<std::uint64_t> totals;
  std::string line;
  while (std::getline(in, line)) totals.push_back(std::stoull(line));
  return totals;
}
std::uint64_t gnu_du(const std::string& path, const std::string& flags = "") { return gnu_du(std::vector{path}, flags).at(0); }

opsdf::DuResult scan_one(const std::string& root, const DuOptions& options = {}) {
  auto report = scan_du({root}, options);
  INFO("errors: " << report.errors.size() << (report.errors.empty() ? "" : " first: " + report.errors[0]));
  REQUIRE(report.errors.empty());
  REQUIRE(report.results.size() == 1);
  return report.results[0];
}

// prefix + n, without `"d" + std::to_string(n)`, which trips g++ 12's
// -Wrestrict false positive (GCC bug 105329) at -O2.
std::string numbered(const char* prefix, int n) {
  std::string s = prefix;
  s += std::to_string(n);
  return s;
}

// A tree with nested directories, files of many sizes, empty files and
// directories, and symlinks.
void make_mixed_tree(const fs::path& root) {
  for (int d = 0; d < 6; ++d) {
    fs::path dir = root / numbered("d", d) / "sub" / numbered("s", d % 3);
    for (int f = 0; f < 12; ++f) make_file(dir / numbered("f", f), static_cast<std::size_t>(f * f * 997 + d * 31));
    make_file(root / numbered("d", d) / "top.bin", static_cast<std::size_t>(d) * 70000);
  }
  make_file(root / "empty", 0);
  fs::create_directories(root / "empty-dir");
  fs::create_symlink("d0/top.bin", root / "link-to-file");
  fs::create_symlink("/nonexistent/target/that/is/quite/long/so/it/may/take/a/block", root / "dangling");
}

std::uint64_t count_non_dirs(const fs::path& root) {
  std::uint64_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(root)) n += e.is_directory() && !e.is_symlink() ? 0 : 1;
  return n;
}

}  // namespace

TEST_CASE("du: totals equal GNU du -s -B1, allocated and apparent", "[du]") {
  TempDir t;
  make_mixed_tree(t.path());
  auto r = scan_one(t.str());
  CHECK(r.bytes == gnu_du(t.str()));
  CHECK(r.files == count_non_dirs(t.path()));
  CHECK(r.is_dir);
  DuOptions apparent;
  apparent.apparent_size = true;
  CHECK(scan_one(t.str(), apparent).bytes == gnu_du(t.str(), "--apparent-size"));
  // Each listed directory's size is what du says of it.
  for (const auto& e : r.largest)
    if (e.is_dir) CHECK(e.bytes == gnu_du(e.path));
}

TEST_CASE("du: the result does not depend on the number of threads", "[du]") {
  TempDir t;
  make_mixed_tree(t.path());
  DuOptions one, many;
  one.threads = 1;
  many.threads = 8;
  one.depth = many.depth = 3;
  one.top = many.top = 0;
  auto a = scan_one(t.str(), one);
  auto b = scan_one(t.str(), many);
  CHECK(a.bytes == b.bytes);
  CHECK(a.files == b.files);
  REQUIRE(a.largest.size() == b.largest.size());
  for (std::size_t i = 0; i < a.largest.size(); ++i) {
    CHECK(a.largest[i].path == b.largest[i].path);
    CHECK(a.largest[i].bytes == b.largest[i].bytes);
  }
}

TEST_CASE("du: hard links are counted once, also across roots", "[du]") {
  TempDir t;
  make_file(t.path() / "a" / "big", 300000);
  fs::create_directories(t.path() / "a" / "again");
  fs::create_hard_link(t.path() / "a" / "big", t.path() / "a" / "again" / "big2");
  fs::create_directories(t.path() / "b");
  fs::create_hard_link(t.path() / "a" / "big", t.path() / "b" / "big3");
  make_file(t.path() / "b" / "own", 5000);
  std::string a = (t.path() / "a").string(), b = (t.path() / "b").string();

  auto ra = scan_one(a);
  CHECK(ra.bytes == gnu_du(a));
  CHECK(ra.files == 1);
  auto report = scan_du({a, b}, {});
  REQUIRE(report.results.size() == 2);
  auto du_both = gnu_du({a, b});
  CHECK(report.results[0].bytes == du_both[0]);
  CHECK(report.results[1].bytes == du_both[1]);
  CHECK(report.results[1].bytes < 300000);  // big3 was counted under a
  CHECK(report.results[1].files == 1);

  // A root that is a file linked to one counted before adds nothing.
  auto files = scan_du({a + "/big", b + "/big3"}, {});
  REQUIRE(files.results.size() == 2);
  CHECK_FALSE(files.results[0].is_dir);
  CHECK(files.results[0].bytes >= 300000);
  CHECK(files.results[1].bytes == 0);
}

TEST_CASE("du: a sparse file counts its blocks, or its length with apparent size", "[du]") {
  TempDir t;
  fs::path sparse = t.path() / "sparse";
  make_file(sparse, 4096);
  fs::resize_file(sparse, 64 * 1024 * 1024);
  auto allocated = scan_one(t.str());
  CHECK(allocated.bytes == gnu_du(t.str()));
  CHECK(allocated.bytes < 1024 * 1024);
  DuOptions apparent;
  apparent.apparent_size = true;
  auto full = scan_one(t.str(), apparent);
  CHECK(full.bytes == gnu_du(t.str(), "--apparent-size"));
  CHECK(full.bytes >= 64 * 1024 * 1024);
  REQUIRE(full.largest.size() == 1);
  CHECK(full.largest[0].bytes == 64 * 1024 * 1024);
}

TEST_CASE("du: symlinks are never followed, loops included", "[du]") {
  TempDir t;
  make_file(t.path() / "dir" / "f", 10000);
  fs::create_directory_symlink(".", t.path() / "dir" / "self");
  fs::create_directory_symlink("..", t.path() / "dir" / "up");
  fs::create_directory_symlink("/", t.path() / "dir" / "slash");
  fs::create_symlink("loop2", t.path() / "loop1");
  fs::create_symlink("loop1", t.path() / "loop2");
  DuOptions deep;
  deep.depth = 5;
  deep.top = 0;
  auto r = scan_one(t.str(), deep);
  CHECK(r.bytes == gnu_du(t.str()));
  CHECK(r.files == 6);  // f and five links
  for (const auto& e : r.largest)
    if (e.path.find("slash") != std::string::npos || e.path.find("self") != std::string::npos) CHECK_FALSE(e.is_dir);

  // A root that is a symlink to a directory is the link, as du -P counts it.
  fs::create_directory_symlink(t.path() / "dir", t.path() / "root-link");
  auto link = scan_one((t.path() / "root-link").string());
  CHECK_FALSE(link.is_dir);
  CHECK(link.bytes == gnu_du((t.path() / "root-link").string()));
}

TEST_CASE("du: --exclude matches the base name or the path, like du", "[du]") {
  TempDir t;
  make_file(t.path() / "app" / "x.log", 50000);
  make_file(t.path() / "app" / "keep.txt", 20000);
  make_file(t.path() / "app" / "cache" / "blob", 400000);
  make_file(t.path() / "app" / "cache" / "more" / "blob2", 100000);
  make_file(t.path() / "other" / "cache", 30000);  // a file named cache
  auto excluded = [&](std::vector<std::string> globs) {
    DuOptions o;
    o.excludes = globs;
    std::string flags;
    for (const auto& g : globs) flags += " --exclude='" + g + "'";
    auto r = scan_one(t.str(), o);
    CHECK(r.bytes == gnu_du(t.str(), flags));
    return r;
  };
  auto all = scan_one(t.str());
  auto no_logs = excluded({"*.log"});
  CHECK(no_logs.files == all.files - 1);
  auto no_cache = excluded({"cache"});
  CHECK(no_cache.files == all.files - 3);  // cache/ is not descended; other/cache goes too
  auto by_path = excluded({t.str() + "/app/cache"});
  CHECK(by_path.files == all.files - 2);
  auto by_glob = excluded({"*/app/c*", "*.txt"});
  CHECK(by_glob.files == all.files - 3);
  auto suffix = excluded({"cache/more"});
  CHECK(suffix.files == all.files - 1);
  // The root itself is never excluded (du would leave it out).
  DuOptions root_name;
  root_name.excludes = {t.path().filename().string()};
  CHECK(scan_one(t.str(), root_name).bytes == all.bytes);
}

TEST_CASE("du: --depth and --top choose and order the largest descendants", "[du]") {
  TempDir t;
  make_file(t.path() / "small" / "f", 10000);
  make_file(t.path() / "big" / "inner" / "g", 500000);
  make_file(t.path() / "big" / "h", 100000);
  make_file(t.path() / "medium.bin", 200000);
  make_file(t.path() / "tie-b", 40960);
  make_file(t.path() / "tie-a", 40960);

  DuOptions o;
  o.depth = 1;
  o.top = 2;
  auto r = scan_one(t.str(), o);
  REQUIRE(r.largest.size() == 2);
  CHECK(r.largest[0].path == t.str() + "/big");
  CHECK(r.largest[0].is_dir);
  CHECK(r.largest[0].depth == 1);
  CHECK(r.largest[0].files == 2);
  CHECK(r.largest[0].bytes == gnu_du(t.str() + "/big"));
  CHECK(r.largest[1].path == t.str() + "/medium.bin");
  CHECK_FALSE(r.largest[1].is_dir);
  CHECK(r.largest[1].files == 1);

  o.top = 0;
  auto all = scan_one(t.str(), o);
  REQUIRE(all.largest.size() == 5);
  CHECK(all.largest[2].path == t.str() + "/tie-a");  // equal sizes: by path
  CHECK(all.largest[3].path == t.str() + "/tie-b");
  CHECK(all.largest[4].path == t.str() + "/small");
  for (std::size_t i = 1; i < all.largest.size(); ++i) CHECK(all.largest[i - 1].bytes >= all.largest[i].bytes);

  o.depth = 2;
  auto deeper = scan_one(t.str(), o);
  CHECK(deeper.largest.size() == 8);  // + big/inner, big/h, small/f
  CHECK(deeper.largest[0].path == t.str() + "/big");
  CHECK(deeper.largest[1].path == t.str() + "/big/inner");
  CHECK(deeper.largest[1].depth == 2);
  CHECK(deeper.bytes == r.bytes);

  o.depth = 0;
  auto total_only = scan_one(t.str(), o);
  CHECK(total_only.largest.empty());
  CHECK(total_only.bytes == gnu_du(t.str()));
}

TEST_CASE("du: paths under a root given with a trailing slash, and a file root", "[du]") {
  TempDir t;
  make_file(t.path() / "d" / "f", 8192);
  auto r = scan_one(t.str() + "/");
  CHECK(r.root == t.str() + "/");
  REQUIRE(r.largest.size() == 1);
  CHECK(r.largest[0].path == t.str() + "/d");
  auto file = scan_one(t.str() + "/d/f");
  CHECK_FALSE(file.is_dir);
  CHECK(file.files == 1);
  CHECK(file.bytes == gnu_du(t.str() + "/d/f"));
  CHECK(file.largest.empty());
}

TEST_CASE("du: a missing root is an error line and the other roots are still scanned", "[du]") {
  TempDir t;
  make_file(t.path() / "f", 1000);
  auto report = scan_du({t.str() + "/nope", t.str()}, {});
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0] == "cannot access " + t.str() + "/nope: No such file or directory");
  CHECK(report.failed_roots == 1);
  REQUIRE(report.results.size() == 1);
  CHECK(report.results[0].root == t.str());
}

TEST_CASE("du: with few descriptors, subdirectories are reopened by path", "[du]") {
  TempDir t;
  // Wide and deep: every level has several subdirectories still to open.
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b)
      for (int c = 0; c < 4; ++c) make_file(t.path() / std::to_string(a) / std::to_string(b) / std::to_string(c) / "f", static_cast<std::size_t>(1000 * (a + b + c + 1)));
  fs::create_directory_symlink("/", t.path() / "0" / "0" / "escape");
  DuOptions o;
  o.max_open_dirs = 1;
  o.threads = 4;
  o.depth = 2;
  auto r = scan_one(t.str(), o);
  CHECK(r.bytes == gnu_du(t.str()));
  CHECK(r.files == 64 + 1);
}

TEST_CASE("du: a tree deeper than PATH_MAX, with few descriptors", "[du]") {
  TempDir t;
  // 2500 levels of "dir/", each with an empty sibling "leaf" that stays pending
  // (holding a descriptor, or a path to reopen) while the deeper levels are read.
  int fd = ::open(t.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool made = fd >= 0;
  for (int i = 0; made && i < 2500; ++i) {
    made = ::mkdirat(fd, "leaf", 0755) == 0 && ::mkdirat(fd, "dir", 0755) == 0;
    int next = ::openat(fd, "dir", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    fd = next;
    made = made && fd >= 0;
  }
  int file = made ? ::openat(fd, "bottom", O_WRONLY | O_CREAT | O_CLOEXEC, 0644) : -1;
  made = made && file >= 0 && ::write(file, "x", 1) == 1;
  ::close(file);
  ::close(fd);
  REQUIRE(made);
  DuOptions o;
  o.max_open_dirs = 8;
  o.depth = 3;
  o.threads = 3;
  auto r = scan_one(t.str(), o);
  CHECK(r.bytes == gnu_du(t.str()));
  CHECK(r.files == 1);
  CHECK(std::system(("rm -rf '" + t.str() + "/dir'").c_str()) == 0);  // too deep for remove_all
}

TEST_CASE("du: --one-file-system does not cross into another filesystem", "[du]") {
  TempDir t;
  make_file(t.path() / "here", 100000);
  fs::create_directories(t.path() / "mnt");
  DuOptions x;
  x.one_file_system = true;
  // A tmpfs mounted inside the tree needs CAP_SYS_ADMIN; without it, use
  // /dev, which holds /dev/shm (another filesystem) on most Linux systems.
  if (::mount("ops-test", (t.path() / "mnt").c_str(), "tmpfs", 0, "size=8m") == 0) {
    struct Unmount {
      std::string dir;
      ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
    } unmount{(t.path() / "mnt").string()};
    make_file(t.path() / "mnt" / "there", 2 * 1024 * 1024);
    auto crossing = scan_one(t.str());
    CHECK(crossing.bytes == gnu_du(t.str()));
    CHECK(crossing.bytes > 2 * 1024 * 1024);
    auto staying = scan_one(t.str(), x);
    CHECK(staying.bytes == gnu_du(t.str(), "-x"));
    CHECK(staying.bytes < 1024 * 1024);
    CHECK(staying.files == 1);
    return;
  }
  struct stat dev{}, shm{};
  if (::stat("/dev", &dev) == 0 && ::stat("/dev/shm", &shm) == 0 && dev.st_dev != shm.st_dev) {
    auto staying = scan_du({"/dev"}, x);
    REQUIRE(staying.results.size() == 1);
    CHECK(staying.results[0].bytes == gnu_du("/dev", "-x"));
    return;
  }
  WARN("no second filesystem to test against: only checked that -x keeps a one-filesystem total");
  CHECK(scan_one(t.str(), x).bytes == gnu_du(t.str()));
}

TEST_CASE("du: directories vanishing during the scan are reported, never fatal", "[du]") {
  TempDir t;
  for (int i = 0; i < 50; ++i) make_file(t.path() / "stable" / std::to_string(i), 4096);
  std::atomic<bool> stop{false};
  // A writer that keeps creating and removing directory trees under churn/.
  std::thread churn([&] {
    for (unsigned n = 0; !stop.load(); ++n) {
      fs::path d = t.path() / "churn" / std::to_string(n % 64);
      std::error_code ec;
      fs::create_directories(d / "a" / "b", ec);
      fs::remove_all(d, ec);
    }
  });
  std::size_t vanished = 0;
  for (int round = 0; round < 200; ++round) {
    DuOptions o;
    o.threads = 4;
    auto report = scan_du({t.str()}, o);
    REQUIRE(report.results.size() == 1);
    CHECK(report.results[0].files >= 50);
    for (const auto& e : report.errors) {
      CHECK_THAT(e, Catch::StartsWith("cannot read directory " + t.str() + "/churn/") &&
                        Catch::EndsWith(": No such file or directory"));
      ++vanished;
    }
  }
  stop = true;
  churn.join();
  INFO("directories seen vanishing: " << vanished);
  SUCCEED();
}

TEST_CASE("du: Excluder matches like du --exclude", "[du]") {
  opsdf::du::Excluder e({"*.log", "cache", "/srv/www/tmp*"});
  CHECK(e.matches("/var/log/syslog.log"));
  CHECK(e.matches("/home/me/cache"));
  CHECK(e.matches("/srv/www/tmp"));
  CHECK(e.matches("/srv/www/tmp2"));
  CHECK_FALSE(e.matches("/home/me/cache2"));
  CHECK_FALSE(e.matches("/home/me/cache/x"));  // below an excluded directory: never reached
  CHECK_FALSE(e.matches("/srv/www/html"));
  CHECK(opsdf::du::Excluder({"b/c"}).matches("/a/b/c"));
  CHECK_FALSE(opsdf::du::Excluder({"b/c"}).matches("/a/xb/c"));
  CHECK(opsdf::du::Excluder({}).empty());
}

TEST_CASE("du: TopEntries keeps the largest, ties by path", "[du]") {
  opsdf::du::TopEntries top(3);
  for (int i = 0; i < 10; ++i) top.add({numbered("p", i), static_cast<std::uint64_t>(i % 5), 1, 1, false});
  auto best = top.take_sorted();
  REQUIRE(best.size() == 3);
  CHECK(best[0].path == "p4");
  CHECK(best[1].path == "p9");
  CHECK(best[2].path == "p3");
  CHECK(top.may_accept(0));  // emptied by take_sorted
}

TEST_CASE("du: a task that throws stops the pool, and the tasks it drops free what they own", "[du]") {
  // The walker's tasks own their directory's Node this way; a raw pointer
  // leaked the Nodes of every dropped task.
  struct Task {
    std::shared_ptr<int> owned;
    int depth;
  };
  struct Scratch {};
  auto owned = std::make_shared<int>(0);
  int processed = 0;
  {
    opsdf::du::WorkStack<Task, Scratch> pool(Task{owned, 0});
    auto process = [&](Task& t, Scratch&) {
      ++processed;
      std::vector<Task> children(100, Task{t.owned, 1});
      pool.push(children);
      throw std::runtime_error("out of memory");
    };
    CHECK_THROWS_WITH(pool.run(1, process), "out of memory");
    CHECK(processed == 1);  // the 100 pending tasks were dropped, not run
  }
  CHECK(owned.use_count() == 1);
}
