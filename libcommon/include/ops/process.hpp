#pragma once
// Child processes without a shell: argv as given, extra environment, pipes for
// stdin/stdout, and stderr kept as a bounded tail so a failure can be reported
// with the child's own last words ("pg_dump: error: connection … failed").
// Every child has an owner: a Process that is destroyed while the child still
// runs kills it (SIGKILL) and reaps it, so no child outlives an error path.

#include <ops/fs.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace ops {

struct ProcessSpec {
  // argv[0] is looked up in the child's PATH (ours unless env sets it), as
  // `env PATH=… prog` would; a name containing '/' is run as it is.
  std::vector<std::string> argv;
  // Added to (or replacing in) our own environment for the child only.
  std::vector<std::pair<std::string, std::string>> env;
  // Unset in the child's environment (e.g. PGPASSWORD, so only our file counts).
  // Applied before env, so a name in both gets env's value.
  std::vector<std::string> unset_env;

  // stdin: /dev/null unless pipe_stdin (then write to Process::stdin_fd())
  // or stdin_from is set (the child reads that fd, dup'ed; we keep ours).
  bool pipe_stdin = false;
  int stdin_from = -1;
  // stdout: a pipe we read (Process::stdout_fd()) unless stdout_to is set, in
  // which case the child writes straight to that fd (dup'ed; we keep ours).
  int stdout_to = -1;
  // How many of the last stderr lines to keep (each cut at 1000 bytes).
  std::size_t stderr_lines = 20;
  // Also copy the child's stderr to ours, line by line (cut the same way),
  // prefixed "argv[0]: ".
  bool echo_stderr = false;
  // The child gets SIGKILL when we die, so a killed parent leaves no orphan
  // dumper behind. (Linux PR_SET_PDEATHSIG: spawn from a thread that lives as
  // long as the child, e.g. the main thread.)
  bool die_with_parent = true;
};

// How a child ended.
struct ExitStatus {
  bool exited = false;  // false: killed by a signal
  int code = 0;         // exit code when exited
  int signal = 0;       // signal number when killed

  bool success() const noexcept { return exited && code == 0; }
  // "exited with status 1", "was killed by signal 9 (Killed)".
  std::string describe() const;
};

class Process {
 public:
  // Starts the child. A program that cannot be run (not found, not
  // executable) is an ops::Error (critical) "cannot run pg_dump: No such file
  // or directory", thrown here and not discovered later at wait().
  static Process spawn(const ProcessSpec& spec);

  Process(Process&&) noexcept;
  Process& operator=(Process&&) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();  // kills (SIGKILL) and reaps a child still running

  pid_t pid() const noexcept;
  // Our ends of the pipes (-1 when not piped). Close stdin to send EOF.
  int stdin_fd() const noexcept;
  int stdout_fd() const noexcept;
  void close_stdin();
  void close_stdout();

  // Waits for the child to end (and for its stderr to be drained). With a
  // timeout, returns nullopt when it has not ended by then (still running).
  // Once the child has ended, both return its status again on every call.
  // Stderr written after the child ended (by a grandchild that kept the pipe)
  // is not waited for.
  ExitStatus wait();
  std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);
  // Sends a signal; does nothing once the child has been reaped (its pid may
  // belong to another process by then).
  void kill(int signal);

  // The kept stderr lines, oldest first, and the last non-blank one ("" if none).
  // Complete only after wait() returned.
  std::vector<std::string> stderr_lines() const;
  std::string last_stderr_line() const;
  // The line that says why it failed: the last kept line mentioning "error"
  // or "fatal" (tools often add a "detail:" or "hint:" line after it), else
  // the last non-blank one.
  std::string failure_line() const;

  const std::string& program() const noexcept;  // argv[0], for messages

 private:
  struct State;
  explicit Process(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Runs a child to completion with stdout captured (at most max_output bytes;
// more is an error) — for short commands like `pg_dump --version`.
struct RunResult {
  ExitStatus status;
  std::string out;
  std::string last_stderr_line;
  bool timed_out = false;  // run_capture with a timeout: killed (SIGKILL) at it
};
RunResult run_capture(const ProcessSpec& spec, std::size_t max_output = 1 << 20);
// The same under a time limit, for a child that may hang (systemctl with a
// stuck bus, apt-get waiting on a lock): one still running, or still holding
// its stdout open, after `timeout` is killed and reaped, and the result has
// timed_out set with what it wrote so far; its status is then the kill's.
RunResult run_capture(const ProcessSpec& spec, std::size_t max_output, std::chrono::milliseconds timeout);

// Whether a program is found in PATH (an executable regular file), and where.
std::optional<std::string> find_program(const std::string& name);

}  // namespace ops
