// ops/local_time.hpp: the host's zone (TZ) with its DST, as operators read dates.
#include <ops/local_time.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <chrono>

using namespace std::chrono;

namespace {

using ops::test::EnvGuard;
using ops::test::TzGuard;

ops::SysTime utc(const char* text) { return ops::parse_time(text); }

}  // namespace

TEST_CASE("local time: fields, weekday and date in the zone TZ names") {
  TzGuard tz("Europe/Berlin");
  const auto winter = ops::to_local(utc("2026-01-31T23:30:00Z"));  // CET, UTC+1: already Sunday
  REQUIRE(winter);
  CHECK(winter->year == 2026);
  CHECK(winter->month == 2);
  CHECK(winter->day == 1);
  CHECK(winter->hour == 0);
  CHECK(winter->minute == 30);
  CHECK(winter->weekday == 0);
  CHECK(winter->date() == sys_days{2026y / February / 1});
  const auto summer = ops::to_local(utc("2026-07-01T12:00:00Z"));  // CEST, UTC+2
  REQUIRE(summer);
  CHECK(summer->hour == 14);
  CHECK(summer->weekday == 3);
}

TEST_CASE("local time: follows TZ as it is at each call, without a tzset of the caller's") {
  TzGuard reset("UTC");
  CHECK(ops::to_local(utc("2026-07-01T12:00:00Z"))->hour == 12);
  {
    EnvGuard tz("TZ", "America/New_York");
    CHECK(ops::to_local(utc("2026-07-01T12:00:00Z"))->hour == 8);
  }
  CHECK(ops::to_local(utc("2026-07-01T12:00:00Z"))->hour == 12);
}

TEST_CASE("local time: from_local reads the wall clock across DST changes") {
  TzGuard tz("Europe/Berlin");
  CHECK(ops::from_local({2026, 1, 15, 12, 0, 0}) == utc("2026-01-15T11:00:00Z"));
  CHECK(ops::from_local({2026, 7, 15, 12, 0, 0}) == utc("2026-07-15T10:00:00Z"));
  // The night clocks go forward (2026-03-29, 02:00 CET → 03:00 CEST): the
  // hours before and after the gap.
  CHECK(ops::from_local({2026, 3, 29, 1, 59, 59}) == utc("2026-03-29T00:59:59Z"));
  CHECK(ops::from_local({2026, 3, 29, 3, 0, 0}) == utc("2026-03-29T01:00:00Z"));
  // 02:30 never showed on the clock: read with the offset before the change, it is 03:30 CEST.
  CHECK(ops::from_local({2026, 3, 29, 2, 30, 0}) == utc("2026-03-29T01:30:00Z"));
  // The night they go back (2026-10-25, 03:00 CEST → 02:00 CET): 02:30 is one
  // of the two moments the clock showed it.
  const auto twice = ops::from_local({2026, 10, 25, 2, 30, 0});
  CHECK((twice == utc("2026-10-25T00:30:00Z") || twice == utc("2026-10-25T01:30:00Z")));
  // Round trip for every hour of the day the clocks go back.
  for (auto t = utc("2026-10-24T22:00:00Z"); t < utc("2026-10-25T23:00:00Z"); t += hours(1)) {
    const auto l = ops::to_local(t);
    REQUIRE(l);
    const auto back = ops::from_local(*l);
    CHECK(ops::to_local(back)->hour == l->hour);
  }
}

TEST_CASE("local time: from_local rolls fields past their range over, as logrotate's state file needs") {
  TzGuard tz("UTC");
  CHECK(ops::from_local({2020, 2, 30, 0, 0, 0}) == utc("2020-03-01T00:00:00Z"));
  CHECK(ops::from_local({2025, 12, 31, 24, 0, 0}) == utc("2026-01-01T00:00:00Z"));
  CHECK(ops::from_local({1969, 12, 31, 23, 59, 59}) == utc("1969-12-31T23:59:59Z"));  // mktime's -1, a real second
}

TEST_CASE("local time: format_local expands strftime escapes in local time") {
  TzGuard tz("Europe/Berlin");
  const auto t = utc("2025-11-01T23:30:00Z");  // Sunday 2025-11-02 00:30 CET
  CHECK(ops::format_local(t, "-%Y%m%d") == "-20251102");
  CHECK(ops::format_local(t, "%F %H:%M %a 100%%") == "2025-11-02 00:30 Sun 100%");
  CHECK(ops::format_local(t, "%s") == std::to_string(t.time_since_epoch().count()));
  CHECK(ops::format_local(t, "plain") == "plain");
  CHECK_FALSE(ops::format_local(t, ""));
  // A long expansion is not cut short: strftime's "0" is not taken for "empty" until the buffer is big.
  std::string many;
  for (int i = 0; i < 200; ++i) many += "%F";
  const auto long_name = ops::format_local(t, many);
  REQUIRE(long_name);
  CHECK(long_name->size() == 200 * 10);
}

TEST_CASE("local time: a year no int holds is out of range, not a wrong date") {
  TzGuard tz("UTC");
  const ops::SysTime far{seconds{std::int64_t{1} << 60}};
  CHECK_FALSE(ops::to_local(far));
  CHECK_FALSE(ops::format_local(far, "%Y"));
}
