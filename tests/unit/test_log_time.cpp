// ops/log_time.hpp: every timestamp format of a web host's logs, found in
// its place in the line, with its zone or in local time.
#include <ops/log_time.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <chrono>

using namespace std::chrono;

namespace {

ops::SysTime at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return ops::SysTime{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi} + seconds{s};
}

const ops::SysTime kNow = at(2026, 12, 6, 9, 30);

std::optional<ops::LogTime> found(std::string_view line) { return ops::find_log_time(line, kNow); }

void check_found(std::string_view line, ops::LogTimeFormat format, ops::SysTime expected) {
  INFO(line);
  auto t = found(line);
  REQUIRE(t);
  CHECK(t->format == format);
  CHECK(t->time == expected);
}

}  // namespace

TEST_CASE("ISO 8601: T or space, fractions, with and without a zone") {
  ops::test::TzGuard tz("UTC");
  using F = ops::LogTimeFormat;
  check_found("2026-12-06T09:12:01Z app started", F::iso8601, at(2026, 12, 6, 9, 12, 1));
  check_found("2026-12-06T09:12:01.123456+01:00 x", F::iso8601, at(2026, 12, 6, 8, 12, 1));
  check_found("2026-12-06 09:12:01-0500 x", F::iso8601, at(2026, 12, 6, 14, 12, 1));
  check_found("2026-12-06 09:12:01 ERROR x", F::iso8601, at(2026, 12, 6, 9, 12, 1));
  check_found("[2026-12-06T09:12:01.5] worker", F::iso8601, at(2026, 12, 6, 9, 12, 1));
  check_found("2026-12-06T09:12:01+00 x", F::iso8601, at(2026, 12, 6, 9, 12, 1));
}

TEST_CASE("Python logging: a comma before the milliseconds, after a level word") {
  ops::test::TzGuard tz("UTC");
  check_found("2026-12-06 09:12:01,123 ERROR django.request: boom", ops::LogTimeFormat::iso8601,
              at(2026, 12, 6, 9, 12, 1));
  check_found("ERROR 2026-12-06 09:12:01,123 views boom", ops::LogTimeFormat::iso8601, at(2026, 12, 6, 9, 12, 1));
}

TEST_CASE("a timestamp without a zone is local time") {
  ops::test::TzGuard tz("CET-1");  // UTC+1, no DST
  check_found("2026-12-06 10:12:01 x", ops::LogTimeFormat::iso8601, at(2026, 12, 6, 9, 12, 1));
  check_found("2026/12/06 10:12:01 [error] 12#12: x", ops::LogTimeFormat::slashed, at(2026, 12, 6, 9, 12, 1));
  check_found("[Sun Dec 06 10:12:01.123456 2026] [php:error] x", ops::LogTimeFormat::apache_error,
              at(2026, 12, 6, 9, 12, 1));
  // A zone written in the line wins over the host's.
  check_found("2026-12-06T10:12:01Z x", ops::LogTimeFormat::iso8601, at(2026, 12, 6, 10, 12, 1));
}

TEST_CASE("syslog: the year is the latest that is not in the future") {
  ops::test::TzGuard tz("UTC");
  check_found("Dec  6 09:12:01 web1 sshd[12]: Failed password", ops::LogTimeFormat::syslog,
              at(2026, 12, 6, 9, 12, 1));
  check_found("Nov 30 23:59:59 web1 cron[1]: x", ops::LogTimeFormat::syslog, at(2026, 11, 30, 23, 59, 59));
  // Later in the year than now: last year's.
  check_found("Dec 24 09:12:01 web1 x", ops::LogTimeFormat::syslog, at(2025, 12, 24, 9, 12, 1));
  // A writer whose clock runs a little ahead of ours stays in this year.
  check_found("Dec  6 10:00:00 web1 x", ops::LogTimeFormat::syslog, at(2026, 12, 6, 10));
  // Read on January 2nd, December 31st is last year's.
  auto t = ops::find_log_time("Dec 31 23:00:00 web1 x", at(2027, 1, 2, 8));
  REQUIRE(t);
  CHECK(t->time == at(2026, 12, 31, 23));
}

