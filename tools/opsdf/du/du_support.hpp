#pragma once
// The small thread-safe pieces the du scanner shares between its workers:
// exclusion globs, the set of hard-linked inodes already counted, and the
// bounded list of the largest entries.

#include "opsdf/du/du_scan.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace opsdf::du {

// du --exclude: a glob matches an entry when it matches its full path or any
// suffix of it that starts after a '/' (so a bare name matches the base name).
class Excluder {
 public:
  explicit Excluder(std::vector<std::string> globs) : globs_(std::move(globs)) {}
  bool empty() const noexcept { return globs_.empty(); }
  bool matches(const std::string& path) const noexcept;

 private:
  std::vector<std::string> globs_;
};

// (st_dev, st_ino) of the multiply-linked files counted so far. Sharded so
// that workers rarely wait for each other.
class SeenInodes {
 public:
  // True the first time a given inode is inserted.
  bool insert(std::uint64_t dev, std::uint64_t ino);

 private:
  struct Key {
    std::uint64_t dev;
    std::uint64_t ino;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return static_cast<std::size_t>((k.ino * 0x9E3779B97F4A7C15ULL) ^ (k.dev * 0xC2B2AE3D27D4EB4FULL));
    }
  };
  struct alignas(64) Shard {
    std::mutex mu;
    std::unordered_set<Key, KeyHash> keys;
  };
  static constexpr std::size_t shard_count = 64;
  std::array<Shard, shard_count> shards_;
};

// The `limit` largest entries seen (all of them when limit is 0), largest
// first, ties broken by path so the output does not depend on thread timing.
class TopEntries {
 public:
  explicit TopEntries(std::size_t limit) : limit_(limit) {}
  // A cheap, lock-free pre-check: false when an entry of this size cannot make
  // the list (it is already full of larger ones).
  bool may_accept(std::uint64_t bytes) const noexcept {
    return bytes >= floor_.load(std::memory_order_relaxed);
  }
  void add(DuEntry entry);
  void add_all(std::vector<DuEntry>& entries);  // moves from and clears entries
  std::vector<DuEntry> take_sorted();

 private:
  void add_locked(DuEntry&& entry);
  std::mutex mu_;
  std::size_t limit_;
  std::vector<DuEntry> heap_;  // a heap with the smallest kept entry on top
  std::atomic<std::uint64_t> floor_{0};
};

// "Comes first": larger, or as large and earlier by path.
inline bool ranks_before(const DuEntry& a, const DuEntry& b) noexcept {
  return a.bytes != b.bytes ? a.bytes > b.bytes : a.path < b.path;
}

}  // namespace opsdf::du
