#include "opsbackup/db/dumpers.hpp"

#include <ops/error.hpp>

#include <fmt/format.h>

#include <stdexcept>

namespace opsbackup {

namespace {

using ops::db::Engine;
using ops::db::Target;

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

std::string program_version(const std::string& program) {
  ops::ProcessSpec spec;
  spec.argv = {program, "--version"};
  auto result = ops::run_capture(spec);
  if (!result.status.success())
    ops::fail(fmt::format("{} --version {}: {}", program, result.status.describe(), result.last_stderr_line));
  return first_line(result.out);
}

// The password file of a target, read as connect() reads it: a warning about
// it goes to the run's warnings, which resolve_target() put in the options.
std::string target_password(const Target& target) {
  if (!target.options.warnings) throw std::logic_error("a password_file without ConnectOptions::warnings");
  return ops::db::read_password_file(target.options.password_file, *target.options.warnings);
}

// A password from [db.NAME] password_file (or --password-file) reaches the
// child through a private file; without one the client library's own files
// (~/.pgpass, ~/.my.cnf) and PGPASSWORD apply, as for any client.
void add_pg_credentials(const Target& target, ops::ProcessSpec& spec, std::unique_ptr<SecretFile>& secret) {
  if (target.options.password_file.empty()) return;
  secret = std::make_unique<SecretFile>("pgpass", pgpass_line(target_password(target)));
  spec.env.emplace_back("PGPASSFILE", secret->path().string());
  spec.unset_env.push_back("PGPASSWORD");  // it would win over the file
}

std::vector<std::string> mysql_connection_args(const Target& target, std::unique_ptr<SecretFile>& secret) {
  std::vector<std::string> args;
  if (!target.options.password_file.empty()) {
    secret = std::make_unique<SecretFile>(
        "my.cnf", my_cnf_client(target_password(target)));
    args.push_back("--defaults-extra-file=" + secret->path().string());  // must come first
  }
  const auto& dsn = target.dsn;
  if (!dsn.host.empty()) args.push_back("--host=" + dsn.host);
  if (dsn.port) args.push_back(fmt::format("--port={}", dsn.port));
  if (!dsn.user.empty()) args.push_back("--user=" + dsn.user);
  if (!dsn.socket.empty()) args.push_back("--socket=" + dsn.socket);
  if (auto mode = dsn.param("ssl-mode"); mode && *mode != "DISABLED") args.push_back("--ssl");
  if (auto ca = dsn.param("ssl-ca")) args.push_back("--ssl-ca=" + *ca);
  if (auto cert = dsn.param("ssl-cert")) args.push_back("--ssl-cert=" + *cert);
  if (auto key = dsn.param("ssl-key")) args.push_back("--ssl-key=" + *key);
  return args;
}

void check_database_name(const Target& target) {
  if (target.dsn.database.empty())
    ops::fail_usage(fmt::format("{} names no database", target.dsn.display()), "add /DBNAME to the DSN");
  if (target.dsn.database.starts_with('-'))
    ops::fail_usage(fmt::format("database name '{}' starts with '-'", target.dsn.database));
}

}  // namespace

std::string require_program(std::initializer_list<const char*> names, const char* package) {
  for (const char* name : names)
    if (auto path = ops::find_program(name)) return *path;
  ops::fail(fmt::format("cannot find {} in PATH (install the {} package)", *names.begin(), package));
}

DumpPlan plan_database_dump(const Target& target, PgFormat pg_format) {
  check_database_name(target);
  DumpPlan plan;
  if (target.dsn.engine == Engine::postgresql) {
    std::string program = require_program({"pg_dump"}, "postgresql-client");
    plan.program_version = program_version(program);
    // pg_dump takes one snapshot for the whole dump by itself.
    plan.spec.argv = {program, "--no-password", "--dbname=" + target.dsn.uri};
    if (pg_format == PgFormat::custom) {
      plan.spec.argv.push_back("--format=custom");
      plan.dump_format = "custom";
      plan.extension = ".pgdump";
    } else {
      plan.spec.argv.push_back("--format=plain");
      plan.dump_format = "plain";
      plan.extension = ".sql";
      plan.completion_marker = "-- PostgreSQL database dump complete";
    }
    add_pg_credentials(target, plan.spec, plan.secret);
    return plan;
  }
  if (target.dsn.engine == Engine::mysql) {
    std::string program = require_program({"mariadb-dump", "mysqldump"}, "mariadb-client");
    plan.program_version = program_version(program);
    plan.spec.argv = {program};
    for (auto& a : mysql_connection_args(target, plan.secret)) plan.spec.argv.push_back(std::move(a));
    // One consistent snapshot of InnoDB tables without locking the application
    // out, plus everything that is not table data.
    for (const char* a : {"--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
                          "--default-character-set=utf8mb4", "--dump-date"})
      plan.spec.argv.emplace_back(a);
    plan.spec.argv.push_back(target.dsn.database);
    plan.dump_format = "plain";
    plan.extension = ".sql";
    plan.completion_marker = "-- Dump completed";
    return plan;
  }
  ops::fail_usage("internal: SQLite is backed up through its online backup API, not a dumper");
}

DumpPlan plan_pg_globals_dump(const Target& target) {
  DumpPlan plan;
  std::string program = require_program({"pg_dumpall"}, "postgresql-client");
  plan.program_version = program_version(program);
  plan.spec.argv = {program, "--no-password", "--globals-only", "--dbname=" + target.dsn.uri};
  plan.dump_format = "plain";
  plan.extension = ".sql";
  plan.completion_marker = "-- PostgreSQL database cluster dump complete";
  add_pg_credentials(target, plan.spec, plan.secret);
  return plan;
}

ops::ProcessSpec plan_sql_client(const Target& target, std::unique_ptr<SecretFile>& secret) {
  check_database_name(target);
  ops::ProcessSpec spec;
  spec.pipe_stdin = true;
  if (target.dsn.engine == Engine::postgresql) {
    std::string program = require_program({"psql"}, "postgresql-client");
    // All or nothing: the first error stops and rolls back the whole restore.
    spec.argv = {program, "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--single-transaction",
                 "--dbname=" + target.dsn.uri};
    add_pg_credentials(target, spec, secret);
    return spec;
  }
  std::string program = require_program({"mariadb", "mysql"}, "mariadb-client");
  spec.argv = {program};
  for (auto& a : mysql_connection_args(target, secret)) spec.argv.push_back(std::move(a));
  spec.argv.push_back("--batch");
  spec.argv.push_back(target.dsn.database);
  return spec;
}

ops::ProcessSpec plan_pg_restore(const Target& target, const std::string& file, std::unique_ptr<SecretFile>& secret) {
  check_database_name(target);
  ops::ProcessSpec spec;
  std::string program = require_program({"pg_restore"}, "postgresql-client");
  spec.argv = {program, "--no-password", "--single-transaction", "--exit-on-error", "--dbname=" + target.dsn.uri, file};
  add_pg_credentials(target, spec, secret);
  return spec;
}

}  // namespace opsbackup
