#pragma once
// What the db audit saw last time, so that a run can say which roles and
// grants came or went since. One file holds the state of every database
// audited into it (keyed by NAME or DSN as given), so `opsaudit run` over
// several databases shares one --snapshot. The file is JSON (role names may
// hold any character), published atomically and 0600: it lists accounts,
// never a password or its hash.

#include "opsaudit/audit.hpp"
#include "opsaudit/db/accounts.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

namespace opsaudit::accounts {

struct TargetState {
  std::string taken;  // when, ISO-8601 UTC
  std::set<std::string> roles;
  std::set<Grant> grants;
};

TargetState state_of(const Inventory& inventory, std::string taken);

struct Snapshot {
  std::map<std::string, TargetState> targets;
};

// A snapshot that is there but cannot be used: one line naming the file.
class SnapshotError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// nullopt when the file does not exist; SnapshotError when it cannot be read
// or is not a snapshot.
std::optional<Snapshot> load_snapshot(const std::filesystem::path& path);
// Published atomically (0600); a missing parent directory is made (0755)
// when its own parent exists.
void store_snapshot(const std::filesystem::path& path, const Snapshot& snapshot);

// role_added, role_removed, grant_added, grant_removed: what differs from `before`.
std::vector<Finding> changes_since(const TargetState& before, const TargetState& now);

}  // namespace opsaudit::accounts
