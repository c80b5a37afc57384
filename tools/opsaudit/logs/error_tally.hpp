#pragma once
// What the logs audit keeps while it reads: how many events matched each
// pattern in each hour, and the message groups (events with one masked
// message) with their count, first and last time and one real line. Memory
// grows with the hours and the distinct groups, never with the log: past
// max_groups new groups are not kept, only counted.

#include <ops/clock.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace opsaudit {

struct MessageGroup {
  std::string message;  // the masked message: the key
  std::uint64_t count = 0;
  std::uint64_t critical = 0;  // of them, events at a critical level
  ops::SysTime first{};
  ops::SysTime last{};
  std::string example;  // the first line of the newest event, cut to kExampleBytes
  std::string file;     // where the example was read
};

class ErrorTally {
 public:
  static constexpr std::size_t kExampleBytes = 1000;

  ErrorTally(std::vector<std::string> patterns, std::size_t max_groups)
      : patterns_(std::move(patterns)), max_groups_(max_groups) {}

  // One event at `time` that matched the patterns of index `matched` (not
  // empty), its group key, its first line, whether it is at a critical level.
  void add(ops::SysTime time, const std::vector<std::size_t>& matched, const std::string& key,
           std::string_view example, const std::string& file, bool critical);

  const std::vector<std::string>& patterns() const noexcept { return patterns_; }
  // (local hour "2026-12-06 09:00", pattern index) -> events; in time order.
  const std::map<std::pair<std::string, std::size_t>, std::uint64_t>& hours() const noexcept { return hours_; }
  std::uint64_t total(std::size_t pattern) const;  // events that matched the pattern
  std::uint64_t events() const noexcept { return events_; }
  // The groups, most events first (then the newest last time, then the message).
  std::vector<const MessageGroup*> ranked() const;
  std::size_t group_count() const noexcept { return groups_.size(); }
  // Events of groups not kept because max_groups were already kept.
  std::uint64_t unkept() const noexcept { return unkept_; }

 private:
  std::vector<std::string> patterns_;
  std::size_t max_groups_;
  std::map<std::pair<std::string, std::size_t>, std::uint64_t> hours_;
  std::unordered_map<std::string, MessageGroup> groups_;
  std::uint64_t events_ = 0;
  std::uint64_t unkept_ = 0;
};

// The local hour of `t`: "2026-12-06 09:00".
std::string hour_of(ops::SysTime t);

}  // namespace opsaudit
