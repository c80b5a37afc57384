// ops/nagios_range.hpp and ops/perfdata.hpp: thresholds in the Monitoring
// Plugins range syntax and the perfdata after a Nagios line's "|".
#include <ops/error.hpp>
#include <ops/nagios_range.hpp>
#include <ops/output.hpp>
#include <ops/perfdata.hpp>

#include <catch2/catch.hpp>

#include "error_support.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace {

using ops::test::error_from;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double GiB = 1024.0 * 1024 * 1024;


// The message of the usage error (exit 3) that parsing `text` gives.
std::string range_error(std::string_view text, std::initializer_list<ops::RangeUnit> units = {}) {
  ops::Error e = error_from([&] { ops::parse_range(text, units); });
  CHECK(e.status() == ops::Status::unknown);
  CHECK(ops::exit_code(e.status()) == 3);
  return e.what();
}

}  // namespace

// The guidelines' table of examples, each at and around its bounds.
TEST_CASE("nagios_range: '10' alerts below 0 and above 10") {
  auto r = ops::parse_range("10");
  CHECK(r.start == 0);
  CHECK(r.end == 10);
  CHECK_FALSE(r.inside);
  CHECK(r.unit == ops::RangeUnit::none);
  CHECK(r.alerts(-0.001));
  CHECK(r.alerts(-1));
  CHECK_FALSE(r.alerts(0));
  CHECK_FALSE(r.alerts(5));
  CHECK_FALSE(r.alerts(10));
  CHECK(r.alerts(10.001));
  CHECK(r.alerts(11));
}

TEST_CASE("nagios_range: '10:' alerts below 10") {
  auto r = ops::parse_range("10:");
  CHECK(r.start == 10);
  CHECK(r.end == inf);
  CHECK(r.alerts(9.999));
  CHECK(r.alerts(-5));
  CHECK_FALSE(r.alerts(10));
  CHECK_FALSE(r.alerts(1e300));
}

TEST_CASE("nagios_range: '~:10' alerts above 10") {
  auto r = ops::parse_range("~:10");
  CHECK(r.start == -inf);
  CHECK(r.end == 10);
  CHECK_FALSE(r.alerts(-1e300));
  CHECK_FALSE(r.alerts(10));
  CHECK(r.alerts(10.001));
}

TEST_CASE("nagios_range: '10:20' alerts outside 10..20") {
  auto r = ops::parse_range("10:20");
  CHECK(r.alerts(9.999));
  CHECK_FALSE(r.alerts(10));
  CHECK_FALSE(r.alerts(15));
  CHECK_FALSE(r.alerts(20));
  CHECK(r.alerts(20.001));
}

TEST_CASE("nagios_range: '@10:20' alerts inside 10..20, bounds included") {
  auto r = ops::parse_range("@10:20");
  CHECK(r.inside);
  CHECK_FALSE(r.alerts(9.999));
  CHECK(r.alerts(10));
  CHECK(r.alerts(15));
  CHECK(r.alerts(20));
  CHECK_FALSE(r.alerts(20.001));
}

