#pragma once
// What a week of login events adds up to: failures per address (count,
// first, last, users tried, sources), a success after failures from the same
// address, logins as root, logins from an address that had none in the
// period before, the user names that do not exist. Events of the previous
// period (as long as the audited one, just before it) only say which
// addresses logged in then.
//
// Memory grows with the distinct addresses and user names, never with the
// number of events: an address keeps a handful of names and its times.

#include "opsaudit/audit.hpp"
#include "opsaudit/logins/auth_event.hpp"
#include "opsaudit/logins/text_hash.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace opsaudit {

struct TallyPeriod {
  ops::SysTime since;           // the audited period starts here
  ops::SysTime previous_since;  // and the one before it here
  std::chrono::seconds length;  // since - previous_since, for messages
  long long threshold = 5;      // failures that make an address a finding
};

class LoginTally {
 public:
  explicit LoginTally(TallyPeriod period) : period_(period) {}

  void add(const AuthEvent& event);
  // A line of some source was read at `time`: the sources reach back that far.
  void reached(ops::SysTime time) noexcept {
    if (time < period_.since) covered_ = true;
  }
  // Findings, the addresses and successes tables and the figures, into `section`.
  void report(Section& section) const;

  std::uint64_t failures() const noexcept { return failures_; }
  std::uint64_t successes() const noexcept { return successes_; }

  static constexpr std::size_t kUsersKept = 5;
  static constexpr std::size_t kNamesKept = 20000;
  static constexpr std::size_t kSuccessesKept = 1000;

 private:
  struct Address {
    std::uint64_t failures = 0;
    ops::SysTime first{}, last{};
    std::vector<std::string> users;  // the first kUsersKept names tried
    std::uint64_t more_users = 0;    // attempts at other names (not told apart)
    std::vector<std::string> sources;
    std::uint64_t successes = 0;
    ops::SysTime first_success{}, last_success{};
    std::string first_user, last_user, first_method;
    std::uint64_t root_logins = 0;
    ops::SysTime last_root{};
    bool logged_in_before = false;  // a success in the previous period
  };
  struct Success {
    ops::SysTime time;
    std::string user, address, method, source;
  };

  Address& address(std::string_view key);

  TallyPeriod period_;
  TextMap<Address> addresses_;
  // The last address looked up: a connection's failures come one after
  // another, and a map node does not move.
  std::string last_key_;
  Address* last_ = nullptr;
  TextMap<std::uint64_t> invalid_names_;
  std::uint64_t invalid_attempts_ = 0, invalid_names_dropped_ = 0;
  std::vector<Success> success_list_;
  std::uint64_t failures_ = 0, successes_ = 0;
  bool covered_ = false;
};

// "(no address)": the key of events without one (sudo, su, an sshd end of
// connection whose PID said nothing else).
inline constexpr std::string_view kNoAddress = "(no address)";

}  // namespace opsaudit
