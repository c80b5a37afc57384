#pragma once
// When will it be full? A least-squares line through each series' recent
// samples gives its growth per day; the capacity at the newest sample (used +
// avail) minus the line's value now, divided by that growth, gives the date.
// Thresholds in days set the status.

#include "opsdf/history/history.hpp"

#include <ops/output.hpp>
#include <ops/status.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace opsdf {

struct ForecastOptions {
  std::chrono::seconds window{std::chrono::days{30}};  // samples in (now - window, now]
  double warn_days = 30;                                // warning when full within this many days
  double crit_days = 7;                                 // critical when full within this many days
  ops::SysTime now;
};

// Refuses (exit 3) a window that is not positive, negative days, and a
// critical threshold above the warning one, which can only be a mistake.
void check_options(const ForecastOptions& options);

struct SeriesForecast {
  SeriesKind kind = SeriesKind::fs;
  std::string series;
  std::size_t samples = 0;               // in the window
  ops::SysTime last_time;                // of the newest sample in the window
  std::uint64_t used = 0;                // at the newest sample
  std::optional<std::uint64_t> avail;    // at the newest sample
  std::optional<double> growth_per_day;  // bytes/day, may be negative; none with < 2 samples in time
  std::optional<ops::SysTime> full_at;   // none when not growing, avail unknown, or beyond 100 years
  std::optional<double> days_left;       // from now, >= 0; set together with full_at
  ops::Status status = ops::Status::ok;  // from days_left; unknown growth is ok
  std::string sparkline;                 // used over the window
};

struct Forecast {
  std::vector<SeriesForecast> series;  // fs, dir, db; by name within each kind
  ops::Status status = ops::Status::ok;  // worst series; unknown when no series had a sample in the window
  std::vector<std::string> warnings;     // for the CLI to print
};

Forecast forecast(const std::vector<Sample>& samples, const ForecastOptions& options);

// The result as a table: in TSV and JSON the columns kind, series, used, avail,
// growth_per_day (bytes, integer), full_date (YYYY-MM-DD), days_left (one
// decimal), status (OK/WARNING/CRITICAL); in text, sizes for people, the full
// date with "(in N days)", the sparkline, and a status only on rows that
// crossed a threshold.
ops::Table forecast_table(const Forecast& forecast, ops::Format format);

}  // namespace opsdf
