// The PostgreSQL driver, on libpq. Rows stream in single-row mode; parameters
// go separately from the SQL (PQsendQueryParams), so values are never pasted in.

#include "db_drivers.hpp"
#include <ops/handle.hpp>

#include <ops/log.hpp>

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <vector>

namespace ops::db {

namespace {

using ConnPtr = Handle<PGconn, PQfinish>;
using ResultPtr = Handle<PGresult, PQclear>;

std::string first_line(std::string_view text) {
  std::string line(text.substr(0, text.find('\n')));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

// libpq says 'connection to server at "h" (1.2.3.4), port 5432 failed: FATAL:  why'
// and may add a tab-indented advice line; we keep "why" and the advice as a hint.
std::pair<std::string, std::string> connect_reason(std::string_view message) {
  std::string reason = first_line(message);
  if (reason.starts_with("connection to server ")) {
    if (auto pos = reason.find(" failed: "); pos != std::string::npos) reason.erase(0, pos + 9);
  }
  if (reason.starts_with("FATAL:")) reason.erase(0, reason.find_first_not_of(' ', 6));
  std::string hint;
  if (auto tab = message.find("\n\t"); tab != std::string_view::npos) hint = first_line(message.substr(tab + 2));
  if (reason.find("no password supplied") != std::string::npos)
    hint = "give a password_file, or put the password in ~/.pgpass (or the file PGPASSFILE names)";
  if (reason.empty()) reason = "unknown error (libpq gave no message)";
  return {reason, hint};
}

// Server notices ("table does not exist, skipping") are not errors: verbose only.
void route_notice(void*, const char* message) { log::info("server: {}", first_line(message)); }

class PgCursor final : public Cursor {
 public:
  PgCursor(const Connection& owner, PGconn* conn, bool& streaming)
      : owner_(owner), conn_(conn), streaming_(streaming) {
    // The first result says whether the SQL ran at all: its error is thrown here.
    read_result();
    pending_row_ = !finished_;
  }
  ~PgCursor() override {
    // The connection takes no new command until every result is read.
    while (!finished_) {
      ResultPtr r(PQgetResult(conn_));
      if (!r) finish();
    }
  }

  bool next() override {
    if (pending_row_) {
      pending_row_ = false;
      on_row_ = true;
      return true;
    }
    if (!finished_) read_result();
    on_row_ = !finished_;
    return on_row_;
  }
  std::size_t columns() const override { return current_ ? static_cast<std::size_t>(PQnfields(current_.get())) : 0; }
  std::string column_name(std::size_t i) const override {
    check_column(i);
    return PQfname(current_.get(), static_cast<int>(i));
  }
  // Of the finished command: "INSERT 0 3", "ROLLBACK"; and its row count.
  std::string_view command_status() const { return finished_ && current_ ? PQcmdStatus(current_.get()) : ""; }
  std::int64_t command_rows() const {
    std::string_view text = finished_ && current_ ? PQcmdTuples(current_.get()) : "";
    std::int64_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return n;
  }

  std::optional<std::string_view> get(std::size_t i) const override {
    if (!on_row_) throw Error(Status::critical, "internal error: cursor read with no current row");
    check_column(i);
    int col = static_cast<int>(i);
    if (PQgetisnull(current_.get(), 0, col)) return std::nullopt;
    return std::string_view(PQgetvalue(current_.get(), 0, col),
                            static_cast<std::size_t>(PQgetlength(current_.get(), 0, col)));
  }

 private:
  void check_column(std::size_t i) const {
    if (i >= columns()) throw Error(Status::critical, fmt::format("internal error: no column {}", i));
  }
  void finish() {
    finished_ = true;
    streaming_ = false;
  }
  // Reads the next result: one row, the end of the rows, or an error.
  void read_result() {
    ResultPtr r(PQgetResult(conn_));
    if (!r) return finish();
    switch (PQresultStatus(r.get())) {
      case PGRES_SINGLE_TUPLE:
        current_ = std::move(r);
        return;
      case PGRES_TUPLES_OK:  // the end; it still describes the columns
      case PGRES_COMMAND_OK:
        current_ = std::move(r);
        while (ResultPtr(PQgetResult(conn_))) {
        }
        return finish();
      default: {
        std::string message = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY)
                                  ? PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY)
                                  : first_line(PQerrorMessage(conn_));
        const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
        const char* hint = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_HINT);
        while (ResultPtr(PQgetResult(conn_))) {
        }
        finish();
        throw_sql_error(owner_, message, state ? state : "", hint ? hint : "");
      }
    }
  }

