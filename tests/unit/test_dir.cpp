// ops/dir.hpp: working below a directory fd, temporaries published without
// replacing, what a killed run left, and the one permission rule.
#include <ops/dir.hpp>
#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <algorithm>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using ops::test::slurp;
using ops::test::spit;
using ops::test::TempDir;

namespace {

std::vector<std::string> sorted_names(const ops::Dir& dir) {
  auto names = ops::list_names(dir);
  std::sort(names.begin(), names.end());
  return names;
}

struct stat with_mode(mode_t mode, gid_t gid) {
  struct stat st {};
  st.st_mode = S_IFDIR | mode;
  st.st_gid = gid;
  return st;
}

}  // namespace

TEST_CASE("dir: temporary names are known to one module, with or without a tag") {
  CHECK(ops::temp_name_prefix("app.log.gz") == ".app.log.gz.tmp.");
  CHECK(ops::temp_name_prefix("app.log.gz", "opsarchive") == ".app.log.gz.opsarchive-tmp.");
  CHECK(ops::temp_name_target(".app.log.gz.tmp.Ab12Cd") == "app.log.gz");
  CHECK(ops::temp_name_target(".app.log.gz.opsarchive-tmp.Ab12Cd", "opsarchive") == "app.log.gz");
  CHECK_FALSE(ops::temp_name_target(".app.log.gz.opsarchive-tmp.Ab12Cd"));  // another tag's
  CHECK_FALSE(ops::temp_name_target(".app.log.gz.tmp.Ab12Cd", "opsarchive"));
  CHECK_FALSE(ops::temp_name_target("app.log.gz.tmp.Ab12Cd"));     // not hidden: someone's own file
  CHECK_FALSE(ops::temp_name_target(".app.log.gz.tmp.Ab12C"));     // 5 characters
  CHECK_FALSE(ops::temp_name_target(".app.log.gz.tmp.Ab12C-"));
  CHECK_FALSE(ops::temp_name_target(".app.log.gz.tmp.Ab12Cd.bak"));
}