TEST_CASE("nagios_range: other forms") {
  SECTION("@ with the other forms") {
    auto r = ops::parse_range("@10");  // 0..10
    CHECK(r.alerts(0));
    CHECK(r.alerts(10));
    CHECK_FALSE(r.alerts(-1));
    CHECK_FALSE(r.alerts(11));
    CHECK(ops::parse_range("@10:").alerts(10));
    CHECK_FALSE(ops::parse_range("@10:").alerts(9));
    CHECK(ops::parse_range("@~:10").alerts(-1e9));
    CHECK_FALSE(ops::parse_range("@~:10").alerts(10.5));
  }
  SECTION("~: never alerts, @~: always does") {
    CHECK_FALSE(ops::parse_range("~:").alerts(-1e300));
    CHECK_FALSE(ops::parse_range("~:").alerts(1e300));
    CHECK(ops::parse_range("@~:").alerts(0));
  }
  SECTION("0 and the degenerate range n:n") {
    auto zero = ops::parse_range("0");  // anything but 0 alerts
    CHECK_FALSE(zero.alerts(0));
    CHECK(zero.alerts(0.5));
    CHECK(zero.alerts(-0.5));
    auto five = ops::parse_range("5:5");
    CHECK_FALSE(five.alerts(5));
    CHECK(five.alerts(4.9));
    CHECK(five.alerts(5.1));
  }
  SECTION("negative bounds and fractions") {
    auto r = ops::parse_range("-10:-2.5");
    CHECK(r.start == -10);
    CHECK(r.end == -2.5);
    CHECK(r.alerts(-10.5));
    CHECK_FALSE(r.alerts(-10));
    CHECK_FALSE(r.alerts(-2.5));
    CHECK(r.alerts(0));
    CHECK(ops::parse_range("~:-1").alerts(0));
    CHECK(ops::parse_range(".5").end == 0.5);
    CHECK(ops::parse_range("1.5:").start == 1.5);
  }
  SECTION("blanks around the text are ignored; the text is kept for messages") {
    auto r = ops::parse_range("  10:20 ");
    CHECK(r.start == 10);
    CHECK(r.text == "10:20");
  }
  SECTION("a NaN value (not measured) always alerts") {
    CHECK(ops::parse_range("10").alerts(std::nan("")));
    CHECK(ops::parse_range("@10:20").alerts(std::nan("")));
    CHECK(ops::parse_range("~:").alerts(std::nan("")));
  }
}

TEST_CASE("nagios_range: units") {
  SECTION("percent") {
    auto r = ops::parse_range("80%");
    CHECK(r.unit == ops::RangeUnit::percent);
    CHECK(r.end == 80);
    CHECK(r.alerts(80.1));
    CHECK_FALSE(r.alerts(80));
    auto free = ops::parse_range("20%:");
    CHECK(free.start == 20);
    CHECK(free.alerts(19.9));
    CHECK(ops::parse_range("@10.5%:20%").alerts(15));
  }
  SECTION("sizes as ops reads them: K/M/G/T powers of 1024, KB/MB powers of 1000") {
    auto r = ops::parse_range("2G:");
    CHECK(r.unit == ops::RangeUnit::bytes);
    CHECK(r.start == 2 * GiB);
    CHECK(r.alerts(2 * GiB - 1));
    CHECK_FALSE(r.alerts(2 * GiB));
    CHECK(ops::parse_range("1.5G").end == 1.5 * GiB);
    CHECK(ops::parse_range("512K:1M").start == 512 * 1024);
    CHECK(ops::parse_range("512K:1M").end == 1024 * 1024);
    CHECK(ops::parse_range("10MB").end == 10e6);
    CHECK(ops::parse_range("100B").end == 100);
    CHECK(ops::parse_range("1T").end == 1024 * GiB);
    CHECK(ops::parse_range("5m").end == 5 * 1024 * 1024);  // M is MiB, never minutes
  }
  SECTION("durations as seconds, with ms and us") {
    auto r = ops::parse_range("500ms");
    CHECK(r.unit == ops::RangeUnit::seconds);
    CHECK(r.end == Approx(0.5));
    CHECK(r.alerts(0.501));
    CHECK_FALSE(r.alerts(0.5));
    CHECK(ops::parse_range("250us").end == Approx(0.00025));
    CHECK(ops::parse_range("2s").end == 2);
    CHECK(ops::parse_range("1min:1h").start == 60);
    CHECK(ops::parse_range("1min:1h").end == 3600);
    CHECK(ops::parse_range("26h").end == 26 * 3600);
    CHECK(ops::parse_range("@1h30min:2d").start == 5400);
  }
  SECTION("a bare 0 goes with a unit") {
    auto r = ops::parse_range("0:2G");
    CHECK(r.unit == ops::RangeUnit::bytes);
    CHECK(r.start == 0);
    CHECK(r.end == 2 * GiB);
    CHECK(ops::parse_range("@0:500ms").unit == ops::RangeUnit::seconds);
  }
}

