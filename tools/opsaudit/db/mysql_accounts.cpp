// MySQL and MariaDB accounts, read with what the connecting account may read.
// mysql.user gives every account, its *_priv columns and (MySQL) its plugin;
// MariaDB 10.4+ keeps the truth about authentication in mysql.global_priv's
// JSON (plugin, authentication_string, the `auth_or` alternatives of
// "IDENTIFIED VIA unix_socket OR mysql_native_password", account_locked), so
// that is read there when it can be. Grants come from information_schema,
// which shows every account's to an account with SELECT on the mysql schema
// and only its own otherwise.

#include "opsaudit/db/accounts.hpp"

#include <ops/db_server.hpp>

#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace opsaudit::accounts {
namespace {

// A literal as MySQL reads it: 'o''brien'.
std::string literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string account_text(std::string_view user, const std::optional<std::string>& host) {
  return host ? literal(user) + "@" + literal(*host) : literal(user);
}

// information_schema's GRANTEE ('user'@'host', unescaped) back to its parts.
std::optional<std::pair<std::string, std::string>> split_grantee(std::string_view grantee) {
  const auto at = grantee.rfind("'@'");
  if (grantee.size() < 5 || grantee.front() != '\'' || grantee.back() != '\'' || at == std::string_view::npos)
    return std::nullopt;
  return std::pair{std::string(grantee.substr(1, at - 1)), std::string(grantee.substr(at + 3, grantee.size() - at - 4))};
}

// The plugins that check a password; an empty plugin name is the default
// (mysql_native_password). Anything else (unix_socket, auth_socket, pam,
// gssapi, named_pipe) needs none and asks the system instead.
bool takes_password(std::string_view plugin) {
  static const std::set<std::string_view> plugins{"",
                                                  "mysql_native_password",
                                                  "mysql_old_password",
                                                  "caching_sha2_password",
                                                  "sha256_password",
                                                  "ed25519",
                                                  "parsec"};
  return plugins.contains(plugin);
}

struct Way {
  std::string plugin;
  std::string secret;  // authentication_string (or Password): empty means no password
};

// An account's password state from its ways in: one password method with an
// empty secret is enough to get in without a password.
void judge(Account& a, const std::vector<Way>& ways) {
  bool any_password = false;
  bool empty = false;
  std::string auth;
  a.system_auth.clear();
  for (const Way& w : ways) {
    const std::string plugin = w.plugin.empty() ? "mysql_native_password" : w.plugin;
    // mysql_native_password's hash is '*' and 40 hex digits; anything else
    // ("invalid", as Debian 12 writes for root@localhost) matches no
    // password: that way in is shut.
    const bool shut = plugin == "mysql_native_password" && !w.secret.empty() &&
                      !(w.secret.size() == 41 && w.secret.front() == '*');
    const std::string shown = shut ? plugin + " (shut: no valid hash)" : plugin;
    if (auth.find(shown) == std::string::npos) auth += (auth.empty() ? "" : " or ") + shown;
    if (!takes_password(w.plugin)) {
      if (a.system_auth.find(plugin) == std::string::npos) a.system_auth += (a.system_auth.empty() ? "" : " or ") + plugin;
      continue;
    }
    if (shut) continue;
    any_password = true;
    if (w.secret.empty()) empty = true;
  }
  a.auth = auth;
  a.password = empty ? Password::none : any_password ? Password::set : Password::not_needed;
}

std::string column(const ops::db::Cursor& c, const std::map<std::string, std::size_t>& at, const char* name) {
  const auto it = at.find(name);
  if (it == at.end()) return {};
  const auto v = c.get(it->second);
  return v ? std::string(*v) : std::string();
}

// mysql.user: every account, its privileges, and (MySQL, or MariaDB without
// global_priv) how it logs in.
bool read_user_table(ops::db::Connection& db, Inventory& inv, std::map<std::string, std::size_t>& index_of) {
  try {
    auto c = db.query("SELECT * FROM mysql.user");
    std::map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < c->columns(); ++i) at[c->column_name(i)] = i;
    while (c->next()) {
      Account a;
      a.name = column(*c, at, "User");
      const bool role = column(*c, at, "is_role") == "Y";
      if (!role) a.host = column(*c, at, "Host");
      a.display = account_text(a.name, a.host);
      a.locked = column(*c, at, "account_locked") == "Y";
      a.login = !role && !a.locked;
      std::string secret = column(*c, at, "authentication_string");
      if (secret.empty()) secret = column(*c, at, "Password");
      if (!role) judge(a, {{column(*c, at, "plugin"), secret}});
      bool all = true;
      for (const auto& [name, i] : at) {
        if (name.size() < 6 || name.compare(name.size() - 5, 5, "_priv") != 0) continue;
        const bool yes = c->get(i) && *c->get(i) == "Y";
        if (name == "Super_priv") a.superuser = yes;
        if (name != "Grant_priv" && !yes) all = false;
      }
      a.all_privileges = all;
      index_of[a.display] = inv.accounts.size();
      inv.accounts.push_back(std::move(a));
    }
    return true;
  } catch (const ops::Error& e) {
    inv.notes.push_back(fmt::format("mysql.user could not be read ({}): passwords, plugins and superusers "
                                    "not audited; accounts only as information_schema shows them",
                                    reason(e)));
    return false;
  }
}

