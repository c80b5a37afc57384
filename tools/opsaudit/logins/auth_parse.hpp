#pragma once
// Reading authentication lines by hand, byte by byte: an auth log of a host
// on the Internet is mostly sshd's complaints about scanners, a gigabyte a
// month, and the audit must read it faster than grep | awk | sort | uniq -c.
//
// Two steps: split_syslog() cuts a syslog line into its time, program, PID
// and message (what a journal entry gives as fields); parse_auth_message()
// says what the message is. A user name is text the remote side chose, so
// an address is always taken from the end of the line inward (the LAST
// "from IP port N"): "Invalid user x from 6.6.6.6 port 1 from 1.2.3.4 port 22"
// is about 1.2.3.4.

#include "opsaudit/logins/auth_line.hpp"

#include <ops/clock.hpp>

#include <optional>
#include <string_view>

namespace opsaudit {

// "Nov 22 10:01:02 host prog[pid]: msg" (RFC 3164) or
// "2026-11-22T10:01:02.123456+01:00 host prog[pid]: msg" (RFC 3339, as
// Debian's rsyslog writes), `time` being what the log reader read at its
// start; nullopt when the line is not of that shape.
std::optional<AuthLine> split_syslog(std::string_view line, ops::SysTime time);
// The same, reading the time itself (the year of an RFC 3164 line: see
// ops/log_time.hpp); for tests and the fuzzer.
std::optional<AuthLine> split_syslog_at(std::string_view line, ops::SysTime now);

// What one message says about an attempt to log in.
enum class AuthShape {
  none,      // anything else: sshd's other talk, cron's sessions, a sudo command
  // "Failed METHOD for [invalid user ]U from IP port N": one attempt.
  failed,
  // What one attempt logs before its "Failed" line, under the same PID:
  // "Invalid user U from IP port N", "pam_unix(sshd:auth): authentication
  // failure; … rhost=IP user=U", "error: PAM: Authentication failure for U
  // from IP", "User U from IP not allowed because …". With a Failed line
  // after it, one attempt; alone, when its connection ends, one too.
  herald,
  // The connection ended in authentication: "Connection closed|reset by
  // authenticating|invalid user U IP port N [preauth]", "maximum
  // authentication attempts exceeded for U from IP port N", "Disconnecting:
  // Too many authentication failures" (no address: its PID says which). An
  // attempt only when nothing else of the connection was one.
  ended,
  accepted,       // "Accepted METHOD for U from IP port N"
  local_failure,  // sudo, su and other local PAM services: no address
};

struct AuthMessage {
  AuthShape shape = AuthShape::none;
  // ended only: sshd writes nothing more for this connection ("Connection
  // closed", "Disconnecting …"); "maximum … exceeded" has a line after it.
  bool last = false;
  std::string_view user;
  std::string_view address;
  std::string_view method;  // "password", "publickey"…; "pam" for a PAM line
  std::string_view source;  // "sshd", "sudo", "su"
  bool invalid_user = false;
};

// sshd's (also sshd-session's, OpenSSH 9.8+), and the PAM "authentication
// failure" lines of any program (sudo, su); su's own "FAILED SU".
AuthMessage parse_auth_message(const AuthLine& line);

}  // namespace opsaudit
