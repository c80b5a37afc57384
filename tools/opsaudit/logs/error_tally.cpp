#include "opsaudit/logs/error_tally.hpp"

#include <ops/local_time.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace opsaudit {

std::string hour_of(ops::SysTime t) {
  const auto local = ops::to_local(t);
  if (!local) return ops::format_time(t).substr(0, 13) + ":00";
  return fmt::format("{:04}-{:02}-{:02} {:02}:00", local->year, local->month, local->day, local->hour);
}

void ErrorTally::add(ops::SysTime time, const std::vector<std::size_t>& matched, const std::string& key,
                     std::string_view example, const std::string& file, bool critical) {
  ++events_;
  const std::string hour = hour_of(time);
  for (std::size_t p : matched) ++hours_[{hour, p}];
  auto it = groups_.find(key);
  if (it == groups_.end()) {
    if (groups_.size() >= max_groups_) {
      ++unkept_;
      return;
    }
    MessageGroup g;
    g.message = key;
    g.first = g.last = time;
    g.example = std::string(example.substr(0, kExampleBytes));
    g.file = file;
    it = groups_.emplace(key, std::move(g)).first;
  }
  MessageGroup& g = it->second;
  ++g.count;
  g.critical += critical;
  // Events come newest first from each file, but files are read one after
  // another: the example is the newest line seen.
  if (time > g.last) {
    g.last = time;
    g.example = std::string(example.substr(0, kExampleBytes));
    g.file = file;
  }
  g.first = std::min(g.first, time);
}

std::uint64_t ErrorTally::total(std::size_t pattern) const {
  std::uint64_t n = 0;
  for (const auto& [key, count] : hours_)
    if (key.second == pattern) n += count;
  return n;
}

std::vector<const MessageGroup*> ErrorTally::ranked() const {
  std::vector<const MessageGroup*> out;
  out.reserve(groups_.size());
  for (const auto& [key, g] : groups_) out.push_back(&g);
  std::sort(out.begin(), out.end(), [](const MessageGroup* a, const MessageGroup* b) {
    if (a->count != b->count) return a->count > b->count;
    if (a->last != b->last) return a->last > b->last;
    return a->message < b->message;
  });
  return out;
}

}  // namespace opsaudit
