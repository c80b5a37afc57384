#pragma once
// Database access for every tool: DSNs, one Connection interface with drivers
// for PostgreSQL (libpq), MySQL/MariaDB (libmariadb) and SQLite, streaming
// cursors, bound parameters, driver quoting and transactions.
//
// Errors are ops::Error: a bad DSN or password file is bad usage (exit 3); a
// failed connection or statement is critical (exit 2). Passwords come from a
// password file or the client library's own sources, never from a DSN, and
// never appear in a message.

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ops::db {

enum class Engine { postgresql, mysql, sqlite };

// "postgresql", "mysql" or "sqlite".
std::string_view engine_name(Engine engine) noexcept;

// A parsed DSN. Names are percent-decoded; empty means "the library's default".
struct Dsn {
  Engine engine = Engine::postgresql;
  std::string scheme;    // as written: postgresql, postgres, mysql, mariadb, sqlite
  std::string user;      // empty: login name, or user= of ~/.my.cnf
  std::string host;      // empty: the local socket. PostgreSQL may list several: "a,b"
  int port = 0;          // 0: the default port (or several ports were listed)
  std::string database;  // PostgreSQL and MySQL
  std::string socket;    // MySQL: ?socket=/path
  std::string path;      // SQLite: the database file, always absolute
  std::vector<std::pair<std::string, std::string>> params;  // ?key=value, in order
  std::string uri;       // the text it was parsed from (it cannot hold a password)

  // The DSN for messages, e.g. "postgresql://backup@db1:5432/app": no query
  // parameters, and never a password.
  std::string display() const;
  std::optional<std::string> param(std::string_view key) const;
};

// Parses postgresql:// (or postgres://), mysql:// (or mariadb://) and
// sqlite:///abs/path DSNs. Bad input, including a password written into the
// DSN, is ops::fail_usage with a one-line message naming the DSN.
// PostgreSQL DSNs are also checked by libpq's own parser, which connect()
// hands them to; MySQL accepts the parameters socket, ssl-mode
// (DISABLED|REQUIRED|VERIFY_IDENTITY), ssl-ca, ssl-cert, ssl-key and charset;
// SQLite accepts mode=ro|rw|rwc (default rw: a missing file is an error).
Dsn parse_dsn(std::string_view text);

// Copies a live SQLite database to `destination` (created) through the online
// backup API, consistent while others write. Errors are critical, naming the file.
void sqlite_backup(const std::filesystem::path& source, const std::filesystem::path& destination,
                   std::chrono::seconds busy_timeout = std::chrono::seconds{30});
// "3.40.1", for manifests.
std::string sqlite_library_version();

// The first line of a password file, without its line ending. A missing,
// unreadable or empty file is a usage error naming the file; a file that
// group or others may read gets a warning, added to `warnings`.
std::string read_password_file(const std::filesystem::path& path, Warnings& warnings);

// Quoting of identifiers, without a connection: "a""b" (PostgreSQL, SQLite),
// `a``b` (MySQL). An empty name or one holding a NUL byte is a usage error.
std::string quote_identifier(Engine engine, std::string_view name);
// schema.name, each part quoted.
std::string quote_identifier(Engine engine, std::string_view schema, std::string_view name);
// The n-th (1-based) placeholder of the engine: "$n" (PostgreSQL) or "?".
std::string placeholder(Engine engine, int n);

// How a transaction begins.
enum class TransactionMode {
  // BEGIN (MySQL: START TRANSACTION). SQLite takes its write lock at the
  // first write, and a reader that later writes may then find it taken.
  standard,
  // SQLite: BEGIN IMMEDIATE, the write lock taken at once, so nothing another
  // connection writes can come between the transaction's reads and its own
  // writes (another writer waits, then gets "database is locked"). PostgreSQL
  // and MySQL lock rows as they are read (SELECT … FOR UPDATE) and begin as
  // standard.
  immediate,
  // A read-only view of the whole database as of BEGIN, for reading many
  // tables consistently (row counts beside a dump): PostgreSQL REPEATABLE
  // READ READ ONLY; MySQL REPEATABLE READ WITH CONSISTENT SNAPSHOT, READ ONLY
  // (InnoDB tables only); SQLite BEGIN. On PostgreSQL and SQLite a first read
  // fixes the snapshot at once. SQLite does not refuse writes in it.
  snapshot,
};

// The statements Connection::begin() runs for `mode`, in order: for a
// --dry-run to show.
std::vector<std::string> begin_statements(Engine engine, TransactionMode mode);

// A statement failed on the server. The message is the server's (never the
// SQL, which may hold data); sqlstate is e.g. "42P01", empty for SQLite.
class SqlError : public Error {
 public:
  // server_message: the server's words alone, when `message` adds to them
  // (the drivers' "SQL error on DSN: …"); empty: the message itself.
  SqlError(std::string message, std::string sqlstate, std::string hint = {}, std::string server_message = {})
      : Error(Status::critical, std::move(message), std::move(hint)),
        sqlstate_(std::move(sqlstate)),
        server_message_(server_message.empty() ? what() : printable_line(server_message)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // For a line that names the database already (a report row of one table).
  const std::string& server_message() const noexcept { return server_message_; }

 private:
  std::string sqlstate_;
  std::string server_message_;
};

// A value bound to a placeholder: text, an integer, a real or NULL. It owns
// its text, so a vector of Params may be built from temporaries.
class Param {
 public:
  enum class Kind { null, text, integer, real };

  Param(std::nullopt_t) noexcept {}
  Param(std::string_view text) : kind_(Kind::text), text_(text) {}
  Param(const std::string& text) : kind_(Kind::text), text_(text) {}
  Param(std::string&& text) : kind_(Kind::text), text_(std::move(text)) {}
  Param(const char* text) : kind_(text ? Kind::text : Kind::null), text_(text ? text : "") {}
  template <std::integral T>
  Param(T value) : kind_(Kind::integer), integer_(checked_int64(value)) {}
  Param(double value) : kind_(Kind::real), real_(value) {}
  template <typename T>
  Param(const std::optional<T>& value) : Param(value ? Param(*value) : Param(std::nullopt)) {}

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::null; }
  const std::string& text() const noexcept { return text_; }
  std::int64_t integer() const noexcept { return integer_; }
  double real() const noexcept { return real_; }
  // The value as the server reads it in text form ("42", "0.5", the text).
  std::string as_text() const;

 private:
  template <std::integral T>
  static std::int64_t checked_int64(T value) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (value > static_cast<T>(std::numeric_limits<std::int64_t>::max()))
        throw Error(Status::critical, "parameter value out of range of a 64-bit integer");
    }
    return static_cast<std::int64_t>(value);
  }

  Kind kind_ = Kind::null;
  std::string text_;
  std::int64_t integer_ = 0;
  double real_ = 0;
};

