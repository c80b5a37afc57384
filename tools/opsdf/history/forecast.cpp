#include "opsdf/history/forecast.hpp"
#include "opsdf/history/sparkline.hpp"

#include <ops/error.hpp>
#include <ops/units.hpp>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

namespace opsdf {

namespace {

constexpr double kSecondsPerDay = 86400.0;
// Dates further out are noise, and would not fit a four-digit year.
constexpr double kHorizonSeconds = 100 * 365.25 * kSecondsPerDay;

struct Fit {
  long double slope;        // bytes per second
  long double used_at_now;  // the line's value at options.now
};

// Least squares of used against time. Times are taken relative to their mean,
// so the sums stay small and exact enough in long double even for byte counts
// in the petabytes over years of seconds.
std::optional<Fit> fit(const std::vector<const Sample*>& samples, ops::SysTime now) {
  if (samples.size() < 2) return std::nullopt;
  const ops::SysTime t0 = samples.front()->time;
  long double n = static_cast<long double>(samples.size()), mean_x = 0, mean_y = 0;
  for (const Sample* s : samples) {
    mean_x += static_cast<long double>((s->time - t0).count());
    mean_y += static_cast<long double>(s->used);
  }
  mean_x /= n;
  mean_y /= n;
  long double sxx = 0, sxy = 0;
  for (const Sample* s : samples) {
    long double dx = static_cast<long double>((s->time - t0).count()) - mean_x;
    sxx += dx * dx;
    sxy += dx * (static_cast<long double>(s->used) - mean_y);
  }
  if (sxx == 0) return std::nullopt;  // all samples at the same second
  long double slope = sxy / sxx;
  long double x_now = static_cast<long double>((now - t0).count());
  return Fit{slope, mean_y + slope * (x_now - mean_x)};
}

SeriesForecast forecast_series(const std::vector<const Sample*>& samples, const ForecastOptions& o) {
  const Sample& last = *samples.back();
  SeriesForecast f;
  f.kind = last.kind;
  f.series = last.series;
  f.samples = samples.size();
  f.last_time = last.time;
  f.used = last.used;
  f.avail = last.avail;
  std::vector<double> used;
  for (const Sample* s : samples) used.push_back(static_cast<double>(s->used));
  f.sparkline = sparkline(used);

  auto line = fit(samples, o.now);
  if (line) f.growth_per_day = static_cast<double>(line->slope * kSecondsPerDay);
  if (f.avail && *f.avail == 0) {
    f.full_at = o.now;  // full already, whatever the trend
    f.days_left = 0;
  } else if (line && f.avail && line->slope > 0) {
    // The room is measured at the last sample (capacity may have changed since
    // older ones); the fitted value at now, not the last sample, is where the
    // trend stands, so one odd sample (a log just rotated) does not move the date.
    long double capacity = static_cast<long double>(f.used) + static_cast<long double>(*f.avail);
    long double seconds = std::max<long double>(0, (capacity - line->used_at_now) / line->slope);
    if (seconds <= kHorizonSeconds) {
      f.full_at = o.now + std::chrono::seconds(std::llround(static_cast<double>(seconds)));
      f.days_left = static_cast<double>(seconds / kSecondsPerDay);
    }
  }
  // A hair of tolerance: 10 days computed as 10.000000000000002 is 10 days,
  // as printed, and must meet a threshold of 10.
  constexpr double kTolerance = 1e-9;
  if (f.days_left && *f.days_left <= o.crit_days + kTolerance) f.status = ops::Status::critical;
  else if (f.days_left && *f.days_left <= o.warn_days + kTolerance) f.status = ops::Status::warning;
  return f;
}

std::string growth_text(double bytes_per_day) {
  auto magnitude = static_cast<std::uint64_t>(std::llround(std::fabs(bytes_per_day)));
  return (bytes_per_day < 0 && magnitude > 0 ? "-" : "+") + ops::format_size(magnitude);
}

std::string full_text(const SeriesForecast& f) {
  if (f.full_at) {
    std::string date = ops::format_date(*f.full_at);
    double days = *f.days_left;
    if (f.avail && *f.avail == 0) return date + " (full now)";
    if (days < 1) return date + " (within a day)";
    if (days < 1.5) return date + " (in 1 day)";
    return fmt::format("{} (in {:.0f} days)", date, days);
  }
  if (!f.growth_per_day || !f.avail) return "";
  return *f.growth_per_day > 0 ? "in over 100 years" : "never";
}

}  // namespace

void check_options(const ForecastOptions& o) {
  if (o.window.count() <= 0) ops::fail_usage("--window must be longer than 0s");
  if (!(o.warn_days >= 0) || !(o.crit_days >= 0))
    ops::fail_usage("--warn-days and --crit-days must be numbers of days, 0 or more");
  if (o.crit_days > o.warn_days)
    ops::fail_usage(fmt::format("--crit-days {} is more than --warn-days {}: a disk would be critical before it warns",
                                o.crit_days, o.warn_days));
}

Forecast forecast(const std::vector<Sample>& samples, const ForecastOptions& o) {
  std::map<std::pair<SeriesKind, std::string>, std::vector<const Sample*>> groups;
  std::optional<ops::SysTime> newest;
  for (const Sample& s : samples) {
    if (!newest || s.time > *newest) newest = s.time;
    if (s.time > o.now - o.window && s.time <= o.now) groups[{s.kind, s.series}].push_back(&s);
  }
  Forecast result;
  for (auto& [key, group] : groups) {
    std::stable_sort(group.begin(), group.end(), [](const Sample* a, const Sample* b) { return a->time < b->time; });
    result.series.push_back(forecast_series(group, o));
    result.status = ops::worst(result.status, result.series.back().status);
  }
  if (result.series.empty()) {
    result.status = ops::Status::unknown;
    result.warnings.push_back(
        newest ? fmt::format("no sample in the last {} before {} (the newest is from {}): is 'opsdf record' running?",
                             ops::format_duration(o.window), ops::format_time(o.now), ops::format_time(*newest))
               : "the history holds no samples yet: run 'opsdf record' (e.g. daily from cron)");
  }
  return result;
}

ops::Table forecast_table(const Forecast& forecast, ops::Format format) {
  using ops::Cell;
  using ops::ColumnKind;
  bool text = format == ops::Format::text;
  std::vector<ops::Column> columns{{"kind"}, {"series"}, {"used", ColumnKind::bytes}, {"avail", ColumnKind::bytes}};
  if (text) {
    columns.insert(columns.end(), {{"growth_per_day", ColumnKind::number, "GROWTH/DAY"},
                                   {"full_date", ColumnKind::text, "FULL"},
                                   {"sparkline", ColumnKind::text, "TREND"},
                                   {"status"}});
  } else {
    columns.insert(columns.end(), {{"growth_per_day", ColumnKind::integer}, {"full_date"},
                                   {"days_left", ColumnKind::number}, {"status"}});
  }
  ops::Table table(std::move(columns));
  for (const auto& f : forecast.series) {
    // Cell by cell: g++ 12 -O2 wrongly sees an uninitialized string in an
    // initializer list of variants (-Wmaybe-uninitialized).
    std::vector<Cell> row;
    row.reserve(8);
    row.emplace_back(std::string(kind_name(f.kind)));
    row.emplace_back(f.series);
    row.emplace_back(static_cast<std::int64_t>(f.used));
    row.push_back(f.avail ? Cell(static_cast<std::int64_t>(*f.avail)) : Cell());
    std::string status(ops::status_name(f.status));
    if (text) {
      row.push_back(f.growth_per_day ? Cell(growth_text(*f.growth_per_day)) : Cell());
      std::string full = full_text(f);
      row.push_back(full.empty() ? Cell() : Cell(full));
      row.push_back(f.sparkline);
      row.push_back(f.status == ops::Status::ok ? "" : status);
    } else {
      row.push_back(f.growth_per_day ? Cell(static_cast<std::int64_t>(std::llround(*f.growth_per_day))) : Cell());
      row.push_back(f.full_at ? Cell(ops::format_date(*f.full_at)) : Cell());
      row.push_back(f.days_left ? Cell(*f.days_left) : Cell());
      row.push_back(status);
    }
    table.add_row(std::move(row));
  }
  return table;
}

}  // namespace opsdf
