#pragma once
// Removing old backups of one NAME by a retention policy, safely: never the
// newest complete backup, never when the newest run failed (unless forced),
// manifest first so that a crash half-way leaves an incomplete leftover and
// never a manifest without its data; leftovers of crashed runs go too.

#include "opsbackup/store/retention.hpp"

#include <ops/log.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace opsbackup {

struct PruneRow {
  std::string stem;
  ops::SysTime time;
  std::string action;   // "keep", "remove", "leftover"
  std::string reasons;  // "daily 1, weekly 1" for kept ones
};

struct PruneRequest {
  std::filesystem::path root;
  std::string name;
  KeepPolicy policy;
  bool force = false;
  bool dry_run = false;
};

// The decisions, oldest first. Refuses (exit 2) when the newest run failed
// and force is not set, and (exit 3) an empty policy.
// A last-run record that cannot be read is a warning, added to `warnings`.
std::vector<PruneRow> prune_backups(const PruneRequest& request, ops::Warnings& warnings);

}  // namespace opsbackup
