// opsaudit logins: syslog lines split, every sshd/PAM/sudo/su shape read,
// an injected user name that cannot frame another address, one attempt
// counted once per PID, the year of an RFC 3164 line at a year end.
#include "opsaudit/logins/attempts.hpp"
#include "opsaudit/logins/auth_parse.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

using opsaudit::AuthShape;

namespace {

const ops::SysTime kNow = ops::parse_time("2026-12-06T12:00:00Z");

opsaudit::AuthMessage parse(const char* message, const char* program = "sshd") {
  return opsaudit::parse_auth_message(opsaudit::AuthLine{kNow, program, "42", message});
}

// The failures and successes a run of lines adds up to, as "F addr user" / "S addr user".
std::vector<std::string> events(const std::vector<std::string>& lines, std::size_t max_connections = 8192) {
  std::vector<std::string> out;
  opsaudit::AttemptCounter counter(
      [&](const opsaudit::AuthEvent& e) {
        out.push_back(std::string(e.success ? "S " : "F ") + e.address + " " + e.user + (e.invalid_user ? " invalid" : ""));
      },
      max_connections);
  for (const auto& text : lines) {
    auto line = opsaudit::split_syslog_at(text, kNow);
    REQUIRE(line);
    counter.add(*line, opsaudit::parse_auth_message(*line));
  }
  counter.finish();
  return out;
}

}  // namespace

TEST_CASE("auth lines: RFC 3164 and RFC 3339 headers split into time, program, pid and message") {
  ops::test::TzGuard tz("UTC");
  auto a = opsaudit::split_syslog_at("Nov 22 10:01:02 web sshd[811]: Failed password for root from 1.2.3.4 port 22 ssh2", kNow);
  REQUIRE(a);
  CHECK(a->time == ops::parse_time("2026-11-22T10:01:02Z"));
  CHECK(a->program == "sshd");
  CHECK(a->pid == "811");
  CHECK(a->message == "Failed password for root from 1.2.3.4 port 22 ssh2");
  auto b = opsaudit::split_syslog_at("2026-11-22T10:01:02.123456+01:00 web sshd-session[9]: Accepted publickey for bob from ::1 port 5 ssh2", kNow);
  REQUIRE(b);
  CHECK(b->time == ops::parse_time("2026-11-22T09:01:02Z"));
  CHECK(b->program == "sshd-session");
  auto c = opsaudit::split_syslog_at("Dec  6 09:00:00 web sudo: pam_unix(sudo:auth): authentication failure;", kNow);
  REQUIRE(c);
  CHECK(c->pid.empty());
  CHECK(c->program == "sudo");
  for (const char* bad : {"", "garbage", "Nov 22 10:01:02", "Nov 22 10:01:02 host", "Nov 22 10:01:02 host prog",
                          "2026-11-22T10:01:02Z", "Nov 22 10:01:02 host prog[12: x", "\x01\x02 Nov"})
    CHECK_FALSE(opsaudit::split_syslog_at(bad, kNow));
}

TEST_CASE("auth lines: the year of an RFC 3164 line is the one nearest to and not after now, across New Year") {
  ops::test::TzGuard tz("UTC");
  const ops::SysTime jan2 = ops::parse_time("2027-01-02T08:00:00Z");
  CHECK(opsaudit::split_syslog_at("Dec 31 23:59:59 h sshd[1]: x", jan2)->time == ops::parse_time("2026-12-31T23:59:59Z"));
  CHECK(opsaudit::split_syslog_at("Jan  1 00:00:01 h sshd[1]: x", jan2)->time == ops::parse_time("2027-01-01T00:00:01Z"));
  CHECK(opsaudit::split_syslog_at("Jan 20 00:00:01 h sshd[1]: x", jan2)->time == ops::parse_time("2026-01-20T00:00:01Z"));
}

