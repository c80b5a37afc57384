// opsdb analyze: the planner's statistics, table by table (ANALYZE, MySQL
// ANALYZE TABLE), through libcommon's maintain_table.
#include "opsdb/upkeep/table_stats.hpp"
#include "opsdb/upkeep/verb.hpp"

#include <fmt/format.h>

namespace opsdb {

namespace {

class Analyze final : public Verb {
 public:
  std::string_view name() const override { return "analyze"; }
  std::optional<std::string> unsupported(ops::db::Engine) const override { return std::nullopt; }

  // --min-dead judges the rows changed since the last analyze, a share of the
  // live rows (PostgreSQL's n_mod_since_analyze, what autovacuum judges too).
  // MySQL and SQLite keep no such count: every chosen table is analyzed.
  std::optional<std::string> not_needed(ops::db::Connection& db, const ops::db::Table& table,
                                        const VerbOptions& options) const override {
    if (!options.min_dead || db.engine() != ops::db::Engine::postgresql) return std::nullopt;
    const TableCounters t = table_counters(db, table);
    if (t.never_analyzed || !t.changed_since_analyze || !t.live_rows) return std::nullopt;
    const double live = static_cast<double>(std::max<std::int64_t>(*t.live_rows, 1));
    const double changed = static_cast<double>(*t.changed_since_analyze) / live;
    if (changed >= *options.min_dead) return std::nullopt;
    return fmt::format("{} rows changed since the last analyze ({}), below --min-dead {}", *t.changed_since_analyze,
                       percent_text(changed), percent_text(*options.min_dead));
  }

  std::vector<std::string> statements(ops::db::Engine engine, const ops::db::Table& table,
                                      const VerbOptions&) const override {
    return ops::db::maintenance_statements(engine, table, {.analyze = true, .optimize = false});
  }

  TableOutcome run(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions&) const override {
    TableOutcome outcome;
    outcome.result = "done";
    const auto notes = ops::db::maintain_table(db, table, {.analyze = true, .optimize = false});
    outcome.detail = fmt::format("{}", fmt::join(notes, "; "));
    return outcome;
  }
};

}  // namespace

const Verb& analyze_verb() {
  static const Analyze verb;
  return verb;
}

}  // namespace opsdb
