#pragma once
// What a server can do beyond the SQL every engine shares, read from its
// version string ("10.11.6-MariaDB-0+deb12u1", "8.0.36", "15.5 (Debian …)").

#include <ops/db.hpp>

#include <string_view>

namespace ops::db {

// MariaDB, not MySQL: both are Engine::mysql, and their SQL has parted.
bool is_mariadb(std::string_view server_version);
// INSERT … SELECT … RETURNING: MariaDB 10.5 and later (not MySQL).
bool has_insert_returning(std::string_view server_version);

inline bool is_mariadb(Connection& db) { return db.engine() == Engine::mysql && is_mariadb(db.server_version()); }
inline bool has_insert_returning(Connection& db) {
  return db.engine() == Engine::mysql && has_insert_returning(db.server_version());
}

}  // namespace ops::db
