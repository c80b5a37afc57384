// SQLite's online backup API: a page-by-page copy made under one read
// transaction, so the copy is consistent even while the application writes
// (in WAL mode it does not even block the writers).

#include <ops/db.hpp>
#include <ops/error.hpp>
#include <ops/handle.hpp>

#include <fmt/format.h>
#include <sqlite3.h>

#include <memory>

namespace ops::db {

namespace {

using DbPtr = Handle<sqlite3, sqlite3_close_v2>;

DbPtr open_db(const std::filesystem::path& path, int flags, const char* what) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK)
    fail(fmt::format("cannot open {} {}: {}", what, path.string(), db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  return db;
}

}  // namespace

void sqlite_backup(const std::filesystem::path& source, const std::filesystem::path& destination,
                   std::chrono::seconds busy_timeout) {
  // Read-only, and never created: a mistyped path must not become an empty backup.
  DbPtr src = open_db(source, SQLITE_OPEN_READONLY, "SQLite database");
  sqlite3_busy_timeout(src.get(), static_cast<int>(busy_timeout.count() * 1000));
  DbPtr dst = open_db(destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "backup file");
  sqlite3_backup* backup = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
  if (!backup) fail(fmt::format("cannot back up {}: {}", source.string(), sqlite3_errmsg(dst.get())));
  // All pages in one step: one read transaction, hence one consistent snapshot.
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE)
    fail(fmt::format("cannot back up {}: {}", source.string(),
                     rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? "the database stayed locked" : sqlite3_errstr(rc)));
  if (sqlite3_errcode(dst.get()) != SQLITE_OK && sqlite3_errcode(dst.get()) != SQLITE_DONE)
    fail(fmt::format("cannot write backup file {}: {}", destination.string(), sqlite3_errmsg(dst.get())));
}

std::string sqlite_library_version() { return sqlite3_libversion(); }

}  // namespace ops::db
