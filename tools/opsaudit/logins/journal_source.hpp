#pragma once
// The authentication lines of the systemd journal, read directly with
// sd-journal (a default Debian 12 host has no /var/log/auth.log).

#include "opsaudit/logins/auth_line.hpp"

#include <ops/clock.hpp>

#include <filesystem>
#include <functional>
#include <optional>

namespace opsaudit {

// Whether this host keeps a journal to read (/run/log/journal or /var/log/journal holds one).
bool system_journal_present();

// Hands the journal's entries of sshd, sshd-session, sudo, su and the PAM
// modules they log through, at or after `since`, to `each` in time order.
// `file`: read that journal file (as journalctl --file) instead of the
// system's. Cannot open: ops::Error naming the journal and why.
void read_journal(const std::optional<std::filesystem::path>& file, ops::SysTime since,
                  const std::function<void(const AuthLine&)>& each);

}  // namespace opsaudit
