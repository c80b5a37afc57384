#include "opshealth/report.hpp"

#include <ops/perfdata.hpp>
#include <ops/text.hpp>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

namespace opshealth {
namespace {

// critical 0, unknown 1, warning 2, ok 3: the order of the report.
int severity(ops::Status s) {
  switch (s) {
    case ops::Status::critical: return 0;
    case ops::Status::unknown: return 1;
    case ops::Status::warning: return 2;
    case ops::Status::ok: return 3;
  }
  return 1;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One line of text for a row's cell: a message never breaks the table or
// the Nagios output ("|" would start perfdata there).
std::string one_line(std::string_view text) { return ops::printable_line(text, 512); }

std::string nagios_safe(std::string_view text) {
  std::string out = one_line(text);
  std::replace(out.begin(), out.end(), '|', '/');
  return out;
}

// "db app: connection refused", or "load: 4.2" when there is no message.
std::string row_summary(const Result& r) {
  std::string text = r.check + ": ";
  text += r.message.empty() ? r.value : r.message;
  return nagios_safe(text);
}

void print_table(std::ostream& out, ops::Format format, const std::vector<const Result*>& rows) {
  ops::Table table({{"check"}, {"status"}, {"value"}, {"thresholds"}, {"message"}});
  for (const Result* r : rows)
    table.add_row({one_line(r->check), std::string(ops::status_name(r->status)), one_line(r->value),
                   one_line(r->thresholds), one_line(r->message)});
  table.print(out, format);
}

nlohmann::ordered_json range_json(const std::optional<ops::Range>& range) {
  return range ? nlohmann::ordered_json(range->text) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json number_json(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

void print_json(std::ostream& out, const std::vector<const Result*>& rows, ops::Status status) {
  nlohmann::ordered_json doc;
  doc["status"] = lower(ops::status_name(status));
  doc["exit_status"] = ops::exit_code(status);
  auto checks = nlohmann::ordered_json::array();
  for (const Result* r : rows) {
    nlohmann::ordered_json c;
    c["check"] = r->check;
    c["status"] = lower(ops::status_name(r->status));
    c["value"] = r->value;
    c["thresholds"] = r->thresholds;
    c["message"] = r->message;
    auto figures = nlohmann::ordered_json::array();
    for (const Figure& f : r->figures) {
      nlohmann::ordered_json j;
      j["label"] = f.label;
      j["value"] = number_json(f.value);
      j["unit"] = ops::perf_unit_text(f.unit);
      j["warn"] = range_json(f.warn);
      j["crit"] = range_json(f.crit);
      j["min"] = f.min ? number_json(*f.min) : nlohmann::ordered_json(nullptr);
      j["max"] = f.max ? number_json(*f.max) : nlohmann::ordered_json(nullptr);
      j["metric"] = "ops_health_" + f.metric;
      figures.push_back(std::move(j));
    }
    c["figures"] = std::move(figures);
    checks.push_back(std::move(c));
  }
  doc["checks"] = std::move(checks);
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

// A check name as the first part of a perfdata label: 'db_app::time'.
std::string label_prefix(std::string_view check) {
  std::string out;
  for (char c : check) out += (c == ' ' ? '_' : c);
  return out;
}

}  // namespace

ops::Status overall(const std::vector<Result>& rows) {
  ops::Status s = ops::Status::ok;
  for (const Result& r : rows) s = ops::worst(s, r.status);
  return s;
}

void order_rows(std::vector<Result>& rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Result& a, const Result& b) { return severity(a.status) < severity(b.status); });
  std::set<std::string> seen;
  for (Result& r : rows) {
    std::string name = r.check;
    for (int n = 2; !seen.insert(name).second; ++n) name = fmt::format("{} ({})", r.check, n);
    r.check = std::move(name);
  }
}

std::string nagios_text(const std::vector<Result>& rows, bool only_problems) {
  const ops::Status status = overall(rows);
  std::map<int, int> counts;  // by severity
  for (const Result& r : rows) ++counts[severity(r.status)];
  std::vector<std::string> parts;
  for (auto [sev, n] : counts) {
    static const char* names[] = {"critical", "unknown", "warning", "ok"};
    parts.push_back(fmt::format("{} {}", n, names[sev]));
  }
  std::string summary = fmt::format("OPSHEALTH {} - {}", ops::status_name(status), fmt::join(parts, ", "));
  // The problems, worst first, name themselves on the first line: it is what
  // a pager or a mail subject shows.
  std::vector<std::string> problems;
  for (const Result& r : rows)
    if (r.status != ops::Status::ok) problems.push_back(row_summary(r));
  if (!problems.empty()) summary += ": " + fmt::format("{}", fmt::join(problems, "; "));
  if (rows.size() == 1 && problems.empty()) summary += ": " + row_summary(rows.front());

  std::string text = summary + "\n";
  ops::Perfdata perf;
  const bool prefixed = rows.size() > 1;
  for (const Result& r : rows) {
    for (const Figure& f : r.figures) {
      // A percentage to two decimals: 4.7536170727877405% is noise in a graph.
      const double value = f.unit == ops::PerfUnit::percent && std::isfinite(f.value)
                               ? std::round(f.value * 100) / 100
                               : f.value;
      ops::PerfItem item{prefixed ? label_prefix(r.check) + "::" + f.label : f.label, value, f.unit, f.warn,
                         f.crit, f.min, f.max};
      perf.add(std::move(item));
    }
  }
  std::vector<std::string> lines;
  for (const Result& r : rows) {
    if (only_problems && r.status == ops::Status::ok) continue;
    std::string line = fmt::format("{}: {}", ops::status_name(r.status), nagios_safe(r.check));
    if (!r.value.empty()) line += " " + nagios_safe(r.value);
    if (!r.message.empty() && r.message != r.value) line += " - " + nagios_safe(r.message);
    lines.push_back(std::move(line));
  }
  // Long text, then the perfdata after a "|" on the last line, as the
  // guidelines' multi-line output has it.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    text += lines[i];
    if (i + 1 == lines.size() && !perf.empty()) text += " | " + perf.text();
    text += "\n";
  }
  if (lines.empty() && !perf.empty()) text = summary + " | " + perf.text() + "\n";
  return text;
}

ops::Metrics prometheus_figures(const std::vector<Result>& rows) {
  ops::Metrics m;
  for (const Result& r : rows) {
    m["status" + ops::metric_labels({{"check", r.check}})] = static_cast<double>(ops::exit_code(r.status));
    for (const Figure& f : r.figures) {
      if (f.metric.empty()) continue;
      std::string labels = ops::metric_labels({{"check", r.check}});
      for (const auto& [name, value] : f.labels) {
        std::string more = ops::metric_labels({{name, value}});
        labels.insert(labels.size() - 1, "," + more.substr(1, more.size() - 2));
      }
      m[f.metric + labels] = f.value;
    }
  }
  return m;
}

void print_report(std::ostream& out, ops::Format format, const std::vector<Result>& rows, bool only_problems) {
  std::vector<const Result*> shown_rows;
  for (const Result& r : rows)
    if (!only_problems || r.status != ops::Status::ok) shown_rows.push_back(&r);
  switch (format) {
    case ops::Format::text:
    case ops::Format::tsv:
      print_table(out, format, shown_rows);
      return;
    case ops::Format::json:
      print_json(out, shown_rows, overall(rows));
      return;
    case ops::Format::nagios:
      out << nagios_text(rows, only_problems);
      return;
    case ops::Format::prometheus:
      out << ops::metric_samples("opshealth", prometheus_figures(rows));
      return;
  }
}

}  // namespace opshealth
