#pragma once
// Results on stdout in the three formats every tool speaks: aligned text for
// people (one record a line, so grep and awk work), TSV with a header line for
// scripts, and one JSON document for everything else.

#include <ops/status.hpp>

#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ops {

// nagios and prometheus are the monitoring formats: only a tool that prints
// them (opshealth) accepts them, and Table::print does not know them.
enum class Format { text, tsv, json, nagios, prometheus };
// Exit-3 error on anything else, and on nagios/prometheus unless `monitoring`.
Format parse_format(std::string_view text, bool monitoring = false);

// How a column's values are shown. Sizes are human ("1.5G") in text and raw
// bytes elsewhere; percentages are "83%" in text and 83.2 elsewhere.
enum class ColumnKind { text, bytes, integer, number, percent };

struct Column {
  Column(std::string name_, ColumnKind kind_ = ColumnKind::text, std::string title_ = {})
      : name(std::move(name_)), kind(kind_), title(std::move(title_)) {}
  std::string name;   // TSV header and JSON key: lower_snake_case
  ColumnKind kind;
  std::string title;  // text header; empty = name upper-cased
};

// An empty cell (unknown value): blank in text/TSV, null in JSON.
using Cell = std::variant<std::monostate, std::string, std::int64_t, double>;

class Table {
 public:
  explicit Table(std::vector<Column> columns, bool text_header = true)
      : columns_(std::move(columns)), text_header_(text_header) {}

  void add_row(std::vector<Cell> cells);
  std::size_t size() const noexcept { return rows_.size(); }
  const std::vector<Column>& columns() const noexcept { return columns_; }
  const std::vector<std::vector<Cell>>& rows() const noexcept { return rows_; }

  void print(std::ostream& out, Format format) const;

 private:
  std::string text_cell(std::size_t column, const Cell& cell) const;
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
  bool text_header_;
};

// A TSV field with tab, newline and backslash written as \t, \n and \\, so a
// value can never break the line and column structure.
std::string tsv_escape(std::string_view s);

// The Nagios plugin status line: "DISK WARNING - / 85% used | '/'=85%;80;90".
std::string nagios_line(std::string_view service, Status status, std::string_view summary,
                        std::string_view perfdata = {});

// Figures a tool reports for Prometheus, keyed by metric name suffix
// ("rows_moved" becomes ops_<tool>_rows_moved), with labels from metric_labels
// after it when the figure has any.
using Metrics = std::map<std::string, double>;

// `{name="app",db="x"}` for a Metrics key: label values come from operators
// (job and database names), so backslash, double quote and newline are
// escaped as Prometheus' text format requires. No labels: "".
std::string metric_labels(std::initializer_list<std::pair<std::string_view, std::string_view>> labels);

// "ops_health_" for "opshealth": the prefix of every metric a tool writes.
std::string metric_prefix(std::string_view tool);

// The samples of `figures` in the Prometheus text format, each family with
// its HELP and TYPE (gauge) once, names prefixed by metric_prefix(tool): what
// write_metrics puts after its own four, for a tool that prints them too.
std::string metric_samples(std::string_view tool, const Metrics& figures);

// Writes DIR/<tool>.prom atomically in the node_exporter textfile format:
// last_run, last_success (kept from the previous file when this run failed),
// duration, exit_status and the tool's own figures.
void write_metrics(const std::string& dir, const std::string& tool, Status status,
                   double start_unix, double duration_seconds, const Metrics& figures);

}  // namespace ops
