#pragma once
// What a database dump leaves out and a restore onto a new server needs: the
// roles (PostgreSQL: pg_dumpall --globals-only) or users and grants
// (MySQL/MariaDB: SHOW CREATE USER and SHOW GRANTS for each account).

#include "opsbackup/store/compressed_output.hpp"

#include <ops/db.hpp>
#include <ops/db_target.hpp>

#include <string>
#include <vector>

namespace opsbackup {

// Writes the globals as SQL into `out`; fails (exit 2) when the account may
// not read them, naming what was refused. What could not be included is added
// to `warnings` (and printed).
void dump_globals(const ops::db::Target& target, ops::db::Connection& db, CompressedOutput& out,
                  std::vector<std::string>& warnings);

}  // namespace opsbackup
