// The file operations a rotation does, in order, with logrotate's names.
#include "opsrotate/rotation/log_files.hpp"
#include "opsrotate/rotation/plan.hpp"
#include "opsrotate/rotation/rotated_names.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <ctime>

using namespace opsrotate;
using ops::test::TempDir;

namespace {

// The plan as the lines --dry-run prints, with the directory cut off.
std::vector<std::string> plan_lines(const LogConfig& c, const std::filesystem::path& log, const char* now) {
  struct stat st {};
  REQUIRE(::lstat(log.c_str(), &st) == 0);
  LogPlan plan = plan_rotation(c, log, st, ops::parse_time(now), Decision{true, "test"});
  std::vector<std::string> lines;
  std::string dir = log.parent_path().string() + "/";
  for (const auto* ops : {&plan.rotate_ops, &plan.finish_ops})
    for (const auto& op : *ops) {
      std::string line = describe(op);
      for (std::size_t at; (at = line.find(dir)) != std::string::npos;) line.erase(at, dir.size());
      lines.push_back(line);
    }
  return lines;
}

}  // namespace

TEST_CASE("rotate plan: numbered rotations shift, compress and drop the oldest") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  for (const char* f : {"app.log", "app.log.1.gz", "app.log.2.gz", "app.log.3.gz"}) ops::test::spit(dir.path() / f, "x\n");
  LogConfig c;
  c.rotate = 3;
  c.compress = true;
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log.3.gz -> app.log.4.gz", "rename app.log.2.gz -> app.log.3.gz",
                                 "rename app.log.1.gz -> app.log.2.gz", "rename app.log -> app.log.1",
                                 "compress app.log.1 -> app.log.1.gz", "remove app.log.4.gz"});
}

TEST_CASE("rotate plan: delaycompress compresses the previous rotation, create makes a new log") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  for (const char* f : {"app.log", "app.log.1", "app.log.2.gz"}) ops::test::spit(dir.path() / f, "x\n");
  ::chmod((dir.path() / "app.log").c_str(), 0640);
  LogConfig c;
  c.rotate = 5;
  c.compress = c.delaycompress = true;
  c.create = CreateSpec{0600, std::nullopt, std::nullopt};
  auto lines = plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z");
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "rename app.log.2.gz -> app.log.3.gz");
  CHECK(lines[1] == "rename app.log.1 -> app.log.2");
  CHECK(lines[2] == "rename app.log -> app.log.1");
  CHECK(lines[3].starts_with("create app.log 0600"));
  CHECK(lines[4] == "compress app.log.2 -> app.log.2.gz");
}

TEST_CASE("rotate plan: dated names, the oldest beyond rotate removed, a taken name gets .1") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  for (const char* f : {"app.log", "app.log-20251230.gz", "app.log-20251231.gz", "app.log-20260102.gz"})
    ops::test::spit(dir.path() / f, "x\n");
  LogConfig c;
  c.rotate = 2;
  c.compress = c.dateext = true;
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log -> app.log-20260102.1", "compress app.log-20260102.1 -> app.log-20260102.1.gz",
                                 "remove app.log-20251230.gz", "remove app.log-20251231.gz"});
}

TEST_CASE("rotate plan: dated names sort by their date, whatever order dateformat writes it in") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  for (const char* f : {"app.log", "app.log-30-12-2025", "app.log-31-12-2025", "app.log-01-01-2026"})
    ops::test::spit(dir.path() / f, "x\n");
  LogConfig c;
  c.rotate = 2;
  c.dateext = true;
  c.dateformat = "-%d-%m-%Y";
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log -> app.log-02-01-2026", "remove app.log-30-12-2025",
                                 "remove app.log-31-12-2025"});
}

TEST_CASE("rotate plan: a compressed stray beside delaycompress's NAME.1 is moved aside to a .backup name") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  for (const char* f : {"app.log", "app.log.1", "app.log.1.gz", "app.log.2.gz"}) ops::test::spit(dir.path() / f, "x\n");
  LogConfig c;
  c.rotate = 3;
  c.compress = c.delaycompress = true;
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log.1.gz -> app.log.1.gz-2026010203.backup",
                                 "rename app.log.2.gz -> app.log.3.gz", "rename app.log.1 -> app.log.2",
                                 "rename app.log -> app.log.1", "compress app.log.2 -> app.log.2.gz"});
}