// The rows of one query, read from the server as they are consumed, so memory
// stays bounded whatever the size of the result. A Cursor must not outlive its
// Connection. While it is open, the connection runs no other statement
// (PostgreSQL and MySQL stream one result at a time); destroying it early
// reads and discards the remaining rows.
class Cursor {
 public:
  Cursor() = default;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  virtual ~Cursor() = default;

  // Moves to the next row (the first, on the first call); false at the end.
  virtual bool next() = 0;
  virtual std::size_t columns() const = 0;
  virtual std::string column_name(std::size_t i) const = 0;
  // Column i of the current row in the server's text form; nullopt for NULL.
  // The view is valid until the next call to next().
  virtual std::optional<std::string_view> get(std::size_t i) const = 0;

  bool is_null(std::size_t i) const { return !get(i); }
  // Column i parsed as a number; NULL or text that is not one is an error.
  std::int64_t get_int64(std::size_t i) const;
  double get_double(std::size_t i) const;
  // Column i as a string; NULL is an error.
  std::string get_string(std::size_t i) const;
};

// Where connect() finds what the DSN does not say.
struct ConnectOptions {
  // Read with read_password_file(); empty: libpq's PGPASSWORD/~/.pgpass, or
  // libmariadb's [client] password in the option files (~/.my.cnf).
  std::string password_file;
  // Where a warning about password_file is counted (resolve_target sets it to
  // the run's ctx.warnings). connect() refuses a password_file without it:
  // the warning must reach the exit status of the tool.
  Warnings* warnings = nullptr;
  // The password, once read (resolve_target reads password_file at once, so a
  // missing or unreadable file is refused before any work, and a pipe is read
  // only once however often the run connects). Set: password_file is not read.
  std::optional<std::string> password;
  std::chrono::seconds connect_timeout{10};  // SQLite: how long to wait for a lock
  std::string application_name = "ops";     // a DSN's own application_name wins
};

