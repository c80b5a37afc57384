// Fixed shapes read with string_view and memchr, no regular expression:
// this runs once per line of a log that may hold a gigabyte.
#include "opsaudit/logins/auth_parse.hpp"

#include <ops/log_time.hpp>

#include <cctype>

namespace opsaudit {
namespace {

using sv = std::string_view;

bool eat(sv& s, sv prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}
bool eat_back(sv& s, sv suffix) {
  if (!s.ends_with(suffix)) return false;
  s.remove_suffix(suffix.size());
  return true;
}
// ASCII, inline: <cctype> is a locale-dependent call per byte.
constexpr bool ascii_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool ascii_alnum(char c) noexcept { return ascii_alpha(c) || (c >= '0' && c <= '9'); }

bool digits(sv s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
// An address as sshd writes one: IPv4, IPv6 (maybe with a %zone), or a name
// when UseDNS is on. No blank, no bracket, not empty.
bool address_like(sv s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s)
    if (!(ascii_alnum(c) || c == '.' || c == ':' || c == '-' || c == '_' || c == '%'))
      return false;
  return true;
}

// "… from ADDR port N[ ssh2][: …]" at the end of `s`, the LAST " from " of
// the line: `user_end` gets where the text before it ends. A line whose last
// " from " is not followed by that is not trusted at all (an earlier one is
// inside the user name).
bool last_from_port(sv s, sv& address, sv& before) {
  const std::size_t at = s.rfind(" from ");
  if (at == sv::npos) return false;
  sv rest = s.substr(at + 6);
  const std::size_t sp = rest.find(' ');
  if (sp == sv::npos) return false;
  address = rest.substr(0, sp);
  rest.remove_prefix(sp);
  if (!eat(rest, " port ")) return false;
  std::size_t n = 0;
  while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
  if (n == 0 || (n < rest.size() && rest[n] != ' ' && rest[n] != ':')) return false;
  before = s.substr(0, at);
  return address_like(address);
}

// "ADDR port N" at the end of `s` (sshd's "Connection closed by … user U ADDR
// port N"): the address is the word before the last " port ".
bool trailing_addr_port(sv s, sv& address, sv& before) {
  const std::size_t p = s.rfind(" port ");
  if (p == sv::npos || !digits(s.substr(p + 6))) return false;
  const sv head = s.substr(0, p);
  const std::size_t sp = head.rfind(' ');
  address = sp == sv::npos ? head : head.substr(sp + 1);
  before = sp == sv::npos ? sv{} : head.substr(0, sp);
  return address_like(address);
}

// "[invalid user ]U" of "for [invalid user ]U".
void user_of(sv text, AuthMessage& m) {
  if (eat(text, "invalid user ") || eat(text, "illegal user ")) m.invalid_user = true;
  m.user = text;
}

// Failed/Accepted METHOD for [invalid user ]U from ADDR port N …
bool method_for(sv rest, AuthMessage& m) {
  const std::size_t sp = rest.find(' ');
  if (sp == sv::npos || sp == 0) return false;
  m.method = rest.substr(0, sp);
  rest.remove_prefix(sp);
  if (!eat(rest, " for ")) return false;
  sv before;
  if (!last_from_port(rest, m.address, before)) return false;
  user_of(before, m);
  return true;
}

// The value of `key` (" rhost=") in a PAM line: up to the next blank.
sv pam_field(sv s, sv key) {
  const std::size_t at = s.find(key);
  if (at == sv::npos) return {};
  sv v = s.substr(at + key.size());
  const std::size_t sp = v.find(' ');
  return sp == sv::npos ? v : v.substr(0, sp);
}

// "pam_unix(SERVICE:auth): authentication failure; logname= … rhost=IP  user=U".
// rhost is taken at its first place and user after it: the user name
// (attacker's text when the account does not exist) is the line's last field.
bool pam_failure(sv msg, AuthMessage& m) {
  if (!eat(msg, "pam_")) return false;
  const std::size_t open = msg.find('(');
  if (open == sv::npos || open > 16) return false;
  msg.remove_prefix(open + 1);
  const std::size_t colon = msg.find(':');
  if (colon == sv::npos || colon > 32) return false;
  const sv service = msg.substr(0, colon);
  msg.remove_prefix(colon);
  if (!eat(msg, ":auth): authentication failure;")) return false;
  m.method = "pam";
  const std::size_t rhost_at = msg.find(" rhost=");
  const sv after_rhost = rhost_at == sv::npos ? msg : msg.substr(rhost_at);
  const std::size_t user_at = after_rhost.find(" user=");
  if (user_at != sv::npos) m.user = after_rhost.substr(user_at + 6);
  if (service == "sshd") {
    m.address = pam_field(msg, " rhost=");
    if (!address_like(m.address)) return false;
    m.shape = AuthShape::herald;
    m.source = "sshd";
    return true;
  }
  m.shape = AuthShape::local_failure;
  m.source = service;
  return true;
}

// "[invalid|authenticating] user U IP port N", after the words that end a
// connection (closed, reset, disconnected): the last line of an attempt.
AuthMessage connection_end(sv msg, AuthMessage& m) {
  if (eat(msg, "invalid user ")) m.invalid_user = true;
  else if (!eat(msg, "authenticating user ")) return {};
  sv user;
  if (!trailing_addr_port(msg, m.address, user)) return {};
  m.user = user;
  m.shape = AuthShape::ended;
  m.last = true;
  return m;
}

AuthMessage parse_sshd(sv msg) {
  AuthMessage m;
  m.source = "sshd";
  // error: PAM: / error: / fatal: before, [preauth] after: the same event.
  if (!eat(msg, "error: PAM: ")) {
    if (!eat(msg, "error: ")) eat(msg, "fatal: ");
  } else {
    // "error: PAM: Authentication failure for [illegal user ]U from HOST"
    if (eat(msg, "Authentication failure for ")) {
      const std::size_t at = msg.rfind(" from ");
      if (at == sv::npos) return {};
      m.address = msg.substr(at + 6);
      if (!address_like(m.address)) return {};
      user_of(msg.substr(0, at), m);
      m.method = "pam";
      m.shape = AuthShape::herald;
      return m;
    }
    return {};
  }
  eat_back(msg, " [preauth]");
  if (msg.empty()) return {};
  sv before;
  switch (msg[0]) {
    case 'F':
      if (eat(msg, "Failed ") && method_for(msg, m)) {
        // A key offered and refused for an existing account is not a failed
        // login: clients offer every key they hold, one after another.
        if (m.method == "publickey" && !m.invalid_user) return {};
        m.shape = AuthShape::failed;
        return m;
      }
      return {};
    case 'A':
      if (eat(msg, "Accepted ") && method_for(msg, m)) {
        m.shape = AuthShape::accepted;
        return m;
      }
      return {};
    case 'I':
      if ((eat(msg, "Invalid user ") || eat(msg, "Illegal user ")) && last_from_port(msg, m.address, before)) {
        m.user = before;
        m.invalid_user = true;
        m.shape = AuthShape::herald;
        return m;
      }
      return {};
    case 'U':
      if (eat(msg, "User ")) {
        const std::size_t because = msg.rfind(" not allowed because ");
        if (because == sv::npos) return {};
        const sv head = msg.substr(0, because);
        const std::size_t at = head.rfind(" from ");
        if (at == sv::npos) return {};
        m.address = head.substr(at + 6);
        if (!address_like(m.address)) return {};
        m.user = head.substr(0, at);
        m.shape = AuthShape::herald;
        return m;
      }
      return {};
    case 'C':
      // Without "invalid user" or "authenticating user": before authentication, a scan, not a login.
      if (eat(msg, "Connection closed by ") || eat(msg, "Connection reset by ")) return connection_end(msg, m);
      return {};
    case 'D':
      if (eat(msg, "Disconnecting: Too many authentication failures")) {
        m.shape = AuthShape::ended;  // no address: the PID's
        m.last = true;
        return m;
      }
      if (eat(msg, "Disconnected from ") || eat(msg, "Disconnecting ")) {
        const std::size_t colon = msg.rfind(": Too many authentication failures");
        if (colon != sv::npos) msg = msg.substr(0, colon);
        return connection_end(msg, m);
      }
      return {};
    case 'm':
      if (eat(msg, "maximum authentication attempts exceeded for ") && last_from_port(msg, m.address, before)) {
        user_of(before, m);
        m.shape = AuthShape::ended;
        return m;
      }
      return {};
    case 'p':
      if (pam_failure(msg, m)) return m;
      return {};
    default: return {};
  }
}

}  // namespace

std::optional<AuthLine> split_syslog(sv line, ops::SysTime time) {
  std::size_t i = 0;
  if (line.size() > 16 && ascii_alpha(line[0])) {
    i = 15;  // "Nov 22 10:01:02"
  } else if (!line.empty() && line[0] >= '0' && line[0] <= '9') {
    i = line.find(' ');
    if (i == sv::npos) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (i >= line.size() || line[i] != ' ') return std::nullopt;
  const std::size_t host_end = line.find(' ', i + 1);
  if (host_end == sv::npos || host_end == i + 1) return std::nullopt;
  std::size_t j = host_end + 1;
  const std::size_t tag = j;
  while (j < line.size() && line[j] != '[' && line[j] != ':' && line[j] != ' ') ++j;
  if (j == tag || j >= line.size()) return std::nullopt;
  AuthLine out{time, line.substr(tag, j - tag), {}, {}};
  if (line[j] == '[') {
    const std::size_t close = line.find(']', j);
    if (close == sv::npos) return std::nullopt;
    out.pid = line.substr(j + 1, close - j - 1);
    j = close + 1;
  }
  if (j >= line.size() || line[j] != ':') return std::nullopt;
  ++j;
  if (j < line.size() && line[j] == ' ') ++j;
  out.message = line.substr(j);
  return out;
}

std::optional<AuthLine> split_syslog_at(sv line, ops::SysTime now) {
  if (line.empty()) return std::nullopt;
  const bool rfc3164 = ascii_alpha(line[0]);
  const auto t = ops::log_time(line.substr(0, std::min<std::size_t>(line.size(), 40)),
                               rfc3164 ? ops::LogTimeFormat::syslog : ops::LogTimeFormat::iso8601, now);
  if (!t) return std::nullopt;
  return split_syslog(line, *t);
}

AuthMessage parse_auth_message(const AuthLine& line) {
  const sv program = line.program;
  if (program == "sshd" || program == "sshd-session" || program == "sshd-auth") return parse_sshd(line.message);
  AuthMessage m;
  sv msg = line.message;
  if (pam_failure(msg, m)) return m;
  if (program == "su" && eat(msg, "FAILED SU (to ")) {
    const std::size_t close = msg.find(')');
    if (close == sv::npos) return {};
    m.user = msg.substr(0, close);
    m.shape = AuthShape::local_failure;
    m.source = "su";
    m.method = "password";
    return m;
  }
  return {};
}

}  // namespace opsaudit
