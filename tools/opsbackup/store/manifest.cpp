#include "opsbackup/store/manifest.hpp"

namespace opsbackup {

void write_manifest(const std::filesystem::path& path, const Manifest& m, ops::AtomicFile::Replace replace) {
  ops::AtomicFile file(path, 0600, replace);
  file.write(ops::backup::manifest_text(m));
  file.commit();
}

}  // namespace opsbackup