// One open database connection. Not copyable; not for use from two threads.
class Connection {
 public:
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virtual ~Connection() = default;

  virtual Engine engine() const noexcept = 0;
  const Dsn& dsn() const noexcept { return dsn_; }
  // The DSN for messages (Dsn::display()).
  std::string describe() const { return dsn_.display(); }
  // e.g. "15.5 (Debian 15.5-0+deb12u1)", "10.11.6-MariaDB-0+deb12u1", "3.40.1".
  virtual std::string server_version() = 0;

  // Runs one statement with parameters bound to its placeholders ($1 for
  // PostgreSQL, ? for MySQL and SQLite: see placeholder()); any rows it
  // returns are discarded. Returns the number of rows it changed.
  std::int64_t execute(std::string_view sql, std::initializer_list<Param> params = {}) {
    return do_execute(sql, std::span<const Param>(params.begin(), params.size()));
  }
  std::int64_t execute(std::string_view sql, std::span<const Param> params) {
    return do_execute(sql, params);
  }
  // Runs one statement and streams its rows. Errors in the SQL are thrown here.
  std::unique_ptr<Cursor> query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return do_query(sql, std::span<const Param>(params.begin(), params.size()));
  }
  std::unique_ptr<Cursor> query(std::string_view sql, std::span<const Param> params) {
    return do_query(sql, params);
  }
  // The first column of the first row; nullopt when there is no row or it is NULL.
  std::optional<std::string> query_value(std::string_view sql, std::initializer_list<Param> params = {});

  std::string quote_identifier(std::string_view name) const { return db::quote_identifier(engine(), name); }
  std::string quote_identifier(std::string_view schema, std::string_view name) const {
    return db::quote_identifier(engine(), schema, name);
  }
  // A string literal quoted by the driver (PQescapeLiteral,
  // mysql_real_escape_string, sqlite3 %Q), for the rare SQL that cannot take
  // a bound parameter. Prefer parameters.
  virtual std::string quote_literal(std::string_view value) = 0;

  // Transactions. commit() throws if the server rolled the transaction back
  // instead (PostgreSQL after an error inside it). Prefer the Transaction guard.
  virtual void begin(TransactionMode mode = TransactionMode::standard);
  virtual void commit();
  virtual void rollback();

 protected:
  explicit Connection(Dsn dsn) : dsn_(std::move(dsn)) {}
  virtual std::int64_t do_execute(std::string_view sql, std::span<const Param> params) = 0;
  virtual std::unique_ptr<Cursor> do_query(std::string_view sql, std::span<const Param> params) = 0;

 private:
  Dsn dsn_;
};

// Opens a connection. Failure is ops::Error critical (exit 2):
// "cannot connect to postgresql://u@h:5432/db: <the server's reason>".
std::unique_ptr<Connection> connect(const Dsn& dsn, const ConnectOptions& options = {});

// A transaction that rolls back unless commit() is reached, so an exception
// leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(Connection& connection, TransactionMode mode = TransactionMode::standard)
      : connection_(connection) {
    connection_.begin(mode);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back if still open; a failed rollback is ignored (the server rolls
  // back anyway when the connection ends).
  ~Transaction();

  void commit();
  void rollback();

 private:
  Connection& connection_;
  bool open_ = true;
};

}  // namespace ops::db
