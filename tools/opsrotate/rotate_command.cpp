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

#include <memory>
#include <unistd.h>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace opsrotate {

namespace {

namespace po = ops::cli::po;

constexpr const char* kDefaultState = "/var/lib/logrotate/status";

void add_options(po::options_description& d) {
  d.add_options()
    ("debug,d", po::bool_switch(), "as --dry-run (logrotate's -d): print the plan, change nothing")
    ("force,f", po::bool_switch(), "rotate every log, due or not (notifempty still holds)")
    ("state,s", ops::cli::checked_list(ops::new_file_check(ops::NewFile::or_null_device))->value_name("FILE"),
     "the state file, in logrotate's format (default /var/lib/logrotate/status; given twice, the last counts, as in "
     "logrotate; /dev/null: keep no state)")
    ("mail,m", po::value<std::string>()->value_name("CMD")->default_value("/usr/bin/mail"),
     "the command that mails logs (called as CMD -s SUBJECT ADDRESS)")
    ("log,l", ops::cli::checked_value(ops::new_file_check())->value_name("FILE"),
     "also write every message, the verbose ones too, and the report to FILE")
    ("wait-for-state-lock", po::bool_switch(), "wait for another run holding the state file instead of exit 3")
    ("strict", po::bool_switch(),
     "refuse the whole configuration (exit 3, nothing rotated) when any block or file has an error, "
     "instead of skipping that block or file and rotating the rest (exit 2)");
}

// Each error of the configuration on stderr, with its hint (once: a CRLF
// file's hint is the same for each of its lines), and the lines saying which
// block or file it skips; the run goes on without them. With --strict
// nothing is skipped but all refused: every error is printed, the last one
// ends the run (exit 3) before anything is locked or rotated.
void report_config_errors(const std::vector<ConfigError>& errors, bool strict) {
  std::vector<const ConfigError*> listed;
  for (const auto& e : errors)
    if (!strict || !e.skipping) listed.push_back(&e);
  std::set<std::string> hints;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    const ConfigError& e = *listed[i];
    const bool new_hint = !e.hint.empty() && hints.insert(e.hint).second;
    if (strict && i + 1 == listed.size()) throw ops::Error(ops::Status::unknown, e.message, new_hint ? e.hint : "");
    ops::log::error_line(e.message);
    if (new_hint) ops::log::hint_line(e.hint);
  }
}

ops::Status run(ops::cli::Context& ctx) {
  // Every input is checked before anything is locked, rotated or written:
  // the state file's name, -l, the configuration (OPS_NOW in rotate_logs).
  // -l is opened before the configuration is read, so that it records the
  // files read and why a configuration was refused.
  RunOptions options;
  options.force = ctx.flag("force");
  options.dry_run = ctx.common.dry_run || ctx.flag("debug");
  options.wait_for_lock = ctx.flag("wait-for-state-lock");
  const std::vector<std::string> states = ctx.list("state");
  options.state_path = states.empty() ? kDefaultState : states.back();
  check_state_path(options.state_path, ctx.source("state"));
  options.exec.mail_command = ctx.get<std::string>("mail");
  // Scripts write to our stdout, as in logrotate, unless it is a document.
  if (ctx.common.format != ops::Format::text) options.exec.script_stdout = STDERR_FILENO;
  std::shared_ptr<MessageLog> message_log;
  if (const std::optional<std::string> log_file = ctx.text("log")) {
    check_message_log(*log_file, ctx.source("log"));
    message_log = start_message_log(*log_file);
  }
  RotateConfig config = parse_config_files(ctx.args);
  std::vector<ConfigError> errors = std::move(config.errors);
  const std::vector<LogSet> sets = expand_logs(config, errors);
  report_config_errors(errors, ctx.flag("strict"));
  RunReport report = rotate_logs(sets, options);
  // A block or file skipped for an error: the job is not done (exit 2).
  if (!errors.empty()) report.status = ops::worst(report.status, ops::Status::critical);
  // Failures also go to stderr, where cron's mail and the journal look.
  for (const auto& o : report.logs)
    if (!o.error.empty()) ops::log::error_line(o.log.string() + ": " + o.error);

  const bool verbose = ctx.common.verbose || options.dry_run;
  if (message_log) {
    std::ostringstream text;
    print_report(text, report, ops::Format::text, verbose, options.dry_run);
    message_log->write(text.str());
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
