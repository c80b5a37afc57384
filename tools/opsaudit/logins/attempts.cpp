#include "opsaudit/logins/attempts.hpp"

#include <algorithm>
#include <vector>

namespace opsaudit {

void AttemptCounter::failure(ops::SysTime time, const Connection& c, std::string_view user, std::string_view address,
                             std::string_view method, bool invalid, std::string_view source) {
  event_.time = time;
  event_.success = false;
  event_.address.assign(address.empty() ? std::string_view(c.address) : address);
  event_.user.assign(user.empty() ? std::string_view(c.user) : user);
  event_.method.assign(method.empty() ? std::string_view(c.method) : method);
  event_.invalid_user = invalid || c.invalid;
  event_.source.assign(source);
  each_(event_);
}

// A connection forgotten (evicted, or its source ended): a herald still
// waiting was an attempt whose Failed line we never saw.
void AttemptCounter::close(Connection& c) {
  if (c.waiting) failure(c.waiting_since, c, {}, {}, {}, false, "sshd");
  c.waiting = false;
}

void AttemptCounter::trim() {
  if (by_pid_.size() < max_) return;
  last_valid_ = false;
  std::vector<std::uint64_t> heard;
  heard.reserve(by_pid_.size());
  for (auto& [pid, c] : by_pid_) heard.push_back(c.heard);
  auto middle = heard.begin() + static_cast<std::ptrdiff_t>(heard.size() / 2);
  std::nth_element(heard.begin(), middle, heard.end());
  const std::uint64_t cut = *middle;
  for (auto it = by_pid_.begin(); it != by_pid_.end();) {
    if (it->second.heard < cut) {
      close(it->second);
      it = by_pid_.erase(it);
    } else {
      ++it;
    }
  }
}

void AttemptCounter::add(const AuthLine& line, const AuthMessage& m) {
  static const Connection none;
  if (m.shape == AuthShape::none) return;
  if (m.shape == AuthShape::local_failure) {
    failure(line.time, none, m.user, {}, m.method, m.invalid_user, m.source);
    return;
  }
  if (line.pid.empty()) {  // nothing to group by: each line on its own
    if (m.shape == AuthShape::accepted) {
      event_ = AuthEvent{line.time, true, std::string(m.address), std::string(m.user), false, std::string(m.method), "sshd"};
      each_(event_);
    } else if (!m.address.empty()) {
      failure(line.time, none, m.user, m.address, m.method, m.invalid_user, "sshd");
    }
    return;
  }
  auto found = last_valid_ && line.pid == last_pid_ ? last_ : by_pid_.find(line.pid);
  if (found == by_pid_.end()) {
    trim();
    found = by_pid_.emplace(std::string(line.pid), Connection{}).first;
  }
  last_pid_.assign(line.pid);
  last_ = found;
  last_valid_ = true;
  Connection& c = found->second;
  c.heard = ++heard_;
  if (c.ended && m.shape != AuthShape::ended) {  // the PID serves a new connection
    c = Connection{};
    c.heard = heard_;
  }
  if (!m.address.empty()) c.address.assign(m.address);
  if (!m.user.empty()) c.user.assign(m.user);
  if (!m.method.empty() && m.method != "pam") c.method.assign(m.method);
  c.invalid = c.invalid || m.invalid_user;
  switch (m.shape) {
    case AuthShape::failed:
      failure(line.time, c, m.user, m.address, m.method, m.invalid_user, "sshd");
      c.waiting = false;
      ++c.attempts;
      break;
    case AuthShape::herald:
      if (!c.waiting) c.waiting_since = line.time;
      c.waiting = true;
      break;
    case AuthShape::ended:
      if (!c.ended && (c.waiting || c.attempts == 0)) {
        failure(c.waiting ? c.waiting_since : line.time, c, {}, {}, c.method.empty() ? "none" : "", false, "sshd");
        ++c.attempts;
      }
      c.waiting = false;
      c.ended = true;
      if (m.last) {  // nothing more comes: forget it now, not when the table is full
        by_pid_.erase(found);
        last_valid_ = false;
      }
      break;
    case AuthShape::accepted: {
      close(c);
      event_ = AuthEvent{line.time, true, std::string(m.address), std::string(m.user), false, std::string(m.method), "sshd"};
      each_(event_);
      by_pid_.erase(found);
      last_valid_ = false;
      break;
    }
    case AuthShape::none:
    case AuthShape::local_failure: break;
  }
}

void AttemptCounter::finish() {
  for (auto& [pid, c] : by_pid_) close(c);
  by_pid_.clear();
  last_valid_ = false;
}

}  // namespace opsaudit
