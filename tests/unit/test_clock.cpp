// ops/clock.hpp: ISO-8601 times in and out, and OPS_NOW for deterministic runs.
#include <ops/clock.hpp>
#include <ops/error.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

using namespace std::chrono;

namespace {

using ops::test::EnvGuard;

ops::SysTime at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi} + seconds{s};
}

}  // namespace

TEST_CASE("clock: parse_time reads dates and times and zones") {
  CHECK(ops::parse_time("2026-01-31") == at(2026, 1, 31));
  CHECK(ops::parse_time("2026-01-31T12:00:00Z") == at(2026, 1, 31, 12));
  CHECK(ops::parse_time("2026-01-31T12:34:56") == at(2026, 1, 31, 12, 34, 56));  // no zone = UTC
  CHECK(ops::parse_time("2026-01-31 12:34:56") == at(2026, 1, 31, 12, 34, 56));
  CHECK(ops::parse_time("2026-01-31T12:34") == at(2026, 1, 31, 12, 34));
  CHECK(ops::parse_time("2026-01-31T12:34Z") == at(2026, 1, 31, 12, 34));
  CHECK(ops::parse_time("2026-01-31T14:00:00+02:00") == at(2026, 1, 31, 12));
  CHECK(ops::parse_time("2026-01-31T06:30:00-05:30") == at(2026, 1, 31, 12));
  CHECK(ops::parse_time("2026-01-01T01:00:00+02:00") == at(2025, 12, 31, 23));  // across a year
  CHECK(ops::parse_time("2024-02-29") == at(2024, 2, 29));                      // leap day
  CHECK(ops::parse_time("1969-12-31T23:59:59Z") == at(1969, 12, 31, 23, 59, 59));
}

TEST_CASE("clock: parse_time refuses malformed times with exit status 3 naming the text") {
  for (const char* bad :
       {"", "yesterday", "2026-1-31", "2026/01/31", "26-01-31", "2026-02-30", "2025-02-29", "2026-13-01",
        "2026-00-10", "2026-01-31T", "2026-01-31T12", "2026-01-31T25:00:00", "2026-01-31T12:60",
        "2026-01-31T12:00:", "2026-01-31T12:00:00ZZ", "2026-01-31T12:00:00+0200", "2026-01-31T12:00:00+02",
        "2026-01-31x", "2026-01-31T12:00:00+24:00", "2026-01-31T12:00:00+01:75", " 2026-01-31"}) {
    INFO("input: '" << bad << "'");
    try {
      ops::parse_time(bad);
      FAIL("accepted");
    } catch (const ops::Error& e) {
      CHECK(e.status() == ops::Status::unknown);
      CHECK_THAT(e.what(), Catch::Matchers::Contains(std::string("'") + bad + "'"));
    }
  }
}

TEST_CASE("clock: format_time and format_date print UTC ISO-8601") {
  CHECK(ops::format_time(at(2026, 1, 31, 12, 0, 0)) == "2026-01-31T12:00:00Z");
  CHECK(ops::format_time(at(2026, 3, 5, 7, 8, 9)) == "2026-03-05T07:08:09Z");
  CHECK(ops::format_time(at(1969, 12, 31, 23, 59, 59)) == "1969-12-31T23:59:59Z");
  CHECK(ops::format_date(at(2026, 3, 5, 23, 59, 59)) == "2026-03-05");
  CHECK(ops::format_time(ops::parse_time("2026-06-15T08:00:00+02:00")) == "2026-06-15T06:00:00Z");
}

TEST_CASE("clock: now() honours OPS_NOW") {
  {
    EnvGuard env("OPS_NOW", "2026-01-31T12:00:00Z");
    CHECK(ops::format_time(ops::now()) == "2026-01-31T12:00:00Z");
  }
  {
    EnvGuard env("OPS_NOW", "2020-02-29");
    CHECK(ops::now() == at(2020, 2, 29));
  }
  // Unset or empty: the real clock.
  for (const char* value : {static_cast<const char*>(nullptr), ""}) {
    EnvGuard env("OPS_NOW", value);
    auto before = time_point_cast<seconds>(system_clock::now());
    auto t = ops::now();
    auto after = time_point_cast<seconds>(system_clock::now());
    CHECK(t >= before);
    CHECK(t <= after);
  }
}

TEST_CASE("clock: fixed_now() is OPS_NOW, or nothing when the time is the clock's") {
  {
    EnvGuard env("OPS_NOW", "2026-01-31T12:00:00Z");
    CHECK(ops::fixed_now() == at(2026, 1, 31, 12));
  }
  for (const char* value : {static_cast<const char*>(nullptr), ""}) {
    EnvGuard env("OPS_NOW", value);
    CHECK_FALSE(ops::fixed_now());
  }
  EnvGuard env("OPS_NOW", "soon");
  CHECK_THROWS_AS(ops::fixed_now(), ops::Error);
}

TEST_CASE("clock: a bad OPS_NOW is an exit-3 error naming the variable and the value") {
  EnvGuard env("OPS_NOW", "next tuesday");
  try {
    ops::now();
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    CHECK_THAT(e.what(), Catch::Matchers::StartsWith("OPS_NOW: "));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("'next tuesday'"));
  }
}
