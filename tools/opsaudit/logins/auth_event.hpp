#pragma once
// One authentication attempt, whatever wrote it: sshd, PAM, sudo, su, or an
// application's own table. The analysis (failures per address, a success
// after failures, root logins, new addresses, invalid users) reads only
// these.

#include <ops/clock.hpp>

#include <string>

namespace opsaudit {

struct AuthEvent {
  ops::SysTime time;
  bool success = false;
  std::string address;       // the remote address; empty when the source has none (sudo, su)
  std::string user;          // as given, possibly empty (an sshd "Invalid user  from …")
  bool invalid_user = false; // the user does not exist on the host
  std::string method;        // "password", "publickey", "keyboard-interactive/pam", "pam", "app"…
  std::string source;        // "sshd", "sudo", "su", "app casework"
};

}  // namespace opsaudit
