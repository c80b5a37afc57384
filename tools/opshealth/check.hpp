#pragma once
// One health check as opshealth runs it: a kind ("db", "http", "disk"…)
// with its options, asked once, answered by one or more result rows. Every
// kind is written against this file only; the runner (runner.hpp) calls it
// on its own thread under a deadline and the report (report.hpp) prints the
// rows in the five formats.

#include <ops/config.hpp>
#include <ops/nagios_range.hpp>
#include <ops/perfdata.hpp>
#include <ops/sections.hpp>
#include <ops/status.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opshealth {

// A measured figure of a result: perfdata for Nagios and a gauge for
// Prometheus. `value` is in `unit` (seconds as s, bytes as B, percent as
// 0-100), and so are warn, crit, min and max; Prometheus gets the same number.
struct Figure {
  std::string label;   // perfdata label within the check: "time", "load1", "/"
  double value = 0;    // NaN: could not be measured ("U")
  ops::PerfUnit unit = ops::PerfUnit::none;
  std::optional<ops::Range> warn, crit;
  std::optional<double> min, max;
  // The Prometheus metric after "ops_health_", its unit in the name as
  // Prometheus wants it: "db_time_seconds", "disk_used_bytes", "load1".
  std::string metric;
  // Labels of the series besides check="…": {{"mount", "/"}}.
  std::vector<std::pair<std::string, std::string>> labels = {};
};

// One row of the report.
struct Result {
  std::string check;       // "db app", "disk /var", "load"
  ops::Status status = ops::Status::unknown;
  std::string value;       // what a person reads first: "83%", "0.52 0.40 0.35", "12 ms"
  std::string thresholds;  // "warn 80% crit 90%"; empty when none
  std::string message;     // why the status: "connection refused", "2 of 3 running"
  std::vector<Figure> figures = {};
};

// What a check is asked.
struct Request {
  std::string label;              // the row name: "db app" (a kind may add to it: "disk /var")
  std::vector<std::string> args;  // the kind's arguments: {"app"}, {"https://example.org/login"}
  ops::SectionValues settings;    // the kind's keys, from the command line or [health.NAME]
  ops::Config config;             // a copy: a check abandoned at its deadline may still read it
  // When the answer is due. A check passes what is left of it to what can
  // wait (connect_timeout, CURLOPT_TIMEOUT_MS, poll): the runner stops
  // waiting at the deadline anyway, but a check that ends by itself says why.
  std::chrono::steady_clock::time_point deadline;

  // The time left before the deadline, never negative.
  std::chrono::milliseconds time_left() const;
};

// One kind of check. `schema.keys` are its options and the keys of a
// [health.NAME] section with `check = KIND`.
struct Kind {
  std::string name;        // "db"
  std::string args_usage;  // "NAME|DSN"; empty: none
  std::string summary;     // one line, for --help
  int min_args = 0;
  int max_args = 0;        // -1: any number
  ops::SectionSchema schema;
  // Runs the check. Throws ops::Error for "could not determine" (UNKNOWN
  // with its message) or a usage error for a bad argument; returns at least
  // one row otherwise.
  std::function<std::vector<Result>(const Request&)> run;
};

// Every kind, in the order of --help and of the default host checks.
const std::vector<Kind>& kinds();
const Kind* find_kind(std::string_view name);

// An argument as a row label may show it: a password in a URL's user part
// ("https://u:secret@host/") is written "***", as it would otherwise reach
// the report, the Nagios output and a Prometheus label.
std::string masked_argument(std::string_view arg);

// Ends a check with UNKNOWN: what it measures could not be determined.
[[noreturn]] void cannot_tell(std::string message);

// "warn 80% crit 90%" from the ranges as written; "" when neither is set.
std::string thresholds_text(const std::optional<ops::Range>& warn, const std::optional<ops::Range>& crit);

// The status a value earns: critical when crit alerts, else warning when
// warn alerts, else ok.
ops::Status judge(double value, const std::optional<ops::Range>& warn, const std::optional<ops::Range>& crit);

}  // namespace opshealth
