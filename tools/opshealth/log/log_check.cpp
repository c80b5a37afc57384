// log FILE: the records of the last --window (15min) that match the error
// patterns, judged by their count; or, with --status 5xx on an access log,
// the share of the window's requests answered with such a status. The log
// is read by libcommon (ops/log_reader.hpp) newest first, from the end of
// FILE and on into its rotated files only as far as the window reaches.
//
// A record is a timestamped line with the lines after it that have none (a
// traceback): it counts once, however many of its lines match. A log with
// no timestamp that ops reads cannot be judged by a window: UNKNOWN, as is
// a log that is missing or unreadable (as check_log says).
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/clock.hpp>
#include <ops/error.hpp>
#include <ops/log_reader.hpp>
#include <ops/pattern.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace opshealth {
namespace {

constexpr auto kUnits = {ops::RangeUnit::none, ops::RangeUnit::percent};
const std::vector<std::string> kDefaultPatterns{"ERROR", "CRITICAL", "Exception", "Failed to"};
constexpr std::size_t kShownLine = 200;

// "5xx", "50x", "503": a digit then two digits or x.
bool status_class_text(std::string_view s) {
  return s.size() == 3 && s[0] >= '1' && s[0] <= '5' &&
         std::all_of(s.begin() + 1, s.end(), [](char c) { return (c >= '0' && c <= '9') || c == 'x' || c == 'X'; });
}

bool status_in(std::string_view status, const std::vector<std::string>& classes) {
  return std::any_of(classes.begin(), classes.end(), [&](const std::string& c) {
    for (std::size_t i = 0; i < 3; ++i)
      if (c[i] != 'x' && c[i] != 'X' && c[i] != status[i]) return false;
    return true;
  });
}

// The status of an access-log line: the three digits after the quoted
// request ("GET / HTTP/1.1" 503 …); empty when the line has none.
std::string_view access_status(std::string_view line) {
  const std::size_t open = line.find('"');
  if (open == std::string_view::npos) return {};
  for (std::size_t i = line.find('"', open + 1); i != std::string_view::npos; i = line.find('"', i + 1)) {
    if (i + 5 > line.size() || line[i + 1] != ' ') continue;
    const std::string_view code = line.substr(i + 2, 3);
    if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    if (i + 5 == line.size() || line[i + 5] == ' ') return code;
  }
  return {};
}

// A percentage, whether written 5 or 5%.
std::optional<ops::Range> as_percent(std::optional<ops::Range> range) {
  if (range) range->unit = ops::RangeUnit::percent;
  return range;
}

std::optional<ops::Range> range_or(const ops::SectionValues& settings, std::string_view key, std::string fallback,
                                   bool percent) {
  auto range = range_of(settings, key, kUnits);
  if (!range) range = ops::parse_range(fallback, kUnits);
  if (percent) return as_percent(range);
  if (range->unit == ops::RangeUnit::percent)
    ops::fail_usage(fmt::format("{}: {} is a percentage, which only --status takes: a count of lines is a plain "
                                "number", settings.where(key), ops::shown(range->text)));
  return range;
}

struct Tally {
  std::uint64_t records = 0;   // timestamped records of the window
  std::uint64_t matching = 0;  // of them, those that match (or requests with the status)
  std::string last;            // the newest matching line
  bool timed_seen = false;
};

std::vector<Result> check_log(const Request& request) {
  const std::string file = request.args.at(0);
  const auto window = *request.settings.duration("window");
  const auto status_classes = request.settings.list("status");
  const bool by_status = !status_classes.empty();
  std::vector<ops::Pattern> patterns;
  auto pattern_texts = request.settings.list("pattern");
  if (pattern_texts.empty()) pattern_texts = kDefaultPatterns;
  for (const auto& text : pattern_texts) patterns.emplace_back(text);
  const auto warn = range_or(request.settings, "warn", by_status ? "1%" : "0", by_status);
  const auto crit = range_or(request.settings, "crit", by_status ? "5%" : "9", by_status);

  const ops::SysTime now = ops::now();
  ops::LogReadOptions options;
  options.since = now - window;
  Tally tally;
  // A log that cannot be read (a rotated file cut short, one unreadable)
  // leaves the count unknown: UNKNOWN, as a missing log is.
  try {
    ops::read_log(file, now, options, [&](const ops::LogRecord& record) {
      if (request.time_left().count() == 0)
        cannot_tell(fmt::format("{} was not read to the start of the window before the timeout", ops::shown(file)));
      if (!record.time) {
        if (!tally.timed_seen)
          cannot_tell(fmt::format("{} has no line with a timestamp that ops reads (ISO 8601, syslog, access or "
                                  "error log, Python, PHP) in its last lines: the window cannot be told",
                                  ops::shown(file)));
        return true;  // lines at the head of a file, older than its first timestamp
      }
      tally.timed_seen = true;
      if (by_status) {
        const std::string_view status = access_status(record.lines.front());
        if (status.empty()) return true;
        ++tally.records;
        if (status_in(status, status_classes)) {
          if (tally.matching++ == 0) tally.last = record.lines.front();
        }
        return true;
      }
      ++tally.records;
      for (const std::string& line : record.lines) {
        if (std::none_of(patterns.begin(), patterns.end(), [&](const ops::Pattern& p) { return p.matches(line); }))
          continue;
        if (tally.matching++ == 0) tally.last = line;
        break;
      }
      return true;
    });
  } catch (const ops::Error& e) {
    if (e.status() != ops::Status::critical) throw;
    cannot_tell(e.what());
  }

  const std::string span = ops::format_duration(window);
  Result r;
  r.check = request.label;
  r.thresholds = thresholds_text(warn, crit);
  const std::vector<std::pair<std::string, std::string>> labels{{"file", file}};
  const std::string last = tally.matching ? "; last: " + ops::shown(tally.last, kShownLine) : "";
  if (by_status) {
    std::string classes;
    for (const auto& c : status_classes) classes += (classes.empty() ? "" : ",") + c;
    const double percent =
        tally.records ? 100.0 * static_cast<double>(tally.matching) / static_cast<double>(tally.records) : 0.0;
    r.status = judge(percent, warn, crit);
    r.value = fmt::format("{:.1f}%", percent);
    r.message = tally.records ? fmt::format("{} of {} requests in the last {} answered {}{}", tally.matching,
                                            tally.records, span, classes, last)
                              : fmt::format("no request in the last {}", span);
    r.figures.push_back({"status", percent, ops::PerfUnit::percent, warn, crit, 0.0, 100.0, "log_status_percent",
                         labels});
    r.figures.push_back({"requests", static_cast<double>(tally.records), ops::PerfUnit::none, {}, {}, 0.0, {},
                         "log_requests", labels});
    return {r};
  }
  r.status = judge(static_cast<double>(tally.matching), warn, crit);
  r.value = fmt::format("{} {}", tally.matching, tally.matching == 1 ? "match" : "matches");
  const char* lines = tally.records == 1 ? "line" : "lines";
  r.message = tally.matching ? fmt::format("{} of {} {} in the last {} match{}", tally.matching, tally.records, lines,
                                           span, last)
                             : fmt::format("no line of {} in the last {} matches", tally.records, span);
  r.figures.push_back({"matches", static_cast<double>(tally.matching), ops::PerfUnit::none, warn, crit, 0.0, {},
                       "log_matches", labels});
  r.figures.push_back({"lines", static_cast<double>(tally.records), ops::PerfUnit::none, {}, {}, 0.0, {},
                       "log_lines", labels});
  return {r};
}

}  // namespace

