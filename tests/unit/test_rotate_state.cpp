// opsrotate's state file: logrotate 3.21's format, read and written the same
// way, odd paths, old formats, corrupt lines, time zones.
#include "opsrotate/rotation/rotate_run.hpp"
#include "opsrotate/rotation/state_file.hpp"
#include "support.hpp"

#include <ops/error.hpp>

#include <algorithm>
#include <catch2/catch.hpp>
#include <ctime>
#include <sstream>
#include <sys/stat.h>

namespace fs = std::filesystem;
using ops::test::EnvGuard;
using ops::test::TempDir;
using ops::test::TzGuard;
using opsrotate::StateFile;

namespace {

ops::SysTime at(const char* iso) { return ops::parse_time(iso); }

const std::string kHeader = "logrotate state -- version 2\n";

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace

TEST_CASE("rotate state: written as logrotate writes it", "[rotate][state]") {
  TzGuard tz("UTC");
  StateFile s;
  s.entries["/var/log/app.log"] = at("2026-01-05T03:04:05Z");
  s.entries["/var/log/with space \"q\" back\\slash\nnl\ttab.log"] = at("2026-11-24T16:25:01Z");
  CHECK(opsrotate::format_state(s) == kHeader +
                                          "\"/var/log/app.log\" 2026-1-5-3:4:5\n"
                                          "\"/var/log/with space \\\"q\\\" back\\\\slash\\nnl\ttab.log\" 2026-11-24-16:25:1\n");
}

TEST_CASE("rotate state: odd paths survive a round trip through the file", "[rotate][state]") {
  TzGuard tz("Europe/Berlin");
  TempDir dir;
  StateFile s;
  const std::vector<std::string> paths = {
      "/var/log/plain.log",      "/l/with space.log", "/l/quo\"te.log",   "/l/back\\slash.log",
      "/l/new\nline.log",        "/l/literal\\n.log", "/l/lit\\\\n.log",  "/l/tab\there.log",
      "/l/single'quote.log",     "/l/utf8-\xc3\xa9.log", "/l/trailing\\", " /l/leading space",
      "/l/\\\"mixed\\\\\n\"",    "/l/cr\r.log"};
  auto t = at("2026-07-01T10:00:00Z");
  for (const auto& p : paths) s.entries[p] = t;
  auto file = dir.path() / "status";
  opsrotate::write_state(file, s);

  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);  // no temp left

  auto back = opsrotate::read_state(file);
  CHECK(back.warnings.empty());
  CHECK(back.entries == s.entries);

  // Written again over the old one, atomically, the same bytes.
  opsrotate::write_state(file, back);
  CHECK(ops::test::slurp(file) == opsrotate::format_state(s));
}

TEST_CASE("rotate state: reads a file the real logrotate 3.21 wrote", "[rotate][state]") {
  // tests/fixtures/logrotate-state/README says how it was made: every entry
  // 2026-01-05 03:04:05 in Europe/Berlin.
  TzGuard tz("Europe/Berlin");
  auto fixture = fs::path(OPS_TEST_FIXTURES_DIR) / "logrotate-state" / "status";
  auto s = opsrotate::read_state(fixture);
  CHECK(s.warnings.empty());
  const std::string d = "/tmp/opsrotate-fixture/logs/";
  std::map<std::string, ops::SysTime> expected;
  for (const char* name : {"plain.log", "with space.log", "quo\"te.log", "back\\slash.log", "new\nline.log",
                           "literal\\n.log", "tab\there.log", "single'quote.log", "utf8-\xc3\xa9.log"})
    expected[d + name] = at("2026-01-05T02:04:05Z");
  CHECK(s.entries == expected);
  // And we write every line exactly as logrotate did (its order is a hash's).
  CHECK(sorted_lines(opsrotate::format_state(s)) == sorted_lines(ops::test::slurp(fixture)));
}

