// The MySQL/MariaDB driver, on libmariadb. Rows stream with mysql_use_result;
// ? placeholders are filled with values escaped by the driver
// (db_mysql_text.cpp says why). Without a password file, libmariadb reads the
// [client] groups of the option files (~/.my.cnf) as the mysql client does.

#include "db_drivers.hpp"
#include <ops/handle.hpp>

#include <fmt/format.h>
#include <mysql.h>

#include <cctype>

namespace ops::db {

namespace {

using MysqlPtr = Handle<MYSQL, mysql_close>;
// On an unfinished mysql_use_result, freeing reads and drops the remaining rows.
using ResultPtr = Handle<MYSQL_RES, mysql_free_result>;

[[noreturn]] void throw_mysql_error(const Connection& owner, MYSQL* m) {
  throw_sql_error(owner, mysql_error(m), mysql_sqlstate(m));
}

class MyCursor final : public Cursor {
 public:
  // Follows a successful mysql_real_query.
  MyCursor(const Connection& owner, MYSQL* m, bool& streaming) : owner_(owner), m_(m), streaming_(streaming) {
    if (mysql_field_count(m_) == 0) {
      affected_ = static_cast<std::int64_t>(mysql_affected_rows(m_));
      finish();
      return;
    }
    result_.reset(mysql_use_result(m_));
    if (!result_) throw_mysql_error(owner_, m_);
    streaming_ = true;
    fields_ = mysql_fetch_fields(result_.get());
    columns_ = mysql_num_fields(result_.get());
  }
  ~MyCursor() override {
    if (finished_) return;
    result_.reset();
    try {
      finish();
    } catch (...) {
      // A broken connection: the next statement will say so.
    }
  }

  bool next() override {
    row_ = nullptr;
    if (finished_) return false;
    row_ = mysql_fetch_row(result_.get());
    if (!row_) {
      if (mysql_errno(m_) != 0) {
        finished_ = true;
        streaming_ = false;
        throw_mysql_error(owner_, m_);
      }
      finish();
      return false;
    }
    ++rows_;
    lengths_ = mysql_fetch_lengths(result_.get());
    return true;
  }
  std::size_t columns() const override { return columns_; }
  std::string column_name(std::size_t i) const override {
    check_column(i);
    return std::string(fields_[i].name, fields_[i].name_length);
  }
  std::optional<std::string_view> get(std::size_t i) const override {
    if (!row_) throw Error(Status::critical, "internal error: cursor read with no current row");
    check_column(i);
    if (!row_[i]) return std::nullopt;
    return std::string_view(row_[i], lengths_[i]);
  }
  // Rows changed by a statement, or rows read from a result.
  std::int64_t affected() const { return columns_ ? rows_ : affected_; }

 private:
  void check_column(std::size_t i) const {
    if (i >= columns_) throw Error(Status::critical, fmt::format("internal error: no column {}", i));
  }
  // Any further results (a CALL returns a status after its rows) are read off too.
  void finish() {
    finished_ = true;
    while (mysql_more_results(m_)) {
      if (mysql_next_result(m_) != 0) break;
      ResultPtr extra(mysql_use_result(m_));
    }
    streaming_ = false;
  }

  const Connection& owner_;
  MYSQL* m_;
  bool& streaming_;
  ResultPtr result_;  // kept after the end: fields_ point into it
  MYSQL_FIELD* fields_ = nullptr;
  std::size_t columns_ = 0;
  MYSQL_ROW row_ = nullptr;
  unsigned long* lengths_ = nullptr;
  std::int64_t rows_ = 0;
  std::int64_t affected_ = 0;
  bool finished_ = false;
};

class MyConnection final : public Connection {
 public:
  MyConnection(Dsn dsn, MysqlPtr m) : Connection(std::move(dsn)), m_(std::move(m)) {}

  Engine engine() const noexcept override { return Engine::mysql; }
  std::string server_version() override { return mysql_get_server_info(m_.get()); }
  std::string quote_literal(std::string_view value) override {
    std::string out(2 * value.size() + 3, '\0');
    out[0] = '\'';
    unsigned long n = mysql_real_escape_string(m_.get(), out.data() + 1, value.data(), value.size());
    if (n == static_cast<unsigned long>(-1)) throw_mysql_error(*this, m_.get());
    out.resize(n + 1);
    out.push_back('\'');
    return out;
  }

