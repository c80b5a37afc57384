#include "opsaudit/logins/file_source.hpp"

#include <ops/log_reader.hpp>
#include <ops/text.hpp>

#include <condition_variable>
#include <deque>
#include <exception>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <thread>

namespace opsaudit {
namespace {

// The parsed lines that concern logins, their text copied into one arena
// (the reader's buffer is reused as soon as a line is parsed).
struct Batch {
  struct Item {
    ops::SysTime time;
    AuthShape shape;
    bool invalid;
    bool last;
    std::uint32_t at;  // pid, user, address, method, source, one after another in the arena
    std::uint32_t n[5];
  };
  std::vector<Item> items;
  std::string arena;

  void add(const AuthLine& line, const AuthMessage& m) {
    Item item{line.time, m.shape, m.invalid_user, m.last, static_cast<std::uint32_t>(arena.size()), {}};
    const std::string_view parts[5] = {line.pid, m.user, m.address, m.method, m.source};
    for (int i = 0; i < 5; ++i) {
      item.n[i] = static_cast<std::uint32_t>(parts[i].size());
      arena.append(parts[i]);
    }
    items.push_back(item);
  }
  template <typename Each>
  void replay(Each&& each) const {
    for (const Item& item : items) {
      std::string_view parts[5];
      std::size_t at = item.at;
      for (int i = 0; i < 5; ++i) {
        parts[i] = std::string_view(arena).substr(at, item.n[i]);
        at += item.n[i];
      }
      const AuthLine line{item.time, "sshd", parts[0], {}};
      const AuthMessage m{item.shape, item.last, parts[1], parts[2], parts[3], parts[4], item.invalid};
      each(line, m);
    }
  }
};

constexpr std::size_t kBatch = 4096;
constexpr std::size_t kQueued = 4;  // batches waiting at most: memory stays bounded

// Batches from the reading thread to the counting one.
class Handoff {
 public:
  // False: the consumer has gone; stop reading.
  bool push(Batch&& batch) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return queue_.size() < kQueued || abandoned_; });
    if (abandoned_) return false;
    queue_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  bool pop(Batch& out) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (queue_.empty()) return false;
    out = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return true;
  }
  void finish(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    done_ = true;
    error_ = error;
    ready_.notify_all();
  }
  void abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    room_.notify_all();
  }
  // A batch replayed, its buffers kept for the reader (no malloc and page
  // faults per batch); a new one when none is back yet.
  void recycle(Batch&& batch) {
    batch.items.clear();
    batch.arena.clear();
    std::lock_guard lock(mutex_);
    if (spare_.size() < kQueued) spare_.push_back(std::move(batch));
  }
  Batch spare() {
    std::lock_guard lock(mutex_);
    if (spare_.empty()) return Batch{};
    Batch b = std::move(spare_.back());
    spare_.pop_back();
    return b;
  }
  std::exception_ptr error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<Batch> queue_;
  std::vector<Batch> spare_;
  bool done_ = false, abandoned_ = false;
  std::exception_ptr error_;
};

struct Unread {
  std::uint64_t count = 0, cut = 0, first = 0;
};

}  // namespace

FileReading read_auth_file(const std::string& path, ops::SysTime now, ops::SysTime from,
                           const std::function<void(const AuthLine&, const AuthMessage&)>& each) {
  FileReading result;
  Handoff handoff;
  std::map<std::string, Unread, std::less<>> unread;
  ops::LogReadStats stats;
  std::thread reader([&] {
    try {
      ops::LogReadOptions options;
      options.since = from;
      Batch batch;
      std::string last_file;  // by name: two files' names may share an address, one after the other
      Unread* current = nullptr;
      bool go_on = true;
      stats = ops::read_log_forward(path, now, options, [&](const ops::LogLine& l) {
        if (l.file != last_file) {
          last_file = l.file;
          current = nullptr;
        }
        std::optional<AuthLine> split;
        if (l.time && !l.cut) split = split_syslog(l.text, *l.time);
        if (!split) {
          if (!current) current = &unread[std::string(l.file)];
          if (!current->count) current->first = l.number;
          ++current->count;
          if (l.cut) ++current->cut;
          return true;
        }
        if (!result.earliest) result.earliest = split->time;
        const AuthMessage m = parse_auth_message(*split);
        if (m.shape == AuthShape::none) return true;
        batch.add(*split, m);
        if (batch.items.size() >= kBatch) {
          go_on = handoff.push(std::move(batch));
          batch = handoff.spare();
        }
        return go_on;
      });
      if (!batch.items.empty()) handoff.push(std::move(batch));
      handoff.finish(nullptr);
    } catch (...) {
      handoff.finish(std::current_exception());
    }
  });
  try {
    Batch batch;
    while (handoff.pop(batch)) {
      batch.replay(each);
      handoff.recycle(std::move(batch));
      batch = Batch{};
    }
  } catch (...) {
    handoff.abandon();
    reader.join();
    throw;
  }
  reader.join();
  if (auto error = handoff.error()) std::rethrow_exception(error);
  result.files = stats.files;
  for (const auto& [file, u] : unread)
    result.notes.push_back(fmt::format("{}: {} line{} not understood (no syslog time and program{}), the first at line {}",
                                       ops::shown(file), u.count, u.count == 1 ? "" : "s",
                                       u.cut ? fmt::format(", or {} longer than 1 MiB", u.cut) : "", u.first));
  for (const auto& e : stats.errors) result.notes.push_back(e + "; the lines before it were read");
  return result;
}

}  // namespace opsaudit