TEST_CASE("auth lines: every failure and success shape of sshd") {
  auto f = parse("Failed password for root from 192.0.2.1 port 22 ssh2");
  CHECK(f.shape == AuthShape::failed);
  CHECK(f.user == "root");
  CHECK(f.address == "192.0.2.1");
  CHECK(f.method == "password");
  CHECK_FALSE(f.invalid_user);
  for (const char* method : {"keyboard-interactive/pam", "hostbased", "none"}) {
    const std::string text = fmt::format("Failed {} for invalid user test from 2001:db8::1 port 22 ssh2", method);
    auto m = parse(text.c_str());
    CHECK(m.shape == AuthShape::failed);
    CHECK(m.method == method);
    CHECK(m.invalid_user);
    CHECK(m.user == "test");
    CHECK(m.address == "2001:db8::1");
  }
  // A key refused for an existing account is not a failed login; for a made-up one it is.
  CHECK(parse("Failed publickey for bob from 192.0.2.1 port 22 ssh2: ED25519 SHA256:abc").shape == AuthShape::none);
  CHECK(parse("Failed publickey for invalid user bob from 192.0.2.1 port 22 ssh2").shape == AuthShape::failed);
  auto inv = parse("Invalid user  from 192.0.2.2 port 4");
  CHECK(inv.shape == AuthShape::herald);
  CHECK(inv.user.empty());
  CHECK(inv.invalid_user);
  CHECK(parse("Invalid user oracle from 192.0.2.2 port 4 [preauth]").address == "192.0.2.2");
  CHECK(parse("error: PAM: Authentication failure for illegal user x from 192.0.2.3").shape == AuthShape::herald);
  CHECK(parse("error: PAM: Authentication failure for root from 192.0.2.3").address == "192.0.2.3");
  auto pam = parse("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.4  user=root");
  CHECK(pam.shape == AuthShape::herald);
  CHECK(pam.address == "192.0.2.4");
  CHECK(pam.user == "root");
  auto closed = parse("Connection closed by authenticating user root 192.0.2.5 port 60 [preauth]");
  CHECK(closed.shape == AuthShape::ended);
  CHECK(closed.user == "root");
  CHECK(closed.address == "192.0.2.5");
  CHECK(parse("Connection reset by invalid user a b 192.0.2.5 port 60 [preauth]").user == "a b");
  CHECK(parse("Connection closed by 192.0.2.5 port 60 [preauth]").shape == AuthShape::none);  // before authentication
  auto max = parse("error: maximum authentication attempts exceeded for invalid user z from 192.0.2.6 port 7 ssh2 [preauth]");
  CHECK(max.shape == AuthShape::ended);
  CHECK(max.invalid_user);
  auto too_many = parse("Disconnecting: Too many authentication failures [preauth]");
  CHECK(too_many.shape == AuthShape::ended);
  CHECK(too_many.address.empty());
  CHECK(parse("Disconnecting authenticating user root 192.0.2.7 port 8: Too many authentication failures [preauth]").address ==
        "192.0.2.7");
  auto deny = parse("User admin from 192.0.2.8 not allowed because not listed in AllowUsers");
  CHECK(deny.shape == AuthShape::herald);
  CHECK(deny.user == "admin");
  CHECK(deny.address == "192.0.2.8");
  auto ok = parse("Accepted publickey for bob from 192.0.2.9 port 22 ssh2: ED25519 SHA256:abc", "sshd-session");
  CHECK(ok.shape == AuthShape::accepted);
  CHECK(ok.method == "publickey");
  CHECK(ok.user == "bob");
  CHECK(parse("fatal: Failed password for root from 192.0.2.1 port 22 ssh2").shape == AuthShape::failed);
  for (const char* other : {"Received disconnect from 192.0.2.1 port 22:11: Bye Bye [preauth]",
                            "pam_unix(sshd:session): session opened for user bob(uid=1000) by (uid=0)",
                            "Server listening on 0.0.0.0 port 22.", "Failed", "Failed password for", ""})
    CHECK(parse(other).shape == AuthShape::none);
}

TEST_CASE("auth lines: sudo and su failures have no address") {
  auto sudo = parse("pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=bob", "sudo");
  CHECK(sudo.shape == AuthShape::local_failure);
  CHECK(sudo.source == "sudo");
  CHECK(sudo.user == "bob");
  CHECK(sudo.address.empty());
  auto su = parse("FAILED SU (to root) bob on pts/0", "su");
  CHECK(su.shape == AuthShape::local_failure);
  CHECK(su.user == "root");
  CHECK(parse("bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id", "sudo").shape == AuthShape::none);
}

