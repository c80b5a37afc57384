// ops/log_reader.hpp, read_log_forward: a log's lines oldest first, from the
// oldest rotated (and compressed) predecessor to FILE, lines before the
// bound left out, a cut-short gzip named and passed, long lines cut.
#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/log_reader.hpp>

#include <catch2/catch.hpp>

#include "compress_support.hpp"
#include "error_support.hpp"
#include "support.hpp"

#include <chrono>
#include <filesystem>

using namespace std::chrono;

namespace {

using ops::test::TempDir;

ops::SysTime at(int h, int mi, int s = 0) {
  return ops::SysTime{sys_days{year{2026} / month{12} / day{6}}} + hours{h} + minutes{mi} + seconds{s};
}
const ops::SysTime kNow = at(9, 30);

struct Read {
  std::vector<std::string> lines;
  std::vector<ops::LogLine> meta;  // views not kept: only number, time, cut
  ops::LogReadStats stats;
};

Read read_all(const std::filesystem::path& file, std::optional<ops::SysTime> since = std::nullopt,
              std::size_t stop_after = SIZE_MAX, std::size_t max_line = 1 << 20) {
  Read r;
  ops::LogReadOptions options;
  options.since = since;
  options.max_line = max_line;
  r.stats = ops::read_log_forward(file, kNow, options, [&](const ops::LogLine& line) {
    r.lines.emplace_back(line.text);
    r.meta.push_back(ops::LogLine{{}, line.number, line.time, {}, line.cut});
    return r.lines.size() < stop_after;
  });
  return r;
}

}  // namespace

TEST_CASE("forward: the oldest rotated file first, FILE last, each from its start") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  auto log = dir.write("auth.log", "Dec  6 09:25:00 h sshd[1]: current\n");
  dir.write("auth.log.1", "Dec  6 09:10:00 h sshd[1]: in .1\r\n  untimed follower\nDec  6 09:20:00 h sshd[1]: in .1 too");
  dir.write("auth.log.2.gz", ops::test::compress("Dec  6 08:00:00 h sshd[1]: in .2.gz\n", ops::Compression::gzip));
  dir.write("auth.log-20261122.gz", ops::test::compress("Nov 22 08:00:00 h sshd[1]: dated\n", ops::Compression::gzip));
  dir.write("other.log.1", "Dec  6 09:29:00 h x: not this log\n");
  auto r = read_all(log);
  CHECK(r.lines == std::vector<std::string>{"Nov 22 08:00:00 h sshd[1]: dated", "Dec  6 08:00:00 h sshd[1]: in .2.gz",
                                            "Dec  6 09:10:00 h sshd[1]: in .1", "  untimed follower",
                                            "Dec  6 09:20:00 h sshd[1]: in .1 too",
                                            "Dec  6 09:25:00 h sshd[1]: current"});
  CHECK(r.meta[2].number == 1);
  CHECK(r.meta[2].time == at(9, 10));
  CHECK_FALSE(r.meta[3].time);
  CHECK(r.meta[4].number == 3);
  REQUIRE(r.stats.files.size() == 4);
  CHECK(r.stats.files.back() == log.string());
  CHECK(r.stats.errors.empty());
}

TEST_CASE("forward: lines before since and their followers are left out; a rotated file older than since is not opened") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  auto log = dir.write("app.log",
                       "2026-12-06T08:00:00Z old\n  its follower\n2026-12-06T09:05:00Z new\n  its follower\n");
  auto old = dir.write("app.log.1", "2026-12-06T09:10:00Z a lie: the file's mtime says it is old\n");
  std::filesystem::last_write_time(old, std::filesystem::file_time_type::clock::now() - hours(24 * 400));
  auto r = read_all(log, at(9, 0));
  CHECK(r.lines == std::vector<std::string>{"2026-12-06T09:05:00Z new", "  its follower"});
  CHECK(r.stats.files == std::vector<std::string>{log.string()});
  CHECK(read_all(log, std::nullopt, 1).lines.size() == 1);  // each returned false: stopped
}

TEST_CASE("forward: a truncated gzip hands over its lines, is named in errors, and reading goes on") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "2026-12-06T09:00:00Z line " + std::to_string(i) + " of a long rotated log\n";
  std::string packed = ops::test::compress(body, ops::Compression::gzip);
  dir.write("app.log.1.gz", packed.substr(0, packed.size() / 2));
  auto log = dir.write("app.log", "2026-12-06T09:20:00Z current\n");
  auto r = read_all(log);
  REQUIRE(r.stats.errors.size() == 1);
  CHECK(r.stats.errors[0].find("app.log.1.gz") != std::string::npos);
  REQUIRE(!r.lines.empty());
  CHECK(r.lines.back() == "2026-12-06T09:20:00Z current");
  CHECK(r.lines.size() < 2001);
}

TEST_CASE("forward: a line longer than max_line is cut and flagged, the next line is whole") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  const std::string huge(3 << 20, 'x');  // over one read chunk too
  auto log = dir.write("app.log", "2026-12-06T09:00:00Z " + huge + "\n2026-12-06T09:01:00Z after\n" + std::string("\0\1garbage\n", 10));
  auto r = read_all(log, std::nullopt, SIZE_MAX, 1000);
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[0].size() == 1000);
  CHECK(r.meta[0].cut);
  CHECK(r.lines[1] == "2026-12-06T09:01:00Z after");
  CHECK_FALSE(r.meta[1].cut);
  CHECK(r.meta[2].number == 3);
}

TEST_CASE("forward: FILE and its predecessors all missing is an error naming FILE") {
  TempDir dir;
  CHECK_THROWS_WITH(read_all(dir.path() / "none.log"), Catch::Contains("cannot open") && Catch::Contains("none.log"));
}

TEST_CASE("syslog times: the reader's remembered minute and year give what log_time gives, across a year end") {
  ops::test::TzGuard tz("Europe/Berlin");
  const ops::SysTime now = ops::parse_time("2027-01-02T10:00:00Z");
  ops::LogTimeReader reader(now);
  for (const char* line : {"Dec 31 23:59:58 h x: a", "Dec 31 23:59:59 h x: b", "Jan  1 00:00:00 h x: c",
                           "Jan  2 11:00:00 h x: d", "Jan  3 12:00:00 h x: within a day ahead", "Jan  4 12:00:00 h x: last year"}) {
    INFO(line);
    CHECK(reader.time_of(line) == ops::log_time(line, ops::LogTimeFormat::syslog, now));
  }
  CHECK(reader.time_of("Dec 31 23:59:59 h x") == ops::parse_time("2026-12-31T22:59:59Z"));
  CHECK(reader.time_of("Jan  4 12:00:00 h x") == ops::parse_time("2026-01-04T11:00:00Z"));
}
