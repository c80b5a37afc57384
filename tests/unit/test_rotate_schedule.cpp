// When a log is due, and the reason --dry-run prints: logrotate's criteria.
#include "opsrotate/rotation/schedule.hpp"
#include "support.hpp"

#include <ops/clock.hpp>

#include <catch2/catch.hpp>
#include <ctime>

using namespace opsrotate;

namespace {

ops::SysTime at(const char* text) { return ops::parse_time(text); }

LogFacts facts(std::uint64_t size, const char* last) {
  LogFacts f;
  f.size = size;
  f.modified = at("2026-01-01T00:00:00Z");
  if (last) f.last_rotated = at(last);
  return f;
}

}  // namespace

TEST_CASE("rotate: daily rotates once per calendar day, not per 24 hours") {
  ops::test::TzGuard utc("UTC");
  LogConfig c;
  c.frequency = Frequency::daily;
  auto d = decide(c, facts(10, "2026-01-01T23:59:00Z"), at("2026-01-02T00:01:00Z"), false);
  CHECK(d.rotate);
  CHECK(d.reason == "daily, last rotated 2min ago");
  d = decide(c, facts(10, "2026-01-02T00:01:00Z"), at("2026-01-02T23:59:00Z"), false);
  CHECK_FALSE(d.rotate);
  CHECK(d.reason == "rotated 23h ago, daily");
}

TEST_CASE("rotate: a log seen for the first time is recorded, not rotated by time") {
  ops::test::TzGuard utc("UTC");
  LogConfig c;
  c.frequency = Frequency::weekly;
  auto d = decide(c, facts(10, nullptr), at("2026-01-04T10:00:00Z"), false);
  CHECK_FALSE(d.rotate);
  CHECK(d.reason == "first seen, weekly from now on");
}

TEST_CASE("rotate: size criterion, maxsize and minsize") {
  ops::test::TzGuard utc("UTC");
  LogConfig c;  // logrotate's default: size 1M
  CHECK(decide(c, facts(1024 * 1024, nullptr), at("2026-01-02T00:00:00Z"), false).reason == "size 1.0M >= 1.0M");
  CHECK_FALSE(decide(c, facts(1000, nullptr), at("2026-01-02T00:00:00Z"), false).rotate);

  c.frequency = Frequency::daily;
  c.maxsize = 100;
  auto d = decide(c, facts(200, "2026-01-02T00:00:00Z"), at("2026-01-02T01:00:00Z"), false);
  CHECK(d.rotate);
  CHECK(d.reason == "size 200B > maxsize 100B");

  c.maxsize.reset();
  c.minsize = 1000;
  d = decide(c, facts(200, "2026-01-01T00:00:00Z"), at("2026-01-02T01:00:00Z"), false);
  CHECK_FALSE(d.rotate);
  CHECK(d.reason == "size 200B < minsize 1000B");
}

TEST_CASE("rotate: weekly rotates on the configured weekday or after 7 days") {
  ops::test::TzGuard utc("UTC");
  LogConfig c;
  c.frequency = Frequency::weekly;  // weekday 0 = Sunday
  // 2026-01-03 is a Saturday, 2026-01-04 a Sunday.
  CHECK(decide(c, facts(1, "2026-01-03T06:00:00Z"), at("2026-01-04T06:00:00Z"), false).rotate);
  CHECK_FALSE(decide(c, facts(1, "2026-01-04T06:00:00Z"), at("2026-01-05T06:00:00Z"), false).rotate);
  CHECK(decide(c, facts(1, "2026-01-05T06:00:00Z"), at("2026-01-12T06:00:00Z"), false).rotate);
  c.weekday = 7;  // every 7 days, whatever the weekday
  CHECK_FALSE(decide(c, facts(1, "2026-01-03T06:00:00Z"), at("2026-01-04T06:00:00Z"), false).rotate);
  CHECK(decide(c, facts(1, "2026-01-03T06:00:00Z"), at("2026-01-10T00:00:00Z"), false).rotate);
}

