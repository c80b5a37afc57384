// PostgreSQL roles, read with what the connecting role may read. pg_roles
// (every role's attributes) and pg_auth_members are open to all; whether a
// role has a password is only in pg_authid, and pg_hba.conf only in
// pg_hba_file_rules, both for superusers (PostgreSQL 15). What cannot be read
// is said in a note with the server's reason.

#include "opsaudit/db/accounts.hpp"

#include <fmt/format.h>
#include <map>

namespace opsaudit::accounts {
namespace {

bool yes(const ops::db::Cursor& c, std::size_t i) { return c.get(i).value_or("f") == "t"; }

void read_roles(ops::db::Connection& db, Inventory& inv) {
  // The predefined pg_* roles cannot log in and are PostgreSQL's own.
  auto c = db.query(
      "SELECT oid::bigint, rolname, rolsuper, rolcanlogin, rolcreaterole, rolbypassrls, rolcreatedb, rolreplication "
      "FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname");
  while (c->next()) {
    Account a;
    a.bootstrap = c->get_int64(0) == 10;
    a.name = c->get_string(1);
    a.display = a.name;
    a.superuser = yes(*c, 2);
    a.login = yes(*c, 3);
    a.createrole = yes(*c, 4);
    a.bypassrls = yes(*c, 5);
    const char* attributes[] = {"SUPERUSER", "LOGIN", "CREATEROLE", "BYPASSRLS", "CREATEDB", "REPLICATION"};
    for (std::size_t i = 0; i < 6; ++i)
      if (yes(*c, i + 2)) inv.grants.push_back({a.display, "role attributes", attributes[i]});
    inv.accounts.push_back(std::move(a));
  }
}

void read_passwords(ops::db::Connection& db, Inventory& inv) {
  std::map<std::string, bool> has_password;
  try {
    auto c = db.query("SELECT rolname, rolpassword IS NOT NULL FROM pg_authid");
    while (c->next()) has_password[c->get_string(0)] = yes(*c, 1);
  } catch (const ops::Error& e) {
    inv.notes.push_back(fmt::format("pg_authid could not be read ({}): which roles have no password was not "
                                    "checked (a superuser may read it)",
                                    reason(e)));
    return;
  }
  for (Account& a : inv.accounts) {
    const auto it = has_password.find(a.name);
    if (it != has_password.end()) a.password = it->second ? Password::set : Password::none;
  }
}

void read_grants(ops::db::Connection& db, Inventory& inv) {
  auto c = db.query(
      "SELECT m.rolname, r.rolname, a.admin_option FROM pg_auth_members a "
      "JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member");
  while (c->next())
    inv.grants.push_back(
        {c->get_string(0), "role " + c->get_string(1), yes(*c, 2) ? "member WITH ADMIN OPTION" : "member"});
  // Database privileges; a database never granted anything (datacl NULL) has
  // the defaults, which are not listed.
  c = db.query(
      "SELECT coalesce(g.rolname, 'PUBLIC'), d.datname, a.privilege_type, a.is_grantable "
      "FROM pg_database d CROSS JOIN LATERAL aclexplode(d.datacl) a LEFT JOIN pg_roles g ON g.oid = a.grantee");
  while (c->next()) {
    std::string privilege = c->get_string(2);
    if (yes(*c, 3)) privilege += " WITH GRANT OPTION";
    inv.grants.push_back({c->get_string(0), "database " + c->get_string(1), privilege});
  }
}

void read_hba(ops::db::Connection& db, Inventory& inv) {
  try {
    inv.hba_file = db.query_value("SELECT setting FROM pg_settings WHERE name = 'hba_file'").value_or("");
    auto c = db.query(
        "SELECT line_number, coalesce(type, ''), coalesce(array_to_string(database, ','), ''), "
        "coalesce(array_to_string(user_name, ','), ''), coalesce(address, ''), coalesce(netmask, ''), "
        "coalesce(auth_method, ''), error FROM pg_hba_file_rules ORDER BY line_number");
    std::size_t errors = 0;
    int first_error = 0;
    while (c->next()) {
      const int line = c->is_null(0) ? 0 : static_cast<int>(c->get_int64(0));
      if (!c->is_null(7)) {
        if (!errors++) first_error = line;
        continue;
      }
      if (c->get_string(6) != "trust") continue;
      std::string text = fmt::format("{} {} {}", c->get_string(1), c->get_string(2), c->get_string(3));
      if (!c->get_string(4).empty()) text += " " + c->get_string(4);
      if (!c->get_string(5).empty()) text += " " + c->get_string(5);
      inv.trust.push_back({line, text, c->get_string(1)});
    }
    if (errors)
      inv.notes.push_back(fmt::format("{}: {} lines the server does not accept, the first at line {}",
                                      inv.hba_file.empty() ? "pg_hba.conf" : inv.hba_file, errors, first_error));
  } catch (const ops::Error& e) {
    inv.notes.push_back(fmt::format("pg_hba.conf could not be read through pg_hba_file_rules ({}): trust lines not "
                                    "checked (a superuser may read it)",
                                    reason(e)));
  }
}

}  // namespace

Inventory read_postgresql(ops::db::Connection& db) {
  Inventory inv;
  read_roles(db, inv);
  read_passwords(db, inv);
  read_grants(db, inv);
  read_hba(db, inv);
  return inv;
}

}  // namespace opsaudit::accounts
