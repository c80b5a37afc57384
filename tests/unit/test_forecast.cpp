// opsdf forecast: least-squares growth, full dates, thresholds, sparklines.
#include "opsdf/history/forecast.hpp"
#include "opsdf/history/sparkline.hpp"

#include <ops/error.hpp>

#include <catch2/catch.hpp>
#include <sstream>

using opsdf::Sample;
using opsdf::SeriesKind;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t GiB = 1ull << 30;
constexpr std::uint64_t MiB = 1ull << 20;
const ops::SysTime kNow = ops::parse_time("2026-01-31T00:00:00Z");

opsdf::ForecastOptions options(double warn = 30, double crit = 7) {
  opsdf::ForecastOptions o;
  o.now = kNow;
  o.warn_days = warn;
  o.crit_days = crit;
  return o;
}

// One sample a day for `days` days up to now: used = used0 + k * per_day,
// and the room left shrinks by as much, so capacity stays the same.
std::vector<Sample> daily(std::string series, int days, std::uint64_t used_now, std::int64_t per_day,
                          std::optional<std::uint64_t> avail_now, SeriesKind kind = SeriesKind::fs) {
  std::vector<Sample> out;
  for (int k = days - 1; k >= 0; --k) {
    std::int64_t back = per_day * k;
    auto used = static_cast<std::uint64_t>(static_cast<std::int64_t>(used_now) - back);
    Sample s{kNow - std::chrono::days{k}, kind, series, used, std::nullopt};
    if (avail_now) s.avail = static_cast<std::uint64_t>(static_cast<std::int64_t>(*avail_now) + back);
    out.push_back(std::move(s));
  }
  return out;
}

// A copy, so that `const auto& s = only(forecast(...))` does not dangle.
opsdf::SeriesForecast only(const opsdf::Forecast& f) {
  REQUIRE(f.series.size() == 1);
  return f.series[0];
}

std::string print(const opsdf::Forecast& f, ops::Format format) {
  std::ostringstream out;
  opsdf::forecast_table(f, format).print(out, format);
  return out.str();
}

}  // namespace

TEST_CASE("forecast: 1 GiB a day with 10 GiB left is full in 10 days, to the second", "[forecast]") {
  auto f = opsdf::forecast(daily("/", 30, 50 * GiB, GiB, 10 * GiB), options());
  const auto& s = only(f);
  CHECK(s.kind == SeriesKind::fs);
  CHECK(s.series == "/");
  CHECK(s.samples == 30);
  CHECK(s.used == 50 * GiB);
  CHECK(s.avail == 10 * GiB);
  REQUIRE(s.growth_per_day);
  CHECK(*s.growth_per_day == Approx(static_cast<double>(GiB)).epsilon(1e-12));
  REQUIRE(s.full_at);
  CHECK(ops::format_time(*s.full_at) == "2026-02-10T00:00:00Z");
  CHECK(*s.days_left == Approx(10.0).epsilon(1e-12));
  CHECK(s.status == ops::Status::warning);
  CHECK(f.status == ops::Status::warning);
  CHECK(f.warnings.empty());
}

TEST_CASE("forecast: the fit, not the last sample, says where the trend is now", "[forecast]") {
  // days -3..0: 10, 12, 11, 13 GiB; least squares: 0.8 GiB/day, 12.7 GiB at now;
  // capacity 13 + 7 = 20 GiB, so (20 - 12.7) / 0.8 = 9.125 days.
  std::vector<Sample> samples;
  std::uint64_t used[] = {10, 12, 11, 13};
  for (int k = 0; k < 4; ++k)
    samples.push_back({kNow - std::chrono::days{3 - k}, SeriesKind::fs, "/", used[k] * GiB, (20 - used[k]) * GiB});
  const auto& s = only(opsdf::forecast(samples, options()));
  CHECK(*s.growth_per_day == Approx(0.8 * GiB));
  CHECK(*s.days_left == Approx(9.125));
  CHECK(ops::format_time(*s.full_at) == "2026-02-09T03:00:00Z");
}

TEST_CASE("forecast: shrinking or flat is never full", "[forecast]") {
  auto shrinking = only(opsdf::forecast(daily("/srv", 30, 90 * GiB, -100 * static_cast<std::int64_t>(MiB), 60 * GiB),
                                        options()));
  CHECK(*shrinking.growth_per_day == Approx(-100.0 * MiB));
  CHECK_FALSE(shrinking.full_at);
  CHECK_FALSE(shrinking.days_left);
  CHECK(shrinking.status == ops::Status::ok);

  auto flat = only(opsdf::forecast(daily("/srv", 5, 90 * GiB, 0, 60 * GiB), options()));
  CHECK(*flat.growth_per_day == 0);
  CHECK_FALSE(flat.full_at);
}

