// ops/log_reader.hpp: the records of a log newest first, lines without a
// timestamp kept with the line above, on into the rotated (and compressed)
// files, stopping at the bound, and a large file read only from its end.
#include <ops/error.hpp>
#include <ops/log_reader.hpp>

#include <catch2/catch.hpp>

#include "compress_support.hpp"
#include "error_support.hpp"
#include "support.hpp"

#include <chrono>
#include <random>

using namespace std::chrono;

namespace {

using ops::test::TempDir;

ops::SysTime at(int h, int mi, int s = 0) {
  return ops::SysTime{sys_days{year{2026} / month{12} / day{6}}} + hours{h} + minutes{mi} + seconds{s};
}
const ops::SysTime kNow = at(9, 30);

struct Read {
  std::vector<ops::LogRecord> records;
  ops::LogReadStats stats;
};

Read read_all(const ops::test::fs::path& file, std::optional<ops::SysTime> since = std::nullopt,
              std::size_t stop_after = SIZE_MAX) {
  Read r;
  ops::LogReadOptions options;
  options.since = since;
  r.stats = ops::read_log(file, kNow, options, [&](const ops::LogRecord& rec) {
    r.records.push_back(rec);
    return r.records.size() < stop_after;
  });
  return r;
}

std::vector<std::string> first_lines(const Read& r) {
  std::vector<std::string> out;
  for (auto& rec : r.records) out.push_back(rec.lines.empty() ? "" : rec.lines.front());
  return out;
}

}  // namespace

TEST_CASE("records newest first; a traceback belongs to the line above it") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  auto log = dir.write("app.log",
                       "2026-12-06 09:00:00,001 INFO start\n"
                       "2026-12-06 09:10:00,002 ERROR boom\n"
                       "Traceback (most recent call last):\n"
                       "  File \"x.py\", line 1\r\n"
                       "ValueError: bad\n"
                       "2026-12-06 09:20:00,003 INFO done");  // no newline at the end
  auto r = read_all(log);
  REQUIRE(r.records.size() == 3);
  CHECK(r.records[0].lines == std::vector<std::string>{"2026-12-06 09:20:00,003 INFO done"});
  CHECK(r.records[1].time == at(9, 10));
  CHECK(r.records[1].lines == std::vector<std::string>{"2026-12-06 09:10:00,002 ERROR boom",
                                                       "Traceback (most recent call last):",
                                                       "  File \"x.py\", line 1", "ValueError: bad"});
  CHECK(r.records[2].time == at(9, 0));
  CHECK(r.records[1].file == log.string());
  CHECK_FALSE(r.stats.reached_since);
  CHECK(r.stats.files == std::vector<std::string>{log.string()});
}

TEST_CASE("reading stops at the first record older than the bound") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  auto log = dir.write("app.log",
                       "2026-12-06T09:00:00Z old ERROR\n"
                       "2026-12-06T09:16:00Z ERROR a\n"
                       "  continued\n"
                       "2026-12-06T09:29:00Z ERROR b\n");
  auto r = read_all(log, at(9, 15));
  CHECK(first_lines(r) == std::vector<std::string>{"2026-12-06T09:29:00Z ERROR b", "2026-12-06T09:16:00Z ERROR a"});
  CHECK(r.stats.reached_since);
  // The caller may stop first.
  CHECK(read_all(log, std::nullopt, 1).records.size() == 1);
}

TEST_CASE("lines at the head of a file, and a file with no timestamps, are records without a time") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  auto log = dir.write("app.log", "  orphan line\n2026-12-06T09:20:00Z x\n");
  auto r = read_all(log);
  REQUIRE(r.records.size() == 2);
  CHECK_FALSE(r.records[1].time);
  CHECK(r.records[1].lines == std::vector<std::string>{"  orphan line"});
  auto plain = read_all(dir.write("plain.log", "one\ntwo\n"));
  REQUIRE(plain.records.size() == 1);
  CHECK_FALSE(plain.records[0].time);
  CHECK(plain.records[0].lines == std::vector<std::string>{"one", "two"});
  CHECK(read_all(dir.write("empty.log", "")).records.empty());
}

TEST_CASE("the window reaches into the rotated files, a compressed one among them") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  auto log = dir.write("app.log", "2026-12-06T09:25:00Z ERROR in current\n");
  dir.write("app.log.1", "2026-12-06T09:10:00Z ERROR in .1\n2026-12-06T09:20:00Z INFO in .1\n");
  dir.write("app.log.2.gz", ops::test::compress("2026-12-06T08:00:00Z ERROR too old\n"
                                                "2026-12-06T09:05:00Z ERROR in .2.gz\n"
                                                "  its traceback\n"
                                                "2026-12-06T09:08:00Z INFO in .2.gz\n",
                                                ops::Compression::gzip));
  dir.write("app.log.3.xz", ops::test::compress("2026-12-06T07:00:00Z never read\n", ops::Compression::xz));
  dir.write("other.log.1", "2026-12-06T09:29:00Z not this log\n");
  auto r = read_all(log, at(9, 0));
  CHECK(first_lines(r) == std::vector<std::string>{
                              "2026-12-06T09:25:00Z ERROR in current", "2026-12-06T09:20:00Z INFO in .1",
                              "2026-12-06T09:10:00Z ERROR in .1", "2026-12-06T09:08:00Z INFO in .2.gz",
                              "2026-12-06T09:05:00Z ERROR in .2.gz"});
  CHECK(r.records[4].lines.size() == 2);
  CHECK(r.records[4].file == (dir.path() / "app.log.2.gz").string());
  CHECK(r.stats.reached_since);
  CHECK(r.stats.files.size() == 3);  // .3.xz was not opened
}

