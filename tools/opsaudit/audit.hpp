#pragma once
// One audit as opsaudit runs it: a subcommand (logins, perms, changes, db,
// logs) with its keys, asked once, answering with a section of the report:
// findings, each with a severity and, where there is one, the command that
// fixes it; tables that detail them; notes on what could not be read.
// Every audit is written against this file only; report.hpp prints the
// sections and decides the exit status, `run` puts several in one report.

#include <ops/clock.hpp>
#include <ops/config.hpp>
#include <ops/output.hpp>
#include <ops/sections.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opsaudit {

// How much a finding matters. info is worth reading in the weekly report
// (a login from a new address); warning asks for a look; critical asks for
// action (an address with many failures then a success, a world-writable
// secret, a changed binary).
enum class Severity { info, warning, critical };

std::string_view severity_name(Severity severity) noexcept;  // "info", "warning", "critical"
// "info", "warning", "critical" (any case); nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view text) noexcept;

struct Finding {
  Severity severity = Severity::warning;
  std::string kind;     // one lower_snake word: "failed_logins", "world_writable", "changed"
  std::string subject;  // what it is about: an address, a path, an account, a message
  std::string detail;   // why, in one line: "23 failures from 11-29 10:01 to 12-05 22:14, users root admin"
  std::string fix = {};  // the command that fixes it: "chmod 0600 /var/www/app/.env"; empty: none
};

// A table that details a section ("addresses", "hours", "messages"):
// printed under the findings in text, as an array of objects in JSON, left
// out of TSV (which is the findings, one a line, for scripts).
struct Detail {
  std::string name;  // lower_snake: the JSON key and the text heading
  ops::Table table;
};

struct Section {
  std::string name;    // the audit: "logins"
  std::string title;   // one line: "logins since 2026-11-29 11:30 from the journal"
  std::vector<Finding> findings;
  std::vector<Detail> details = {};
  // What was passed over and why, each one line naming the file or source:
  // "/var/log/auth.log: 12 lines not understood, the first at line 40".
  std::vector<std::string> notes = {};
  ops::Metrics figures = {};  // for --metrics-dir, names after ops_audit_: "logins_failures"
};

// What an audit is asked.
struct Request {
  std::vector<std::string> args;  // the audit's arguments: paths, files, a database
  ops::SectionValues settings;    // the audit's keys: command line > environment > [audit]
  const ops::Config& config;      // [db.NAME] and [audit.NAME] sections
  ops::SysTime now;               // ops::now(): OPS_NOW in tests
  bool verbose = false;
  bool dry_run = false;  // -n: an audit that writes (changes --init/--update) says what it would write, writes nothing
};

struct Audit {
  std::string name;        // the subcommand: "perms"
  std::string args_usage;  // "PATH..."
  std::string summary;     // one line for --help
  // Its keys: options of its subcommand and keys of [audit] (and of
  // `opsaudit run`, which takes every audit's options). Built with
  // with_common_keys().
  ops::SectionSchema schema;
  int min_args = 0;
  int max_args = -1;
  std::function<Section(const Request&)> run;
};

// The keys every audit has (fail_on), after `keys`.
std::vector<ops::SectionKey> with_common_keys(std::vector<ops::SectionKey> keys);

// `since` (--since DURATION, default 7d): how far back logins and logs look;
// one key for both, as [audit] and `run` know it once.
ops::SectionKey since_key();

// The audits, in the order `run` reports them.
const std::vector<Audit>& audits();
const Audit* find_audit(std::string_view name);

}  // namespace opsaudit
