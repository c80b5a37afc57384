#include "opsbackup/store/published_files.hpp"

#include "opsbackup/store/layout.hpp"

namespace opsbackup {

BackupResult finish_backup(const std::filesystem::path& dir, const std::string& stem,
                           const std::filesystem::path& data_path, Manifest m, PublishedFiles& published) {
  BackupResult result;
  result.data_path = data_path;
  m.file = data_path.filename().string();
  m.finished = ops::now();
  result.manifest_path = manifest_path(dir, stem);
  write_manifest(result.manifest_path, m, ops::AtomicFile::Replace::no);
  published.done();
  result.manifest = std::move(m);
  return result;
}

}  // namespace opsbackup
