#pragma once
// The accounts of one database server as the db audit sees them, read by one
// reader per engine (mysql_accounts.cpp, pg_accounts.cpp) with what the
// connecting account may read, and judged by one set of rules
// (account_findings.cpp). What could not be read is a note, never a guess:
// a password that could not be read is Password::unknown, not "none".

#include "opsaudit/audit.hpp"

#include <ops/db.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace opsaudit::accounts {

enum class Password {
  unknown,     // could not be read (PostgreSQL without superuser)
  set,         // every way in by password asks for one
  none,        // a password method that takes the empty password
  not_needed,  // no password method at all: unix_socket, peer, pam, gssapi…
};

struct Account {
  std::string name;                 // PostgreSQL role, MySQL User ('' for anonymous)
  std::optional<std::string> host;  // MySQL Host; nullopt for PostgreSQL
  std::string display;              // as the server's SQL writes it: 'app'@'%', app
  bool login = true;                // false: NOLOGIN, a MariaDB role, a locked account
  bool locked = false;              // MySQL/MariaDB ACCOUNT LOCK
  Password password = Password::unknown;
  std::string auth;                 // how it logs in: "unix_socket", "mysql_native_password or unix_socket"
  std::string system_auth;          // the ways in that ask the system, not a password: "unix_socket"
  bool superuser = false;           // PostgreSQL rolsuper; MySQL Super_priv
  bool all_privileges = false;      // MySQL: every global privilege (GRANT ALL ON *.*)
  bool createrole = false;          // PostgreSQL
  bool bypassrls = false;           // PostgreSQL
  bool bootstrap = false;           // PostgreSQL: the role initdb made (oid 10)
};

// One privilege one account holds on one object, for the snapshot: a
// privilege granted or revoked between two runs is one item more or less.
struct Grant {
  std::string subject;    // Account::display
  std::string object;     // "*.*", "`app`.*", "database app", "role pg_monitor", "role attributes"
  std::string privilege;  // "SELECT", "CONNECT", "member", "SUPERUSER", "… WITH GRANT OPTION"
  auto operator<=>(const Grant&) const = default;
};

// A pg_hba.conf line whose method is trust.
struct TrustLine {
  int line = 0;
  std::string text;  // type, databases, users, address as the view gives them
  std::string type;  // local, host, hostssl…
};

struct Inventory {
  std::vector<Account> accounts;
  std::vector<Grant> grants;
  std::vector<TrustLine> trust;
  std::string hba_file;  // PostgreSQL's hba_file, when it could be read
  std::vector<std::string> notes;
};

Inventory read_mysql(ops::db::Connection& db);
Inventory read_postgresql(ops::db::Connection& db);

// The findings about the accounts as they are (not the changes since the
// last run: snapshot.hpp).
std::vector<Finding> account_findings(const Inventory& inventory, ops::db::Engine engine);

// A server's error in one line for a note: "permission denied for table pg_authid".
std::string reason(const std::exception& e);

}  // namespace opsaudit::accounts