TEST_CASE("rotate state: reads the forms logrotate reads", "[rotate][state]") {
  TzGuard tz("UTC");
  auto one = [](const std::string& text) {
    auto s = opsrotate::parse_state(text, "status");
    INFO(text);
    CHECK(s.warnings.empty());
    REQUIRE(s.entries.size() == 1);
    return *s.entries.begin();
  };
  using Entry = std::pair<const std::string, ops::SysTime>;
  // No header (the oldest format), or version 1's.
  CHECK(one("\"/a.log\" 2020-1-1-0:0:0\n") == Entry{"/a.log", at("2020-01-01T00:00:00Z")});
  CHECK(one("logrotate state -- version 1\n\"/a.log\" 2020-1-1\n") == Entry{"/a.log", at("2020-01-01T00:00:00Z")});
  // A date only, an hour, hour and minute, zero padding.
  CHECK(one(kHeader + "\"/a.log\" 2020-3-4\n").second == at("2020-03-04T00:00:00Z"));
  CHECK(one(kHeader + "\"/a.log\" 2020-3-4-5\n").second == at("2020-03-04T05:00:00Z"));
  CHECK(one(kHeader + "\"/a.log\" 2020-3-4-5:6\n").second == at("2020-03-04T05:06:00Z"));
  CHECK(one(kHeader + "\"/a.log\" 2020-03-04-05:06:07\n").second == at("2020-03-04T05:06:07Z"));
  // A day past the month's end rolls over, as mktime (and logrotate) do.
  CHECK(one(kHeader + "\"/a.log\" 2020-2-30\n").second == at("2020-03-01T00:00:00Z"));
  // Quoting: unquoted, single quotes, backslash outside quotes escapes anything,
  // inside double quotes only \" and (afterwards) \\ and \n mean something.
  CHECK(one(kHeader + "/a.log 2020-1-1\n").first == "/a.log");
  CHECK(one(kHeader + "/b\\ c.log 2020-1-1\n").first == "/b c.log");
  CHECK(one(kHeader + "/q\\a.log 2020-1-1\n").first == "/qa.log");
  CHECK(one(kHeader + "/q\\\\a.log 2020-1-1\n").first == "/q\\a.log");
  CHECK(one(kHeader + "'/b c.log' 2020-1-1\n").first == "/b c.log");
  CHECK(one(kHeader + "'/q\\a.log' 2020-1-1\n").first == "/q\\a.log");
  CHECK(one(kHeader + "'/n\\nl.log' 2020-1-1\n").first == "/n\nl.log");
  CHECK(one(kHeader + "\"/q\\a.log\" 2020-1-1\n").first == "/q\\a.log");
  CHECK(one(kHeader + "\"/t\\t.log\" 2020-1-1\n").first == "/t\\t.log");
  CHECK(one(kHeader + "\"/q\\\\\\a.log\" 2020-1-1\n").first == "/q\\\\a.log");
  CHECK(one(kHeader + "\"/d\\\"q.log\" 2020-1-1\n").first == "/d\"q.log");
  CHECK(one(kHeader + "\"/dir/\"a.log 2020-1-1\n").first == "/dir/a.log");
  // Blank lines, indentation, extra spaces, CRLF.
  CHECK(one(kHeader + "\n  \"/a.log\"   2020-1-1  \r\n\n").first == "/a.log");
}

