// opsaudit db NAME|DSN: the accounts of one PostgreSQL or MySQL/MariaDB
// server as they are (accounts_*.cpp, account_findings.cpp) and as they
// changed since the last run (snapshot.cpp).

#include "opsaudit/audit_list.hpp"
#include "opsaudit/db/accounts.hpp"
#include "opsaudit/db/snapshot.hpp"

#include <ops/db_target.hpp>
#include <ops/error.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

namespace opsaudit {
namespace {

using namespace accounts;

constexpr const char* kDefaultSnapshot = "/var/lib/ops/audit-db.snapshot";

// A path as a shell word, for a fix line.
std::string shell_word(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@") ==
                           std::string::npos)
    return text;
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string_view password_word(Password p) {
  switch (p) {
    case Password::unknown: return "";
    case Password::set: return "yes";
    case Password::none: return "none";
    case Password::not_needed: return "not needed";
  }
  return "";
}

ops::Table accounts_table(const Inventory& inv) {
  ops::Table t({{"account"}, {"login"}, {"password"}, {"auth"}, {"powers"}});
  for (const Account& a : inv.accounts) {
    std::vector<std::string> powers;
    if (a.all_privileges) powers.push_back("ALL");
    if (a.superuser) powers.push_back("SUPER");
    if (a.createrole) powers.push_back("CREATEROLE");
    if (a.bypassrls) powers.push_back("BYPASSRLS");
    t.add_row({ops::printable_line(a.display, 200), a.locked ? "locked" : a.login ? "yes" : "no",
               std::string(password_word(a.password)), a.auth, fmt::format("{}", fmt::join(powers, " "))});
  }
  return t;
}

// Compares with the snapshot and records the present in it; trouble with
// the file is a finding, and a snapshot that cannot be read is left as it is.
void compare_and_record(const Request& request, const std::string& target, const Inventory& inv, Section& section) {
  const std::string path = *request.settings.text("snapshot");
  if (path == "none") return;
  TargetState now = state_of(inv, ops::format_time(request.now));
  std::optional<Snapshot> snapshot;
  try {
    snapshot = load_snapshot(path);
  } catch (const SnapshotError& e) {
    section.findings.push_back({Severity::critical, "snapshot_unusable", path,
                                std::string(e.what()) + "; nothing compared and the file left as it is",
                                fmt::format("mv -- {} {}", shell_word(path), shell_word(path + ".bad"))});
    return;
  }
  const auto counts = fmt::format("{} accounts and {} grants", now.roles.size(), now.grants.size());
  if (!snapshot) {
    section.notes.push_back(fmt::format("{}: first run, recorded {}; later runs report what changes", path, counts));
    snapshot.emplace();
  } else if (const auto it = snapshot->targets.find(target); it == snapshot->targets.end()) {
    section.notes.push_back(
        fmt::format("{}: first run for {}, recorded {}; later runs report what changes", path, target, counts));
  } else {
    for (Finding& f : changes_since(it->second, now)) section.findings.push_back(std::move(f));
  }
  snapshot->targets[target] = std::move(now);
  try {
    store_snapshot(path, *snapshot);
  } catch (const ops::Error& e) {
    section.findings.push_back({Severity::warning, "snapshot_not_written", path,
                                std::string(e.what()) + ": the next run compares with the older state"});
  }
}

Section run_db(const Request& request) {
  ops::Warnings warnings;
  auto target = ops::db::resolve_target(request.config, request.args.at(0), warnings);
  if (target.dsn.engine == ops::db::Engine::sqlite)
    ops::fail_usage(fmt::format("{}: SQLite has no accounts to audit", ops::shown(target.name)));
  target.options.application_name = "opsaudit";
  auto db = ops::db::connect(target.dsn, target.options);
  const std::string version = db->server_version();
  Inventory inv =
      db->engine() == ops::db::Engine::postgresql ? read_postgresql(*db) : read_mysql(*db);

  const std::string where = target.name == db->describe() ? version : db->describe() + " " + version;
  Section section{"db",
                  fmt::format("db {} ({}): {} account{}", target.name, where, inv.accounts.size(),
                              inv.accounts.size() == 1 ? "" : "s"),
                  account_findings(inv, db->engine())};
  compare_and_record(request, target.name, inv, section);
  section.details.push_back({"accounts", accounts_table(inv)});
  section.notes.insert(section.notes.end(), inv.notes.begin(), inv.notes.end());
  if (warnings.count())
    section.notes.push_back(fmt::format("{}: {} warnings about its password file (on standard error)", target.name,
                                        warnings.count()));
  const std::string labels = ops::metric_labels({{"database", target.name}});
  section.figures["db_accounts" + labels] = static_cast<double>(inv.accounts.size());
  section.figures["db_findings" + labels] = static_cast<double>(section.findings.size());
  return section;
}

}  // namespace

Audit db_audit() {
  return Audit{
      "db",
      "NAME|DSN",
      "accounts without a password, superusers, any-host and anonymous accounts, trust lines, and what changed",
      ops::SectionSchema{
          "audit", "[audit]",
          with_common_keys({ops::SectionKey("snapshot", ops::KeyType::path,
                                            "where db keeps the accounts and grants it saw, to report what changed "
                                            "since (none: keep nothing)")
                                .with_option("snapshot", "FILE")
                                .with_default(kDefaultSnapshot)})},
      1,
      1,
      run_db};
}

}  // namespace opsaudit