TEST_CASE("forecast: one sample, or samples at one instant, give no growth", "[forecast]") {
  auto one = only(opsdf::forecast(daily("/boot", 1, 100 * MiB, MiB, 400 * MiB), options()));
  CHECK(one.samples == 1);
  CHECK_FALSE(one.growth_per_day);
  CHECK_FALSE(one.full_at);
  CHECK(one.status == ops::Status::ok);
  CHECK(one.sparkline == "▄");

  std::vector<Sample> same_time{{kNow, SeriesKind::fs, "/", 1, 10}, {kNow, SeriesKind::fs, "/", 5, 6}};
  auto same = only(opsdf::forecast(same_time, options()));
  CHECK(same.samples == 2);
  CHECK_FALSE(same.growth_per_day);
  CHECK(same.used == 5);  // the later line of the file wins
}

TEST_CASE("forecast: only samples in the window, up to now, count", "[forecast]") {
  // Fast growth 40 to 60 days ago, flat since; and samples "from the future".
  auto samples = daily("/", 60, 50 * GiB, 0, 10 * GiB);
  for (int k = 30; k < 60; ++k) samples[static_cast<std::size_t>(59 - k)].used = 50 * GiB - (k - 29) * GiB;
  samples.push_back({kNow + 24h, SeriesKind::fs, "/", 80 * GiB, 0});
  auto f = opsdf::forecast(samples, options());
  const auto& s = only(f);
  CHECK(s.samples == 30);
  CHECK(s.used == 50 * GiB);
  CHECK(*s.growth_per_day == Approx(0).margin(1e-3));
  CHECK(s.status == ops::Status::ok);

  auto wide = options();
  wide.window = std::chrono::days{60};
  CHECK(only(opsdf::forecast(samples, wide)).samples == 60);
  CHECK(*only(opsdf::forecast(samples, wide)).growth_per_day > 0);

  // A window the history does not reach: nothing to say, and it says so.
  auto later = options();
  later.now = kNow + std::chrono::days{45};
  auto empty = opsdf::forecast(samples, later);
  CHECK(empty.series.empty());
  CHECK(empty.status == ops::Status::unknown);
  REQUIRE(empty.warnings.size() == 1);
  CHECK(empty.warnings[0] ==
        "no sample in the last 30d before 2026-03-17T00:00:00Z (the newest is from 2026-02-01T00:00:00Z): "
        "is 'opsdf record' running?");
  CHECK(opsdf::forecast({}, options()).status == ops::Status::unknown);
}

TEST_CASE("forecast: thresholds are inclusive: days_left <= crit is critical, <= warn a warning", "[forecast]") {
  // 10 bytes a second, so the arithmetic is exact: avail / 864000 days.
  auto status_for = [](double days_left, double warn, double crit) {
    auto avail = static_cast<std::uint64_t>(days_left * 864000);
    return only(opsdf::forecast(daily("/", 10, 100'000'000, 864000, avail), options(warn, crit))).status;
  };
  CHECK(status_for(7, 30, 7) == ops::Status::critical);
  CHECK(status_for(7.5, 30, 7) == ops::Status::warning);
  CHECK(status_for(30, 30, 7) == ops::Status::warning);
  CHECK(status_for(30.5, 30, 7) == ops::Status::ok);
  CHECK(status_for(3, 0, 0) == ops::Status::ok);
  // 1 GiB/day is not exact in binary: 10.000000000000002 days must still be 10.
  CHECK(only(opsdf::forecast(daily("/", 30, 50 * GiB, GiB, 10 * GiB), options(30, 10))).status ==
        ops::Status::critical);
}

TEST_CASE("forecast: full now, unknown room, and beyond the horizon", "[forecast]") {
  auto full = only(opsdf::forecast(daily("/", 5, 10 * GiB, GiB, 0), options()));
  CHECK(*full.days_left == 0);
  CHECK(full.full_at == kNow);
  CHECK(full.status == ops::Status::critical);

  // Overshot: the trend says it should be full already.
  std::vector<Sample> overshoot{{kNow - 48h, SeriesKind::fs, "/", 0, 10}, {kNow - 24h, SeriesKind::fs, "/", 100, 1}};
  auto over = only(opsdf::forecast(overshoot, options()));
  CHECK(*over.days_left == 0);
  CHECK(over.status == ops::Status::critical);

  auto db = only(opsdf::forecast(daily("app", 30, 500 * MiB, 10 * MiB, std::nullopt, SeriesKind::db), options()));
  CHECK(*db.growth_per_day == Approx(10.0 * MiB));
  CHECK_FALSE(db.full_at);
  CHECK(db.status == ops::Status::ok);

  auto slow = only(opsdf::forecast(daily("/", 30, 50 * GiB, 1, 10 * GiB), options()));
  CHECK(*slow.growth_per_day == Approx(1));
  CHECK_FALSE(slow.full_at);
  CHECK_FALSE(slow.days_left);
}