TEST_CASE("nagios_range: the check's units") {
  using U = ops::RangeUnit;
  SECTION("a unit the check measures in is taken") {
    CHECK(ops::parse_range("80%", {U::percent, U::bytes}).unit == U::percent);
    CHECK(ops::parse_range("2G:", {U::percent, U::bytes}).unit == U::bytes);
    CHECK(ops::parse_range("4", {U::none}).unit == U::none);
  }
  SECTION("a bare number takes the check's only unit when it is % or seconds") {
    auto latency = ops::parse_range("5", {U::seconds});
    CHECK(latency.unit == U::seconds);
    CHECK(latency.end == 5);
    CHECK(ops::parse_range("80", {U::percent}).unit == U::percent);
  }
  SECTION("a bare number is refused where it is ambiguous") {
    auto m = range_error("80", {U::percent, U::bytes});
    CHECK(m == "invalid range '80': a bare number is ambiguous here: give a percentage or a size with its unit");
    CHECK(range_error("1024", {U::bytes}) ==
          "invalid range '1024': a bare number is ambiguous here: give a size with its unit");
  }
  SECTION("another unit is refused, naming the expected ones") {
    CHECK(range_error("2G", {U::percent, U::seconds}) ==
          "invalid range '2G': expected a percentage or a duration, not a size");
    CHECK(range_error("80%", {U::none}) == "invalid range '80%': expected a plain number, not a percentage");
    CHECK(range_error("5m", {U::seconds}) == "invalid range '5m': expected a duration, not a size");
    CHECK(range_error("1s", {U::none, U::percent, U::bytes}) ==
          "invalid range '1s': expected a plain number, a percentage or a size, not a duration");
  }
}

TEST_CASE("nagios_range: malformed ranges are usage errors naming the text") {
  CHECK(range_error("") == "invalid range '': empty");
  CHECK(range_error("   ") == "invalid range '   ': empty");
  CHECK(range_error("@") == "invalid range '@': nothing after '@'");
  CHECK(range_error("~") == "invalid range '~': '~' is a start: write ~:10");
  CHECK(range_error("10:~") ==
        "invalid range '10:~': '~' is only a start: leave the end empty for no upper bound");
  CHECK(range_error(":10") == "invalid range ':10': no start before ':' (write 0:10, or ~:10 for no lower bound)");
  CHECK(range_error(":") == "invalid range ':': no start before ':' (write 0:10, or ~:10 for no lower bound)");
  CHECK(range_error("10:20:30") == "invalid range '10:20:30': more than one ':'");
  CHECK(range_error("20:10") == "invalid range '20:10': the start is above the end");
  CHECK(range_error("@20:10") == "invalid range '@20:10': the start is above the end");
  CHECK(range_error("10%:0") == "invalid range '10%:0': the start is above the end");
  CHECK(range_error("abc") == "invalid range 'abc': 'abc' is not a number");
  CHECK(range_error("10:x") == "invalid range '10:x': 'x' is not a number");
  CHECK(range_error("@@10") == "invalid range '@@10': '@10' is not a number");
  CHECK(range_error("~10") == "invalid range '~10': '~10' is not a number");
  CHECK(range_error("+10") == "invalid range '+10': '+10' is not a number");
  CHECK(range_error("-") == "invalid range '-': '-' is not a number");
  CHECK(range_error("--1") == "invalid range '--1': '--1' is not a number");
  CHECK(range_error("1.2.3") ==
        "invalid range '1.2.3': '1.2.3' has an unknown unit (use %, B, K, M, G, T, ms, s, min, h, d)");
  CHECK(range_error("1e3") ==
        "invalid range '1e3': '1e3' has an unknown unit (use %, B, K, M, G, T, ms, s, min, h, d)");
  CHECK(range_error("10x") ==
        "invalid range '10x': '10x' has an unknown unit (use %, B, K, M, G, T, ms, s, min, h, d)");
  CHECK(range_error("80%%") == "invalid range '80%%': '80%%' is not a percentage");
  CHECK(range_error("%") == "invalid range '%': '%' is not a number");
  CHECK(range_error("-2G") == "invalid range '-2G': '-2G': a size cannot be negative");
  CHECK(range_error("-5s:") == "invalid range '-5s:': '-5s': a duration cannot be negative");
  CHECK(range_error("1G:5s") == "invalid range '1G:5s': mixes a size and a duration");
  CHECK(range_error("10%:2G") == "invalid range '10%:2G': mixes a percentage and a size");
  CHECK(range_error("1:2G") == "invalid range '1:2G': give both bounds a unit ('1' is a bare number beside a size)");
  CHECK(range_error("500ms:2") ==
        "invalid range '500ms:2': give both bounds a unit ('2' is a bare number beside a duration)");
  CHECK(range_error("1 0") == "invalid range '1 0': '1 0' has an unknown unit (use %, B, K, M, G, T, ms, s, min, h, d)");
  SECTION("the hint shows the syntax") {
    auto e = error_from([] { ops::parse_range("x"); });
    CHECK(e.hint() == "ranges look like 10, 10:, ~:10, 10:20 or @10:20, with units like 80%, 2G, 500ms");
  }
  SECTION("a control character in the text is shown escaped") {
    std::string m = range_error("1\n0");
    CHECK(m.find('\n') == std::string::npos);
  }
}

