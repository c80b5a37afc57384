// The parallel walk of one root. Workers share a LIFO stack of directories to
// read (du_pool.hpp), so the walk stays close to depth-first: few pending
// directories, few open descriptors. A worker opens a directory with openat() relative to its
// parent's descriptor, lists it with getdents64() into a large buffer, and
// stats every entry with fstatat() relative to it: no path is resolved twice
// and no symlink is followed.
//
// Accounting: only directories at depth <= DuOptions::depth get a Node
// (their totals are reported); deeper content is added to the nearest such
// ancestor (its "sink"). A Node's `pending` counts the work still running
// under it: its own listing, deeper directories that add to it, and child
// Nodes not yet complete. The worker that takes it to zero completes the Node:
// it offers it to the top list and adds its totals to its parent. A Node is
// owned by the tasks and child Nodes that point to it (shared_ptr), and freed
// when the last of them lets go: after it completes, or when the pool drops
// the pending tasks after an exception. So memory holds the Nodes and pending
// directories of the current frontier, never a record per file.
//
// Descriptors: a directory with subdirectories keeps its descriptor (shared
// by those subdirectories' tasks) until the last of them is opened. Past
// max_open_dirs such descriptors, its subdirectories are instead opened by
// their path relative to the nearest ancestor that kept one (the "anchor"),
// with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) so that no symlink is
// followed there either. A directory keeps its descriptor regardless when
// that relative path grows long, so very deep trees never hit PATH_MAX.
#include "opsdf/du/du_walker.hpp"

#include "opsdf/du/du_pool.hpp"

#include <ops/error.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <memory>
#include <mutex>
#include <thread>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace opsdf::du {

namespace {

constexpr int dir_open_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
constexpr std::size_t listing_buffer_bytes = 64 * 1024;
// Past this length a path relative to an anchor makes its directory an anchor.
constexpr std::size_t long_relative_path = 2048;

struct Node {
  std::shared_ptr<Node> parent;  // null for the root
  std::string path;
  int depth;
  std::atomic<std::uint64_t> bytes;
  std::atomic<std::uint64_t> files{0};
  std::atomic<std::int64_t> pending{1};  // its own listing