TEST_CASE("a compressed file cut short: the records before the damage, then the error") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 2000; ++i) lines += fmt::format("2026-12-06T09:{:02}:{:02}Z ERROR number {}\n", i / 60 % 60, i % 60, i);
  const std::string packed = ops::test::compress(lines, ops::Compression::gzip);
  auto log = dir.write("app.log.1.gz", packed.substr(0, packed.size() * 2 / 3));
  Read r;
  ops::LogReadOptions options;
  CHECK_THROWS_WITH(ops::read_log(log, kNow, options,
                                  [&](const ops::LogRecord& rec) {
                                    r.records.push_back(rec);
                                    return true;
                                  }),
                    Catch::Contains("app.log.1.gz"));
  REQUIRE(r.records.size() > 100);
  CHECK(r.records.size() < 2000);
  CHECK(r.records.back().lines.front() == "2026-12-06T09:00:00Z ERROR number 0");  // newest first, from the start
  // Whole lines only: the one the damage cut is not handed over.
  const std::size_t n = r.records.size();
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = n - 1 - k;
    REQUIRE(r.records[k].lines == std::vector<std::string>{
                                      fmt::format("2026-12-06T09:{:02}:{:02}Z ERROR number {}", i / 60 % 60, i % 60, i)});
  }
}

TEST_CASE("rotated names: numbered in order, then dateext newest first, a plain name before its .gz") {
  TempDir dir;
  auto log = dir.path() / "app.log";
  for (auto name : {"app.log.10", "app.log.2.zst", "app.log.1", "app.log.1.gz", "app.log-20261204.gz",
                    "app.log-20261205", "app.log.old", "app.log.1.bak", "app.logger.1", "app.log-x"})
    dir.write(name, "");
  std::vector<std::string> names;
  for (auto& p : ops::rotated_logs(log)) names.push_back(p.filename().string());
  CHECK(names == std::vector<std::string>{"app.log.1", "app.log.2.zst", "app.log.10", "app.log-20261205",
                                          "app.log-20261204.gz"});
}

TEST_CASE("zstd and xz rotated files are read too") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  auto log = dir.write("app.log", "");
  dir.write("app.log-20261206.zst",
            ops::test::compress("2026-12-06T09:21:00Z zstd line\n", ops::Compression::zstd));
  dir.write("app.log-20261205.xz", ops::test::compress("2026-12-06T09:01:00Z xz line\n", ops::Compression::xz));
  CHECK(first_lines(read_all(log, at(9, 0))) ==
        std::vector<std::string>{"2026-12-06T09:21:00Z zstd line", "2026-12-06T09:01:00Z xz line"});
}

TEST_CASE("FILE may be missing while its rotated copy is there; neither is an UNKNOWN error") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  auto e = ops::test::error_from([&] { read_all(dir.path() / "app.log"); });
  CHECK(e.status() == ops::Status::unknown);
  CHECK(std::string(e.what()) ==
        "cannot open " + (dir.path() / "app.log").string() + ": No such file or directory");
  dir.write("app.log.1", "2026-12-06T09:21:00Z just rotated\n");
  CHECK(read_all(dir.path() / "app.log").records.size() == 1);
}

TEST_CASE("a large file is read from its end only: its head of garbage is never read") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  std::string garbage(8u << 20, '\0');
  std::mt19937 rng(7);
  for (auto& c : garbage) c = static_cast<char>(rng());
  std::string tail;
  for (int m = 0; m < 30; ++m)
    tail += fmt::format("2026-12-06T09:{:02}:00Z INFO line {}\n", m, m) + std::string(100, '.') + "\n";
  auto log = dir.write("big.log", garbage + "\n" + tail);
  auto r = read_all(log, at(9, 15));
  REQUIRE(r.records.size() == 15);
  CHECK(r.records.front().lines.front().rfind("2026-12-06T09:29:00Z", 0) == 0);
  CHECK(r.records.back().lines.front().rfind("2026-12-06T09:15:00Z", 0) == 0);
  CHECK(r.stats.reached_since);
  CHECK(r.stats.bytes_read <= 64 * 1024);
  CHECK(r.stats.bytes_read < tail.size() + 64 * 1024);
}

TEST_CASE("records a little out of order (an access log's slow requests) are not lost at the bound") {
  ops::test::TzGuard tz("UTC");
  TempDir dir;
  // The slow request started at 09:15:30 and was logged after one of 09:14:50.
  auto log = dir.write("access.log",
                       "203.0.113.9 - - [06/Dec/2026:09:10:00 +0000] \"GET /old HTTP/1.1\" 500 0\n"
                       "203.0.113.9 - - [06/Dec/2026:09:14:50 +0000] \"GET /a HTTP/1.1\" 200 0\n"
                       "203.0.113.9 - - [06/Dec/2026:09:15:30 +0000] \"GET /slow HTTP/1.1\" 504 0\n"
                       "203.0.113.9 - - [06/Dec/2026:09:20:00 +0000] \"GET /b HTTP/1.1\" 200 0\n");
  auto r = read_all(log, at(9, 15));
  REQUIRE(r.records.size() == 2);
  CHECK(r.records[1].time == at(9, 15, 30));
  CHECK(r.stats.reached_since);
  // The same disorder inside a compressed rotated file.
  TempDir dir2;
  auto current = dir2.write("access.log", "");
  dir2.write("access.log.1.gz", ops::test::compress(ops::test::slurp(log), ops::Compression::gzip));
  auto z = read_all(current, at(9, 15));
  REQUIRE(z.records.size() == 2);
  CHECK(z.records[1].time == at(9, 15, 30));
  CHECK(z.stats.reached_since);
}
