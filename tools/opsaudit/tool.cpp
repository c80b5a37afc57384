// opsaudit's command-line tool: a subcommand per audit, and `run`.
#include "opsaudit/commands.hpp"
#include "opsaudit/logins/app_logins.hpp"
#include "opsaudit/run_audits.hpp"

namespace opsaudit {

void check_audit_sections(const ops::Config& config) { app_login_sources(config); }

ops::cli::Tool tool() {
  std::vector<ops::cli::Subcommand> subcommands{run_command()};
  for (const Audit& audit : audits()) {
    subcommands.push_back(ops::cli::Subcommand{
        audit.name, audit.args_usage, audit.summary,
        [&audit](ops::cli::po::options_description& options) { ops::add_options(options, audit.schema); },
        [&audit](ops::cli::Context& ctx) { return run_one(ctx, audit); }, audit.min_args, audit.max_args});
  }
  return ops::cli::Tool{"opsaudit",
                        "Failed logins, insecure permissions, changed files, risky database accounts and log errors: "
                        "the weekly security review.",
                        "audit",
                        std::move(subcommands),
                        "run",
                        check_audit_sections};
}

}  // namespace opsaudit
