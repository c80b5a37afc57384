// opsaudit db without a server: the rules that turn accounts into findings
// (severity by reach, unix_socket not "no password") and the snapshot
// (round trip, what changed, a corrupt file in one line).
#include "opsaudit/db/accounts.hpp"
#include "opsaudit/db/snapshot.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace opsaudit;
using namespace opsaudit::accounts;

namespace {

Account mysql_account(std::string user, std::string host) {
  Account a;
  a.name = std::move(user);
  a.host = std::move(host);
  a.display = "'" + a.name + "'@'" + *a.host + "'";
  a.password = Password::set;
  a.auth = "mysql_native_password";
  return a;
}

const Finding* find(const std::vector<Finding>& findings, std::string_view kind, std::string_view subject) {
  for (const Finding& f : findings)
    if (f.kind == kind && f.subject == subject) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("MySQL accounts: severity follows reach") {
  Inventory inv;
  Account all_remote = mysql_account("app", "10.0.0.%");
  all_remote.all_privileges = true;
  Account all_local = mysql_account("admin", "localhost");
  all_local.all_privileges = true;
  Account root = mysql_account("root", "localhost");
  root.all_privileges = true;
  root.password = Password::not_needed;
  root.system_auth = "unix_socket";
  Account empty = mysql_account("web", "%");
  empty.password = Password::none;
  Account anonymous = mysql_account("", "localhost");
  anonymous.password = Password::none;
  Account locked = mysql_account("mariadb.sys", "localhost");
  locked.password = Password::none;
  locked.locked = true;
  locked.login = false;
  inv.accounts = {all_remote, all_local, root, empty, anonymous, locked};
  const auto f = account_findings(inv, ops::db::Engine::mysql);

  REQUIRE(find(f, "all_privileges", "'app'@'10.0.0.%'"));
  CHECK(find(f, "all_privileges", "'app'@'10.0.0.%'")->severity == Severity::critical);
  CHECK(find(f, "all_privileges", "'admin'@'localhost'")->severity == Severity::warning);
  REQUIRE(find(f, "all_privileges", "'root'@'localhost'"));
  CHECK(find(f, "all_privileges", "'root'@'localhost'")->severity == Severity::info);
  CHECK(find(f, "all_privileges", "'root'@'localhost'")->fix.empty());
  CHECK_FALSE(find(f, "no_password", "'root'@'localhost'"));
  REQUIRE(find(f, "no_password", "'web'@'%'"));
  CHECK(find(f, "no_password", "'web'@'%'")->fix == "ALTER USER 'web'@'%' IDENTIFIED BY 'NEW-PASSWORD';");
  CHECK(find(f, "any_host", "'web'@'%'")->severity == Severity::warning);
  CHECK(find(f, "anonymous_user", "''@'localhost'")->fix == "DROP USER ''@'localhost';");
  CHECK_FALSE(find(f, "no_password", "''@'localhost'"));
  CHECK_FALSE(find(f, "no_password", "'mariadb.sys'@'localhost'"));
}

TEST_CASE("PostgreSQL roles: superusers, CREATEROLE, BYPASSRLS, trust lines") {
  Inventory inv;
  Account boot;
  boot.name = boot.display = "postgres";
  boot.superuser = boot.bootstrap = true;
  boot.password = Password::none;
  Account app;
  app.name = app.display = "app";
  app.superuser = true;
  Account group;
  group.name = group.display = "admins";
  group.superuser = true;
  group.login = false;
  Account mgr;
  mgr.name = mgr.display = "my \"mgr\"";
  mgr.createrole = mgr.bypassrls = true;
  inv.accounts = {boot, app, group, mgr};
  inv.hba_file = "/etc/postgresql/15/main/pg_hba.conf";
  inv.trust = {{92, "host all all 10.0.0.0 255.0.0.0", "host"}};
  const auto f = account_findings(inv, ops::db::Engine::postgresql);

  CHECK(find(f, "superuser", "postgres")->severity == Severity::info);
  CHECK(find(f, "no_password", "postgres")->severity == Severity::info);
  CHECK(find(f, "superuser", "app")->severity == Severity::critical);
  CHECK(find(f, "superuser", "app")->fix == "ALTER ROLE \"app\" NOSUPERUSER;");
  CHECK(find(f, "superuser", "admins")->severity == Severity::warning);
  CHECK(find(f, "createrole", "my \"mgr\"")->fix == "ALTER ROLE \"my \"\"mgr\"\"\" NOCREATEROLE;");
  CHECK(find(f, "bypassrls", "my \"mgr\"")->severity == Severity::warning);
  const Finding* trust = find(f, "trust", "/etc/postgresql/15/main/pg_hba.conf:92");
  REQUIRE(trust);
  CHECK(trust->severity == Severity::critical);
  CHECK(trust->fix.find("host all all 10.0.0.0 255.0.0.0 scram-sha-256") != std::string::npos);
}

TEST_CASE("snapshot: round trip, first run, changes grouped by subject") {
  ops::test::TempDir dir;
  const auto path = dir.path() / "state" / "audit-db.snapshot";
  CHECK_FALSE(load_snapshot(path));

  TargetState before;
  before.taken = "2026-11-29T06:30:00Z";
  before.roles = {"'app'@'%'", "'old'@'localhost'", "we\"ird\nname"};
  before.grants = {{"'app'@'%'", "`app`.*", "SELECT"}, {"'old'@'localhost'", "*.*", "USAGE"}};
  Snapshot s;
  s.targets["app"] = before;
  store_snapshot(path, s);  // makes the missing directory `state`
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const auto back = load_snapshot(path);
  REQUIRE(back);
  CHECK(back->targets.at("app").roles == before.roles);
  CHECK(back->targets.at("app").grants == before.grants);

  TargetState now = before;
  now.roles.erase("'old'@'localhost'");
  now.grants.erase({"'old'@'localhost'", "*.*", "USAGE"});
  now.roles.insert("'new'@'localhost'");
  now.grants.insert({"'new'@'localhost'", "*.*", "USAGE"});
  now.grants.insert({"'app'@'%'", "`app`.*", "INSERT"});
  now.grants.insert({"'app'@'%'", "`app`.*", "UPDATE"});
  now.grants.erase({"'app'@'%'", "`app`.*", "SELECT"});
  const auto c = changes_since(before, now);
  REQUIRE(c.size() == 4);
  CHECK(find(c, "role_added", "'new'@'localhost'")->detail ==
        "added since the last run (2026-11-29T06:30:00Z), with 1 privilege");
  CHECK(find(c, "role_removed", "'old'@'localhost'")->severity == Severity::info);
  CHECK(find(c, "grant_added", "'app'@'%'")->detail ==
        "INSERT, UPDATE on `app`.* granted since the last run (2026-11-29T06:30:00Z)");
  CHECK(find(c, "grant_removed", "'app'@'%'")->detail ==
        "SELECT on `app`.* revoked since the last run (2026-11-29T06:30:00Z)");
  CHECK(changes_since(now, now).empty());
}

TEST_CASE("snapshot: a corrupt or foreign file is one line naming it") {
  ops::test::TempDir dir;
  auto message = [&](const std::string& text) {
    const auto p = dir.write("s", text);
    try {
      load_snapshot(p);
    } catch (const SnapshotError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string name = (dir.path() / "s").string();
  CHECK(message("garbage").starts_with("snapshot " + name + " is corrupt: parse error at line 1"));
  CHECK(message("{\"targets\": {}}").find("not an opsaudit db snapshot") != std::string::npos);
  CHECK(message("{\"format\": \"opsaudit-db-snapshot\", \"version\": 2, \"targets\": {}}").find("version 2 is not 1") !=
        std::string::npos);
  CHECK(message("{\"format\": \"opsaudit-db-snapshot\", \"version\": 1, \"targets\": {\"a\": {\"taken\": \"x\"}}}")
            .starts_with("snapshot " + name + " is corrupt: "));
  for (const char* text : {"garbage", "{\"targets\": {}}"})
    CHECK(message(text).find('\n') == std::string::npos);
  std::filesystem::create_directory(dir.path() / "d");
  CHECK_THROWS_AS(load_snapshot(dir.path() / "d"), SnapshotError);
}
