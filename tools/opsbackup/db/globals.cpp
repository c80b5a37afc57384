#include "opsbackup/db/globals.hpp"

#include "opsbackup/db/dumpers.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <unistd.h>

namespace opsbackup {

namespace {

void dump_pg_globals(const ops::db::Target& target, ops::db::Connection& db, CompressedOutput& out,
                     std::vector<std::string>& warnings) {
  DumpPlan plan = plan_pg_globals_dump(target);
  // Role passwords are in pg_authid, which only a superuser may read; without
  // them pg_dumpall still writes every role, its attributes and memberships.
  if (db.query_value("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").value_or("") != "t") {
    plan.spec.argv.push_back("--no-role-passwords");
    warnings.push_back("--globals: not a superuser, so role passwords are not in the backup");
    ops::log::warning_line(warnings.back());  // the caller puts them in the manifest: exit 1
  }
  ops::Process dumper = ops::Process::spawn(plan.spec);
  ops::read_chunks(dumper.stdout_fd(), "the output of pg_dumpall", [&](std::string_view chunk) { out.write(chunk); });
  ops::ExitStatus status = dumper.wait();
  if (!status.success()) ops::fail(fmt::format("pg_dumpall {}: {}", status.describe(), dumper.failure_line()));
  if (!tail_has_marker(out.plain_tail(), plan.completion_marker))
    ops::fail("pg_dumpall output ends without its completion line: the globals dump is incomplete");
}

void dump_mysql_globals(ops::db::Connection& db, CompressedOutput& out) {
  struct Account {
    std::string user, host;
  };
  std::vector<Account> accounts;
  try {
    auto cursor = db.query("SELECT User, Host FROM mysql.user ORDER BY User, Host");
    while (cursor->next()) accounts.push_back({cursor->get_string(0), cursor->get_string(1)});
  } catch (const ops::Error& e) {
    ops::fail(std::string("cannot list the accounts for --globals: ") + e.what());
  }
  out.write("-- MySQL/MariaDB accounts and grants, written by opsbackup --globals\n");
  for (const auto& a : accounts) {
    std::string account = db.quote_literal(a.user) + "@" + db.quote_literal(a.host);
    out.write(fmt::format("\n-- {}\n", account));
    // Roles (MariaDB) have no SHOW CREATE USER; their grants still apply.
    try {
      if (auto create = db.query_value("SHOW CREATE USER " + account))
        out.write(*create + ";\n");
    } catch (const ops::db::SqlError&) {
      out.write(fmt::format("CREATE ROLE IF NOT EXISTS {};\n", db.quote_literal(a.user)));
    }
    auto grants = db.query("SHOW GRANTS FOR " + account);
    while (grants->next()) out.write(grants->get_string(0) + ";\n");
  }
  out.write("\n-- opsbackup globals complete\n");
}

}  // namespace

void dump_globals(const ops::db::Target& target, ops::db::Connection& db, CompressedOutput& out,
                  std::vector<std::string>& warnings) {
  switch (target.dsn.engine) {
    case ops::db::Engine::postgresql:
      dump_pg_globals(target, db, out, warnings);
      return;
    case ops::db::Engine::mysql:
      dump_mysql_globals(db, out);
      return;
    case ops::db::Engine::sqlite:
      ops::fail_usage("--globals: SQLite has no roles or grants");
  }
}

}  // namespace opsbackup