  Node(std::shared_ptr<Node> p, std::string pth, int d, std::uint64_t own)
      : parent(std::move(p)), path(std::move(pth)), depth(d), bytes(own) {}
};

// A directory's descriptor, kept open while subdirectories remain to be opened from it.
struct OpenDir {
  ops::Fd fd;
  std::atomic<unsigned>& count;
  OpenDir(ops::Fd f, std::atomic<unsigned>& c) : fd(std::move(f)), count(c) { count.fetch_add(1); }
  ~OpenDir() { count.fetch_sub(1); }
  OpenDir(const OpenDir&) = delete;
  OpenDir& operator=(const OpenDir&) = delete;
};

struct Task {
  std::shared_ptr<OpenDir> anchor;  // null: the root's descriptor
  std::string path;
  std::size_t rel_pos;  // where the path relative to the anchor starts; npos for the root
  std::shared_ptr<Node> sink;  // where this directory's content is counted
  int depth;
};

// What one worker reuses from one directory to the next.
struct Scratch {
  std::unique_ptr<std::uint64_t[]> buffer{new std::uint64_t[listing_buffer_bytes / 8]};
  std::string path;
  std::vector<Task> subdirs;
  std::vector<DuEntry> files;
};

struct EntryStat {
  std::uint64_t dev, ino, size, blocks, nlink;
  bool is_dir;
};

bool stat_entry(int dirfd, const char* name, EntryStat& out) {
  struct stat st;
  if (::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return false;
  out = {st.st_dev, st.st_ino, static_cast<std::uint64_t>(st.st_size < 0 ? 0 : st.st_size),
         static_cast<std::uint64_t>(st.st_blocks), st.st_nlink, S_ISDIR(st.st_mode)};
  return true;
}

class RootWalk {
 public:
  RootWalk(ScanShared& shared, ops::Fd root_fd, std::uint64_t dev, std::uint64_t own_bytes, const std::string& root)
      : shared_(shared), opts_(shared.options), root_fd_(std::move(root_fd)), dev_(dev),
        prefix_len_(without_trailing_slashes(root)), root_node_(std::make_shared<Node>(nullptr, root, 0, own_bytes)),
        top_(shared.options.top),
        pool_(Task{nullptr, root.substr(0, prefix_len_), std::string::npos, root_node_, 0}) {}

  void run(DuResult& result, std::vector<std::string>& errors) {
    pool_.run(shared_.threads, [this](Task& t, Scratch& s) { process(t, s); });
    result.bytes = root_node_->bytes.load();
    result.files = root_node_->files.load();
    result.largest = top_.take_sorted();
    for (auto& e : errors_) errors.push_back(std::move(e));
  }

 private:
  // Children are "<root>/name": a root given as "/srv/" or "/" loses its trailing slashes.
  static std::size_t without_trailing_slashes(const std::string& root) {
    std::size_t end = root.find_last_not_of('/');
    return end == std::string::npos ? 0 : end + 1;
  }

  void error(std::string message) {
    std::lock_guard lock(errors_mu_);
    errors_.push_back(std::move(message));
  }

  ops::Fd open_dir(const Task& t) {
    if (t.rel_pos == std::string::npos) return ops::Fd(::fcntl(root_fd_.get(), F_DUPFD_CLOEXEC, 0));
    int anchor = t.anchor ? t.anchor->fd.get() : root_fd_.get();
    const char* relative = t.path.c_str() + t.rel_pos;
    if (t.path.find('/', t.rel_pos) == std::string::npos) return ops::Fd(::openat(anchor, relative, dir_open_flags));
    open_how how{};
    how.flags = dir_open_flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
                  (opts_.one_file_system ? RESOLVE_NO_XDEV : 0);
    long fd = ::syscall(SYS_openat2, anchor, relative, &how, sizeof how);
    // Before Linux 5.6: O_NOFOLLOW guards only the last component.
    if (fd < 0 && errno == ENOSYS) return ops::Fd(::openat(anchor, relative, dir_open_flags));
    return ops::Fd(static_cast<int>(fd));
  }

  void process(Task& t, Scratch& s) {
    Node* sink = t.sink.get();
    ops::Fd fd = open_dir(t);
    int open_errno = errno;
    if (!fd) {
      error("cannot read directory " + display(t) + ": " + ops::errno_text(open_errno));
      finish(sink);
      return;
    }
    s.path.assign(t.path).push_back('/');
    std::size_t base = s.path.size();
    int child_depth = t.depth + 1;
    bool listed = child_depth <= opts_.depth;
    std::uint64_t bytes = 0, files = 0;
    char* buf = reinterpret_cast<char*>(s.buffer.get());
    for (;;) {
      ssize_t n = ::getdents64(fd.get(), buf, listing_buffer_bytes);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        error("cannot read directory " + display(t) + ": " + ops::errno_text(errno));
        break;
      }
      for (ssize_t off = 0; off < n;) {
        const auto* d = reinterpret_cast<const dirent64*>(buf + off);
        off += d->d_reclen;
        const char* name = d->d_name;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        s.path.resize(base);
        s.path += name;
        if (!shared_.excluder.empty() && shared_.excluder.matches(s.path)) continue;
        EntryStat st;
        if (!stat_entry(fd.get(), name, st)) {
          if (errno != ENOENT) error("cannot access " + s.path + ": " + ops::errno_text(errno));
          continue;
        }
        if (opts_.one_file_system && st.dev != dev_) continue;
        std::uint64_t size = shared_.size_of(st.blocks, st.size);
        if (st.is_dir) {
          sink->pending.fetch_add(1, std::memory_order_relaxed);
          std::shared_ptr<Node> child_sink = t.sink;
          if (listed) {
            child_sink = std::make_shared<Node>(t.sink, s.path, child_depth, size);
          } else {
            bytes += size;
          }
          s.subdirs.push_back(Task{nullptr, s.path, base, std::move(child_sink), child_depth});
        } else {
          if (st.nlink > 1 && !shared_.seen.insert(st.dev, st.ino)) continue;
          bytes += size;
          ++files;
          if (listed && top_.may_accept(size)) s.files.push_back(DuEntry{s.path, size, 1, child_depth, false});
        }
      }
    }
    sink->bytes.fetch_add(bytes, std::memory_order_relaxed);
    sink->files.fetch_add(files, std::memory_order_relaxed);
    if (!s.files.empty()) top_.add_all(s.files);
    if (!s.subdirs.empty()) hand_out(t, s.subdirs, std::move(fd), base);
    finish(sink);
  }

  // Queues the subdirectories of t, opened from t's descriptor if it may stay
  // open, else by their path relative to t's anchor.
  void hand_out(Task& t, std::vector<Task>& subdirs, ops::Fd fd, std::size_t name_pos) {
    bool is_root = t.rel_pos == std::string::npos;
    std::size_t rel_pos = is_root ? name_pos : t.rel_pos;
    bool keep = open_dirs_.load(std::memory_order_relaxed) < shared_.max_open_dirs ||
                name_pos - rel_pos > long_relative_path;
    std::shared_ptr<OpenDir> own = keep ? std::make_shared<OpenDir>(std::move(fd), open_dirs_) : nullptr;
    for (auto& sub : subdirs) {
      sub.anchor = keep ? own : t.anchor;
      sub.rel_pos = keep ? name_pos : rel_pos;
    }
    t.anchor.reset();
    pool_.push(subdirs);
  }

  // One unit of work under `node` is done; completes it (and maybe its ancestors).
  void finish(Node* node) {
    while (node->pending.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      Node* parent = node->parent.get();
      if (parent == nullptr) return;  // the root: run() reads it after the join
      std::uint64_t bytes = node->bytes.load(std::memory_order_relaxed);
      std::uint64_t files = node->files.load(std::memory_order_relaxed);
      parent->bytes.fetch_add(bytes, std::memory_order_relaxed);
      parent->files.fetch_add(files, std::memory_order_relaxed);
      if (top_.may_accept(bytes)) top_.add(DuEntry{std::move(node->path), bytes, files, node->depth, true});
      node = parent;  // alive: the task being processed holds its sink, and each Node its parent
    }
  }

  // The root as given (its task's path has lost any trailing slash).
  const std::string& display(const Task& t) const { return t.depth == 0 ? root_node_->path : t.path; }

  ScanShared& shared_;
  const DuOptions& opts_;
  ops::Fd root_fd_;
  std::uint64_t dev_;
  std::size_t prefix_len_;
  std::shared_ptr<Node> root_node_;
  TopEntries top_;
  std::atomic<unsigned> open_dirs_{0};
  WorkStack<Task, Scratch> pool_;
  std::mutex errors_mu_;
  std::vector<std::string> errors_;
};

unsigned default_max_open_dirs() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return 4096;
  return static_cast<unsigned>(std::clamp<rlim_t>(lim.rlim_cur / 4, 16, 4096));
}

}  // namespace

ScanShared::ScanShared(const DuOptions& o)
    : options(o), excluder(o.excludes), max_open_dirs(o.max_open_dirs ? o.max_open_dirs : default_max_open_dirs()) {
  unsigned n = o.threads;
  if (n == 0) n = std::clamp(std::thread::hardware_concurrency(), 2U, 16U);
  threads = std::min(n, 256U);
}

void walk_root(ScanShared& shared, ops::Fd root_fd, std::uint64_t dev, std::uint64_t own_bytes, DuResult& result,
               std::vector<std::string>& errors) {
  RootWalk walk(shared, std::move(root_fd), dev, own_bytes, result.root);
  walk.run(result, errors);
}

}  // namespace opsdf::du
