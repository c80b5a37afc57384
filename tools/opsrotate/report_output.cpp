#include "opsrotate/report_output.hpp"

#include <ops/log.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace opsrotate {

namespace {

using Result = LogOutcome::Result;

std::string result_word(const LogOutcome& o, bool dry_run) {
  switch (o.result) {
    case Result::skipped: return "skip";
    case Result::planned: return dry_run ? "rotate" : "not rotated";
    case Result::rotated: return o.error.empty() ? "rotated" : "rotated with errors";
    case Result::failed: return "failed";
  }
  return "?";
}

std::string detail(const LogOutcome& o) {
  std::string text = o.result == Result::failed ? o.error : o.decision.reason;
  if (o.result == Result::rotated && o.tail_kept > 0)
    text += fmt::format(" (kept its last {} for the next rotation)", ops::format_size(o.tail_kept));
  if (o.result == Result::rotated && o.bytes_out > 0)
    text += fmt::format(" (compressed {} to {})", ops::format_size(o.bytes_in), ops::format_size(o.bytes_out));
  if (o.result == Result::rotated && !o.error.empty()) text += "; " + o.error;
  return text;
}

void print_text(std::ostream& out, const RunReport& report, bool verbose, bool dry_run) {
  for (const auto& o : report.logs) {
    bool interesting = o.result != Result::skipped;
    if (!interesting && !verbose) continue;
    out << fmt::format("{}: {}: {}\n", o.log.string(), result_word(o, dry_run), detail(o));
    if (verbose)
      for (const auto& op : o.ops) out << "  " << describe(op) << '\n';
  }
}

}  // namespace

void print_report(std::ostream& out, const RunReport& report, ops::Format format, bool verbose, bool dry_run) {
  switch (format) {
    case ops::Format::text:
    case ops::Format::nagios:  // not accepted by opsrotate's --format
    case ops::Format::prometheus: print_text(out, report, verbose, dry_run); break;
    case ops::Format::tsv: {
      ops::Table table({{"log"}, {"result"}, {"reason"}, {"error"}});
      for (const auto& o : report.logs)
        table.add_row({o.log.string(), result_word(o, dry_run), o.decision.reason, o.error});
      table.print(out, format);
      break;
    }
    case ops::Format::json: {
      nlohmann::ordered_json logs = nlohmann::ordered_json::array();
      for (const auto& o : report.logs) {
        nlohmann::ordered_json ops = nlohmann::ordered_json::array();
        for (const auto& op : o.ops) {
          nlohmann::ordered_json j{{"op", op_name(op.kind)}, {"path", op.from.empty() ? op.to.string() : op.from.string()}};
          if (!op.from.empty() && !op.to.empty()) j["to"] = op.to.string();
          ops.push_back(std::move(j));
        }
        nlohmann::ordered_json j{{"log", o.log.string()},
                                 {"config", o.config ? fmt::format("{}:{}", o.config->file, o.config->line) : ""},
                                 {"result", result_word(o, dry_run)},
                                 {"reason", o.decision.reason},
                                 {"operations", std::move(ops)}};
        if (!o.error.empty()) j["error"] = o.error;
        if (o.tail_kept > 0) j["tail_kept"] = o.tail_kept;
        if (o.bytes_out > 0) {
          j["bytes_in"] = o.bytes_in;
          j["bytes_out"] = o.bytes_out;
        }
        logs.push_back(std::move(j));
      }
      out << nlohmann::ordered_json{{"dry_run", dry_run}, {"logs", std::move(logs)}}.dump(2) << '\n';
      break;
    }
  }
}

}  // namespace opsrotate
