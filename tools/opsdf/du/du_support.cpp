#include "opsdf/du/du_support.hpp"

#include <algorithm>
#include <fnmatch.h>

namespace opsdf::du {

bool Excluder::matches(const std::string& path) const noexcept {
  const char* whole = path.c_str();
  for (const auto& glob : globs_) {
    if (::fnmatch(glob.c_str(), whole, 0) == 0) return true;
  }
  for (const char* p = whole; *p != '\0'; ++p) {
    if (p[0] != '/' || p[1] == '/' || p[1] == '\0') continue;
    for (const auto& glob : globs_) {
      if (::fnmatch(glob.c_str(), p + 1, 0) == 0) return true;
    }
  }
  return false;
}

bool SeenInodes::insert(std::uint64_t dev, std::uint64_t ino) {
  Key key{dev, ino};
  Shard& shard = shards_[KeyHash{}(key) % shard_count];
  std::lock_guard lock(shard.mu);
  return shard.keys.insert(key).second;
}

void TopEntries::add(DuEntry entry) {
  std::lock_guard lock(mu_);
  add_locked(std::move(entry));
}

void TopEntries::add_all(std::vector<DuEntry>& entries) {
  {
    std::lock_guard lock(mu_);
    for (auto& e : entries) add_locked(std::move(e));
  }
  entries.clear();
}

void TopEntries::add_locked(DuEntry&& entry) {
  // With ranks_before as "less", the heap's front is the entry ranked last.
  if (limit_ != 0 && heap_.size() >= limit_) {
    if (!ranks_before(entry, heap_.front())) return;
    std::pop_heap(heap_.begin(), heap_.end(), ranks_before);
    heap_.back() = std::move(entry);
  } else {
    heap_.push_back(std::move(entry));
  }
  std::push_heap(heap_.begin(), heap_.end(), ranks_before);
  if (limit_ != 0 && heap_.size() >= limit_) floor_.store(heap_.front().bytes, std::memory_order_relaxed);
}

std::vector<DuEntry> TopEntries::take_sorted() {
  std::lock_guard lock(mu_);
  std::vector<DuEntry> out = std::move(heap_);
  heap_.clear();
  floor_.store(0, std::memory_order_relaxed);
  std::sort(out.begin(), out.end(), ranks_before);
  return out;
}

}  // namespace opsdf::du