TEST_CASE("auth lines: a user name with a fake 'from IP port N' cannot frame another address") {
  auto m = parse("Invalid user x from 6.6.6.6 port 1 from 192.0.2.1 port 2222");
  CHECK(m.address == "192.0.2.1");
  CHECK(m.user == "x from 6.6.6.6 port 1");
  auto f = parse("Failed password for invalid user y from 6.6.6.6 port 22 ssh2 from 192.0.2.1 port 3 ssh2");
  CHECK(f.address == "192.0.2.1");
  // A name that puts its fake address last but no port after it: the line is not trusted at all.
  CHECK(parse("Invalid user a from 192.0.2.1 port 2 from 6.6.6.6").shape == AuthShape::none);
  auto pam = parse("pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.4  user=q rhost=6.6.6.6");
  CHECK(pam.address == "192.0.2.4");
  CHECK(pam.user == "q rhost=6.6.6.6");
}

TEST_CASE("auth lines: the lines of one attempt under one PID count once; a second Failed is a second attempt") {
  ops::test::TzGuard tz("UTC");
  CHECK(events({"Dec  5 10:00:01 h sshd[100]: Invalid user admin from 192.0.2.9 port 4",
                "Dec  5 10:00:02 h sshd[100]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.9",
                "Dec  5 10:00:04 h sshd[100]: Failed password for invalid user admin from 192.0.2.9 port 4 ssh2",
                "Dec  5 10:00:05 h sshd[100]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.9",
                "Dec  5 10:00:06 h sshd[100]: Failed password for invalid user admin from 192.0.2.9 port 4 ssh2",
                "Dec  5 10:00:07 h sshd[100]: Connection closed by invalid user admin 192.0.2.9 port 4 [preauth]"}) ==
        std::vector<std::string>{"F 192.0.2.9 admin invalid", "F 192.0.2.9 admin invalid"});
  // Alone, a herald is an attempt once its connection ends; an end alone is one too.
  CHECK(events({"Dec  5 10:00:01 h sshd[7]: Invalid user guest from 192.0.2.1 port 4",
                "Dec  5 10:00:02 h sshd[7]: Connection closed by invalid user guest 192.0.2.1 port 4 [preauth]",
                "Dec  5 10:00:03 h sshd[8]: Connection closed by authenticating user root 192.0.2.2 port 5 [preauth]"}) ==
        std::vector<std::string>{"F 192.0.2.1 guest invalid", "F 192.0.2.2 root"});
  // MaxAuthTries: the Failed lines count, the lines that end the connection add nothing; the
  // address-less "Too many authentication failures" is its PID's.
  CHECK(events({"Dec  5 11:00:00 h sshd-session[9]: Failed password for root from 192.0.2.3 port 6 ssh2",
                "Dec  5 11:00:01 h sshd-session[9]: Failed password for root from 192.0.2.3 port 6 ssh2",
                "Dec  5 11:00:02 h sshd-session[9]: error: maximum authentication attempts exceeded for root from 192.0.2.3 port 6 ssh2 [preauth]",
                "Dec  5 11:00:02 h sshd-session[9]: Disconnecting: Too many authentication failures [preauth]",
                "Dec  5 11:01:00 h sshd[10]: User admin from 192.0.2.4 not allowed because not listed in AllowUsers",
                "Dec  5 11:01:01 h sshd[10]: Disconnecting: Too many authentication failures [preauth]"}) ==
        std::vector<std::string>{"F 192.0.2.3 root", "F 192.0.2.3 root", "F 192.0.2.4 admin"});
  // A failed password then a key accepted in the same connection: a failure, then a success.
  CHECK(events({"Dec  5 12:00:00 h sshd[11]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.5  user=bob",
                "Dec  5 12:00:01 h sshd[11]: Accepted publickey for bob from 192.0.2.5 port 7 ssh2"}) ==
        std::vector<std::string>{"F 192.0.2.5 bob", "S 192.0.2.5 bob"});
}

TEST_CASE("auth lines: connections remembered are bounded; a forgotten herald still counts") {
  ops::test::TzGuard tz("UTC");
  std::vector<std::string> lines;
  for (int pid = 1; pid <= 100; ++pid)
    lines.push_back(fmt::format("Dec  5 10:00:00 h sshd[{}]: Invalid user u{} from 192.0.2.{} port 4", pid, pid, pid));
  const auto out = events(lines, 8);
  CHECK(out.size() == 100);
}
