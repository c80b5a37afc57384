// The SQLite driver. Parameters are bound with sqlite3_bind_*; rows stream with
// sqlite3_step. By default the file must exist (mode=rw): opening a mistyped
// path must not silently create an empty database.

#include "db_drivers.hpp"
#include <ops/handle.hpp>

#include <fmt/format.h>
#include <sqlite3.h>

namespace ops::db {

namespace {

using DbPtr = Handle<sqlite3, sqlite3_close_v2>;
using StmtPtr = Handle<sqlite3_stmt, sqlite3_finalize>;

class LiteCursor final : public Cursor {
 public:
  // Takes a prepared, bound statement and runs it to its first row, so that
  // errors surface in query() as with the other engines.
  LiteCursor(const Connection& owner, sqlite3* db, StmtPtr stmt) : owner_(owner), db_(db), stmt_(std::move(stmt)) {
    step();
    pending_row_ = has_row_;
  }

  bool next() override {
    if (pending_row_) {
      pending_row_ = false;
      on_row_ = true;
      return true;
    }
    if (has_row_) step();
    on_row_ = has_row_;
    return on_row_;
  }
  std::size_t columns() const override { return static_cast<std::size_t>(sqlite3_column_count(stmt_.get())); }
  std::string column_name(std::size_t i) const override {
    check_column(i);
    const char* name = sqlite3_column_name(stmt_.get(), static_cast<int>(i));
    return name ? name : "";
  }
  std::optional<std::string_view> get(std::size_t i) const override {
    if (!on_row_) throw Error(Status::critical, "internal error: cursor read with no current row");
    check_column(i);
    int col = static_cast<int>(i);
    const int type = sqlite3_column_type(stmt_.get(), col);
    if (type == SQLITE_NULL) return std::nullopt;
    // Pointer first, then the size: the size must describe the form we read.
    const void* data = type == SQLITE_BLOB ? sqlite3_column_blob(stmt_.get(), col)
                                           : static_cast<const void*>(sqlite3_column_text(stmt_.get(), col));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), col));
    return data ? std::string_view(static_cast<const char*>(data), size) : std::string_view();
  }

 private:
  void check_column(std::size_t i) const {
    if (i >= columns()) throw Error(Status::critical, fmt::format("internal error: no column {}", i));
  }
  void step() {
    int rc = sqlite3_step(stmt_.get());
    has_row_ = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw_sql_error(owner_, sqlite3_errmsg(db_));
  }

  const Connection& owner_;
  sqlite3* db_;
  StmtPtr stmt_;
  bool has_row_ = false;
  bool pending_row_ = false;
  bool on_row_ = false;
};

class LiteConnection final : public Connection {
 public:
  LiteConnection(Dsn dsn, DbPtr db) : Connection(std::move(dsn)), db_(std::move(db)) {}

  Engine engine() const noexcept override { return Engine::sqlite; }
  std::string server_version() override { return sqlite3_libversion(); }
  std::string quote_literal(std::string_view value) override {
    if (value.find('\0') != std::string_view::npos)
      throw Error(Status::critical, "cannot quote a value holding a NUL byte as an SQLite string literal");
    Handle<char, sqlite3_free> quoted(
        sqlite3_mprintf("%.*Q", static_cast<int>(value.size()), value.data()));
    if (!quoted) throw Error(Status::critical, "out of memory");
    return quoted.get();
  }

 protected:
  std::int64_t do_execute(std::string_view sql, std::span<const Param> params) override {
    LiteCursor cursor(*this, db_.get(), prepare(sql, params));
    while (cursor.next()) {
    }
    return sqlite3_changes64(db_.get());
  }
  std::unique_ptr<Cursor> do_query(std::string_view sql, std::span<const Param> params) override {
    return std::make_unique<LiteCursor>(*this, db_.get(), prepare(sql, params));
  }

 private:
  StmtPtr prepare(std::string_view sql, std::span<const Param> params) {
    if (sql.empty()) throw_sql_error(*this, "no SQL statement given");
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, &tail);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) throw_sql_error(*this, sqlite3_errmsg(db_.get()));
    if (!stmt) throw_sql_error(*this, "no SQL statement given");
    // One statement per call, as with the other engines; a trailing comment is fine.
    std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    sqlite3_stmt* extra_raw = nullptr;
    rc = sqlite3_prepare_v2(db_.get(), rest.data(), static_cast<int>(rest.size()), &extra_raw, nullptr);
    if (StmtPtr extra(extra_raw); extra || rc != SQLITE_OK)
      throw_sql_error(*this, "more than one SQL statement given");

    if (static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt.get())) != params.size())
      throw Error(Status::critical, fmt::format("internal error: the statement has {} placeholders but {} "
                                                "parameters were given",
                                                sqlite3_bind_parameter_count(stmt.get()), params.size()));
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Param& p = params[i];
      const int n = static_cast<int>(i + 1);
      switch (p.kind()) {
        case Param::Kind::null: rc = sqlite3_bind_null(stmt.get(), n); break;
        case Param::Kind::integer: rc = sqlite3_bind_int64(stmt.get(), n, p.integer()); break;
        case Param::Kind::real: rc = sqlite3_bind_double(stmt.get(), n, p.real()); break;
        case Param::Kind::text:
          rc = sqlite3_bind_text64(stmt.get(), n, p.text().data(), p.text().size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          break;
      }
      if (rc != SQLITE_OK) throw_sql_error(*this, sqlite3_errmsg(db_.get()));
    }
    return stmt;
  }

  DbPtr db_;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const Dsn& dsn, const ConnectOptions& options) {
  const std::string mode = dsn.param("mode").value_or("rw");
  int flags = SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX;
  if (mode == "ro") flags |= SQLITE_OPEN_READONLY;
  if (mode == "rw") flags |= SQLITE_OPEN_READWRITE;
  if (mode == "rwc") flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(dsn.path.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);  // owned even when the open failed
  auto fail_open = [&](std::string reason) {
    if (int err = db ? sqlite3_system_errno(db.get()) : 0; err != 0) reason += " (" + errno_text(err) + ")";
    throw Error(Status::critical, fmt::format("cannot connect to {}: {}", dsn.display(), reason));
  };
  if (rc != SQLITE_OK) fail_open(db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc));
  sqlite3_busy_timeout(db.get(), static_cast<int>(options.connect_timeout.count() * 1000));
  // sqlite3_open_v2 reads nothing: a file that is not a database shows on first use.
  rc = sqlite3_exec(db.get(), "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail_open(sqlite3_errmsg(db.get()));
  return std::make_unique<LiteConnection>(dsn, std::move(db));
}

}  // namespace ops::db
