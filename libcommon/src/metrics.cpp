#include <ops/fs.hpp>
#include <ops/output.hpp>

#include <cerrno>
#include <cmath>
#include <fmt/format.h>
#include <sstream>
#include <sys/stat.h>

namespace ops {

namespace {

// The last_success value of an earlier file, so that a failed run does not
// make Prometheus believe the job never succeeded.
double previous_success(const std::string& file, const std::string& metric) {
  std::string text;
  try {
    text = read_file(file);
  } catch (const std::exception&) {
    return 0;
  }
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(metric + " ", 0) == 0) return std::strtod(line.c_str() + metric.size() + 1, nullptr);
  }
  return 0;
}

}  // namespace

std::string metric_labels(std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
  if (labels.size() == 0) return "";
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out.append(name).append("=\"");
    for (char c : value) {
      if (c == '\\') out += "\\\\";
      else if (c == '"') out += "\\\"";
      else if (c == '\n') out += "\\n";
      else out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string metric_prefix(std::string_view tool) {
  std::string_view name = tool.rfind("ops", 0) == 0 ? tool.substr(3) : tool;
  return fmt::format("ops_{}_", name);
}

std::string metric_samples(std::string_view tool, const Metrics& figures) {
  const std::string prefix = metric_prefix(tool);
  std::string text;
  // A figure may carry labels ("backup_bytes{name=\"app\"}"): HELP and TYPE go
  // once per family, before its first sample (the map keeps a family together).
  std::string family_done;
  for (const auto& [name, value] : figures) {
    const std::string family = name.substr(0, name.find('{'));
    if (family != family_done)
      text += fmt::format("# HELP {0}{1} Reported by {2}.\n# TYPE {0}{1} gauge\n", prefix, family, tool);
    family_done = family;
    text += fmt::format("{}{} {}\n", prefix, name, std::isfinite(value) ? fmt::format("{}", value) : std::string("NaN"));
  }
  return text;
}

void write_metrics(const std::string& dir, const std::string& tool, Status status, double start_unix,
                   double duration_seconds, const Metrics& figures) {
  std::string file = dir + "/" + tool + ".prom";
  const std::string prefix = metric_prefix(tool);
  double last_success = status == Status::ok || status == Status::warning
                            ? start_unix + duration_seconds
                            : previous_success(file, prefix + "last_success_timestamp_seconds");
  std::string text;
  auto gauge = [&](const std::string& name, const std::string& help, double value) {
    text += fmt::format("# HELP {0}{1} {2}\n# TYPE {0}{1} gauge\n{0}{1} {3}\n", prefix, name, help,
                        std::isfinite(value) ? fmt::format("{}", value) : std::string("NaN"));
  };
  gauge("last_run_timestamp_seconds", "When the last run started.", std::floor(start_unix));
  gauge("last_success_timestamp_seconds", "When the last run that ended with status 0 or 1 finished.",
        std::floor(last_success));
  gauge("duration_seconds", "How long the last run took.", duration_seconds);
  gauge("exit_status", "Exit status of the last run: 0 ok, 1 warning, 2 critical, 3 unknown.",
        static_cast<double>(exit_code(status)));
  text += metric_samples(tool, figures);
  // node_exporter reads the directory as another user: 0644.
  write_file_atomic(file, text, 0644);
}

}  // namespace ops