TEST_CASE("nagios_range: format_range prints the guidelines' form") {
  CHECK(ops::format_range(ops::parse_range("10")) == "10");
  CHECK(ops::format_range(ops::parse_range("0:10")) == "10");
  CHECK(ops::format_range(ops::parse_range("10:")) == "10:");
  CHECK(ops::format_range(ops::parse_range("0:")) == "0:");
  CHECK(ops::format_range(ops::parse_range("~:10")) == "~:10");
  CHECK(ops::format_range(ops::parse_range("~:")) == "~:");
  CHECK(ops::format_range(ops::parse_range("10:20")) == "10:20");
  CHECK(ops::format_range(ops::parse_range("@10:20")) == "@10:20");
  CHECK(ops::format_range(ops::parse_range("@10")) == "@10");
  CHECK(ops::format_range(ops::parse_range("@~:")) == "@~:");
  CHECK(ops::format_range(ops::parse_range("-10:-2.5")) == "-10:-2.5");
  SECTION("in the base unit, or divided into the perfdata unit") {
    CHECK(ops::format_range(ops::parse_range("80%")) == "80");
    CHECK(ops::format_range(ops::parse_range("2G:")) == "2147483648:");
    CHECK(ops::format_range(ops::parse_range("2G:"), 1024 * 1024) == "2048:");
    CHECK(ops::format_range(ops::parse_range("500ms")) == "0.5");
    CHECK(ops::format_range(ops::parse_range("500ms"), 1e-3) == "500");
    CHECK(ops::format_range(ops::parse_range("@1s:2s"), 1e-3) == "@1000:2000");
  }
  SECTION("what it prints parses back to the same range") {
    for (const char* text : {"10", "10:", "~:10", "10:20", "@10:20", "@~:", "-3.25:7", "0.001"}) {
      auto r = ops::parse_range(text);
      auto back = ops::parse_range(ops::format_range(r));
      CHECK(back.start == r.start);
      CHECK(back.end == r.end);
      CHECK(back.inside == r.inside);
    }
  }
}

TEST_CASE("nagios_range: plain_number never uses exponent notation") {
  CHECK(ops::plain_number(0) == "0");
  CHECK(ops::plain_number(-0.0) == "0");
  CHECK(ops::plain_number(1) == "1");
  CHECK(ops::plain_number(-1) == "-1");
  CHECK(ops::plain_number(0.5) == "0.5");
  CHECK(ops::plain_number(4.32) == "4.32");
  CHECK(ops::plain_number(1.5e-7) == "0.00000015");
  CHECK(ops::plain_number(-2.5e-9) == "-0.0000000025");
  CHECK(ops::plain_number(1e20) == "100000000000000000000");
  CHECK(ops::plain_number(1234567890123456.0) == "1234567890123456");
  CHECK(ops::plain_number(27585937408.0) == "27585937408");
  CHECK(ops::plain_number(1.25e17) == "125000000000000000");
  CHECK(ops::plain_number(std::nan("")) == "U");
  CHECK(ops::plain_number(inf) == "U");
  for (double v : {1e-5, 3.14159e-12, 6.02e23, 1.7976931348623157e308, 5e-324, 123.456, 0.1}) {
    std::string s = ops::plain_number(v);
    CHECK(s.find_first_of("eE") == std::string::npos);
    CHECK(std::strtod(s.c_str(), nullptr) == v);
  }
}