TEST_CASE("rotate state: a corrupt line is a warning with its line number, later lines count", "[rotate][state]") {
  TzGuard tz("UTC");
  auto s = opsrotate::parse_state(kHeader +
                                      "\"/a.log\" 2020-1-1\n"        // 2
                                      "garbage\n"                    // 3
                                      "\"/b.log\" 2020-13-1\n"       // 4
                                      "\"/c.log 2020-1-1\n"          // 5
                                      "\"/d.log\" 2020-1-1 extra\n"  // 6
                                      "\"/e.log\" 1969-12-31\n"      // 7
                                      "\"/f.log\" 2020-1-1-24:0:0\n" // 8
                                      "\"/g.log\" 2020-1-1-0:0:0x\n" // 9
                                      "\"\" 2020-1-1\n"              // 10
                                      "\"/h.log\" 2020-1-1\n"        // 11
                                      "logrotate state -- version 3\n",  // 12
                                  "/var/lib/logrotate/status");
  CHECK(s.entries.size() == 2);
  CHECK(s.entries.count("/a.log") == 1);
  CHECK(s.entries.count("/h.log") == 1);
  REQUIRE(s.warnings.size() == 9);
  CHECK(s.warnings[0] == "bad line 3 in state file /var/lib/logrotate/status: 'garbage': a path and a time are needed");
  CHECK(s.warnings[1] ==
        "bad line 4 in state file /var/lib/logrotate/status: '\"/b.log\" 2020-13-1': month 13 is out of range (1-12)");
  CHECK(s.warnings[2] == "bad line 5 in state file /var/lib/logrotate/status: '\"/c.log 2020-1-1': unterminated quote");
  CHECK(s.warnings[3] ==
        "bad line 6 in state file /var/lib/logrotate/status: '\"/d.log\" 2020-1-1 extra': text after the time");
  CHECK(s.warnings[4] ==
        "bad line 7 in state file /var/lib/logrotate/status: '\"/e.log\" 1969-12-31': year 1969 is out of range (1970-2100)");
  CHECK(s.warnings[5].rfind("bad line 8 in state file /var/lib/logrotate/status: '\"/f.log\" 2020-1-1-24:0:0': hour 24", 0) == 0);
  CHECK(s.warnings[6].rfind("bad line 9 in state file /var/lib/logrotate/status: ", 0) == 0);
  CHECK(s.warnings[7] == "bad line 10 in state file /var/lib/logrotate/status: '\"\" 2020-1-1': empty path");
  CHECK(s.warnings[8].rfind("bad line 12 in state file /var/lib/logrotate/status: ", 0) == 0);

  // A header that is not on the first line is just another bad line, and a
  // very long line is shown cut.
  auto long_line = opsrotate::parse_state("\n" + std::string(5000, 'x') + "\n", "s");
  REQUIRE(long_line.warnings.size() == 1);
  CHECK(long_line.warnings[0].size() < 300);
  CHECK(opsrotate::parse_state(std::string("\"/a\0b\" 2020-1-1\n", 16), "s").warnings.size() == 1);
}

TEST_CASE("rotate state: a path listed twice, the later line wins", "[rotate][state]") {
  TzGuard tz("UTC");
  auto s = opsrotate::parse_state(kHeader + "\"/a.log\" 2020-1-1\n\"/b.log\" 2021-1-1\n/a.log 2022-2-2\n", "s");
  CHECK(s.warnings.empty());
  CHECK(s.entries.at("/a.log") == at("2022-02-02T00:00:00Z"));
  CHECK(s.entries.at("/b.log") == at("2021-01-01T00:00:00Z"));
}

TEST_CASE("rotate state: times are local, in the zone TZ names", "[rotate][state]") {
  const std::string text = kHeader + "\"/s.log\" 2026-7-15-12:0:0\n\"/w.log\" 2026-1-15-12:0:0\n";
  {
    TzGuard tz("UTC");
    auto s = opsrotate::parse_state(text, "s");
    CHECK(s.entries.at("/w.log") == at("2026-01-15T12:00:00Z"));
    CHECK(s.entries.at("/s.log") == at("2026-07-15T12:00:00Z"));
  }
  {
    TzGuard tz("America/New_York");  // EST -5 in winter, EDT -4 in summer
    auto s = opsrotate::parse_state(text, "s");
    CHECK(s.entries.at("/w.log") == at("2026-01-15T17:00:00Z"));
    CHECK(s.entries.at("/s.log") == at("2026-07-15T16:00:00Z"));
    CHECK(opsrotate::format_state(s) == text);
    CHECK(opsrotate::format_state_time(at("2026-03-08T07:30:00Z")) == "2026-3-8-3:30:0");  // just after the jump
  }
  {
    TzGuard tz("Europe/Berlin");
    CHECK(opsrotate::format_state_time(at("2026-01-15T17:00:00Z")) == "2026-1-15-18:0:0");
    CHECK(opsrotate::format_state_time(at("2026-07-15T17:00:00Z")) == "2026-7-15-19:0:0");
  }
}

