// `opsrotate [OPTIONS] CONFIG…`: what `logrotate CONFIG…` does, with its
// options (-d -f -v -s -m -l), the suite's common ones, and a plan a person
// can read in --dry-run.
#include "opsrotate/commands.hpp"
#include "opsrotate/config/config_parser.hpp"
#include "opsrotate/message_log.hpp"
#include "opsrotate/report_output.hpp"
#include "opsrotate/rotation/rotate_run.hpp"
#include "opsrotate/rotation/state_file.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/value_check.hpp>

#include <optional>
#include <sstream>

namespace opsrotate {

namespace {

namespace po = ops::cli::po;

void add_options(po::options_description& d) {
  d.add_options()
    ("debug,d", po::bool_switch(), "as --dry-run (logrotate's -d): print the plan, change nothing")
    ("force,f", po::bool_switch(), "rotate every log, due or not (notifempty still holds)")
    ("state,s", ops::cli::checked_value(ops::new_file_check())->value_name("FILE")->default_value("/var/lib/logrotate/status"),
     "the state file, in logrotate's format")
    ("mail,m", po::value<std::string>()->value_name("CMD")->default_value("/usr/bin/mail"),
     "the command that mails logs (called as CMD -s SUBJECT ADDRESS)")
    ("log,l", ops::cli::checked_value(ops::new_file_check())->value_name("FILE"), "also append what is printed to FILE")
    ("wait-for-state-lock", po::bool_switch(), "wait for another run holding the state file instead of exit 3");
}

ops::Status run(ops::cli::Context& ctx) {
  // Every input is checked before anything is locked, rotated or written:
  // the configuration, the state file's name, -l (OPS_NOW in rotate_logs).
  RotateConfig config = parse_config_files(ctx.args);
  RunOptions options;
  options.force = ctx.flag("force");
  options.dry_run = ctx.common.dry_run || ctx.flag("debug");
  options.wait_for_lock = ctx.flag("wait-for-state-lock");
  options.state_path = ctx.get<std::string>("state");
  check_state_path(options.state_path, ctx.source("state"));
  options.exec.mail_command = ctx.get<std::string>("mail");
  const std::optional<std::string> log_file = ctx.text("log");
  if (log_file) check_message_log(*log_file, ctx.source("log"));
  RunReport report = rotate_logs(config, options);
  // Failures also go to stderr, where cron's mail and the journal look.
  for (const auto& o : report.logs)
    if (!o.error.empty()) ops::log::error_line(o.log.string() + ": " + o.error);

  const bool verbose = ctx.common.verbose || options.dry_run;
  if (log_file) {
    std::ostringstream text;
    print_report(text, report, ops::Format::text, verbose, options.dry_run);
    append_message_log(*log_file, text.str());
  }
  print_report(ctx.out, report, ctx.common.format, verbose, options.dry_run);
  return report.status;
}

}  // namespace

ops::cli::Subcommand rotate_command() {
  return {"rotate", "CONFIG...", "rotate the logs that logrotate configuration files name (the default)",
          add_options, run, 1, -1};
}

}  // namespace opsrotate