TEST_CASE("perfdata: labels are single-quoted, a quote doubled") {
  CHECK(ops::perfdata_label("load1") == "'load1'");
  CHECK(ops::perfdata_label("/var/lib") == "'/var/lib'");
  CHECK(ops::perfdata_label("db app") == "'db app'");
  CHECK(ops::perfdata_label("it's") == "'it''s'");
  CHECK(ops::perfdata_label("''") == "''''''");
  CHECK(ops::perfdata_label("db_app::time") == "'db_app::time'");
  SECTION("what would end the label or the perfdata becomes '_'") {
    CHECK(ops::perfdata_label("a=b") == "'a_b'");
    CHECK(ops::perfdata_label("a|b") == "'a_b'");
    CHECK(ops::perfdata_label("a\nb\tc") == "'a_b_c'");
    CHECK(ops::perfdata_label("") == "'_'");
  }
  SECTION("UTF-8 is kept") { CHECK(ops::perfdata_label("/mnt/Données") == "'/mnt/Données'"); }
}

TEST_CASE("perfdata: items") {
  using U = ops::PerfUnit;
  SECTION("value only: the trailing empty fields are dropped") {
    CHECK(ops::perfdata_item({"load1", 0.5, U::none, {}, {}, {}, {}}) == "'load1'=0.5");
    CHECK(ops::perfdata_item({"time", 0.25, U::seconds, {}, {}, {}, {}}) == "'time'=0.25s");
  }
  SECTION("all fields") {
    ops::PerfItem item{"load1", 4.32, U::none, ops::parse_range("1"), ops::parse_range("2"), 0.0, {}};
    CHECK(ops::perfdata_item(item) == "'load1'=4.32;1;2;0");
    item.max = 8;
    CHECK(ops::perfdata_item(item) == "'load1'=4.32;1;2;0;8");
  }
  SECTION("empty fields in the middle are kept") {
    CHECK(ops::perfdata_item({"x", 1, U::none, {}, ops::parse_range("5"), {}, {}}) == "'x'=1;;5");
    CHECK(ops::perfdata_item({"x", 1, U::none, {}, {}, {}, 10.0}) == "'x'=1;;;;10");
    CHECK(ops::perfdata_item({"x", 1, U::none, ops::parse_range("5"), {}, {}, 10.0}) == "'x'=1;5;;;10");
  }
  SECTION("every unit of measure the guidelines allow") {
    auto uom = [](U unit) { return ops::perfdata_item({"v", 3, unit, {}, {}, {}, {}}); };
    CHECK(uom(U::none) == "'v'=3");
    CHECK(uom(U::seconds) == "'v'=3s");
    CHECK(uom(U::milliseconds) == "'v'=3ms");
    CHECK(uom(U::microseconds) == "'v'=3us");
    CHECK(uom(U::percent) == "'v'=3%");
    CHECK(uom(U::bytes) == "'v'=3B");
    CHECK(uom(U::kilobytes) == "'v'=3KB");
    CHECK(uom(U::megabytes) == "'v'=3MB");
    CHECK(uom(U::terabytes) == "'v'=3TB");
    CHECK(uom(U::counter) == "'v'=3c");
  }
  SECTION("ranges printed in the item's unit") {
    ops::PerfItem disk{"/", 27585937408.0, U::bytes, ops::parse_range("200G"), ops::parse_range("@~:1G"), 0.0,
                       270552530944.0};
    CHECK(ops::perfdata_item(disk) == "'/'=27585937408B;214748364800;@~:1073741824;0;270552530944");
    ops::PerfItem mb{"/", 26307.5, U::megabytes, ops::parse_range("2G:"), {}, {}, {}};
    CHECK(ops::perfdata_item(mb) == "'/'=26307.5MB;2048:");
    ops::PerfItem ms{"time", 123, U::milliseconds, ops::parse_range("500ms"), ops::parse_range("2s"), {}, {}};
    CHECK(ops::perfdata_item(ms) == "'time'=123ms;500;2000");
    ops::PerfItem pct{"used", 83.2, U::percent, ops::parse_range("80%"), ops::parse_range("90%"), {}, {}};
    CHECK(ops::perfdata_item(pct) == "'used'=83.2%;80;90");
    ops::PerfItem bare{"used", 83.2, U::percent, ops::parse_range("80"), {}, {}, {}};
    CHECK(ops::perfdata_item(bare) == "'used'=83.2%;80");
  }
  SECTION("a range that cannot be printed in the item's unit is the caller's error") {
    ops::PerfItem wrong{"time", 1, U::seconds, ops::parse_range("2G"), {}, {}, {}};
    auto e = error_from([&] { ops::perfdata_item(wrong); });
    CHECK(e.status() == ops::Status::unknown);
    CHECK(std::string(e.what()) == "perfdata 'time': the range '2G' is a size, which cannot be printed in 's'");
    ops::PerfItem pct{"used", 1, U::bytes, {}, ops::parse_range("80%"), {}, {}};
    CHECK_THROWS_AS(ops::perfdata_item(pct), ops::Error);
  }
  SECTION("an unmeasured value is U, without its unit") {
    CHECK(ops::perfdata_item({"time", std::nan(""), U::seconds, ops::parse_range("1s"), {}, {}, {}}) ==
          "'time'=U;1");
    ops::PerfItem defaulted;
    defaulted.label = "x";
    CHECK(ops::perfdata_item(defaulted) == "'x'=U");
  }
  SECTION("numbers never in exponent notation") {
    CHECK(ops::perfdata_item({"t", 1.5e-7, U::seconds, {}, {}, 0.0, 1e20}) ==
          "'t'=0.00000015s;;;0;100000000000000000000");
  }
}

