// opsdb vacuum: dead rows' space made reusable, statistics refreshed in the
// same pass (PostgreSQL VACUUM (ANALYZE); SQLite VACUUM of the whole file).
// VACUUM FULL only when asked: it rewrites the table under the strongest lock.
#include "opsdb/upkeep/table_stats.hpp"
#include "opsdb/upkeep/verb.hpp"

#include <fmt/format.h>

namespace opsdb {

namespace {

using ops::db::Engine;

class Vacuum final : public Verb {
 public:
  std::string_view name() const override { return "vacuum"; }

  std::optional<std::string> unsupported(Engine engine) const override {
    if (engine != Engine::mysql) return std::nullopt;
    return "MySQL/MariaDB has no VACUUM: `opsdb optimize` rebuilds a table and gives its free space back";
  }

  bool whole_database(Engine engine) const override { return engine == Engine::sqlite; }

  // A table is needed when its dead rows reach --min-dead of its rows, or its
  // oldest transaction ID is --min-xid-age old (PostgreSQL); the SQLite file
  // when its free pages reach --min-dead of its pages.
  std::optional<std::string> not_needed(ops::db::Connection& db, const ops::db::Table& table,
                                        const VerbOptions& options) const override {
    if (!options.min_dead && !options.min_xid_age) return std::nullopt;
    const TableCounters t = table_counters(db, table);
    std::vector<std::string> below;
    if (options.min_dead) {
      std::optional<double> dead;
      std::string what;
      if (t.dead_rows && t.live_rows) {
        const auto all = *t.dead_rows + *t.live_rows;
        dead = all > 0 ? static_cast<double>(*t.dead_rows) / static_cast<double>(all) : 0.0;
        what = fmt::format("{} dead rows ({})", *t.dead_rows, percent_text(*dead));
      } else if (t.free_fraction) {
        dead = *t.free_fraction;
        what = fmt::format("{} of the pages free", percent_text(*dead));
      }
      if (!dead || *dead >= *options.min_dead) return std::nullopt;
      below.push_back(fmt::format("{}, below --min-dead {}", what, percent_text(*options.min_dead)));
    }
    if (options.min_xid_age && t.xid_age) {
      if (*t.xid_age >= *options.min_xid_age) return std::nullopt;
      below.push_back(fmt::format("oldest transaction ID {} old, below --min-xid-age {}", *t.xid_age,
                                  *options.min_xid_age));
    }
    return fmt::format("{}", fmt::join(below, "; "));
  }

  std::vector<std::string> statements(Engine engine, const ops::db::Table& table,
                                      const VerbOptions& options) const override {
    if (engine == Engine::sqlite) {
      std::vector<std::string> sql{"-- rewrites the whole file: other connections' writes wait until it ends",
                                   "VACUUM"};
      if (!options.skip_analyze) sql.push_back("ANALYZE");
      return sql;
    }
    const std::string name = table.quoted(engine);
    if (options.full)
      return {"-- takes an ACCESS EXCLUSIVE lock: reads and writes of " + table.display() + " wait until it ends",
              fmt::format("VACUUM ({}) {}", options.skip_analyze ? "FULL" : "FULL, ANALYZE", name)};
    return {options.skip_analyze ? "VACUUM " + name : "VACUUM (ANALYZE) " + name};
  }

  TableOutcome run(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions& options) const override {
    TableOutcome outcome;
    outcome.bytes_before = table_bytes(db, table);
    for (const auto& sql : statements(db.engine(), table, options))
      if (!sql.starts_with("-- ")) db.execute(sql);
    outcome.bytes_after = table_bytes(db, table);
    outcome.result = "done";
    return outcome;
  }
};

}  // namespace

const Verb& vacuum_verb() {
  static const Vacuum verb;
  return verb;
}

}  // namespace opsdb