TEST_CASE("forecast: series in order fs, dir, db, by name, and the status is the worst", "[forecast]") {
  std::vector<Sample> samples;
  for (auto part : {daily("app", 3, 10, 1, std::nullopt, SeriesKind::db),
                    daily("/var/log", 3, 10, 1, 1, SeriesKind::dir), daily("/srv", 3, 10, 1, 1000),
                    daily("/", 3, 10, 1, 100)})
    samples.insert(samples.end(), part.begin(), part.end());
  auto f = opsdf::forecast(samples, options());
  REQUIRE(f.series.size() == 4);
  CHECK(f.series[0].series == "/");
  CHECK(f.series[1].series == "/srv");
  CHECK(f.series[2].series == "/var/log");
  CHECK(f.series[3].series == "app");
  CHECK(f.series[2].status == ops::Status::critical);
  CHECK(f.status == ops::Status::critical);
}

TEST_CASE("forecast: check_options refuses nonsense", "[forecast]") {
  CHECK_NOTHROW(opsdf::check_options(options(30, 7)));
  CHECK_NOTHROW(opsdf::check_options(options(7, 7)));
  auto bad = options(5, 7);
  CHECK_THROWS_WITH(opsdf::check_options(bad),
                    "--crit-days 7 is more than --warn-days 5: a disk would be critical before it warns");
  bad = options();
  bad.window = 0s;
  CHECK_THROWS_AS(opsdf::check_options(bad), ops::Error);
  CHECK_THROWS_AS(opsdf::check_options(options(-1, -2)), ops::Error);
}

TEST_CASE("forecast: the table in TSV and text", "[forecast]") {
  std::vector<Sample> samples = daily("/", 30, 50 * GiB, GiB, 10 * GiB);
  auto shrinking = daily("/srv", 30, 90 * GiB, -100 * static_cast<std::int64_t>(MiB), 60 * GiB);
  auto db = daily("app", 1, 500 * MiB, 0, std::nullopt, SeriesKind::db);
  samples.insert(samples.end(), shrinking.begin(), shrinking.end());
  samples.insert(samples.end(), db.begin(), db.end());
  auto f = opsdf::forecast(samples, options());
  CHECK(print(f, ops::Format::tsv) ==
        "kind\tseries\tused\tavail\tgrowth_per_day\tfull_date\tdays_left\tstatus\n"
        "fs\t/\t53687091200\t10737418240\t1073741824\t2026-02-10\t10.0\tWARNING\n"
        "fs\t/srv\t96636764160\t64424509440\t-104857600\t\t\tOK\n"
        "db\tapp\t524288000\t\t\t\t\tOK\n");
  CHECK(print(f, ops::Format::text) ==
        "KIND  SERIES  USED  AVAIL  GROWTH/DAY  FULL                     TREND                 STATUS\n"
        "fs    /        50G    10G       +1.0G  2026-02-10 (in 10 days)  ▁▁▂▂▂▃▃▄▄▄▅▅▅▆▆▇▇▇██  WARNING\n"
        "fs    /srv     90G    60G       -100M  never                    ██▇▇▇▆▆▅▅▅▄▄▄▃▃▂▂▂▁▁\n"
        "db    app     500M      -           -  -                        ▄\n");
}

TEST_CASE("sparkline: eight levels from min to max, at most width buckets", "[forecast]") {
  CHECK(opsdf::sparkline({1, 2, 3, 4, 5, 6, 7, 8}) == "▁▂▃▄▅▆▇█");
  CHECK(opsdf::sparkline({8, 1}) == "█▁");
  CHECK(opsdf::sparkline({5, 5, 5}) == "▄▄▄");
  CHECK(opsdf::sparkline({}).empty());
  CHECK(opsdf::sparkline({0, 0, 10, 10}, 2) == "▁█");
  CHECK(opsdf::sparkline({0, 10, 20}, 2) == "▁█");  // buckets {0} and {10, 20}
  std::vector<double> many;
  for (int i = 0; i < 365; ++i) many.push_back(i);
  std::string line = opsdf::sparkline(many);
  CHECK(line.size() == 20 * std::string("▁").size());
  CHECK(line.rfind("▁", 0) == 0);
  CHECK(line.substr(line.size() - 3) == "█");
}