TEST_CASE("rotate plan: rotate 0 removes the rotated log, extension stays last, olddir") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "old");
  ops::test::spit(dir.path() / "app.log", "x\n");
  LogConfig c;
  c.rotate = 0;
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log -> app.log.1", "remove app.log.1"});
  c.rotate = 2;
  c.extension = ".log";
  c.olddir = "old";
  c.compress = true;
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log -> old/app.1.log", "compress old/app.1.log -> old/app.1.log.gz"});
  c.olddir = "missing";
  struct stat st {};
  ::lstat((dir.path() / "app.log").c_str(), &st);
  CHECK_THROWS_WITH(plan_rotation(c, dir.path() / "app.log", st, ops::parse_time("2026-01-02T03:00:00Z"), {}),
                    Catch::Contains("/missing of ") && Catch::Contains("does not exist (set createolddir to create it)"));
}

TEST_CASE("rotate plan: rotate 0 with a stray NAME.1 keeps neither (it kept the new rotation as NAME.1)") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  for (const char* f : {"app.log", "app.log.1"}) ops::test::spit(dir.path() / f, "x\n");
  LogConfig c;  // no rotate line: rotate 0
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"remove app.log.1", "rename app.log -> app.log.1", "remove app.log.1"});
  // Compressed, the stray and the new rotation share a name too: both go.
  std::filesystem::rename(dir.path() / "app.log.1", dir.path() / "app.log.1.gz");
  c.compress = true;
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"remove app.log.1.gz", "rename app.log -> app.log.1",
                                 "compress app.log.1 -> app.log.1.gz", "remove app.log.1.gz"});
  std::filesystem::rename(dir.path() / "app.log.1.gz", dir.path() / "app.log.1");
  c.compress = false;
  // A preremove script runs before each removal; when it refuses the
  // stray's, the stray is kept as NAME.2 (logrotate's result) and the log
  // still rotates.
  c.scripts.preremove = "false";
  c.mail = "ops@example.org";
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"preremove app.log.1 (kept as app.log.2 if refused)", "remove app.log.1",
                                 "rename app.log -> app.log.1", "mail app.log.1", "preremove app.log.1",
                                 "remove app.log.1"});
}

TEST_CASE("rotate plan: maillast mails what falls out of rotate under its own name, uncompressed on sending") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  for (const char* f : {"app.log", "app.log.1.gz", "app.log.2.gz"}) ops::test::spit(dir.path() / f, "x\n");
  LogConfig c;
  c.rotate = 2;
  c.compress = true;
  c.mail = "ops@example.org";
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log.2.gz -> app.log.3.gz", "rename app.log.1.gz -> app.log.2.gz",
                                 "rename app.log -> app.log.1", "compress app.log.1 -> app.log.1.gz",
                                 "mail app.log.3.gz", "remove app.log.3.gz"});
  // delaycompress: the same file and subject.
  c.delaycompress = true;
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z").back() == "remove app.log.3.gz");
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z").end()[-2] == "mail app.log.3.gz");
}

TEST_CASE("rotate plan: mailfirst mails the new rotation; its subject is the log's name only when compressed at once") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  for (const char* f : {"app.log", "app.log.1"}) ops::test::spit(dir.path() / f, "x\n");
  LogConfig c;
  c.rotate = 3;
  c.mail = "ops@example.org";
  c.mailfirst = true;
  auto mail_line = [&] {
    for (const auto& line : plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z"))
      if (line.starts_with("mail ")) return line;
    return std::string("no mail");
  };
  CHECK(mail_line() == "mail app.log.1");
  c.compress = true;
  CHECK(mail_line() == "mail app.log.1 (subject app.log)");
  c.delaycompress = true;
  CHECK(mail_line() == "mail app.log.1");
}