// MariaDB's mysql.global_priv: the ways in (auth_or) and account_locked, which
// the mysql.user view does not show.
void read_global_priv(ops::db::Connection& db, Inventory& inv, const std::map<std::string, std::size_t>& index_of) {
  try {
    auto c = db.query("SELECT User, Host, Priv FROM mysql.global_priv");
    std::size_t bad = 0;
    while (c->next()) {
      const std::string user(c->get(0).value_or(""));
      const std::string host(c->get(1).value_or(""));
      const auto priv = nlohmann::json::parse(c->get(2).value_or("{}"), nullptr, false);
      if (!priv.is_object()) {
        ++bad;
        continue;
      }
      const bool role = priv.value("is_role", false);
      const auto it = index_of.find(account_text(user, role ? std::nullopt : std::optional(host)));
      if (it == index_of.end() || role) continue;
      Account& a = inv.accounts[it->second];
      auto text = [](const nlohmann::json& j, const char* key) {
        return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
      };
      const Way outer{text(priv, "plugin"), text(priv, "authentication_string")};
      std::vector<Way> ways;
      if (priv.contains("auth_or") && priv["auth_or"].is_array()) {
        // An empty {} in auth_or stands for the outer plugin and string.
        for (const auto& alt : priv["auth_or"])
          ways.push_back(alt.is_object() && alt.contains("plugin") ? Way{text(alt, "plugin"), text(alt, "authentication_string")}
                                                                    : outer);
      } else {
        ways.push_back(outer);
      }
      judge(a, ways);
      a.locked = priv.value("account_locked", false);
      a.login = !a.locked;
    }
    if (bad) inv.notes.push_back(fmt::format("mysql.global_priv: {} rows whose Priv is not JSON, passed over", bad));
  } catch (const ops::Error& e) {
    inv.notes.push_back(fmt::format("mysql.global_priv could not be read ({}): alternatives such as "
                                    "\"unix_socket OR mysql_native_password\" and locks not seen",
                                    reason(e)));
  } catch (const nlohmann::json::exception& e) {
    inv.notes.push_back(fmt::format("mysql.global_priv: {}", e.what()));
  }
}

void read_grants(ops::db::Connection& db, Inventory& inv, bool accounts_known) {
  std::set<std::string> known;
  for (const Account& a : inv.accounts) known.insert(a.display);
  auto add = [&](std::string_view grantee, std::string object, std::string privilege, std::string_view grantable) {
    const auto parts = split_grantee(grantee);
    const std::string subject = parts ? account_text(parts->first, parts->second) : std::string(grantee);
    if (grantable == "YES") privilege += " WITH GRANT OPTION";
    inv.grants.push_back({subject, std::move(object), std::move(privilege)});
    if (!accounts_known && parts && known.insert(subject).second) {
      Account a;
      a.name = parts->first;
      a.host = parts->second;
      a.display = subject;
      inv.accounts.push_back(std::move(a));
    }
  };
  const auto quoted = [](std::string_view name) { return ops::db::quote_identifier(ops::db::Engine::mysql, name); };
  try {
    auto c = db.query("SELECT GRANTEE, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.USER_PRIVILEGES");
    while (c->next()) add(c->get_string(0), "*.*", c->get_string(1), c->get(2).value_or(""));
    c = db.query("SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES");
    while (c->next()) add(c->get_string(0), quoted(c->get_string(1)) + ".*", c->get_string(2), c->get(3).value_or(""));
    c = db.query(
        "SELECT GRANTEE, TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.TABLE_PRIVILEGES");
    while (c->next())
      add(c->get_string(0), quoted(c->get_string(1)) + "." + quoted(c->get_string(2)), c->get_string(3),
          c->get(4).value_or(""));
  } catch (const ops::Error& e) {
    inv.notes.push_back(fmt::format("information_schema privileges could not be read ({}): grants not compared", reason(e)));
  }
  if (!ops::db::is_mariadb(db)) return;
  try {
    auto c = db.query("SELECT User, Host, Role, Admin_option FROM mysql.roles_mapping");
    while (c->next()) {
      const std::string host = c->get_string(1);
      // A role granted to a role has an empty Host.
      const std::string subject = account_text(c->get_string(0), host.empty() ? std::nullopt : std::optional(host));
      std::string privilege = "member";
      if (c->get(3).value_or("") == "Y") privilege += " WITH ADMIN OPTION";
      inv.grants.push_back({subject, "role " + literal(c->get_string(2)), privilege});
    }
  } catch (const ops::Error& e) {
    inv.notes.push_back(fmt::format("mysql.roles_mapping could not be read ({}): role grants not compared", reason(e)));
  }
}

}  // namespace

Inventory read_mysql(ops::db::Connection& db) {
  Inventory inv;
  std::map<std::string, std::size_t> index_of;
  const bool accounts_known = read_user_table(db, inv, index_of);
  if (accounts_known && ops::db::is_mariadb(db)) read_global_priv(db, inv, index_of);
  read_grants(db, inv, accounts_known);
  return inv;
}

}  // namespace opsaudit::accounts
