// What every driver shares: parameter text, typed column access, transactions
// and the wording of SQL errors.

#include "db_drivers.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace ops::db {

std::string Param::as_text() const {
  switch (kind_) {
    case Kind::null: return {};
    case Kind::text: return text_;
    case Kind::integer: return std::to_string(integer_);
    case Kind::real:
      if (!std::isfinite(real_)) throw Error(Status::critical, "a parameter is not a finite number");
      // The shortest text that reads back as the same double.
      return fmt::format("{}", real_);
  }
  return {};
}

namespace {
std::string_view required(const Cursor& cursor, std::size_t i) {
  auto value = cursor.get(i);
  if (!value) throw Error(Status::critical, fmt::format("column '{}' is NULL", cursor.column_name(i)));
  return *value;
}
}  // namespace

std::int64_t Cursor::get_int64(std::size_t i) const {
  std::string_view text = required(*this, i);
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
    throw Error(Status::critical,
                fmt::format("column '{}': '{}' is not a 64-bit integer", column_name(i), text));
  return value;
}

double Cursor::get_double(std::size_t i) const {
  std::string_view text = required(*this, i);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
    throw Error(Status::critical, fmt::format("column '{}': '{}' is not a number", column_name(i), text));
  return value;
}

std::string Cursor::get_string(std::size_t i) const { return std::string(required(*this, i)); }

std::optional<std::string> Connection::query_value(std::string_view sql, std::initializer_list<Param> params) {
  auto cursor = query(sql, params);
  if (!cursor->next() || cursor->columns() == 0) return std::nullopt;
  auto value = cursor->get(0);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

std::vector<std::string> begin_statements(Engine engine, TransactionMode mode) {
  switch (mode) {
    case TransactionMode::standard: break;
    case TransactionMode::immediate:
      if (engine == Engine::sqlite) return {"BEGIN IMMEDIATE"};
      break;
    case TransactionMode::snapshot:
      switch (engine) {
        // The snapshot is taken by the first statement after BEGIN, not by BEGIN.
        case Engine::postgresql: return {"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "SELECT 1"};
        // WITH CONSISTENT SNAPSHOT is ignored under READ COMMITTED, which a
        // server may have as its default; SET TRANSACTION applies to the next
        // transaction only. mysqldump --single-transaction does the same.
        case Engine::mysql:
          return {"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                  "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"};
        // A deferred transaction reads from the snapshot its first read of the file takes.
        case Engine::sqlite: return {"BEGIN", "SELECT count(*) FROM sqlite_schema"};
      }
      break;
  }
  return {engine == Engine::mysql ? "START TRANSACTION" : "BEGIN"};
}

void Connection::begin(TransactionMode mode) {
  bool open = false;
  try {
    for (const auto& sql : begin_statements(engine(), mode)) {
      execute(sql);
      open = open || sql.starts_with("BEGIN") || sql.starts_with("START");
    }
  } catch (...) {
    // SQLite's snapshot read failed (a lock held too long): no half-begun
    // transaction is left behind for the next BEGIN to trip over.
    if (open) try {
        rollback();
      } catch (...) {
      }
    throw;
  }
}
void Connection::commit() { execute("COMMIT"); }
void Connection::rollback() { execute("ROLLBACK"); }

Transaction::~Transaction() {
  if (!open_) return;
  try {
    connection_.rollback();
  } catch (...) {
    // Destructors must not throw; the server rolls back when the session ends.
  }
}

void Transaction::commit() {
  if (!open_) throw Error(Status::critical, "commit of a transaction that is no longer open");
  open_ = false;  // a failed COMMIT leaves nothing to roll back
  connection_.commit();
}

void Transaction::rollback() {
  if (!open_) return;
  open_ = false;
  connection_.rollback();
}

void throw_sql_error(const Connection& connection, std::string_view message, std::string sqlstate,
                     std::string hint) {
  throw SqlError(fmt::format("SQL error on {}: {}", connection.describe(), message), std::move(sqlstate),
                 std::move(hint), std::string(message));
}

void check_not_streaming(const Connection& connection, bool streaming) {
  if (streaming)
    throw Error(Status::critical,
                fmt::format("internal error: a statement was started on {} while a cursor was still "
                            "reading rows (finish or destroy the cursor first)",
                            connection.describe()));
}

}  // namespace ops::db