TEST_CASE("rotate plan: rotate 0 with compress compresses, mails and removes the new rotation, as logrotate") {
  ops::test::TzGuard utc("UTC");
  TempDir dir;
  ops::test::spit(dir.path() / "app.log", "x\n");
  LogConfig c;
  c.compress = true;
  c.mail = "ops@example.org";
  c.mailfirst = true;
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log -> app.log.1", "mail app.log.1 (subject app.log)",
                                 "compress app.log.1 -> app.log.1.gz", "remove app.log.1.gz"});
  // maillast, dated: the file that goes, by its compressed name.
  c.mailfirst = false;
  c.dateext = true;
  c.dateformat = "-%Y%m%d";
  CHECK(plan_lines(c, dir.path() / "app.log", "2026-01-02T03:00:00Z") ==
        std::vector<std::string>{"rename app.log -> app.log-20260102", "compress app.log-20260102 -> app.log-20260102.gz",
                                 "mail app.log-20260102.gz", "remove app.log-20260102.gz"});
}

TEST_CASE("rotate plan: globs never pick up rotated files") {
  for (const char* rotated : {"app.log.1", "app.log.12.gz", "app.log-20261124", "app.log-2026112413.gz", "x.gz", "a.1.log"})
    CHECK(looks_rotated(rotated));
  for (const char* live : {"app.log", "access_log", "php8.2-fpm.log", "mysql-slow.log", "laravel-2026-11-24.log"})
    CHECK_FALSE(looks_rotated(live));
}

TEST_CASE("rotate plan: a log named by two blocks skips the later block whole, unless either says ignoreduplicates") {
  TempDir dir;
  for (const char* f : {"a.log", "b.log", "c.log"}) ops::test::spit(dir.path() / f, "x\n");
  auto block = [&](std::vector<std::string> patterns, int line, bool ignoreduplicates = false) {
    LogConfig c;
    c.file = "test.conf";
    c.line = line;
    for (auto& p : patterns) c.patterns.push_back((dir.path() / p).string());
    c.ignoreduplicates = ignoreduplicates;
    return c;
  };
  auto names = [](const std::vector<LogSet>& sets) {
    std::vector<std::string> out;
    for (const auto& set : sets)
      for (const auto& log : set.logs) out.push_back(log.filename().string() + "@" + std::to_string(set.config->line));
    return out;
  };
  // The first block says ignoreduplicates (logrotate's test 107): the later match is left to it.
  RotateConfig config;
  config.logs = {block({"a.log"}, 1, true), block({"*.log"}, 5)};
  std::vector<ConfigError> errors;
  CHECK(names(expand_logs(config, errors)) == std::vector<std::string>{"a.log@1", "b.log@5", "c.log@5"});
  CHECK(errors.empty());
  // The later block says it: the same.
  config.logs = {block({"a.log"}, 1), block({"*.log"}, 5, true)};
  CHECK(names(expand_logs(config, errors)) == std::vector<std::string>{"a.log@1", "b.log@5", "c.log@5"});
  CHECK(errors.empty());
  // Neither: the later block is skipped whole (not only its a.log), and what
  // it named is free for the blocks after it.
  config.logs = {block({"a.log"}, 1), block({"*.log"}, 5), block({"c.log"}, 9)};
  CHECK(names(expand_logs(config, errors)) == std::vector<std::string>{"a.log@1", "c.log@9"});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].message == "test.conf:5: duplicate log entry for '" + (dir.path() / "a.log").string() +
                                 "' (first in test.conf:1)");
  CHECK(errors[0].hint == "remove one of them, or say ignoreduplicates in the first block");
  CHECK_FALSE(errors[0].skipping);
  CHECK(errors[1].message == "test.conf:5: skipping the block of '" + (dir.path() / "*.log").string() +
                                 "' for its error: none of its logs is rotated, none of its scripts run");
  CHECK(errors[1].skipping);
  // A log named twice in one block is a duplicate too.
  errors.clear();
  config.logs = {block({"a.log", "a.log"}, 1), block({"b.log"}, 4)};
  CHECK(names(expand_logs(config, errors)) == std::vector<std::string>{"b.log@4"});
  CHECK(errors.size() == 2);
}
