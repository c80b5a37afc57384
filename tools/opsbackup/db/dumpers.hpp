#pragma once
// The external dumpers: pg_dump and mariadb-dump (or mysqldump), the arguments
// that make their output a consistent, complete, restorable snapshot, and
// the line each writes last when it finished — a dump without it was cut off.

#include "opsbackup/db/secret_file.hpp"

#include <ops/db_target.hpp>
#include <ops/process.hpp>

#include <memory>
#include <string>

namespace opsbackup {

enum class PgFormat { plain, custom };

struct DumpPlan {
  ops::ProcessSpec spec;
  std::string program_version;    // "pg_dump (PostgreSQL) 15.18"
  std::string dump_format;        // "plain", "custom"
  std::string extension;          // ".sql", ".pgdump" (before the compression suffix)
  std::string completion_marker;  // in the last lines of a plain dump; empty for custom
  std::unique_ptr<SecretFile> secret;  // the password file the child reads, if any
};

// For PostgreSQL and MySQL/MariaDB targets. Missing dumper: exit 2 naming the
// package that has it.
DumpPlan plan_database_dump(const ops::db::Target& target, PgFormat pg_format);

// pg_dumpall --globals-only (roles, tablespaces) or, for MySQL/MariaDB, the
// users and their grants are not in a database dump; this plans the first.
// (MySQL users and grants are read through the connection, see globals.hpp.)
DumpPlan plan_pg_globals_dump(const ops::db::Target& target);

// The client that replays a plain dump: psql or mariadb/mysql, reading stdin.
ops::ProcessSpec plan_sql_client(const ops::db::Target& target, std::unique_ptr<SecretFile>& secret);
// pg_restore for custom-format dumps (reads the file given).
ops::ProcessSpec plan_pg_restore(const ops::db::Target& target, const std::string& file,
                                 std::unique_ptr<SecretFile>& secret);

// Finds the first of the programs in PATH; exit 2 naming them and the package.
std::string require_program(std::initializer_list<const char*> names, const char* package);

}  // namespace opsbackup
