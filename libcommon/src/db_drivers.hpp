#pragma once
// Private to libcommon's db module: the driver factories connect() picks from,
// and the helpers the drivers share.

#include <ops/db.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ops::db {

// password is nullopt when ConnectOptions named no password file.
std::unique_ptr<Connection> connect_postgresql(const Dsn& dsn, const ConnectOptions& options,
                                               const std::optional<std::string>& password);
std::unique_ptr<Connection> connect_mysql(const Dsn& dsn, const ConnectOptions& options,
                                          const std::optional<std::string>& password);
std::unique_ptr<Connection> connect_sqlite(const Dsn& dsn, const ConnectOptions& options);

// Why a mysql:// DSN's parameters are wrong (unknown key, bad value), if they are.
std::optional<std::string> mysql_param_error(const Dsn& dsn);

// MySQL without server-side prepared statements: each ? outside quotes and
// comments becomes the parameter, text quoted by quote_text (the driver's
// mysql_real_escape_string). A count mismatch is an ops::Error.
std::string mysql_expand_placeholders(std::string_view sql, std::span<const Param> params,
                                      const std::function<std::string(std::string_view)>& quote_text);

// "SQL error on <dsn>: <message>", the one wording of a failed statement.
[[noreturn]] void throw_sql_error(const Connection& connection, std::string_view message,
                                  std::string sqlstate = {}, std::string hint = {});

// Refuses to start a statement while a cursor still streams rows.
void check_not_streaming(const Connection& connection, bool streaming);

}  // namespace ops::db
