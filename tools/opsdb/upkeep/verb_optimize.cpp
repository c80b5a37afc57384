// opsdb optimize: MySQL/MariaDB OPTIMIZE TABLE, through libcommon's
// maintain_table. For InnoDB it is a rebuild ("recreate + analyze"), reported
// as such and not as the error MySQL's wording suggests.
#include "opsdb/upkeep/table_stats.hpp"
#include "opsdb/upkeep/verb.hpp"

#include <ops/text.hpp>

#include <fmt/format.h>

namespace opsdb {

namespace {

using ops::db::Engine;

class Optimize final : public Verb {
 public:
  std::string_view name() const override { return "optimize"; }

  std::optional<std::string> unsupported(Engine engine) const override {
    if (engine == Engine::postgresql)
      return "PostgreSQL has no OPTIMIZE: `opsdb vacuum` makes dead rows' space reusable, `opsdb vacuum --full` "
             "rewrites a table and gives the space back (under an ACCESS EXCLUSIVE lock)";
    if (engine == Engine::sqlite)
      return "SQLite has no per-table OPTIMIZE: `opsdb vacuum` rewrites the whole file and gives its free pages back";
    return std::nullopt;
  }

  // --min-dead judges DATA_FREE, the share of the table's allocated space
  // that is free: what OPTIMIZE gives back.
  std::optional<std::string> not_needed(ops::db::Connection& db, const ops::db::Table& table,
                                        const VerbOptions& options) const override {
    if (!options.min_dead) return std::nullopt;
    const TableCounters t = table_counters(db, table);
    if (!t.free_fraction || *t.free_fraction >= *options.min_dead) return std::nullopt;
    return fmt::format("{} of its space free, below --min-dead {}", percent_text(*t.free_fraction),
                       percent_text(*options.min_dead));
  }

  std::vector<std::string> statements(Engine engine, const ops::db::Table& table, const VerbOptions&) const override {
    std::vector<std::string> sql;
    const std::string storage = ops::ascii_lower(table.storage_engine);
    if (storage == "innodb")
      sql.push_back("-- InnoDB: a rebuild (recreate + analyze), online: reads and writes go on but for short "
                    "metadata locks at its start and end");
    else if (!storage.empty())
      sql.push_back("-- " + table.storage_engine + ": writes to " + table.display() + " wait until it ends");
    for (auto& s : ops::db::maintenance_statements(engine, table, {.analyze = false, .optimize = true}))
      sql.push_back(std::move(s));
    return sql;
  }

  TableOutcome run(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions&) const override {
    TableOutcome outcome;
    outcome.bytes_before = table_bytes(db, table);
    const auto notes = ops::db::maintain_table(db, table, {.analyze = false, .optimize = true});
    outcome.bytes_after = table_bytes(db, table);
    outcome.result = "done";
    for (const auto& note : notes)
      if (note.find("recreate + analyze") != std::string::npos) {
        outcome.result = "rebuilt";
        outcome.detail = "InnoDB: recreate + analyze";
      }
    return outcome;
  }
};

}  // namespace

const Verb& optimize_verb() {
  static const Optimize verb;
  return verb;
}

}  // namespace opsdb
