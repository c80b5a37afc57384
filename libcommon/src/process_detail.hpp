#pragma once
// The parts of ops/process.hpp that its source files share and nobody else
// needs: the child's side of fork, the stderr drainer and the PATH search.

#include <ops/fs.hpp>
#include <ops/process.hpp>

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ops::detail {

// Everything the child needs, built before fork: between fork and exec only
// async-signal-safe calls are allowed, so nothing may be allocated there. Not
// movable: argv, envp and paths point into the strings it holds.
struct ChildPlan {
  std::vector<std::string> env;
  std::vector<std::string> candidates;
  std::vector<char*> argv;
  std::vector<char*> envp;
  std::vector<const char*> paths;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1, error_fd = -1;
  pid_t parent = -1;
  bool die_with_parent = true;

  ChildPlan() = default;
  ChildPlan(const ChildPlan&) = delete;
  ChildPlan& operator=(const ChildPlan&) = delete;
};

// Fills in the environment, argv and the paths to try; the fds are the caller's.
void plan_child(ChildPlan& plan, const ProcessSpec& spec);

// The child, between fork and exec. An exec that fails sends its errno down the
// error pipe; one that succeeds closes that pipe (O_CLOEXEC), which the parent sees.
[[noreturn]] void exec_child(const ChildPlan& plan) noexcept;

// Reads a child's stderr on a thread of its own, so that a child writing a lot
// there never blocks while we read its stdout, and keeps its last lines for the
// error message. Not movable: the thread holds `this`, so owners keep it on the heap.
class StderrTail {
 public:
  StderrTail(Fd read_end, std::string program, std::size_t max_lines, bool echo);
  StderrTail(const StderrTail&) = delete;
  StderrTail& operator=(const StderrTail&) = delete;
  ~StderrTail() { finish(); }

  // Once the child is reaped: reads what is still in the pipe, then stops even
  // if a grandchild holds the pipe open, and joins the thread. Idempotent.
  void finish() noexcept;

  std::vector<std::string> lines() const;
  std::string last_line() const;

 private:
  void run() noexcept;
  bool read_some();
  void drain_rest();
  void feed(const char* data, std::size_t size);
  void end_line();

  Fd fd_;
  Fd stop_;  // an eventfd that finish() signals
  std::string program_;
  std::size_t max_lines_;
  bool echo_;
  std::string current_;  // the line being read (only the thread touches it)
  mutable std::mutex mutex_;
  std::deque<std::string> lines_;
  std::string last_nonblank_;
  std::thread thread_;
};

// The paths execvp would try for name, in order, given a PATH value (nullptr:
// unset). A name containing '/' is its own only candidate.
std::vector<std::string> program_candidates(const std::string& name, const char* path);

}  // namespace ops::detail