TEST_CASE("perfdata: a run's labels are unique") {
  ops::Perfdata perf;
  CHECK(perf.empty());
  CHECK(perf.text().empty());
  CHECK(perf.add({"load1", 0.5, ops::PerfUnit::none, {}, {}, {}, {}}) == "load1");
  CHECK(perf.add({"db", 1, ops::PerfUnit::none, {}, {}, {}, {}}) == "db");
  CHECK(perf.add({"db", 2, ops::PerfUnit::none, {}, {}, {}, {}}) == "db_2");
  CHECK(perf.add({"db_3", 3, ops::PerfUnit::none, {}, {}, {}, {}}) == "db_3");
  CHECK(perf.add({"db", 4, ops::PerfUnit::none, {}, {}, {}, {}}) == "db_4");
  // Uniqueness is judged on the label as printed: "a=b" and "a|b" both print 'a_b'.
  CHECK(perf.add({"a=b", 5, ops::PerfUnit::none, {}, {}, {}, {}}) == "a_b");
  CHECK(perf.add({"a|b", 6, ops::PerfUnit::none, {}, {}, {}, {}}) == "a_b_2");
  CHECK_FALSE(perf.empty());
  CHECK(perf.text() == "'load1'=0.5 'db'=1 'db_2'=2 'db_3'=3 'db_4'=4 'a_b'=5 'a_b_2'=6");
}

TEST_CASE("perfdata: with nagios_line, as check_load prints it") {
  // check_load 2.3.3 prints: LOAD CRITICAL - total load average: 4.32, 2.10, 2.48|load1=4.320;1.000;2.000;0; ...
  // ops quotes every label, keeps the shortest digits and drops the trailing ';'.
  ops::Perfdata perf;
  for (auto [label, value] : {std::pair{"load1", 4.32}, {"load5", 2.1}, {"load15", 2.48}})
    perf.add({label, value, ops::PerfUnit::none, ops::parse_range("1"), ops::parse_range("2"), 0.0, {}});
  CHECK(ops::nagios_line("LOAD", ops::Status::critical, "total load average: 4.32, 2.10, 2.48", perf.text()) ==
        "LOAD CRITICAL - total load average: 4.32, 2.10, 2.48 | 'load1'=4.32;1;2;0 'load5'=2.1;1;2;0 "
        "'load15'=2.48;1;2;0");
}