TEST_CASE("Apache and nginx access logs carry their zone") {
  ops::test::TzGuard tz("CET-1");
  check_found("203.0.113.7 - - [06/Dec/2026:09:12:01 +0000] \"GET / HTTP/1.1\" 200 612", ops::LogTimeFormat::access,
              at(2026, 12, 6, 9, 12, 1));
  check_found("2001:db8::1 - alice [06/Dec/2026:10:12:01 +0100] \"GET /x HTTP/2.0\" 503 0",
              ops::LogTimeFormat::access, at(2026, 12, 6, 9, 12, 1));
}

TEST_CASE("Apache error logs with and without microseconds, nginx error logs") {
  ops::test::TzGuard tz("UTC");
  check_found("[Sun Dec 06 09:12:01.123456 2026] [core:error] [pid 1] x", ops::LogTimeFormat::apache_error,
              at(2026, 12, 6, 9, 12, 1));
  check_found("[Sun Dec 06 09:12:01 2026] [error] [client 1.2.3.4] x", ops::LogTimeFormat::apache_error,
              at(2026, 12, 6, 9, 12, 1));
  check_found("2026/12/06 09:12:01 [error] 1234#1234: *1 connect() failed", ops::LogTimeFormat::slashed,
              at(2026, 12, 6, 9, 12, 1));
}

TEST_CASE("PHP error logs: UTC, a numeric zone, or a zone name read as local") {
  ops::test::TzGuard tz("CET-1");
  check_found("[06-Dec-2026 09:12:01 UTC] PHP Fatal error: x", ops::LogTimeFormat::php, at(2026, 12, 6, 9, 12, 1));
  check_found("[06-Dec-2026 11:12:01 +0200] PHP Warning: x", ops::LogTimeFormat::php, at(2026, 12, 6, 9, 12, 1));
  check_found("[06-Dec-2026 10:12:01 Europe/Berlin] PHP Notice: x", ops::LogTimeFormat::php,
              at(2026, 12, 6, 9, 12, 1));
}

TEST_CASE("PHP-FPM's own log: no zone, read as local") {
  ops::test::TzGuard tz("CET-1");
  check_found("[06-Dec-2026 10:12:01] WARNING: [pool www] child 2211 said into stderr: \"x\"", ops::LogTimeFormat::php,
              at(2026, 12, 6, 9, 12, 1));
  CHECK_FALSE(found("[06-Dec-2026 10:12:01x] WARNING: x"));
}

TEST_CASE("lines without a timestamp, and look-alikes that are not one") {
  ops::test::TzGuard tz("UTC");
  CHECK_FALSE(found("Traceback (most recent call last):"));
  CHECK_FALSE(found("  File \"/srv/app/views.py\", line 12, in index"));
  CHECK_FALSE(found(""));
  CHECK_FALSE(found("2026-13-06 09:12:01 bad month"));
  CHECK_FALSE(found("2026-12-06 25:12:01 bad hour"));
  CHECK_FALSE(found("12026-12-06 09:12:01 inside a number"));
  CHECK_FALSE(found("2026-12-06 09:12:015 longer"));
  CHECK_FALSE(found("Decimal 6 09:12:01"));
  // Past the first kLogTimeScan bytes a date is the message's, not the line's.
  CHECK_FALSE(found(std::string(ops::kLogTimeScan, 'x') + " 2026-12-06 09:12:01"));
}

TEST_CASE("a file's format is detected once: a date in a later line's message is not its time") {
  ops::test::TzGuard tz("UTC");
  ops::LogTimeReader reader(kNow);
  CHECK_FALSE(reader.format());
  CHECK_FALSE(reader.time_of("no time here"));
  CHECK(reader.time_of("Dec  6 09:12:01 web1 x") == at(2026, 12, 6, 9, 12, 1));
  REQUIRE(reader.format());
  CHECK(*reader.format() == ops::LogTimeFormat::syslog);
  CHECK_FALSE(reader.time_of("  backup of 2026-12-05 09:00:00 done"));
  CHECK(ops::log_time_format_name(*reader.format()) == "syslog");
}
