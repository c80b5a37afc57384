#include "process_detail.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/process.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ops {

std::string ExitStatus::describe() const {
  if (exited) return "exited with status " + std::to_string(code);
  std::string text = "was killed by signal " + std::to_string(signal);
  if (const char* name = ::sigdescr_np(signal)) text += std::string(" (") + name + ")";
  return text;
}

RunResult run_capture(const ProcessSpec& spec, std::size_t max_output) {
  return run_capture(spec, max_output, std::chrono::milliseconds::max());
}

RunResult run_capture(const ProcessSpec& spec, std::size_t max_output, std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const bool limited = timeout != std::chrono::milliseconds::max();
  const Clock::time_point deadline = limited ? Clock::now() + timeout : Clock::time_point::max();
  ProcessSpec captured = spec;
  captured.stdout_to = -1;
  captured.pipe_stdin = false;  // nobody would write to it
  Process child = Process::spawn(captured);
  RunResult result;
  char buf[65536];
  for (;;) {
    if (limited) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd pfd{child.stdout_fd(), POLLIN, 0};
      const int ready = left.count() > 0 ? ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left.count(), 1 << 30)))
                                         : 0;
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) fail_errno("cannot wait for the output of " + child.program(), errno);
      if (ready == 0) {
        child.kill(SIGKILL);
        result.status = child.wait();
        result.last_stderr_line = child.last_stderr_line();
        result.timed_out = true;
        return result;
      }
    }
    // One byte more than the room left, to tell "exactly the limit" from "over it".
    std::size_t room = max_output - result.out.size();
    const std::size_t n =
        read_some(child.stdout_fd(), buf, room < sizeof buf ? room + 1 : sizeof buf, "the output of " + child.program());
    if (n == 0) break;
    result.out.append(buf, n);
    // The child is killed and reaped by its owner on the way out.
    if (result.out.size() > max_output)
      fail(child.program() + " wrote more than " + std::to_string(max_output) + " bytes to its output");
  }
  // EOF came: the child has closed its stdout and is usually ending.
  if (limited) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    auto status = child.wait_for(std::max(left, std::chrono::milliseconds(0)));
    if (!status) {
      child.kill(SIGKILL);
      result.timed_out = true;
    }
  }
  result.status = child.wait();
  result.last_stderr_line = child.last_stderr_line();
  return result;
}

namespace detail {

std::vector<std::string> program_candidates(const std::string& name, const char* path) {
  if (name.find('/') != std::string::npos) return {name};
  // glibc's default when PATH is unset (confstr _CS_PATH).
  std::string dirs = path ? path : "/bin:/usr/bin";
  std::vector<std::string> candidates;
  for (std::size_t start = 0;;) {
    std::size_t end = dirs.find(':', start);
    std::string dir = dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    candidates.push_back((dir.empty() ? std::string(".") : dir) + "/" + name);  // empty means "."
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return candidates;
}

}  // namespace detail

std::optional<std::string> find_program(const std::string& name) {
  if (name.empty()) return std::nullopt;
  for (const auto& candidate : detail::program_candidates(name, std::getenv("PATH"))) {
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::faccessat(AT_FDCWD, candidate.c_str(), X_OK, AT_EACCESS) == 0)
      return candidate;
  }
  return std::nullopt;
}

}  // namespace ops