 protected:
  std::int64_t do_execute(std::string_view sql, std::span<const Param> params) override {
    MyCursor cursor(*this, run(sql, params), streaming_);
    while (cursor.next()) {
    }
    return cursor.affected();
  }
  std::unique_ptr<Cursor> do_query(std::string_view sql, std::span<const Param> params) override {
    return std::make_unique<MyCursor>(*this, run(sql, params), streaming_);
  }

 private:
  MYSQL* run(std::string_view sql, std::span<const Param> params) {
    check_not_streaming(*this, streaming_);
    std::string text = params.empty() ? std::string(sql)
                                      : mysql_expand_placeholders(sql, params, [this](std::string_view v) {
                                          return quote_literal(v);
                                        });
    if (mysql_real_query(m_.get(), text.data(), text.size()) != 0) throw_mysql_error(*this, m_.get());
    return m_.get();
  }

  MysqlPtr m_;
  bool streaming_ = false;  // a MyCursor is still reading rows
};

void set_option(MYSQL* m, const Dsn& dsn, mysql_option option, const void* value) {
  if (mysql_optionsv(m, option, value) != 0)
    throw Error(Status::critical, fmt::format("cannot connect to {}: libmariadb refused option {}", dsn.display(),
                                              static_cast<int>(option)));
}

void set_tls_options(MYSQL* m, const Dsn& dsn) {
  static const my_bool yes = 1;
  if (auto ca = dsn.param("ssl-ca")) set_option(m, dsn, MYSQL_OPT_SSL_CA, ca->c_str());
  if (auto cert = dsn.param("ssl-cert")) set_option(m, dsn, MYSQL_OPT_SSL_CERT, cert->c_str());
  if (auto key = dsn.param("ssl-key")) set_option(m, dsn, MYSQL_OPT_SSL_KEY, key->c_str());
  std::string mode = dsn.param("ssl-mode").value_or("DISABLED");
  for (char& c : mode) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (mode == "REQUIRED" || mode == "VERIFY_IDENTITY") set_option(m, dsn, MYSQL_OPT_SSL_ENFORCE, &yes);
  if (mode == "VERIFY_IDENTITY") set_option(m, dsn, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
}

}  // namespace

std::unique_ptr<Connection> connect_mysql(const Dsn& dsn, const ConnectOptions& options,
                                          const std::optional<std::string>& password) {
  MysqlPtr m(mysql_init(nullptr));
  if (!m) throw Error(Status::critical, fmt::format("cannot connect to {}: out of memory", dsn.display()));
  // The option files' [client] groups supply what we do not set (user, password, ...).
  set_option(m.get(), dsn, MYSQL_READ_DEFAULT_GROUP, "client");
  const unsigned int timeout = static_cast<unsigned int>(options.connect_timeout.count());
  set_option(m.get(), dsn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  const std::string charset = dsn.param("charset").value_or("utf8mb4");
  set_option(m.get(), dsn, MYSQL_SET_CHARSET_NAME, charset.c_str());
  // LOAD DATA LOCAL lets a server read client files: never wanted here.
  const unsigned int no = 0;
  set_option(m.get(), dsn, MYSQL_OPT_LOCAL_INFILE, &no);
  mysql_optionsv(m.get(), MYSQL_OPT_CONNECT_ATTR_ADD, "program_name", options.application_name.c_str());
  set_tls_options(m.get(), dsn);

  auto or_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
  const char* host = dsn.socket.empty() ? or_null(dsn.host) : "localhost";
  if (!mysql_real_connect(m.get(), host, or_null(dsn.user), password ? password->c_str() : nullptr,
                          or_null(dsn.database), static_cast<unsigned int>(dsn.port), or_null(dsn.socket),
                          CLIENT_MULTI_RESULTS)) {
    std::string reason = mysql_error(m.get());
    std::string hint;
    if (reason.find("(using password: NO)") != std::string::npos)
      hint = "give a password_file, or put the password in the [client] group of ~/.my.cnf";
    throw Error(Status::critical, fmt::format("cannot connect to {}: {}", dsn.display(), reason), hint);
  }
  return std::make_unique<MyConnection>(dsn, std::move(m));
}

}  // namespace ops::db
