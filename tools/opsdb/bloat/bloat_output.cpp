#include "opsdb/bloat/bloat_output.hpp"

#include <ops/clock.hpp>
#include <ops/db_wraparound.hpp>
#include <ops/json_text.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace opsdb {

namespace {

using ops::Cell;
using ops::ColumnKind;
using ops::db::Engine;

template <typename T>
Cell cell(const std::optional<T>& v) {
  return v ? Cell(*v) : Cell();
}

Cell when(const std::optional<std::int64_t>& unix_seconds) {
  if (!unix_seconds) return {};
  return ops::format_time(ops::SysTime(std::chrono::seconds(*unix_seconds)));
}

Cell text(const std::string& s) { return s.empty() ? Cell() : Cell(s); }

// A tenth of a percent is all the estimate is worth.
Cell percent(const std::optional<double>& p) {
  return p ? Cell(std::round(*p * 10) / 10) : Cell();
}

std::string wraparound_line(const Wraparound& x) {
  std::string line = fmt::format(
      "wraparound: database {}: oldest unfrozen transaction ID {} old, {:.1f}% of 2^31 ({} left); "
      "autovacuum_freeze_max_age {}",
      x.database, x.age, ops::db::wraparound_percent(x.age),
      static_cast<std::int64_t>(ops::db::kXidWraparoundAge) - x.age, x.freeze_max_age);
  if (!x.oldest_database.empty() && x.oldest_age > x.age)
    line += fmt::format("; the cluster's oldest is database {}, {} old", x.oldest_database, x.oldest_age);
  if (x.status != ops::Status::ok) line += fmt::format(" [{}]", ops::status_name(x.status));
  return line;
}

std::string reclaim_legend(Engine engine) {
  switch (engine) {
    case Engine::postgresql:
      return "estimated from the planner's statistics, as fresh as the last ANALYZE (opsdb(1)); "
             "opsdb vacuum makes dead rows' room reusable, vacuum --full (an ACCESS EXCLUSIVE lock while it "
             "rewrites the table) and reindex (CONCURRENTLY) give it back to the filesystem";
    case Engine::mysql:
      return "opsdb optimize rebuilds a table and gives its free space back to the filesystem";
    case Engine::sqlite:
      return "opsdb vacuum rewrites the whole file: free pages go back to the filesystem, pages are packed";
  }
  return {};
}

}  // namespace

ops::Table bloat_table(const BloatReport& report) {
  const Engine e = report.engine;
  std::vector<ops::Column> columns{{"table", ColumnKind::text}};
  if (e == Engine::mysql) columns.push_back({"engine", ColumnKind::text});
  else columns.push_back({"index", ColumnKind::text});
  columns.push_back({"size", ColumnKind::bytes});
  if (e == Engine::mysql) {
    columns.push_back({"data", ColumnKind::bytes});
    columns.push_back({"indexes", ColumnKind::bytes});
  }
  columns.push_back({"wasted", ColumnKind::bytes});
  columns.push_back({"wasted_percent", ColumnKind::percent, "WASTED%"});
  if (e == Engine::postgresql)
    for (const char* c : {"dead_rows", "xid_age"}) columns.push_back({c, ColumnKind::integer});
  if (e == Engine::postgresql)
    for (const char* c : {"last_vacuum", "last_autovacuum", "last_analyze", "last_autoanalyze"})
      columns.push_back({c, ColumnKind::text});
  for (const char* c : {"status", "reclaim", "note"}) columns.push_back({c, ColumnKind::text});

  ops::Table table(std::move(columns));
  for (const Relation& r : report.relations) {
    std::vector<Cell> row{r.table};
    row.push_back(e == Engine::mysql ? text(r.engine) : text(r.index));
    row.push_back(r.size);
    if (e == Engine::mysql) {
      row.push_back(cell(r.data_bytes));
      row.push_back(cell(r.index_bytes));
    }
    row.push_back(cell(r.wasted));
    row.push_back(percent(r.wasted_percent));
    if (e == Engine::postgresql) {
      row.push_back(cell(r.dead_rows));
      row.push_back(cell(r.xid_age));
      for (const auto* t : {&r.last_vacuum, &r.last_autovacuum, &r.last_analyze, &r.last_autoanalyze})
        row.push_back(when(*t));
    }
    row.push_back(std::string(ops::status_name(r.status)));
    row.push_back(text(r.reclaim));
    row.push_back(text(r.note));
    table.add_row(std::move(row));
  }
  return table;
}

std::vector<std::string> bloat_notes(const BloatReport& report, const BloatLimits& limits) {
  std::vector<std::string> notes;
  if (report.wraparound) notes.push_back(wraparound_line(*report.wraparound));
  if (!report.not_estimated.empty()) {
    std::string line = "not estimated (opsdb analyze gives them statistics):";
    for (const auto& [table, why] : report.not_estimated) line += fmt::format(" {} ({});", table, why);
    line.pop_back();
    notes.push_back(line);
  }
  if (report.below_min_size)
    notes.push_back(fmt::format("{} relations smaller than --min-size {} not shown", report.below_min_size,
                                ops::format_size(limits.min_size)));
  if (report.beyond_top)
    notes.push_back(fmt::format("{} more relations beyond --top {} not shown", report.beyond_top, limits.top));
  notes.insert(notes.end(), report.notes.begin(), report.notes.end());
  notes.push_back(reclaim_legend(report.engine));
  return notes;
}

void print_bloat(std::ostream& out, ops::Format format, const BloatReport& report, const BloatLimits& limits) {
  const ops::Table table = bloat_table(report);
  if (format == ops::Format::tsv) {
    table.print(out, format);
    return;
  }
  if (format == ops::Format::json) {
    nlohmann::ordered_json doc{{"database", report.database},
                               {"engine", ops::db::engine_name(report.engine)},
                               {"status", ops::status_name(report.status)},
                               {"relations", ops::table_json(table)}};
    if (report.wraparound) {
      const Wraparound& x = *report.wraparound;
      doc["wraparound"] = {{"database", x.database},
                           {"xid_age", x.age},
                           {"percent_of_2_31", ops::db::wraparound_percent(x.age)},
                           {"autovacuum_freeze_max_age", x.freeze_max_age},
                           {"oldest_database", x.oldest_database.empty() ? x.database : x.oldest_database},
                           {"oldest_xid_age", x.oldest_database.empty() ? x.age : x.oldest_age},
                           {"status", ops::status_name(x.status)}};
    }
    auto unestimated = nlohmann::ordered_json::array();
    for (const auto& [t, why] : report.not_estimated) unestimated.push_back({{"table", t}, {"reason", why}});
    doc["not_estimated"] = unestimated;
    doc["below_min_size"] = report.below_min_size;
    doc["beyond_top"] = report.beyond_top;
    doc["notes"] = report.notes;
    out << ops::json_file_text(doc);
    return;
  }
  table.print(out, format);
  for (const std::string& note : bloat_notes(report, limits)) out << "note: " << ops::printable_line(note) << '\n';
}

void add_bloat_metrics(ops::Metrics& metrics, const BloatReport& report) {
  double wasted = 0;
  for (const Relation& r : report.relations) wasted += static_cast<double>(r.wasted.value_or(0));
  metrics["relations"] = static_cast<double>(report.relations.size());
  metrics["wasted_bytes"] = wasted;
  metrics["not_estimated"] = static_cast<double>(report.not_estimated.size());
  if (report.wraparound) metrics["xid_age"] = static_cast<double>(report.wraparound->age);
}

}  // namespace opsdb
