// The rules of the db audit, one place for both engines. Severity follows
// how far the hole reaches: an account anyone can use from anywhere is
// critical; power reachable only from this host is a warning; what the
// system installs and needs (PostgreSQL's bootstrap superuser, MariaDB's
// root@localhost that logs in only through unix_socket as the system's root)
// is info, listed so that the review sees it.

#include "opsaudit/db/accounts.hpp"

#include <fmt/format.h>

namespace opsaudit::accounts {
namespace {

bool local_host(const std::string& host) { return host == "localhost" || host == "127.0.0.1" || host == "::1"; }
bool any_host(const std::string& host) { return host == "%" || host.empty(); }

void mysql_findings(const Account& a, std::vector<Finding>& out) {
  if (a.host && a.login) {
    if (a.name.empty()) {
      out.push_back({Severity::critical, "anonymous_user", a.display,
                     "an account with an empty user name: anyone who connects from " +
                         (any_host(*a.host) ? std::string("any host") : *a.host) + " matches it",
                     fmt::format("DROP USER {};", a.display)});
    } else if (a.password == Password::none) {
      out.push_back({Severity::critical, "no_password", a.display,
                     fmt::format("logs in with an empty password ({})", a.auth),
                     fmt::format("ALTER USER {} IDENTIFIED BY 'NEW-PASSWORD';", a.display)});
    }
    if (any_host(*a.host)) {
      out.push_back({Severity::warning, "any_host", a.display,
                     "may connect from any host: name the hosts it connects from",
                     fmt::format("RENAME USER {} TO '{}'@'ADDRESS';", a.display, a.name)});
    }
  }
  if (!a.all_privileges && !a.superuser) return;
  Severity severity = Severity::critical;
  std::string reach = a.host ? "from " + (any_host(*a.host) ? std::string("any host") : *a.host) : "to its members";
  if (!a.host || !a.login) {
    severity = Severity::warning;
    if (a.locked) reach = "but the account is locked";
  } else if (local_host(*a.host)) {
    severity = a.password == Password::not_needed ? Severity::info : Severity::warning;
    if (a.password == Password::not_needed) reach += ", logging in only through " + a.system_auth + " (no password)";
  }
  if (a.all_privileges)
    out.push_back({severity, "all_privileges", a.display, "holds ALL PRIVILEGES ON *.*, " + reach,
                   severity == Severity::info ? std::string()
                                              : fmt::format("REVOKE ALL PRIVILEGES, GRANT OPTION FROM {};", a.display)});
  else
    out.push_back({severity, "superuser", a.display, "holds SUPER, " + reach,
                   severity == Severity::info ? std::string() : fmt::format("REVOKE SUPER ON *.* FROM {};", a.display)});
}

void postgresql_findings(const Account& a, std::vector<Finding>& out) {
  const std::string role = ops::db::quote_identifier(ops::db::Engine::postgresql, a.name);
  if (a.superuser) {
    if (a.bootstrap)
      out.push_back({Severity::info, "superuser", a.display, "the bootstrap superuser initdb made (it cannot be removed)"});
    else
      out.push_back({a.login ? Severity::critical : Severity::warning, "superuser", a.display,
                     a.login ? "a superuser that can log in" : "a superuser role (NOLOGIN: its members may SET ROLE to it)",
                     fmt::format("ALTER ROLE {} NOSUPERUSER;", role)});
  } else {
    // Both are near-superuser powers: CREATEROLE may grant itself any
    // non-superuser role (pg_execute_server_program among them, before
    // PostgreSQL 16); BYPASSRLS reads past every row-level policy.
    if (a.createrole)
      out.push_back({Severity::warning, "createrole", a.display,
                     "may create roles and grant itself any non-superuser role",
                     fmt::format("ALTER ROLE {} NOCREATEROLE;", role)});
    if (a.bypassrls)
      out.push_back({Severity::warning, "bypassrls", a.display, "reads and writes past every row-level security policy",
                     fmt::format("ALTER ROLE {} NOBYPASSRLS;", role)});
  }
  if (a.login && a.password == Password::none)
    out.push_back({Severity::info, "no_password", a.display,
                   "no password: logs in only where pg_hba.conf asks for none (peer, ident, cert, trust)",
                   a.bootstrap ? std::string() : fmt::format("ALTER ROLE {} PASSWORD 'NEW-PASSWORD';", role)});
}

}  // namespace

std::vector<Finding> account_findings(const Inventory& inventory, ops::db::Engine engine) {
  std::vector<Finding> out;
  for (const Account& a : inventory.accounts) {
    if (engine == ops::db::Engine::postgresql)
      postgresql_findings(a, out);
    else
      mysql_findings(a, out);
  }
  const std::string file = inventory.hba_file.empty() ? "pg_hba.conf" : inventory.hba_file;
  for (const TrustLine& t : inventory.trust) {
    const std::string method = t.type == "local" ? "peer" : "scram-sha-256";
    out.push_back({Severity::critical, "trust", fmt::format("{}:{}", file, t.line),
                   fmt::format("\"{} trust\": connects as any role it names, without a password", t.text),
                   fmt::format("{}:{}: {} {}  (instead of trust; then SELECT pg_reload_conf();)", file, t.line, t.text,
                               method)});
  }
  return out;
}

std::string reason(const std::exception& e) {
  std::string text = e.what();
  if (const auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  // The section's title names the database already.
  if (text.starts_with("SQL error on ")) {
    const auto colon = text.find(": ");
    if (colon != std::string::npos) text.erase(0, colon + 2);
  }
  return text;
}

}  // namespace opsaudit::accounts
