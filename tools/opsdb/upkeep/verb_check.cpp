// opsdb check: look for corruption with what each engine has (check.hpp).
// Corruption and a check that fails are critical (exit 2); what cannot be
// checked is said, and is a warning when it could be and is not (amcheck
// missing).
#include "opsdb/upkeep/check.hpp"

namespace opsdb {

namespace {

using ops::db::Engine;

class Check final : public Verb {
 public:
  std::string_view name() const override { return "check"; }

  std::optional<std::string> unsupported(Engine) const override { return std::nullopt; }

  // SQLite checks the file whole: integrity_check(TABLE) misses pages that
  // belong to no table.
  bool whole_database(Engine engine) const override { return engine == Engine::sqlite; }

  std::vector<std::string> prepare(ops::db::Connection& db, const VerbOptions& options, bool) const override {
    if (db.engine() == Engine::postgresql) return check::postgresql_prepare(db, options);
    return {};
  }

  std::vector<std::string> statements(Engine engine, const ops::db::Table& table,
                                      const VerbOptions& options) const override {
    switch (engine) {
      case Engine::mysql: return check::mysql_statements(table, options);
      case Engine::postgresql: return check::postgresql_statements(table, options);
      case Engine::sqlite: return check::sqlite_statements();
    }
    return {};
  }

  std::vector<std::string> statements_on(ops::db::Connection& db, const ops::db::Table& table,
                                         const VerbOptions& options) const override {
    if (db.engine() == Engine::postgresql) return check::postgresql_statements(db, table, options);
    return statements(db.engine(), table, options);
  }

  TableOutcome run(ops::db::Connection& db, const ops::db::Table& table, const VerbOptions& options) const override {
    switch (db.engine()) {
      case Engine::mysql: return check::check_mysql(db, table, options);
      case Engine::postgresql: return check::check_postgresql(db, table, options);
      case Engine::sqlite: return check::check_sqlite(db);
    }
    return {};
  }
};

}  // namespace

const Verb& check_verb() {
  static const Check verb;
  return verb;
}

}  // namespace opsdb
