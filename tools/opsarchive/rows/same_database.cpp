#include "opsarchive/rows/same_database.hpp"

#include <fmt/format.h>

#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace opsarchive {

namespace {

using ops::db::Engine;

std::int64_t random_key() {
  std::random_device rd;
  const std::uint64_t bits = (static_cast<std::uint64_t>(rd()) << 31) ^ rd() ^ static_cast<std::uint64_t>(::getpid());
  return static_cast<std::int64_t>(bits & 0x3fffffffffffffffULL);  // positive: pg_locks shows it as two oids
}

}  // namespace

bool same_database(ops::db::Connection& a, ops::db::Connection& b) {
  if (a.engine() != b.engine()) return false;
  switch (a.engine()) {
    case Engine::sqlite: {
      struct stat sa {}, sb {};
      return ::stat(a.dsn().path.c_str(), &sa) == 0 && ::stat(b.dsn().path.c_str(), &sb) == 0 &&
             sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    }
    case Engine::mysql: {
      const std::string name = fmt::format("opsarchive-{}", random_key());
      b.query_value("SELECT GET_LOCK(?, 0)", {name});
      const bool same = a.query_value("SELECT IS_USED_LOCK(?)", {name}).has_value();
      b.query_value("SELECT RELEASE_LOCK(?)", {name});
      return same;
    }
    case Engine::postgresql: {
      const std::int64_t key = random_key();
      b.query_value("SELECT pg_advisory_lock($1::bigint)", {key});
      const auto seen = a.query_value(
          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() "
          "AND (classid::bigint << 32 | objid::bigint) = $1::bigint",
          {key});
      const bool same = seen && *seen != "0" &&
                        a.query_value("SELECT current_database()") == b.query_value("SELECT current_database()");
      b.query_value("SELECT pg_advisory_unlock($1::bigint)", {key});
      return same;
    }
  }
  return false;
}

}  // namespace opsarchive
