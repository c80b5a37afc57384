#pragma once
// What the source server can do beyond the SQL every engine shares, read from
// its version string ("10.11.6-MariaDB-0+deb12u1").

#include <ops/db.hpp>

#include <string_view>

namespace opsarchive {

bool is_mariadb(std::string_view server_version);
// INSERT … SELECT … RETURNING: MariaDB 10.5 and later (not MySQL).
bool has_insert_returning(std::string_view server_version);

inline bool is_mariadb(ops::db::Connection& db) {
  return db.engine() == ops::db::Engine::mysql && is_mariadb(db.server_version());
}
inline bool has_insert_returning(ops::db::Connection& db) {
  return db.engine() == ops::db::Engine::mysql && has_insert_returning(db.server_version());
}

}  // namespace opsarchive