TEST_CASE("rotate state: a missing file is an empty state, an unreadable one an error", "[rotate][state]") {
  TempDir dir;
  auto s = opsrotate::read_state(dir.path() / "no-such-status");
  CHECK(s.entries.empty());
  CHECK(s.warnings.empty());
  CHECK_THROWS_AS(opsrotate::read_state(dir.path()), ops::Error);  // a directory
  auto empty = opsrotate::read_state(dir.write("empty", ""));
  CHECK(empty.entries.empty());
  CHECK(empty.warnings.empty());
}

TEST_CASE("rotate state: check_state_path refuses what no run could use, naming where it came from",
          "[rotate][state]") {
  TempDir dir;
  auto usage = [](const std::filesystem::path& p) {
    try {
      opsrotate::check_state_path(p, "--state");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(usage("") == "--state: the state file name is empty");
  CHECK(usage(dir.path()) == "--state: '" + dir.path().string() + "' is a directory, not a regular file");
  // The null device is logrotate's "keep no state"; any other device is refused.
  CHECK(usage("/dev/null") == "accepted");
  CHECK(usage("/dev/zero") == "--state: '/dev/zero' is a character device, not a regular file");
  const auto nx = dir.path() / "nx";
  CHECK(usage(nx / "status") == "--state: cannot use '" + (nx / "status").string() + "': its directory " +
                                    nx.string() + ": No such file or directory");
  auto file = dir.write("status", "");
  CHECK(usage(file) == "accepted");
  CHECK(usage(dir.path() / "new-status") == "accepted");
  std::filesystem::create_directory(dir.path() / "status.lock");
  CHECK(usage(file) == "--state: lock file " + file.string() + ".lock of state file " + file.string() +
                           " is not a regular file");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "new-status.lock"));  // nothing made
}

TEST_CASE("rotate state: a run refused after taking the lock leaves no lock file it made", "[rotate][state]") {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "status");  // read_state refuses it
  opsrotate::RunOptions options;
  options.state_path = dir.path() / "status";
  SECTION("a lock file the run made is removed") {
    CHECK_THROWS_AS(opsrotate::rotate_logs({}, options), ops::Error);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "status.lock"));
  }
  SECTION("one that was there stays") {
    dir.write("status.lock", "");
    CHECK_THROWS_AS(opsrotate::rotate_logs({}, options), ops::Error);
    CHECK(std::filesystem::exists(dir.path() / "status.lock"));
  }
}

TEST_CASE("rotate state: -s /dev/null keeps no state: nothing read or written, no lock", "[rotate][state]") {
  TempDir dir;
  auto log = dir.write("app.log", "line\n");
  opsrotate::LogConfig config;
  config.patterns = {log.string()};
  config.rotate = 1;
  opsrotate::RunOptions options;
  options.state_path = "/dev/null";
  options.force = true;
  CHECK(opsrotate::is_no_state(options.state_path));
  CHECK_FALSE(opsrotate::is_no_state(dir.path() / "status"));
  opsrotate::RunReport report = opsrotate::rotate_logs({opsrotate::LogSet{&config, {log}, {}}}, options);
  CHECK(report.status == ops::Status::ok);
  CHECK(std::filesystem::exists(dir.path() / "app.log.1"));
  struct stat st {};
  REQUIRE(::lstat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));  // not replaced by a state file
  CHECK_FALSE(std::filesystem::exists("/dev/null.lock"));
}
