#include <ops/backup_store.hpp>

#include <ops/backup_layout.hpp>
#include <ops/error.hpp>

namespace ops::backup {

NewestBackup newest_complete_backup(const std::filesystem::path& backup_dir, const std::string& name) {
  NewestBackup newest;
  const Listing listing = list_backup_dir(backup_dir, name);
  for (auto it = listing.backups.rbegin(); it != listing.backups.rend(); ++it) {
    if (it->manifest.empty()) continue;  // data without a manifest: not a backup
    try {
      newest.backup = CompleteBackup{it->manifest, read_manifest(it->manifest)};
      return newest;
    } catch (const ops::Error& e) {
      newest.unreadable.push_back({it->manifest, e.what()});
    }
  }
  return newest;
}

BackupState backup_state(const std::filesystem::path& root, const std::string& name) {
  check_backup_name(name);
  BackupState state;
  state.dir = root / name;
  NewestBackup newest = newest_complete_backup(state.dir, name);
  state.newest = std::move(newest.backup);
  state.unreadable = std::move(newest.unreadable);
  LastRunRead last = read_last_run(state.dir);
  state.last_run = std::move(last.run);
  state.last_run_problem = std::move(last.problem);
  return state;
}

}  // namespace ops::backup
