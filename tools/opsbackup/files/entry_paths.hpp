#pragma once
// What an archive entry may ask of a restore into DIR: only names inside DIR,
// and only symlinks (and hard links) that stay inside it. libarchive's
// ARCHIVE_EXTRACT_SECURE_* flags already refuse the worst; this check comes
// first and stops the whole restore, naming the entry, so a crafted archive
// cannot even leave a link to /etc behind.

#include <string>

namespace opsbackup {

// Empty when the name is safe; otherwise why not. Unsafe: empty, absolute,
// or with a ".." component.
std::string unsafe_entry_name(const std::string& name);

// Whether a symlink stored as `name` (safe, relative) pointing to `target`
// resolves inside the restore directory, resolving the target lexically
// against the link's own directory. An absolute target never does.
bool symlink_stays_inside(const std::string& name, const std::string& target);

}  // namespace opsbackup
