#include "opsbackup/db/db_backup.hpp"

#include "opsbackup/db/sqlite_file.hpp"
#include "opsbackup/store/compressed_output.hpp"
#include "opsbackup/db/dump_rows.hpp"
#include "opsbackup/db/globals.hpp"
#include "opsbackup/store/layout.hpp"
#include "opsbackup/store/published_files.hpp"
#include "opsbackup/db/table_counts.hpp"

#include <ops/db.hpp>
#include <ops/db_catalog.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <optional>
#include <fcntl.h>
#include <unistd.h>

namespace opsbackup {

namespace fs = std::filesystem;
using ops::db::Engine;

namespace {

// Runs the dumper with its stdout streamed into `out`; fails with the
// dumper's own last stderr line when it does not succeed or stops early.
void run_dumper(DumpPlan& plan, CompressedOutput& out, DumpRowCounter* rows) {
  plan.spec.stderr_lines = 20;
  ops::Process dumper = ops::Process::spawn(plan.spec);
  const std::string& program = dumper.program();
  ops::read_chunks(dumper.stdout_fd(), "the output of " + program, [&](std::string_view chunk) {
    out.write(chunk);
    if (rows) rows->feed(chunk);
  }, 256 * 1024);
  ops::ExitStatus status = dumper.wait();
  const std::string said = dumper.failure_line();
  if (!status.success())
    ops::fail(fmt::format("{} {}{}{}", fs::path(program).filename().string(), status.describe(), said.empty() ? "" : ": ",
                          said));
  if (!plan.completion_marker.empty() && !tail_has_marker(out.plain_tail(), plan.completion_marker))
    ops::fail(fmt::format("{} output ends without \"{}\": the dump is incomplete{}{}",
                          fs::path(program).filename().string(), plan.completion_marker, said.empty() ? "" : "; it said: ",
                          said));
}

std::string data_file_name(const std::string& stem, const std::string& extension, const ops::CompressOptions& c) {
  return stem + extension + std::string(ops::compression_suffix(c.format));
}

int effective_level(const ops::CompressOptions& c) { return c.level < 0 ? ops::default_level(c.format) : c.level; }

// Tables with engines that ignore transactions (MyISAM, Aria, MEMORY …) are
// not part of --single-transaction's snapshot.
void warn_non_transactional(ops::db::Connection& db, Manifest& m) {
  std::string list;
  for (const auto& t : ops::db::list_tables(db))
    if (!t.storage_engine.empty() && t.storage_engine != "InnoDB" && t.storage_engine != "XtraDB")
      list += (list.empty() ? "" : ", ") + t.name + " (" + t.storage_engine + ")";
  if (list.empty()) return;
  std::string warning = "not transactional, so not in the consistent snapshot: " + list;
  ops::log::warning_line(fmt::format("{}: {}", m.name, warning));
  m.warnings.push_back(warning);
}

// SQLite: a consistent copy through the backup API into a private temporary
// file next to the backups, counted, then compressed into the backup.
void backup_sqlite(const DatabaseBackupRequest& request, const fs::path& dir, CompressedOutput& out, Manifest& m) {
  ops::AtomicFile scratch(dir / (backup_stem(m.name, m.started) + ".sqlite-copy"), 0600);  // removed when we are done
  ops::db::sqlite_backup(request.target.dsn.path, scratch.temp_path());
  {
    auto copy = ops::db::connect(sqlite_file_dsn(scratch.temp_path(), "ro"));
    m.tables = count_table_rows(*copy);
  }
  ops::Fd fd = ops::open_file(scratch.temp_path(), O_RDONLY);
  ops::read_chunks(fd.get(), scratch.temp_path().string(), [&](std::string_view chunk) { out.write(chunk); },
                   256 * 1024);
  m.dumper = "SQLite online backup API " + ops::db::sqlite_library_version();
  m.dump_format = "sqlite";
}

}  // namespace

BackupResult backup_database(const DatabaseBackupRequest& request) {
  const fs::path dir = prepare_backup_dir(request.root, request.name);
  const auto& target = request.target;

  Manifest m;
  m.tool_version = OPS_VERSION;
  m.name = request.name;
  m.kind = "database";
  m.engine = std::string(ops::db::engine_name(target.dsn.engine));
  m.source = target.dsn.display();
  m.started = ops::now();
  m.compression = std::string(ops::compression_name(request.compress.format));
  m.level = effective_level(request.compress);
  const std::string stem = backup_stem(request.name, m.started);

  // Our own connection first: the clearest message when the server is down or
  // the password is wrong, the server's version, and what the dump cannot cover.
  auto db = ops::db::connect(target.dsn, target.options);
  m.server_version = db->server_version();
  if (target.dsn.engine == Engine::mysql) warn_non_transactional(*db, m);

  fs::path data_path;
  PublishedFiles published;
  if (target.dsn.engine == Engine::sqlite) {
    data_path = dir / data_file_name(stem, ".sqlite3", request.compress);
    CompressedOutput out(data_path, request.compress);
    backup_sqlite(request, dir, out, m);
    out.publish();
    published.add(data_path);
    m.plain_size = out.plain_size(), m.size = out.size(), m.sha256 = out.sha256();
  } else {
    DumpPlan plan = plan_database_dump(target, request.pg_format);
    m.dumper = plan.program_version;
    m.dump_format = plan.dump_format;
    data_path = dir / data_file_name(stem, plan.extension, request.compress);
    std::unique_ptr<DumpRowCounter> rows;
    if (target.dsn.engine == Engine::mysql) rows = std::make_unique<MysqlInsertRowCounter>();
    else if (request.pg_format == PgFormat::plain) rows = std::make_unique<PgCopyRowCounter>();
    // A custom-format dump cannot be read as it goes by: count the rows in a
    // snapshot of our own and have pg_dump dump exactly that snapshot.
    std::optional<ops::db::Transaction> snapshot;
    if (!rows && target.dsn.engine == Engine::postgresql) {
      snapshot.emplace(*db, ops::db::TransactionMode::snapshot);
      plan.spec.argv.push_back("--snapshot=" + db->query_value("SELECT pg_export_snapshot()").value_or(""));
      m.tables = count_table_rows(*db);
    }
    CompressedOutput out(data_path, request.compress);
    run_dumper(plan, out, rows.get());
    if (snapshot) snapshot->commit();
    out.publish();
    published.add(data_path);
    m.plain_size = out.plain_size(), m.size = out.size(), m.sha256 = out.sha256();
    if (rows) m.tables = rows->tables();
  }

  if (request.globals) {
    fs::path globals_path = dir / data_file_name(stem + ".globals", ".sql", request.compress);
    CompressedOutput out(globals_path, request.compress);
    dump_globals(target, *db, out, m.warnings);
    out.publish();
    published.add(globals_path);
    m.globals_file = globals_path.filename().string();
    m.globals_sha256 = out.sha256();
  }

  return finish_backup(dir, stem, data_path, std::move(m), published);
}

}  // namespace opsbackup
