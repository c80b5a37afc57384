#include "opshealth/run_checks.hpp"

#include "opshealth/health_sections.hpp"
#include "opshealth/range_keys.hpp"
#include "opshealth/report.hpp"
#include "opshealth/runner.hpp"

#include <fmt/format.h>

namespace opshealth {
namespace {

// Prints the rows and records them for --metrics-dir; the exit status is the worst row's.
ops::Status report(ops::cli::Context& ctx, std::vector<Result> rows) {
  order_rows(rows);
  print_report(ctx.out, ctx.common.format, rows, ctx.common.quiet);
  for (auto& [key, value] : prometheus_figures(rows)) ctx.metrics[key] = value;
  return overall(rows);
}

// The options of `all`: the deadline of every check it runs.
const ops::SectionSchema& all_schema() {
  static const ops::SectionSchema schema{"health", "[health]", with_common_keys({})};
  return schema;
}

}  // namespace

std::vector<std::string> host_kinds() { return {"cpu", "load", "memory", "swap", "disk"}; }

ops::Status run_one(ops::cli::Context& ctx, const Kind& kind) {
  ops::SectionValues settings = ops::read_options(ctx, kind.schema);
  std::string label = kind.name;
  for (const auto& a : ctx.args) label += " " + masked_argument(a);
  std::vector<Planned> plans;
  plans.push_back(plan(kind, std::move(label), ctx.args, std::move(settings), ctx.config));
  return report(ctx, run_checks(std::move(plans)));
}

ops::cli::Subcommand all_command() {
  return ops::cli::Subcommand{
      "all", "",
      "run every [health.NAME] check of ops.conf, or the host checks (cpu, load, memory, swap, disk) when there is none",
      [](ops::cli::po::options_description& options) { ops::add_options(options, all_schema()); },
      [](ops::cli::Context& ctx) {
        ops::SectionValues common = ops::read_options(ctx, all_schema());
        std::vector<Planned> plans = configured_checks(ctx.config);
        const bool configured = !plans.empty();
        if (!configured) {
          for (const std::string& name : host_kinds()) {
            const Kind& kind = *find_kind(name);
            plans.push_back(plan(kind, kind.name, {}, default_settings(kind), ctx.config));
          }
        }
        // What wins over a check's own timeout: the command line and the
        // environment always; [health] only for the host checks, as a
        // [health.NAME] already inherits it unless it says otherwise.
        auto wins = [&](const std::string& option, const char* key) {
          if (!common.given(key)) return false;
          const std::string from = ctx.source(option);
          return !configured || from.starts_with("--") || from.starts_with("OPS_");
        };
        for (Planned& p : plans) {
          if (wins("timeout", "timeout")) p.timeout = std::chrono::milliseconds(*common.duration("timeout"));
          if (wins("on-timeout", "on_timeout"))
            p.on_timeout = *common.text("on_timeout") == "unknown" ? ops::Status::unknown : ops::Status::critical;
        }
        return report(ctx, run_checks(std::move(plans)));
      },
      0, 0};
}

}  // namespace opshealth
