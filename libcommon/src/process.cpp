#include "process_detail.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/process.hpp>
#include <ops/text.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ops {

namespace {

struct Pipe {
  Fd read, write;
};

Pipe make_pipe(const std::string& program) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail_errno("cannot run " + program, errno);
  return {Fd(fds[0]), Fd(fds[1])};
}

// A copy of fd numbered 3 or more: the child dup2s its fds onto 0, 1 and 2, and
// a source that is itself 0, 1 or 2 could be overwritten before its turn.
Fd fd_above_stdio(int fd, const std::string& program) {
  int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0) fail_errno("cannot run " + program, errno);
  return Fd(copy);
}

// An fd that becomes readable when the child ends (-1 on kernels before 5.3).
// The syscall and not glibc 2.36's pidfd_open: its header lacks extern "C".
Fd open_pidfd(pid_t pid) { return Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

ExitStatus decode(int wstatus) {
  ExitStatus status;
  status.exited = WIFEXITED(wstatus);
  status.code = status.exited ? WEXITSTATUS(wstatus) : 0;
  status.signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
  return status;
}

}  // namespace

// Everything a Process owns, on the heap so that moving a Process moves a
// pointer and nothing the stderr thread uses ever moves.
struct Process::State {
  std::string program;
  pid_t pid = -1;
  Fd pidfd;  // for wait_for's poll; -1 where pidfd_open is not available
  Fd stdin_fd, stdout_fd;
  std::unique_ptr<detail::StderrTail> tail;
  std::optional<ExitStatus> status;  // set once reaped

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (pid > 0 && !status) {
      ::kill(pid, SIGKILL);
      int ignored;
      while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
      }
    }
    if (tail) tail->finish();
  }

  // Reaps the child (flags: 0 or WNOHANG); false while it still runs.
  bool reap(int flags) {
    if (status) return true;
    if (pid < 0) fail_errno("cannot wait for " + program, ECHILD);
    int wstatus = 0;
    pid_t got;
    do {
      got = ::waitpid(pid, &wstatus, flags);
    } while (got < 0 && errno == EINTR);
    if (got == 0) return false;
    if (got < 0) {
      int err = errno;
      // Reaped elsewhere (SIGCHLD ignored): the pid may be another's soon, so never signal it again.
      if (err == ECHILD) pid = -1;
      fail_errno("cannot wait for " + program, err);
    }
    status = decode(wstatus);
    pidfd.reset();
    if (tail) tail->finish();
    return true;
  }
};

Process Process::spawn(const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) fail("cannot run an empty command");
  auto state = std::make_unique<State>();
  state->program = spec.argv[0];
  const std::string& program = state->program;

  detail::ChildPlan plan;
  detail::plan_child(plan, spec);
  Fd child_stdin, child_stdout;
  if (spec.pipe_stdin) {
    Pipe in = make_pipe(program);
    child_stdin = fd_above_stdio(in.read.get(), program);
    state->stdin_fd = std::move(in.write);
  } else if (spec.stdin_from >= 0) {
    child_stdin = fd_above_stdio(spec.stdin_from, program);
  } else {
    child_stdin = fd_above_stdio(open_file("/dev/null", O_RDONLY).get(), program);
  }
  if (spec.stdout_to >= 0) {
    child_stdout = fd_above_stdio(spec.stdout_to, program);
  } else {
    Pipe out = make_pipe(program);
    child_stdout = fd_above_stdio(out.write.get(), program);
    state->stdout_fd = std::move(out.read);
  }
  Pipe err = make_pipe(program);
  Fd child_stderr = fd_above_stdio(err.write.get(), program);
  err.write.reset();
  Pipe exec_error = make_pipe(program);
  plan.stdin_fd = child_stdin.get();
  plan.stdout_fd = child_stdout.get();
  plan.stderr_fd = child_stderr.get();
  plan.error_fd = exec_error.write.get();
  plan.parent = ::getpid();
  plan.die_with_parent = spec.die_with_parent;

  // Signals stay blocked from fork until the child has reset its handlers, so
  // none of our handlers ever runs in the child.
  sigset_t all, old;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_BLOCK, &all, &old);
  pid_t pid = ::fork();
  if (pid == 0) detail::exec_child(plan);
  int fork_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) fail_errno("cannot run " + program, fork_errno);
  state->pid = pid;  // from here on, ~State kills and reaps it on any error

  child_stdin.reset();
  child_stdout.reset();
  child_stderr.reset();
  exec_error.write.reset();
  int exec_errno = 0;
  ssize_t n = read_retrying(exec_error.read.get(), &exec_errno, sizeof exec_errno);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) fail_errno("cannot run " + program, exec_errno);

  state->pidfd = open_pidfd(pid);
  state->tail = std::make_unique<detail::StderrTail>(std::move(err.read), program, spec.stderr_lines,
                                                     spec.echo_stderr);
  return Process(std::move(state));
}

Process::Process(std::unique_ptr<State> state) : state_(std::move(state)) {}
Process::Process(Process&&) noexcept = default;
Process& Process::operator=(Process&&) noexcept = default;
Process::~Process() = default;

pid_t Process::pid() const noexcept { return state_ ? state_->pid : -1; }
int Process::stdin_fd() const noexcept { return state_ ? state_->stdin_fd.get() : -1; }
int Process::stdout_fd() const noexcept { return state_ ? state_->stdout_fd.get() : -1; }

const std::string& Process::program() const noexcept {
  static const std::string none;
  return state_ ? state_->program : none;
}

void Process::close_stdin() {
  if (state_) state_->stdin_fd.close();
}

void Process::close_stdout() {
  if (state_) state_->stdout_fd.close();
}

ExitStatus Process::wait() {
  if (!state_) throw std::logic_error("ops::Process::wait on a moved-from Process");
  state_->reap(0);
  return *state_->status;
}

std::optional<ExitStatus> Process::wait_for(std::chrono::milliseconds timeout) {
  if (!state_) throw std::logic_error("ops::Process::wait_for on a moved-from Process");
  using std::chrono::steady_clock;
  auto deadline = steady_clock::now() + timeout;
  for (;;) {
    if (state_->reap(WNOHANG)) return state_->status;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    if (state_->pidfd) {
      // Readable when the child ends; a signal (EINTR) just goes round again.
      pollfd ended{state_->pidfd.get(), POLLIN, 0};
      ::poll(&ended, 1, static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), 1000)));
    } else {
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(10)));
    }
  }
}

void Process::kill(int signal) {
  if (!state_ || state_->status || state_->pid < 0) return;
  if (::kill(state_->pid, signal) != 0 && errno != ESRCH) fail_errno("cannot signal " + state_->program, errno);
}

std::vector<std::string> Process::stderr_lines() const {
  return state_ && state_->tail ? state_->tail->lines() : std::vector<std::string>{};
}

std::string Process::last_stderr_line() const {
  return state_ && state_->tail ? state_->tail->last_line() : std::string{};
}

std::string Process::failure_line() const {
  const auto lines = stderr_lines();
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    const std::string lower = ascii_lower(*it);
    if (lower.find("error") != std::string::npos || lower.find("fatal") != std::string::npos) return *it;
  }
  return last_stderr_line();
}

}  // namespace ops
