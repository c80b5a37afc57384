// ops/units.hpp: sizes, durations and thresholds as operators type them, and
// as we print them back.
#include <ops/error.hpp>
#include <ops/units.hpp>

#include <catch2/catch.hpp>

#include "error_support.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

using namespace std::chrono_literals;

namespace {

using ops::test::error_from;

constexpr std::uint64_t KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024;


// A bad value must be refused with exit status 3 and a message that quotes it.
template <typename F>
void check_refused(F&& parse, const std::string& text) {
  INFO("input: '" << text << "'");
  ops::Error e = error_from([&] { parse(text); });
  CHECK(e.status() == ops::Status::unknown);
  CHECK_THAT(e.what(), Catch::Matchers::Contains("'" + text + "'"));
}

}  // namespace

TEST_CASE("units: parse_size reads IEC and SI sizes") {
  CHECK(ops::parse_size("512K") == 512 * KiB);
  CHECK(ops::parse_size("10M") == 10 * MiB);
  CHECK(ops::parse_size("1.5G") == 3 * GiB / 2);
  CHECK(ops::parse_size("2T") == 2 * TiB);
  CHECK(ops::parse_size("1KiB") == 1024);
  CHECK(ops::parse_size("3MiB") == 3 * MiB);
  CHECK(ops::parse_size("10MB") == 10'000'000);
  CHECK(ops::parse_size("1GB") == 1'000'000'000);
  CHECK(ops::parse_size("2kb") == 2000);
  CHECK(ops::parse_size("0") == 0);
  CHECK(ops::parse_size("512") == 512);
  CHECK(ops::parse_size("100B") == 100);
  CHECK(ops::parse_size("1g") == GiB);  // case does not matter
  CHECK(ops::parse_size("0.5K") == 512);
}

TEST_CASE("units: parse_size refuses bad sizes with exit status 3 naming the value") {
  for (const char* bad : {"", "abc", "10X", "-5M", "1.2.3G", "M", ".", "10 M B", "1e3", "16E", "99999999999P"})
    check_refused(ops::parse_size, bad);
  CHECK_THAT(error_from([] { ops::parse_size("10X"); }).what(), Catch::Matchers::Contains("unknown unit 'X'"));
  // The hint tells the user what a size looks like.
  CHECK_THAT(error_from([] { ops::parse_size("abc"); }).hint(), Catch::Matchers::Contains("1.5G"));
}

TEST_CASE("units: format_size prints at most one decimal in powers of 1024") {
  CHECK(ops::format_size(0) == "0B");
  CHECK(ops::format_size(512) == "512B");
  CHECK(ops::format_size(1023) == "1023B");
  CHECK(ops::format_size(1024) == "1.0K");
  CHECK(ops::format_size(1536) == "1.5K");
  CHECK(ops::format_size(10 * MiB) == "10M");
  CHECK(ops::format_size(3 * GiB / 2) == "1.5G");
  CHECK(ops::format_size(252 * GiB) == "252G");
  CHECK(ops::format_size(2 * TiB) == "2.0T");
  // Just under the next unit: never "1024K".
  CHECK(ops::format_size(MiB - 10) == "1.0M");
  CHECK(ops::format_size(std::numeric_limits<std::uint64_t>::max()) == "16E");
}

TEST_CASE("units: sizes survive a round trip through format and parse") {
  for (const char* text : {"512B", "1.5K", "512K", "10M", "1.5G", "252G", "3.0T"})
    CHECK(ops::format_size(ops::parse_size(text)) == text);
}

TEST_CASE("units: parse_duration reads one or more number-unit groups") {
  CHECK(ops::parse_duration("90d") == std::chrono::days(90));
  CHECK(ops::parse_duration("12h") == 12h);
  CHECK(ops::parse_duration("1w") == std::chrono::weeks(1));
  CHECK(ops::parse_duration("30min") == 30min);
  CHECK(ops::parse_duration("1h30min") == 90min);
  CHECK(ops::parse_duration("1h 30min") == 90min);
  CHECK(ops::parse_duration("45s") == 45s);
  CHECK(ops::parse_duration("1.5h") == 90min);
  CHECK(ops::parse_duration("2mo") == std::chrono::days(60));
  CHECK(ops::parse_duration("1y") == std::chrono::days(365));
  CHECK(ops::parse_duration("12H") == 12h);
  // A space between number and unit, and singular unit words, as people write them.
  CHECK(ops::parse_duration("30 min") == 30min);
  CHECK(ops::parse_duration("1 day") == std::chrono::days(1));
  CHECK(ops::parse_duration("2 hours") == 2h);
  CHECK(ops::parse_duration("1 week") == std::chrono::weeks(1));
}

TEST_CASE("units: parse_duration refuses bare numbers and unknown units and empty text") {
  for (const char* bad : {"10", "5 parsecs", "", "h", "-5d", "10d5", "1.2.3h", "   "})
    check_refused(ops::parse_duration, bad);
  CHECK_THAT(error_from([] { ops::parse_duration("10"); }).what(), Catch::Matchers::Contains("unit"));
  CHECK_THAT(error_from([] { ops::parse_duration("5 parsecs"); }).what(),
             Catch::Matchers::Contains("unknown unit 'parsecs'"));
}

// Issue 14: "opsarchive files --delete-older-than 1M" deleted files older than
// one minute. "m" alone could be minutes or months; it is refused, never guessed.
TEST_CASE("units: parse_duration refuses m and M alone and names min and mo") {
  for (const char* bad : {"1M", "6m", "30m", "1h30m", "2 M"}) {
    check_refused(ops::parse_duration, bad);
    ops::Error e = error_from([&] { ops::parse_duration(bad); });
    CHECK_THAT(e.what(), Catch::Matchers::Contains("ambiguous"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("'min'"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("'mo'"));
  }
  CHECK(ops::parse_duration("6min") == 6min);
  CHECK(ops::parse_duration("6mo") == std::chrono::days(180));
  CHECK(ops::parse_duration("1MO") == std::chrono::days(30));
  CHECK(ops::parse_duration("1MIN") == 1min);
}

TEST_CASE("units: parse_seconds keeps fractions and reads ms and us") {
  CHECK(ops::parse_seconds("500ms") == Approx(0.5));
  CHECK(ops::parse_seconds("250us") == Approx(0.00025));
  CHECK(ops::parse_seconds("1.5s") == 1.5);
  CHECK(ops::parse_seconds("1min30s") == 90);
  CHECK(ops::parse_seconds("2h") == 7200);
  CHECK(ops::parse_seconds("1s500ms") == Approx(1.5));
  CHECK(std::string(error_from([] { ops::parse_seconds("5"); }).what()) ==
        "invalid duration '5': missing unit (ms, s, min, h, d)");
  CHECK(std::string(error_from([] { ops::parse_seconds("5m"); }).what()) ==
        "invalid duration '5m': 'm' is ambiguous: write 'min' for minutes or 'mo' for months");
  // parse_duration still knows no sub-second unit: a retention is never 500ms.
  CHECK(std::string(error_from([] { ops::parse_duration("500ms"); }).what()) ==
        "invalid duration '500ms': unknown unit 'ms'");
}

TEST_CASE("units: format_seconds shows a measured time, fractions only when small") {
  CHECK(ops::format_seconds(0.0004) == "0.4 ms");
  CHECK(ops::format_seconds(0.012) == "12 ms");
  CHECK(ops::format_seconds(3.2) == "3.2 s");
  CHECK(ops::format_seconds(59.94) == "59.9 s");
  CHECK(ops::format_seconds(7500.7) == "2h5min");
}

TEST_CASE("units: format_duration uses the largest exact units") {
  CHECK(ops::format_duration(std::chrono::days(90)) == "90d");
  CHECK(ops::format_duration(std::chrono::days(7)) == "1w");
  CHECK(ops::format_duration(std::chrono::days(14)) == "2w");
  CHECK(ops::format_duration(std::chrono::days(8)) == "8d");
  CHECK(ops::format_duration(90min) == "1h30min");
  CHECK(ops::format_duration(12h) == "12h");
  CHECK(ops::format_duration(30min) == "30min");
  CHECK(ops::format_duration(45s) == "45s");
  CHECK(ops::format_duration(3661s) == "1h1min1s");
  CHECK(ops::format_duration(0s) == "0s");
  CHECK(ops::format_duration(-90min) == "-1h30min");
}

TEST_CASE("units: durations survive a round trip through format and parse") {
  for (const char* text : {"90d", "12h", "1w", "30min", "1h30min", "45s", "1d12h", "3w"})
    CHECK(ops::format_duration(ops::parse_duration(text)) == text);
}

TEST_CASE("units: parse_threshold reads a percentage or a size") {
  auto p = ops::parse_threshold("80%");
  CHECK(p.kind == ops::Threshold::Kind::percent);
  CHECK(p.percent == 80);
  CHECK(ops::parse_threshold("80.5%").percent == 80.5);
  CHECK(ops::parse_threshold("0%").percent == 0);
  CHECK(ops::parse_threshold("100%").percent == 100);
  auto b = ops::parse_threshold("2G");
  CHECK(b.kind == ops::Threshold::Kind::bytes);
  CHECK(b.bytes == 2 * GiB);
  CHECK(ops::parse_threshold("10GB").bytes == 10'000'000'000);
  CHECK(ops::parse_threshold("1B").bytes == 1);
}

TEST_CASE("units: parse_threshold refuses what is neither") {
  for (const char* bad : {"101%", "%", "-1%", "abc", "", "80%%", "2X", "80 %x", "80", "0.5"})
    check_refused(ops::parse_threshold, bad);
}
