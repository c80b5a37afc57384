#include "opsbackup/db/restore.hpp"

#include "opsbackup/db/dumpers.hpp"
#include "opsbackup/store/layout.hpp"
#include "opsbackup/db/table_counts.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>
#include <ops/process.hpp>

#include <fmt/format.h>

#include <fcntl.h>

namespace opsbackup {

namespace fs = std::filesystem;
using ops::db::Engine;

namespace {

std::uint64_t decompress_into(const fs::path& data, const Manifest& m, const ops::ByteSink& sink) {
  ops::Fd fd = ops::open_regular(data);  // a FIFO planted in the store is refused, not waited on
  return ops::decompress_fd(fd.get(), data.string(), sink, ops::parse_compression(m.compression));
}

void refuse_non_empty(const RestoreRequest& r) {
  if (r.force) return;
  auto db = ops::db::connect(r.target.dsn, r.target.options);
  auto tables = count_table_rows(*db);
  if (!tables.empty())
    ops::fail_usage(fmt::format("{} is not empty ({} tables, e.g. {}): not restoring into it", r.target.dsn.display(),
                                tables.size(), tables.front().table),
                    "restore into a new, empty database, or give --force to restore into this one anyway");
}

// Feeds the decompressed dump to the client's stdin; the client's verdict
// (exit status and last stderr line) decides.
void replay_sql(const RestoreRequest& r, const fs::path& data) {
  std::unique_ptr<SecretFile> secret;
  ops::ProcessSpec spec = plan_sql_client(r.target, secret);
  ops::Fd devnull = ops::open_file("/dev/null", O_WRONLY);
  spec.stdout_to = devnull.get();
  ops::Process client = ops::Process::spawn(spec);
  std::string feed_error;
  try {
    decompress_into(data, r.manifest,
                    [&](std::string_view chunk) { ops::write_all(client.stdin_fd(), chunk, client.program()); });
  } catch (const ops::Error& e) {
    feed_error = e.what();  // the client may have stopped reading: its own status says why
  }
  client.close_stdin();
  auto status = client.wait();
  const std::string program = fs::path(client.program()).filename().string();
  if (!status.success()) ops::fail(fmt::format("{} {}: {}", program, status.describe(), client.failure_line()));
  if (!feed_error.empty()) ops::fail(feed_error);
}

void restore_custom(const RestoreRequest& r, const fs::path& data) {
  std::unique_ptr<SecretFile> secret;
  fs::path input = data;
  std::unique_ptr<ops::AtomicFile> plain;  // a compressed custom dump is expanded next to it first
  if (r.manifest.compression != "none") {
    plain = std::make_unique<ops::AtomicFile>(data.parent_path() / (r.manifest.file + ".restore"), 0600);
    decompress_into(data, r.manifest, [&](std::string_view chunk) { plain->write(chunk); });
    input = plain->temp_path();
  } else {
    ops::open_regular(data);  // pg_restore opens it by name: a FIFO would hang it
  }
  ops::ProcessSpec spec = plan_pg_restore(r.target, input.string(), secret);
  auto result = ops::run_capture(spec);
  if (!result.status.success())
    ops::fail(fmt::format("pg_restore {}: {}", result.status.describe(), result.last_stderr_line));
}

void refuse_existing_sqlite(const RestoreRequest& r) {
  const fs::path target = r.target.dsn.path;
  if (!r.force && fs::exists(target))
    ops::fail_usage(fmt::format("{} exists: not replacing it", target.string()), "give --force to replace it");
}

void restore_sqlite(const RestoreRequest& r, const fs::path& data) {
  const fs::path target = r.target.dsn.path;
  ops::AtomicFile out(target, 0600);
  decompress_into(data, r.manifest, [&](std::string_view chunk) { out.write(chunk); });
  out.commit();
}

}  // namespace

fs::path find_manifest(const std::string& backup, const fs::path& root) {
  fs::path p = absolute_path(backup).lexically_normal();
  if (!p.has_filename() && p != p.root_path()) p = p.parent_path();  // "bk/app/" names bk/app
  const std::string file = p.filename().string();
  if (file.ends_with(".manifest.json") && fs::exists(p)) return p;
  if (fs::is_regular_file(p)) {
    fs::path manifest = p.parent_path() / (file.substr(0, file.find('.')) + ".manifest.json");
    if (fs::exists(manifest)) return manifest;
  }
  // A NAME (under --dir) or a DIR/NAME: its newest complete backup. A NAME
  // with no DIR/NAME is exit 3 naming where it was looked for.
  const fs::path dir = backup.find('/') == std::string::npos && !root.empty() ? existing_backup_dir(root, backup) : p;
  if (fs::is_directory(dir)) {
    auto listing = list_backup_dir(dir, dir.filename().string());
    for (auto it = listing.backups.rbegin(); it != listing.backups.rend(); ++it)
      if (!it->manifest.empty()) return it->manifest;
    ops::fail_usage(fmt::format("no complete backup of {} in {}", dir.filename().string(), dir.string()));
  }
  ops::fail_usage(fmt::format("{} is not a backup (no manifest found at {})", backup, p.string()),
                  "give a .manifest.json, the backup file next to it, or a backup NAME with --dir");
}

void check_database_target(const RestoreRequest& r) {
  const Manifest& m = r.manifest;
  if (m.kind != "database") ops::fail_usage(r.manifest_file.string() + " is a files backup: use --to-dir");
  const std::string engine(ops::db::engine_name(r.target.dsn.engine));
  if (engine != m.engine)
    ops::fail_usage(fmt::format("{} is a {} backup; {} is {}", r.manifest_file.string(), m.engine,
                                r.target.dsn.display(), engine));
  if (r.target.dsn.engine == Engine::sqlite) refuse_existing_sqlite(r);
  else refuse_non_empty(r);
}

void restore_database(const RestoreRequest& r) {
  const Manifest& m = r.manifest;
  check_database_target(r);
  const fs::path data = r.manifest_file.parent_path() / m.file;
  if (r.target.dsn.engine == Engine::sqlite) return restore_sqlite(r, data);
  if (m.dump_format == "custom") restore_custom(r, data);
  else replay_sql(r, data);
}

}  // namespace opsbackup
