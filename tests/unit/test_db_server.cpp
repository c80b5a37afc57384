// What a server can do, read from its version string.

#include <ops/db_server.hpp>

#include <catch2/catch.hpp>

using ops::db::has_insert_returning;
using ops::db::is_mariadb;

TEST_CASE("INSERT … RETURNING is MariaDB 10.5 and later, not MySQL") {
  CHECK(has_insert_returning("10.11.6-MariaDB-0+deb12u1"));
  CHECK(has_insert_returning("5.5.5-10.5.2-MariaDB"));
  CHECK(has_insert_returning("11.4.2-MariaDB"));
  CHECK_FALSE(has_insert_returning("10.4.32-MariaDB"));
  CHECK_FALSE(has_insert_returning("8.0.36"));
  CHECK_FALSE(has_insert_returning("MariaDB"));
  CHECK(is_mariadb("10.3.39-MariaDB-0+deb10u2"));
  CHECK_FALSE(is_mariadb("8.4.0-commercial"));
}
