#pragma once
// One attempt counts once. sshd logs one failed password of an unknown
// user three times under one PID ("Invalid user U", PAM's "authentication
// failure", "Failed password for invalid user U"), and ends a connection
// with lines of its own ("Connection closed by authenticating user",
// "maximum authentication attempts exceeded", "Disconnecting: Too many
// authentication failures", the last with no address). A connection is its
// PID: the heralds wait for the Failed line that makes them one attempt; a
// second Failed line is a second attempt (MaxAuthTries allows several); the
// end of a connection is an attempt only when nothing before it was one.
//
// The connections remembered are bounded (max_connections): when there are
// more, the least recently heard half is closed, so memory does not grow
// with the size of the log.

#include "opsaudit/logins/auth_event.hpp"
#include "opsaudit/logins/auth_line.hpp"
#include "opsaudit/logins/auth_parse.hpp"
#include "opsaudit/logins/text_hash.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

namespace opsaudit {

class AttemptCounter {
 public:
  explicit AttemptCounter(std::function<void(const AuthEvent&)> each, std::size_t max_connections = 8192)
      : each_(std::move(each)), max_(max_connections < 2 ? 2 : max_connections) {}
  ~AttemptCounter() = default;
  AttemptCounter(const AttemptCounter&) = delete;
  AttemptCounter& operator=(const AttemptCounter&) = delete;

  void add(const AuthLine& line, const AuthMessage& message);
  // The end of a source: heralds still waiting count as attempts.
  void finish();
  std::size_t connections() const noexcept { return by_pid_.size(); }

 private:
  struct Connection {
    std::string address, user, method;
    bool invalid = false;
    bool waiting = false;  // a herald without its Failed line yet
    ops::SysTime waiting_since{};
    std::uint32_t attempts = 0;
    bool ended = false;
    std::uint64_t heard = 0;
  };
  void failure(ops::SysTime time, const Connection& c, std::string_view user, std::string_view address,
               std::string_view method, bool invalid, std::string_view source);
  void close(Connection& c);
  void trim();

  std::function<void(const AuthEvent&)> each_;
  std::size_t max_;
  TextMap<Connection> by_pid_;
  // The last PID looked up: a connection's lines often come one after another.
  std::string last_pid_;
  TextMap<Connection>::iterator last_{};
  bool last_valid_ = false;
  std::uint64_t heard_ = 0;
  AuthEvent event_;  // reused: its strings keep their buffers
};

}  // namespace opsaudit
