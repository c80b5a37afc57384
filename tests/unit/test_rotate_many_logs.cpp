// Many logs in one directory: each directory is read once per block (not
// once per log), and what the lookups find is the same as a fresh read.
#include "opsrotate/config/config_parser.hpp"
#include "opsrotate/rotation/dir_listing.hpp"
#include "opsrotate/rotation/log_files.hpp"
#include "opsrotate/rotation/rotate_run.hpp"
#include "opsrotate/rotation/state_file.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace fs = std::filesystem;
using namespace opsrotate;
using ops::test::TempDir;

namespace {

// A forced run (-f) of the configuration at OPS_NOW=now, state in DIR/status.
RunReport forced_run(const TempDir& dir, const std::string& config_text, const char* now) {
  ops::test::EnvGuard clock("OPS_NOW", now);
  RotateConfig config = parse_config_text(config_text, (dir.path() / "test.conf").string());
  RunOptions options;
  options.state_path = dir.path() / "status";
  options.force = true;
  std::vector<ConfigError> errors;
  const std::vector<LogSet> sets = expand_logs(config, errors);
  REQUIRE(errors.empty());
  return rotate_logs(sets, options);
}

}  // namespace

TEST_CASE("rotate dir listing: names by prefix, sorted; forgotten names; an absent directory", "[rotate][many]") {
  TempDir dir;
  for (const char* name : {"app.log.2", "app.log", "app.log.1", "apps.log", "other.log", ".app.log.1.gz.tmp.abc"})
    dir.write(name, "x");
  DirListings listings;
  using Names = std::vector<std::string>;
  CHECK(listings.starting_with(dir.path(), "app.log") == Names{"app.log", "app.log.1", "app.log.2"});
  CHECK(listings.starting_with(dir.path(), "app") == Names{"app.log", "app.log.1", "app.log.2", "apps.log"});
  CHECK(listings.starting_with(dir.path(), ".app.log") == Names{".app.log.1.gz.tmp.abc"});
  CHECK(listings.starting_with(dir.path(), "zz").empty());
  // Read once: a file made since is not seen until clear().
  dir.write("app.log.3", "x");
  CHECK(listings.starting_with(dir.path(), "app.log.") == Names{"app.log.1", "app.log.2"});
  listings.forget(dir.path(), "app.log.1");
  CHECK(listings.starting_with(dir.path(), "app.log.") == Names{"app.log.2"});
  listings.clear();
  CHECK(listings.starting_with(dir.path(), "app.log.") == Names{"app.log.1", "app.log.2", "app.log.3"});
  CHECK(listings.starting_with(dir.path() / "absent", "app").empty());
  CHECK(listings.starting_with("", "app").empty());
}

TEST_CASE("rotate many logs: 2,000 logs of one glob all rotate, shifted and recorded", "[rotate][many]") {
  TempDir dir;
  constexpr int kLogs = 2000;
  for (int i = 1; i <= kLogs; ++i) {
    const std::string name = fmt::format("app{:04}.log", i);
    dir.write(name, "new " + name + "\n");
    if (i % 2 == 0) dir.write(name + ".1", "old " + name + "\n");
  }
  RunReport report =
      forced_run(dir, fmt::format("{}/*.log {{\n  rotate 5\n  create\n}}\n", dir.str()), "2026-03-02T03:00:00Z");
  CHECK(report.status == ops::Status::ok);
  REQUIRE(report.logs.size() == static_cast<std::size_t>(kLogs));
  for (const auto& o : report.logs) CHECK(o.result == LogOutcome::Result::rotated);
  for (int i = 1; i <= kLogs; ++i) {
    const std::string name = fmt::format("app{:04}.log", i);
    CHECK(ops::test::slurp(dir.path() / name).empty());  // created anew
    CHECK(ops::test::slurp(dir.path() / (name + ".1")) == "new " + name + "\n");
    if (i % 2 == 0) CHECK(ops::test::slurp(dir.path() / (name + ".2")) == "old " + name + "\n");
    else CHECK_FALSE(fs::exists(dir.path() / (name + ".2")));
  }
  StateFile state = read_state(dir.path() / "status");
  REQUIRE(state.entries.size() == static_cast<std::size_t>(kLogs));
  for (const auto& [log, when] : state.entries) CHECK(when == ops::parse_time("2026-03-02T03:00:00Z"));
}

TEST_CASE("rotate many logs: a block sees the rotations an earlier block made in a shared olddir",
          "[rotate][many]") {
  // Two logs of one name in two directories, one olddir: the second block
  // must read the olddir again after the first one's rename, or its own
  // rename would find app.log.1 taken.
  TempDir dir;
  fs::create_directories(dir.path() / "a");
  fs::create_directories(dir.path() / "b");
  fs::create_directories(dir.path() / "old");
  dir.write("a/app.log", "from a\n");
  dir.write("b/app.log", "from b\n");
  const std::string config = fmt::format("{0}/a/app.log {{\n  olddir {0}/old\n  rotate 5\n}}\n"
                                         "{0}/b/app.log {{\n  olddir {0}/old\n  rotate 5\n}}\n",
                                         dir.str());
  RunReport report = forced_run(dir, config, "2026-03-02T03:00:00Z");
  CHECK(report.status == ops::Status::ok);
  CHECK(ops::test::slurp(dir.path() / "old/app.log.1") == "from b\n");
  CHECK(ops::test::slurp(dir.path() / "old/app.log.2") == "from a\n");
}