  const Connection& owner_;
  PGconn* conn_;
  bool& streaming_;
  ResultPtr current_;
  bool pending_row_ = false;
  bool on_row_ = false;
  bool finished_ = false;
};

class PgConnection final : public Connection {
 public:
  PgConnection(Dsn dsn, ConnPtr conn) : Connection(std::move(dsn)), conn_(std::move(conn)) {
    PQsetNoticeProcessor(conn_.get(), route_notice, nullptr);
  }

  Engine engine() const noexcept override { return Engine::postgresql; }
  std::string server_version() override {
    const char* v = PQparameterStatus(conn_.get(), "server_version");
    return v ? v : std::to_string(PQserverVersion(conn_.get()));
  }
  std::string quote_literal(std::string_view value) override {
    Handle<char, PQfreemem> quoted(PQescapeLiteral(conn_.get(), value.data(), value.size()));
    if (!quoted) throw_sql_error(*this, first_line(PQerrorMessage(conn_.get())));
    return quoted.get();
  }
  void commit() override {
    // After an error inside a transaction PostgreSQL answers COMMIT with ROLLBACK.
    PgCursor cursor(*this, send("COMMIT", {}), streaming_);
    while (cursor.next()) {
    }
    if (cursor.command_status() == "ROLLBACK")
      throw_sql_error(*this, "the transaction was rolled back, not committed (a statement in it had failed)",
                      "25P02");
  }

 protected:
  std::int64_t do_execute(std::string_view sql, std::span<const Param> params) override {
    PgCursor cursor(*this, send(sql, params), streaming_);
    while (cursor.next()) {
    }
    return cursor.command_rows();
  }
  std::unique_ptr<Cursor> do_query(std::string_view sql, std::span<const Param> params) override {
    return std::make_unique<PgCursor>(*this, send(sql, params), streaming_);
  }

 private:
  // Sends the statement and switches to single-row mode; results follow.
  PGconn* send(std::string_view sql, std::span<const Param> params) {
    check_not_streaming(*this, streaming_);
    std::vector<std::string> texts;
    texts.reserve(params.size());
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const Param& p : params) {
      texts.push_back(p.as_text());
      values.push_back(p.is_null() ? nullptr : texts.back().c_str());
    }
    const std::string text(sql);
    if (!PQsendQueryParams(conn_.get(), text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                           nullptr, nullptr, 0))
      throw_sql_error(*this, first_line(PQerrorMessage(conn_.get())));
    if (!PQsetSingleRowMode(conn_.get()))
      throw_sql_error(*this, "libpq refused single-row mode");
    streaming_ = true;
    return conn_.get();
  }

  ConnPtr conn_;
  bool streaming_ = false;  // a PgCursor is still reading rows
};

}  // namespace

std::unique_ptr<Connection> connect_postgresql(const Dsn& dsn, const ConnectOptions& options,
                                               const std::optional<std::string>& password) {
  // Our defaults come first so that the URI, expanded in place of dbname, overrides them.
  const std::string timeout = std::to_string(options.connect_timeout.count());
  std::vector<const char*> keys{"fallback_application_name", "connect_timeout", "client_encoding", "dbname"};
  std::vector<const char*> values{options.application_name.c_str(), timeout.c_str(), "UTF8", dsn.uri.c_str()};
  if (password) {
    keys.push_back("password");
    values.push_back(password->c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  ConnPtr conn(PQconnectdbParams(keys.data(), values.data(), 1));
  if (!conn) throw Error(Status::critical, fmt::format("cannot connect to {}: out of memory", dsn.display()));
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    auto [reason, hint] = connect_reason(PQerrorMessage(conn.get()));
    throw Error(Status::critical, fmt::format("cannot connect to {}: {}", dsn.display(), reason), hint);
  }
  return std::make_unique<PgConnection>(dsn, std::move(conn));
}

}  // namespace ops::db
