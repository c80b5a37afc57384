#include "opsaudit/db/snapshot.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <cerrno>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace opsaudit::accounts {
namespace {

constexpr const char* kFormat = "opsaudit-db-snapshot";
constexpr int kVersion = 1;

using nlohmann::json;

TargetState parse_target(const json& j) {
  TargetState t;
  t.taken = j.at("taken").get<std::string>();
  for (const auto& r : j.at("roles")) t.roles.insert(r.get<std::string>());
  for (const auto& g : j.at("grants")) {
    if (!g.is_array() || g.size() != 3) throw std::invalid_argument("a grant is not [subject, object, privilege]");
    t.grants.insert({g[0].get<std::string>(), g[1].get<std::string>(), g[2].get<std::string>()});
  }
  return t;
}

// "SELECT, INSERT on `app`.*" for the grants of one subject.
std::string grouped(const std::map<std::string, std::vector<std::string>>& by_object) {
  std::string text;
  for (const auto& [object, privileges] : by_object) {
    if (!text.empty()) text += "; ";
    text += fmt::format("{} on {}", fmt::join(privileges, ", "), object);
  }
  return text;
}

}  // namespace

TargetState state_of(const Inventory& inventory, std::string taken) {
  TargetState t;
  t.taken = std::move(taken);
  for (const Account& a : inventory.accounts) t.roles.insert(a.display);
  t.grants.insert(inventory.grants.begin(), inventory.grants.end());
  return t;
}

std::optional<Snapshot> load_snapshot(const std::filesystem::path& path) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw SnapshotError(fmt::format("snapshot {}: {}", path.string(), ops::errno_text(errno)));
  }
  std::string text;
  try {
    text = ops::read_file(path);
  } catch (const ops::Error& e) {
    throw SnapshotError(fmt::format("snapshot cannot be read: {}", e.what()));
  }
  try {
    const json j = json::parse(text);
    if (!j.is_object() || j.value("format", "") != kFormat)
      throw std::invalid_argument(fmt::format("not an opsaudit db snapshot (no \"format\": \"{}\")", kFormat));
    if (j.value("version", 0) != kVersion)
      throw std::invalid_argument(fmt::format("version {} is not {}", j.value("version", 0), kVersion));
    Snapshot s;
    for (const auto& [name, target] : j.at("targets").items()) s.targets[name] = parse_target(target);
    return s;
  } catch (const std::exception& e) {
    // One line: nlohmann's messages are one line already; their
    // "[json.exception.parse_error.101] " tells a user nothing.
    std::string_view why = e.what();
    if (why.starts_with("[json.") && why.find("] ") != std::string_view::npos) why.remove_prefix(why.find("] ") + 2);
    throw SnapshotError(fmt::format("snapshot {} is corrupt: {}", path.string(), why));
  }
}

void store_snapshot(const std::filesystem::path& path, const Snapshot& snapshot) {
  json targets = json::object();
  for (const auto& [name, t] : snapshot.targets) {
    json grants = json::array();
    for (const Grant& g : t.grants) grants.push_back({g.subject, g.object, g.privilege});
    targets[name] = {{"taken", t.taken}, {"roles", t.roles}, {"grants", std::move(grants)}};
  }
  const json j = {{"format", kFormat}, {"version", kVersion}, {"targets", std::move(targets)}};
  // The directory itself is made (a fresh host has no /var/lib/ops), but
  // not a chain of them: a mistyped path is refused, not built.
  if (path.has_parent_path() && !std::filesystem::exists(path.parent_path())) {
    std::error_code ec;
    std::filesystem::create_directory(path.parent_path(), ec);
    if (ec) ops::fail(fmt::format("cannot make {} for the snapshot: {}", path.parent_path().string(), ec.message()));
  }
  ops::write_file_atomic(path, j.dump(1, '\t', false, json::error_handler_t::replace) + "\n", 0600);
}

std::vector<Finding> changes_since(const TargetState& before, const TargetState& now) {
  std::vector<Finding> out;
  const std::string since = "since the last run (" + before.taken + ")";
  // A role that came or went is one finding, its grants counted in it.
  auto count_grants = [](const std::set<Grant>& grants, const std::string& subject) {
    std::size_t n = 0;
    for (const Grant& g : grants) n += g.subject == subject;
    return n;
  };
  for (const std::string& r : now.roles)
    if (!before.roles.contains(r))
      out.push_back({Severity::warning, "role_added", r,
                     fmt::format("added {}, with {} privilege{}", since, count_grants(now.grants, r),
                                 count_grants(now.grants, r) == 1 ? "" : "s")});
  for (const std::string& r : before.roles)
    if (!now.roles.contains(r)) out.push_back({Severity::info, "role_removed", r, "removed " + since});

  // The other grants, grouped by subject: one finding per subject and direction.
  auto grant_changes = [&](const std::set<Grant>& from, const std::set<Grant>& to, Severity severity, const char* kind,
                           const char* verb) {
    std::map<std::string, std::map<std::string, std::vector<std::string>>> by_subject;
    for (const Grant& g : to) {
      const bool came_or_went = before.roles.contains(g.subject) != now.roles.contains(g.subject);
      if (!from.contains(g) && !came_or_went) by_subject[g.subject][g.object].push_back(g.privilege);
    }
    for (const auto& [subject, by_object] : by_subject)
      out.push_back({severity, kind, subject, fmt::format("{} {} {}", grouped(by_object), verb, since)});
  };
  grant_changes(before.grants, now.grants, Severity::warning, "grant_added", "granted");
  grant_changes(now.grants, before.grants, Severity::info, "grant_removed", "revoked");
  return out;
}

}  // namespace opsaudit::accounts
