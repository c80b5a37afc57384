#pragma once
// Owners as people read them (root:www-data) and as --owner gives them.

#include <optional>
#include <string>
#include <sys/types.h>

namespace opsaudit::files {

// "www-data:www-data"; a number for an id without a name.
std::string owner_text(uid_t uid, gid_t gid);

struct WantedOwner {
  uid_t uid = 0;
  std::optional<gid_t> gid;
  std::string text;  // as given: "www-data" or "www-data:adm", for the fix command
};
// USER[:GROUP], names or numbers; ops::fail_usage naming `where` for a user
// or group this host does not know.
WantedOwner parse_owner(const std::string& text, const std::string& where);

}  // namespace opsaudit::files
