// connect(): reads the password file, then hands over to the engine's driver.

#include "db_drivers.hpp"

#include <stdexcept>

namespace ops::db {

std::unique_ptr<Connection> connect(const Dsn& dsn, const ConnectOptions& options) {
  switch (dsn.engine) {
    case Engine::sqlite:
      // SQLite has no users; a password file is simply not needed.
      return connect_sqlite(dsn, options);
    case Engine::postgresql:
    case Engine::mysql: {
      std::optional<std::string> password = options.password;
      if (!password && !options.password_file.empty()) {
        if (!options.warnings) throw std::logic_error("connect(): a password_file without ConnectOptions::warnings");
        password = read_password_file(options.password_file, *options.warnings);
      }
      return dsn.engine == Engine::postgresql ? connect_postgresql(dsn, options, password)
                                              : connect_mysql(dsn, options, password);
    }
  }
  throw Error(Status::critical, "internal error: unknown database engine");
}

}  // namespace ops::db
