// logs FILE...: which errors the application logs hold since --since — the
// guides' weekly `grep -E 'ERROR|CRITICAL|Exception|Failed to' | sort |
// uniq -c` as counts per hour and per pattern, and the top messages grouped
// after masking what changes between occurrences (logs/message_mask.hpp).
//
// An event is a timestamped line with its traceback or stack trace
// (logs/log_events.hpp): it counts once for each pattern that any of its
// lines matches, where grep counts every matching line. Findings are per
// message group, never per line: a group with an event at a critical level
// is critical (critical_error); a group of --warn-count events or more is a
// warning (frequent_error); at most --top of each.
#include "opsaudit/audit_list.hpp"
#include "opsaudit/logs/error_tally.hpp"
#include "opsaudit/logs/log_scan.hpp"

#include <ops/error.hpp>
#include <ops/local_time.hpp>
#include <ops/log.hpp>
#include <ops/pattern.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

namespace opsaudit {
namespace {

const std::vector<std::string> kDefaultPatterns{"ERROR", "CRITICAL", "Exception", "Failed to"};
// Distinct message groups kept: memory stays bounded on a log of random
// messages; past it, events are still counted per hour.
constexpr std::size_t kMaxGroups = 10000;
constexpr std::size_t kShownMessage = 300;

std::string local_text(ops::SysTime t, const char* format) {
  return ops::format_local(t, format).value_or(ops::format_time(t));
}
std::string when(ops::SysTime t) { return local_text(t, "%Y-%m-%d %H:%M:%S"); }
std::string short_when(ops::SysTime t) { return local_text(t, "%m-%d %H:%M"); }

std::string events_word(std::uint64_t n) { return n == 1 ? "event" : "events"; }

std::string group_detail(const MessageGroup& g, std::uint64_t shown_count) {
  const std::string span = g.first == g.last ? "at " + short_when(g.first)
                                             : fmt::format("from {} to {}", short_when(g.first), short_when(g.last));
  return fmt::format("{} {} {} in {}", shown_count, events_word(shown_count), span, g.file);
}

void add_findings(const ErrorTally& tally, long long top, long long warn_count, Section& section) {
  long long critical = 0, frequent = 0, critical_more = 0, frequent_more = 0;
  for (const MessageGroup* g : tally.ranked()) {
    if (g->critical) {
      if (critical++ >= top) {
        ++critical_more;
        continue;
      }
      std::string detail = group_detail(*g, g->count);
      if (g->critical != g->count) detail += fmt::format(", {} at a critical level", g->critical);
      section.findings.push_back({Severity::critical, "critical_error", g->message, detail});
    } else if (g->count >= static_cast<std::uint64_t>(warn_count)) {
      if (frequent++ >= top) {
        ++frequent_more;
        continue;
      }
      section.findings.push_back({Severity::warning, "frequent_error", g->message, group_detail(*g, g->count)});
    }
  }
  if (critical_more)
    section.notes.push_back(
        fmt::format("{} more message groups at a critical level than --top {} shows", critical_more, top));
  if (frequent_more)
    section.notes.push_back(fmt::format("{} more message groups of --warn-count {} events or more than --top {} shows",
                                        frequent_more, warn_count, top));
}

void add_details(const ErrorTally& tally, long long top, Section& section) {
  ops::Table hours({{"hour"}, {"pattern"}, {"count", ops::ColumnKind::integer}});
  for (const auto& [key, count] : tally.hours())
    hours.add_row({key.first, tally.patterns()[key.second], static_cast<std::int64_t>(count)});
  section.details.push_back({"hours", std::move(hours)});

  ops::Table messages({{"count", ops::ColumnKind::integer}, {"first"}, {"last"}, {"message"}, {"example"}});
  long long n = 0;
  for (const MessageGroup* g : tally.ranked()) {
    if (n++ >= top) break;
    messages.add_row({static_cast<std::int64_t>(g->count), when(g->first), when(g->last),
                      ops::printable_line(g->message, kShownMessage), ops::printable_line(g->example, kShownMessage)});
  }
  section.details.push_back({"messages", std::move(messages)});
}

Section run_logs(const Request& request) {
  std::vector<std::string> texts = request.settings.list("pattern");
  if (texts.empty()) texts = kDefaultPatterns;
  std::vector<ops::Pattern> patterns;
  for (const std::string& text : texts) patterns.emplace_back(text);
  const long long top = *request.settings.integer("top");
  const long long warn_count = *request.settings.integer("warn_count");
  ScanOptions options{request.now, request.now - *request.settings.duration("since")};

  ErrorTally tally(texts, kMaxGroups);
  const ScanResult scan = scan_logs(request.args, patterns, options, tally);
  if (scan.unreadable.size() == request.args.size()) ops::fail(scan.unreadable.front().second);

  Section section;
  section.name = "logs";
  std::string logs;
  for (const std::string& log : request.args) logs += (logs.empty() ? "" : ", ") + log;
  section.title = fmt::format("logs since {} in {} ({} {} read): {} {} matching {}",
                              local_text(options.since, "%Y-%m-%d %H:%M"), logs, scan.files.size(),
                              scan.files.size() == 1 ? "file" : "files", tally.events(), events_word(tally.events()),
                              fmt::join(texts, ", "));
  // One FILE that cannot be opened does not hold the others hostage.
  for (const auto& [log, why] : scan.unreadable)
    section.findings.push_back({Severity::critical, "not_audited", log, why});
  add_findings(tally, top, warn_count, section);
  add_details(tally, top, section);
  section.notes.insert(section.notes.end(), scan.notes.begin(), scan.notes.end());
  if (tally.unkept())
    section.notes.push_back(fmt::format("{} message groups kept: {} {} of further messages counted per hour, not "
                                        "grouped", kMaxGroups, tally.unkept(), events_word(tally.unkept())));
  for (const std::string& file : scan.files) ops::log::info("logs: read {}", ops::shown(file));

  section.figures["logs_events"] = static_cast<double>(tally.events());
  section.figures["logs_groups"] = static_cast<double>(tally.group_count());
  for (std::size_t p = 0; p < texts.size(); ++p)
    section.figures["logs_pattern_events" + ops::metric_labels({{"pattern", texts[p]}})] =
        static_cast<double>(tally.total(p));
  return section;
}

}  // namespace

Audit logs_audit() {
  return Audit{
      "logs", "FILE...", "counts per hour of error patterns in application logs, and their top messages",
      ops::SectionSchema{
          "audit", "[audit]",
          with_common_keys({
              since_key(),
              ops::SectionKey("pattern", ops::KeyType::list,
                              "a PCRE2 pattern of an error line, case-sensitive as grep (repeatable; replaces the "
                              "default ERROR, CRITICAL, Exception, Failed to)")
                  .with_option("pattern", "REGEX")
                  // Compiled when read, so a bad one is refused before any log is read.
                  .with_check([](std::string_view text, const ops::Config&) { ops::Pattern{text}; }),
              ops::SectionKey("top", ops::KeyType::integer,
                              "message groups shown, and findings of each kind at most (default 10)")
                  .with_option("top", "N")
                  .with_default("10")
                  .with_range(1, 100000),
              ops::SectionKey("warn_count", ops::KeyType::integer,
                              "a message group with this many events or more is a warning (default 20)")
                  .with_option("warn-count", "N")
                  .with_default("20")
                  .with_range(1, std::numeric_limits<int>::max()),
          })},
      1, -1, run_logs};
}

}  // namespace opsaudit
