#pragma once
// The command line every ops tool shares: common options, subcommands in a
// table, --help and --version, option values from the command line, the
// environment and ops.conf (in that order of precedence), and one main wrapper
// that turns exceptions into a one-line message and the exit status.

#include <ops/config.hpp>
#include <ops/log.hpp>
#include <ops/output.hpp>
#include <ops/status.hpp>
#include <ops/units.hpp>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ops::cli {

namespace po = boost::program_options;

struct CommonOptions {
  std::string config_path;
  Format format = Format::text;
  bool quiet = false;
  bool verbose = false;
  bool dry_run = false;
  std::string lock_file;  // non-empty when --lock or --lock-file was given
  std::string metrics_dir;
  bool syslog = false;
};

// What a subcommand gets to do its work.
class Context {
 public:
  const CommonOptions& common;
  const Config& config;
  const std::vector<std::string>& args;  // positional arguments
  std::ostream& out;                     // results; dropped on success with --quiet
  Metrics& metrics;                      // figures for --metrics-dir
  // The warnings of this run. They make the exit status 1 only where the
  // subcommand says so: `return ops::worst(status, ctx.warnings.status());`.
  Warnings warnings;

  Context(const CommonOptions& c, const Config& cfg, const std::vector<std::string>& a, std::ostream& o,
          Metrics& m, const po::variables_map& vm, const std::map<std::string, std::string>& sources)
      : common(c), config(cfg), args(a), out(o), metrics(m), vm_(vm), sources_(sources) {}

  bool has(const std::string& option) const { return vm_.count(option) && !vm_[option].defaulted(); }
  // A switch (po::bool_switch): true when given on the command line, or set
  // true by the environment or ops.conf; false when absent or set false.
  bool flag(const std::string& option) const { return vm_.count(option) && vm_[option].as<bool>(); }
  template <typename T>
  T get(const std::string& option) const { return vm_[option].as<T>(); }
  std::optional<std::string> text(const std::string& option) const;
  std::vector<std::string> list(const std::string& option) const;

  // Typed values; a bad value is an exit-3 error naming where it came from
  // ("--warn", "OPS_DF_WARN" or "/etc/ops/ops.conf:7").
  std::optional<std::uint64_t> size(const std::string& option) const;
  std::optional<std::chrono::seconds> duration(const std::string& option) const;
  std::optional<Threshold> threshold(const std::string& option) const;
  std::optional<double> number(const std::string& option) const;
  std::optional<long long> integer(const std::string& option, long long min, long long max) const;

  // "--top", "OPS_DF_TOP" or "/etc/ops/ops.conf:12 (top)".
  std::string source(const std::string& option) const;

 private:
  const po::variables_map& vm_;
  const std::map<std::string, std::string>& sources_;
};

struct Subcommand {
  std::string name;
  std::string args_usage;  // "[PATH...]", "NAME|DSN"
  std::string summary;     // one line, for the list in --help
  // Adds the subcommand's own options. Long names double as ops.conf keys
  // (with '_' for '-') and environment variables (OPS_<SECTION>_<NAME>).
  std::function<void(po::options_description&)> add_options = {};
  std::function<Status(Context&)> run = {};
  int min_args = 0;
  int max_args = -1;  // -1 = any number
};

struct Tool {
  std::string name;            // "opsdf"
  std::string summary;         // one line
  std::string config_section;  // "df"
  std::vector<Subcommand> subcommands;
  std::string default_subcommand;  // used when none is named; empty = required
  // Reads and checks the tool's named sections ([backup.NAME]) when the file
  // is read, whichever subcommand runs; throws ops::Error (usage) naming the
  // file and line. Empty: the tool has none.
  std::function<void(const Config&)> check_sections = {};
  // --format also takes nagios and prometheus, which the tool prints itself.
  bool monitoring_formats = false;
};

// Parses argv, runs the subcommand, prints errors, writes metrics, and
// returns the exit status. A tool's main() is just `return ops::cli::run(tool, argc, argv, peers);`.
// `peers` are the tools of the suite (the tool itself may be among them):
// their sections of ops.conf are checked too, as each would check them, so
// that every tool refuses a bad file whole, whichever part is bad.
int run(const Tool& tool, int argc, char** argv, const std::vector<Tool>& peers = {});

// What a tool's option gets from outside its command line, as run() finds
// it: its variable OPS_<SECTION>_<OPTION>, else the key of the tool's own
// section of ops.conf (`dir` of [backup]); nullopt when neither is set. For
// a tool that reads another's setting as that tool would (opshealth finding
// opsbackup's store).
std::optional<std::string> setting_of(const Config& config, const std::string& section, const std::string& option);

// The closest name within a small edit distance, for "did you mean …?".
std::optional<std::string> suggest(const std::string& typo, const std::vector<std::string>& names);

}  // namespace ops::cli
