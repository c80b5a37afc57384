#pragma once
// The only proof that a backup restores is restoring it: into a scratch
// database created for the purpose on a server the operator names, then the
// tables and their rows compared with the manifest, then the scratch dropped.

#include "opsbackup/store/manifest.hpp"
#include "opsbackup/store/verify.hpp"

#include <ops/db_target.hpp>

#include <filesystem>

namespace opsbackup {

// `scratch` names a server and an existing database to connect to (e.g.
// postgresql://ops@localhost/postgres) where the account may create and drop
// databases; the scratch database is called <that database>_restore_<random>.
// SQLite backups are restored into a temporary file instead. A scratch
// database that cannot be dropped afterwards is added to `warnings`.
VerifyOutcome restore_test(const std::filesystem::path& manifest_file, const Manifest& m,
                           const ops::db::Target* scratch, ops::Warnings& warnings);

}  // namespace opsbackup
