#include "opsbackup/db/restore_test.hpp"

#include "opsbackup/db/sqlite_file.hpp"
#include "opsbackup/db/restore.hpp"
#include "opsbackup/db/table_counts.hpp"

#include <ops/db.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <random>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

// The same server and account, another database.
ops::db::Dsn with_database(const ops::db::Dsn& dsn, const std::string& database) {
  std::string text = dsn.scheme + "://";
  if (!dsn.user.empty()) text += dsn.user + "@";
  text += dsn.host;
  if (dsn.port) text += fmt::format(":{}", dsn.port);
  text += "/" + database;
  for (std::size_t i = 0; i < dsn.params.size(); ++i)
    text += (i ? "&" : "?") + dsn.params[i].first + "=" + dsn.params[i].second;
  return ops::db::parse_dsn(text);
}

// Named after the scratch DSN's database, so that a grant on a name pattern
// (MySQL: GRANT ALL ON `scratch\_%`.*) covers it.
std::string scratch_name(const ops::db::Dsn& server) {
  std::random_device rd;
  return fmt::format("{}_restore_{:08x}", server.database.empty() ? "ops" : server.database, rd());
}

// Creates the scratch database and drops it again, whatever happens between.
class ScratchDatabase {
 public:
  ScratchDatabase(const ops::db::Target& server, std::string name, ops::Warnings& warnings)
      : server_(server), name_(std::move(name)), warnings_(warnings) {
    admin_ = ops::db::connect(server_.dsn, server_.options);
    admin_->execute("CREATE DATABASE " + admin_->quote_identifier(name_));
  }
  ~ScratchDatabase() {
    try {
      const bool pg = admin_->engine() == ops::db::Engine::postgresql;
      admin_->execute("DROP DATABASE IF EXISTS " + admin_->quote_identifier(name_) + (pg ? " WITH (FORCE)" : ""));
    } catch (const std::exception& e) {
      warnings_.add("cannot drop the scratch database {}: {}", name_, e.what());
    }
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  ops::db::Target target() const {
    ops::db::Target t = server_;
    t.dsn = with_database(server_.dsn, name_);
    t.name = t.dsn.display();
    return t;
  }

 private:
  ops::db::Target server_;
  std::string name_;
  ops::Warnings& warnings_;  // a scratch database left behind is a warning of the run
  std::unique_ptr<ops::db::Connection> admin_;
};

VerifyOutcome compare_tables(const std::vector<TableCount>& restored, const Manifest& m) {
  for (const auto& expected : m.tables) {
    auto it = std::find_if(restored.begin(), restored.end(), [&](const auto& t) { return t.table == expected.table; });
    if (it == restored.end()) return {false, "restored database lacks table " + expected.table};
    if (it->rows != expected.rows)
      return {false, fmt::format("restored table {} has {} rows, the manifest says {}", expected.table, it->rows,
                                 expected.rows)};
  }
  if (restored.size() != m.tables.size())
    return {false, fmt::format("restored database has {} tables, the manifest lists {}", restored.size(), m.tables.size())};
  std::int64_t rows = 0;
  for (const auto& t : restored) rows += t.rows;
  return {true, fmt::format("restored: {} tables, {} rows, as in the manifest", restored.size(), rows)};
}

}  // namespace

VerifyOutcome restore_test(const fs::path& manifest_file, const Manifest& m, const ops::db::Target* scratch,
                           ops::Warnings& warnings) {
  if (m.kind != "database") return {false, "a restore test is for database backups"};
  try {
    if (m.engine == "sqlite") {
      ops::AtomicFile place(manifest_file.parent_path() / (m.file + ".restore-test"), 0600);
      fs::path file = place.temp_path();
      ops::db::Target target{"restore test", sqlite_file_dsn(file, "rw"), {}};
      restore_database({manifest_file, m, target, true});
      auto db = ops::db::connect(target.dsn);
      return compare_tables(count_table_rows(*db), m);
    }
    if (!scratch)
      ops::fail_usage("--restore-test needs a scratch server: --scratch NAME|DSN (or scratch in [backup])",
                      "an account there must be allowed to create and drop databases");
    const std::string engine(ops::db::engine_name(scratch->dsn.engine));
    if (engine != m.engine)
      ops::fail_usage(fmt::format("the scratch server {} is {}, the backup is {}", scratch->dsn.display(), engine, m.engine));
    ScratchDatabase db(*scratch, scratch_name(scratch->dsn), warnings);
    const ops::db::Target target = db.target();
    restore_database({manifest_file, m, target, false});
    auto connection = ops::db::connect(target.dsn, target.options);
    return compare_tables(count_table_rows(*connection), m);
  } catch (const ops::Error& e) {
    if (e.status() == ops::Status::unknown) throw;  // our usage error, not the backup's fault
    return {false, std::string("restore test: ") + e.what()};
  }
}

}  // namespace opsbackup