TEST_CASE("rotate: hourly, monthly and yearly periods") {
  ops::test::TzGuard utc("UTC");
  LogConfig c;
  c.frequency = Frequency::hourly;
  CHECK(decide(c, facts(1, "2026-01-02T05:59:00Z"), at("2026-01-02T06:00:00Z"), false).rotate);
  CHECK_FALSE(decide(c, facts(1, "2026-01-02T06:00:00Z"), at("2026-01-02T06:59:00Z"), false).rotate);
  c.frequency = Frequency::monthly;
  CHECK(decide(c, facts(1, "2026-01-31T23:00:00Z"), at("2026-02-01T00:00:00Z"), false).rotate);
  CHECK_FALSE(decide(c, facts(1, "2026-02-01T00:00:00Z"), at("2026-02-28T00:00:00Z"), false).rotate);
  c.frequency = Frequency::yearly;
  CHECK(decide(c, facts(1, "2025-12-31T23:00:00Z"), at("2026-01-01T00:00:00Z"), false).rotate);
}

TEST_CASE("rotate: -f forces all but notifempty, minage holds back young logs") {
  ops::test::TzGuard utc("UTC");
  LogConfig c;
  c.frequency = Frequency::daily;
  c.ifempty = false;
  CHECK(decide(c, facts(0, "2025-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z"), true).reason == "empty, notifempty");
  CHECK(decide(c, facts(5, "2026-01-02T00:00:00Z"), at("2026-01-02T00:00:00Z"), true).reason == "forced (-f)");

  c.minage = 3;
  LogFacts young = facts(5, "2026-01-01T00:00:00Z");
  young.modified = at("2026-01-01T12:00:00Z");
  auto d = decide(c, young, at("2026-01-02T12:00:00Z"), false);
  CHECK_FALSE(d.rotate);
  CHECK(d.reason == "modified 24h ago, minage 3d");
}

TEST_CASE("rotate: the tail copytruncate kept is not new: notifempty, size, minsize and maxsize") {
  ops::test::TzGuard utc("UTC");
  const auto now = at("2026-01-03T00:00:00Z");
  auto kept = [](std::uint64_t size, std::uint64_t tail, const char* last) {
    LogFacts f = facts(size, last);
    f.kept = tail;
    return f;
  };
  LogConfig c;
  c.frequency = Frequency::daily;
  c.ifempty = false;
  // Only the tail: empty for notifempty, even with -f.
  auto d = decide(c, kept(1808, 1808, "2026-01-02T00:00:00Z"), now, true);
  CHECK_FALSE(d.rotate);
  CHECK(d.reason == "only the 1.8K kept at the last rotation, notifempty");
  CHECK(decide(c, kept(1809, 1808, "2026-01-02T00:00:00Z"), now, true).rotate);
  // ifempty: rotated as an empty log would be (its tail then goes out).
  c.ifempty = true;
  CHECK(decide(c, kept(1808, 1808, "2026-01-02T00:00:00Z"), now, true).rotate);

  c.minsize = 1000;
  d = decide(c, kept(2500, 1808, "2026-01-02T00:00:00Z"), now, false);
  CHECK_FALSE(d.rotate);
  CHECK(d.reason == "size 692B (not counting the 1.8K kept at the last rotation) < minsize 1000B");
  CHECK(decide(c, kept(2808, 1808, "2026-01-02T00:00:00Z"), now, false).rotate);
  c.minsize.reset();

  c.maxsize = 1000;
  CHECK(decide(c, kept(2500, 1808, "2026-01-02T23:00:00Z"), now - std::chrono::minutes(1), false).reason ==
        "rotated 59min ago, daily");
  CHECK(decide(c, kept(2809, 1808, "2026-01-02T23:00:00Z"), now - std::chrono::minutes(1), false).rotate);
  c.maxsize.reset();

  c.frequency = Frequency::size;
  c.size = 1000;
  d = decide(c, kept(2500, 1808, nullptr), now, false);
  CHECK_FALSE(d.rotate);
  CHECK(d.reason == "size 692B (not counting the 1.8K kept at the last rotation) < 1000B");
  d = decide(c, kept(2808, 1808, nullptr), now, false);
  CHECK(d.rotate);
  CHECK(d.reason == "size 1000B (not counting the 1.8K kept at the last rotation) >= 1000B");
  // No record: everything counts, as before.
  CHECK(decide(c, kept(2500, 0, nullptr), now, false).reason == "size 2.4K >= 1000B");
}