TEST_CASE("dir: a temporary is published without replacing an existing file") {
  TempDir t;
  ops::Dir dir = ops::Dir::open(t.path());
  {
    ops::TempFile file(dir, "report.csv", {0640, {}});
    CHECK(ops::temp_name_target(file.name()) == "report.csv");
    file.write("first\n");
    CHECK(file.publish());
  }
  CHECK(slurp(t.path() / "report.csv") == "first\n");
  struct stat st {};
  REQUIRE(::stat((t.path() / "report.csv").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  {
    ops::TempFile file(dir, "report.csv");
    file.write("second\n");
    CHECK_FALSE(file.publish());
  }
  CHECK(slurp(t.path() / "report.csv") == "first\n");
  CHECK(sorted_names(dir) == std::vector<std::string>{"report.csv"});
}

TEST_CASE("dir: a temporary that is not durable is published all the same, never replacing") {
  // What it leaves out (the fsyncs) no test can see short of a power cut.
  TempDir t;
  ops::Dir dir = ops::Dir::open(t.path());
  ops::TempOptions options;
  options.mode = 0640;
  options.durable = false;
  {
    ops::TempFile file(dir, "app.log", options);
    CHECK(file.publish());
  }
  CHECK(slurp(t.path() / "app.log").empty());
  struct stat st {};
  REQUIRE(::stat((t.path() / "app.log").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  spit(t.path() / "app.log", "written meanwhile\n");
  {
    ops::TempFile file(dir, "app.log", options);
    CHECK_FALSE(file.publish());
  }
  CHECK(slurp(t.path() / "app.log") == "written meanwhile\n");
  CHECK(sorted_names(dir) == std::vector<std::string>{"app.log"});
}

TEST_CASE("dir: rename_noreplace moves, and refuses an existing target") {
  TempDir t;
  t.write("a", "A");
  t.write("b", "B");
  ops::Dir dir = ops::Dir::open(t.path());
  CHECK(ops::rename_noreplace(dir, "a", dir, "b") == ops::Moved::target_exists);
  CHECK(slurp(t.path() / "b") == "B");
  CHECK(ops::rename_noreplace(dir, "a", dir, "c") == ops::Moved::yes);
  CHECK(slurp(t.path() / "c") == "A");
  CHECK_FALSE(fs::exists(t.path() / "a"));
  CHECK_THROWS_WITH(ops::rename_noreplace(dir, "a", dir, "d"), Catch::Contains((t.path() / "a").string()));
}

TEST_CASE("dir: rename_noreplace moves a directory, and refuses an existing target") {
  TempDir t;
  fs::create_directories(t.path() / "tree" / "sub");
  t.write("tree/sub/f", "F");
  fs::create_directory(t.path() / "empty");
  t.write("file", "x");
  ops::Dir dir = ops::Dir::open(t.path());
  CHECK(ops::rename_noreplace(dir, "tree", dir, "empty") == ops::Moved::target_exists);  // even an empty one
  CHECK(ops::rename_noreplace(dir, "tree", dir, "file") == ops::Moved::target_exists);
  CHECK(ops::rename_noreplace(dir, "tree", dir, "moved") == ops::Moved::yes);
  CHECK(slurp(t.path() / "moved" / "sub" / "f") == "F");
  CHECK(fs::is_empty(t.path() / "empty"));
}

TEST_CASE("dir: a temporary directory has a temporary's name and the mode asked for") {
  TempDir t;
  ops::Dir dir = ops::Dir::open(t.path());
  const std::string name = ops::create_temp_dir(dir, "restored");
  CHECK(ops::temp_name_target(name) == "restored");
  struct stat st {};
  REQUIRE(::lstat((t.path() / name).c_str(), &st) == 0);
  CHECK(S_ISDIR(st.st_mode));
  CHECK((st.st_mode & 07777) == 0700);
  const std::string other = ops::create_temp_dir(dir, "restored", 0750);
  CHECK(other != name);
  REQUIRE(::lstat((t.path() / other).c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0750);
}

TEST_CASE("dir: remove_tree removes a tree, never what a symlink in it points to") {
  TempDir t;
  fs::create_directories(t.path() / "keep");
  t.write("keep/precious", "P");
  fs::create_directories(t.path() / "tree" / "a" / "locked");
  t.write("tree/a/f", "F");
  t.write("tree/a/locked/g", "G");
  fs::create_directory_symlink(t.path() / "keep", t.path() / "tree" / "to-keep");
  fs::create_symlink(t.path() / "keep" / "precious", t.path() / "tree" / "a" / "to-precious");
  fs::create_symlink("../../keep", t.path() / "tree" / "a" / "relative");
  ::chmod((t.path() / "tree" / "a" / "locked").c_str(), 0);
  ::chmod((t.path() / "tree" / "a").c_str(), 0500);
  ops::Dir dir = ops::Dir::open(t.path());
  CHECK(ops::remove_tree(dir, "tree"));
  CHECK_FALSE(fs::exists(fs::symlink_status(t.path() / "tree")));
  CHECK(slurp(t.path() / "keep" / "precious") == "P");
  CHECK_FALSE(ops::remove_tree(dir, "tree"));
  fs::create_symlink(t.path() / "keep", t.path() / "link");
  CHECK(ops::remove_tree(dir, "link"));  // the link, not its directory
  CHECK(slurp(t.path() / "keep" / "precious") == "P");
  CHECK(ops::remove_tree(dir, "keep"));
  CHECK(sorted_names(dir).empty());
}

TEST_CASE("dir: clear_leftovers removes a dead run's temporaries only") {
  TempDir t;
  ops::Dir dir = ops::Dir::open(t.path());
  t.write(".app.log.1.gz.tmp.Dead01", "half");
  t.write(".other.log.tmp.Dead02", "other log's");
  t.write(".app.log.1.gz.opsarchive-tmp.Dead03", "another tag's");
  t.write("app.log.1", "plain");
  ops::TempFile live(dir, "app.log.2.gz");  // a live run's: it holds its lock

  ops::LeftoverQuery query;
  query.wanted = [](const std::string& final_name) { return final_name.starts_with("app.log"); };
  query.dry_run = true;
  auto found = ops::clear_leftovers(dir, query);
  REQUIRE(found.size() == 1);
  CHECK(found[0].name == ".app.log.1.gz.tmp.Dead01");
  CHECK(found[0].final_name == "app.log.1.gz");
  CHECK(found[0].size == 4);
  CHECK(fs::exists(t.path() / ".app.log.1.gz.tmp.Dead01"));  // a dry run removes nothing

  query.dry_run = false;
  CHECK(ops::clear_leftovers(dir, query).size() == 1);
  CHECK(sorted_names(dir) == std::vector<std::string>{".app.log.1.gz.opsarchive-tmp.Dead03", live.name(),
                                                      ".other.log.tmp.Dead02", "app.log.1"});
  CHECK(ops::clear_leftover(dir, live.name(), false) == std::nullopt);
}

TEST_CASE("dir: below never follows a symlink and never leaves the directory") {
  TempDir t;
  fs::create_directories(t.path() / "a" / "b");
  fs::create_directory(t.path() / "elsewhere");
  fs::create_directory_symlink(t.path() / "elsewhere", t.path() / "a" / "link");
  ops::Dir root = ops::Dir::open(t.path() / "a");
  ops::Dir b = root.below("b");
  CHECK(b.path() == t.path() / "a" / "b");
  CHECK_THROWS_WITH(root.below("link"), Catch::Contains("cannot open directory"));
  CHECK_THROWS_WITH(root.below("b/../.."), Catch::Contains("leaves its directory"));
  spit(t.path() / "elsewhere" / "f", "x");
  ::symlink((t.path() / "elsewhere" / "f").c_str(), (t.path() / "a" / "f").c_str());
  CHECK_THROWS(root.open_read("f"));
  CHECK(root.stat("f").has_value());
  CHECK_FALSE(root.stat("missing").has_value());
}

TEST_CASE("dir: one permission rule, with its parameters") {
  using ops::Exposure;
  CHECK(ops::exposure(with_mode(0755, 1000)) == Exposure::none);
  CHECK(ops::exposure(with_mode(01777, 0)) == Exposure::others);  // sticky or not
  CHECK(ops::exposure(with_mode(0775, 1000)) == Exposure::group);
  CHECK(ops::exposure(with_mode(0775, 0)) == Exposure::none);  // group root, as logrotate
  CHECK(ops::exposure(with_mode(0775, 0), {.root_group_trusted = false}) == Exposure::group);
  CHECK(ops::exposure(with_mode(0640, 0)) == Exposure::none);
  CHECK(ops::exposure(with_mode(0640, 0), {.root_group_trusted = false, .secret = true}) == Exposure::group);
  CHECK(ops::exposure(with_mode(0604, 0), {.root_group_trusted = false, .secret = true}) == Exposure::others);
  CHECK(ops::exposure(with_mode(0600, 0), {.root_group_trusted = false, .secret = true}) == Exposure::none);
  CHECK(ops::exposure_text(with_mode(01777, 0)) == "writable by others (mode 1777)");
  CHECK(ops::exposure_text(with_mode(0775, 1000)) == "writable by group 1000 (mode 0775)");
  CHECK(ops::exposure_text(with_mode(0755, 1000)).empty());
}
