#include "opsbackup/db/sqlite_file.hpp"

#include <ops/error.hpp>

namespace opsbackup {

ops::db::Dsn sqlite_file_dsn(const std::filesystem::path& file, const std::string& mode) {
  // Our callers build the path from an absolute --dir: a relative one here is our bug.
  if (!file.is_absolute()) ops::fail("internal error: SQLite file " + file.string() + " is not an absolute path");
  ops::db::Dsn dsn;
  dsn.engine = ops::db::Engine::sqlite;
  dsn.scheme = "sqlite";
  dsn.path = file.string();
  dsn.params = {{"mode", mode}};
  dsn.uri = dsn.display() + "?mode=" + mode;
  return dsn;
}

}  // namespace opsbackup