Kind log_kind() {
  return Kind{
      "log", "FILE",
      "records of the last --window matching error patterns, or the rate of 5xx in an access log (--status)", 1, 1,
      ops::SectionSchema{
          "health", "a log check",
          with_common_keys({
              ops::SectionKey("pattern", ops::KeyType::list,
                              "a PCRE2 pattern of an error line (repeatable; default ERROR, CRITICAL, Exception, "
                              "Failed to)")
                  .with_option("pattern", "REGEX")
                  // Compiled when read, so a bad one is refused before any check runs.
                  .with_check([](std::string_view text, const ops::Config&) { ops::Pattern{text}; }),
              ops::SectionKey("window", ops::KeyType::duration, "the records of this last stretch of time (default 15min)")
                  .with_option("window", "DURATION")
                  .with_default("15min")
                  .with_check(ops::duration_check(1)),
              ops::SectionKey("status", ops::KeyType::list,
                              "judge the share of requests answered with this status (5xx, 404, 50x; repeatable) "
                              "in an access log")
                  .with_option("status", "CLASS")
                  .with_check([](std::string_view text, const ops::Config&) {
                    if (!status_class_text(text))
                      ops::fail_usage(fmt::format("'{}' is not an HTTP status or class: write 5xx, 50x or 503",
                                                  ops::shown(text)));
                  }),
              range_key("warn", kUnits,
                        "warning outside this range (default 0: at the first match; with --status 1%)"),
              range_key("crit", kUnits, "critical outside this range (default 9: at 10 matches; with --status 5%)"),
          })},
      check_log};
}

}  // namespace opshealth
