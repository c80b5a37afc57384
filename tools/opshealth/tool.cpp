// opshealth's command-line tool: a subcommand per kind of check, from the
// table of kinds, and `all`.
#include "opshealth/commands.hpp"
#include "opshealth/run_checks.hpp"

#include <ops/sections.hpp>

namespace opshealth {

ops::cli::Tool tool() {
  std::vector<ops::cli::Subcommand> subcommands{all_command()};
  for (const Kind& kind : kinds()) {
    subcommands.push_back(ops::cli::Subcommand{
        kind.name, kind.args_usage, kind.summary,
        [&kind](ops::cli::po::options_description& options) { ops::add_options(options, kind.schema); },
        [&kind](ops::cli::Context& ctx) { return run_one(ctx, kind); }, kind.min_args, kind.max_args});
  }
  ops::cli::Tool t{"opshealth",
                   "Health checks of the host, its databases, its site, its backups and its logs, run concurrently.",
                   "health",
                   std::move(subcommands),
                   "all",
                   check_health_sections};
  t.monitoring_formats = true;
  return t;
}

}  // namespace opshealth
