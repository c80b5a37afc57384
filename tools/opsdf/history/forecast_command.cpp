// opsdf forecast: at the present rate of growth, when is each disk,
// directory and database full? Reads what `opsdf record` wrote.
#include "opsdf/commands.hpp"
#include "opsdf/history/forecast.hpp"
#include "opsdf/history/history.hpp"

#include <ops/clock.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/value_check.hpp>

namespace opsdf {

namespace {

void add_options(ops::cli::po::options_description& d) {
  namespace po = ops::cli::po;
  d.add_options()
    ("history", po::value<std::string>()->value_name("FILE"), "history file (default /var/lib/ops/df-history.tsv)")
    ("window", ops::cli::checked_value(ops::duration_check(1))->value_name("DURATION"), "how much history to fit (default 30d)")
    ("warn-days", ops::cli::checked_value(ops::number_check(0))->value_name("N"), "warning when full within N days (default 30)")
    ("crit-days", ops::cli::checked_value(ops::number_check(0))->value_name("N"), "critical when full within N days (default 7)");
}

ops::Status run(ops::cli::Context& ctx) {
  ForecastOptions options;
  if (auto w = ctx.duration("window")) options.window = *w;
  options.warn_days = ctx.number("warn-days").value_or(options.warn_days);
  options.crit_days = ctx.number("crit-days").value_or(options.crit_days);
  options.now = ops::now();
  check_options(options);

  History history = read_history(ctx.text("history").value_or(kDefaultHistoryPath));
  for (const auto& w : history.warnings) ctx.warnings.add(w);
  Forecast result = forecast(history.samples, options);
  if (result.status == ops::Status::unknown) {
    // Nothing to judge: stale or empty history means `record` is not running.
    ops::fail_usage(result.warnings.empty() ? "no sample to forecast from" : result.warnings.front());
  }
  for (const auto& w : result.warnings) ctx.warnings.add(w);
  forecast_table(result, ctx.common.format).print(ctx.out, ctx.common.format);
  ctx.metrics["series"] = static_cast<double>(result.series.size());
  return ops::worst(result.status, ctx.warnings.status());  // unreadable history lines, series not judged
}

}  // namespace

ops::cli::Subcommand forecast_command() {
  return {"forecast", "", "growth per day and the date each series will be full", add_options, run, 0, 0};
}

}  // namespace opsdf
