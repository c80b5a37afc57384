// opsdb reindex: rebuild each table's indexes (reindex.hpp), CONCURRENTLY
// where PostgreSQL has it, after clearing what interrupted runs left.
#include "opsdb/upkeep/reindex.hpp"

namespace opsdb {

namespace {

using ops::db::Engine;

class Reindex final : public Verb {
 public:
  std::string_view name() const override { return "reindex"; }

  std::optional<std::string> unsupported(Engine engine) const override {
    if (engine == Engine::mysql)
      return "MySQL/MariaDB has no REINDEX: `opsdb optimize` rebuilds a table together with its indexes";
    return std::nullopt;
  }

  std::vector<std::string> prepare(ops::db::Connection& db, const VerbOptions&, bool dry_run) const override {
    if (db.engine() == Engine::postgresql) return reindex::postgresql_prepare(db, dry_run);
    return {};
  }

  std::optional<std::string> not_needed(ops::db::Connection& db, const ops::db::Table& table,
                                        const VerbOptions&) const override {
    switch (db.engine()) {
      case Engine::postgresql: return reindex::postgresql_no_index(db, table);
      case Engine::sqlite: return reindex::sqlite_no_index(db, table);
      case Engine::mysql: break;
    }
    return std::nullopt;
  }

  // Without a server: the statement of PostgreSQL 12 and later.
  std::vector<std::string> statements(Engine engine, const ops::db::Table& table, const VerbOptions&) const override {
    switch (engine) {
      case Engine::postgresql: return reindex::postgresql_statements(120000, table);
      case Engine::sqlite: return reindex::sqlite_statements(table);
      case Engine::mysql: break;
    }
    return {};
  }

  std::vector<std::string> statements_on(ops::db::Connection& db, const ops::db::Table& table,
                                         const VerbOptions& options) const override {
    if (db.engine() == Engine::postgresql) return reindex::postgresql_statements(server_version_num(db), table);
    return statements(db.engine(), table, options);
  }

  TableOutcome run(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions& options) const override {
    if (db.engine() == Engine::postgresql) return reindex::reindex_postgresql(db, table, options);
    return reindex::reindex_sqlite(db, table);
  }
};

}  // namespace

const Verb& reindex_verb() {
  static const Reindex verb;
  return verb;
}

}  // namespace opsdb
