#include <ops/db_server.hpp>

#include <charconv>
#include <utility>

namespace ops::db {

bool is_mariadb(std::string_view server_version) { return server_version.find("MariaDB") != std::string_view::npos; }

bool has_insert_returning(std::string_view v) {
  if (!is_mariadb(v)) return false;
  // Older clients show the replication prefix MariaDB sends for MySQL 5 clients.
  if (v.starts_with("5.5.5-")) v.remove_prefix(6);
  int major = 0, minor = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), major);
  if (r.ec != std::errc() || r.ptr == v.data() + v.size() || *r.ptr != '.') return false;
  r = std::from_chars(r.ptr + 1, v.data() + v.size(), minor);
  if (r.ec != std::errc()) return false;
  return std::pair(major, minor) >= std::pair(10, 5);
}

}  // namespace ops::db
