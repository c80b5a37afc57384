#include "process_detail.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace ops::detail {

namespace {

constexpr std::size_t max_line_bytes = 1000;
// What finish() still reads after the child ended. The child itself cannot
// have left more than a pipe's capacity behind; this only bounds a grandchild
// that keeps writing into the pipe it inherited.
constexpr std::size_t max_bytes_after_finish = 4 << 20;

bool is_blank(const std::string& line) { return line.find_first_not_of(" \t\r\v\f") == std::string::npos; }

// Writes to our stderr, giving up quietly on an error: a closed stderr must not
// stop the draining, or the child would block on its own stderr.
void echo_to_stderr(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

StderrTail::StderrTail(Fd read_end, std::string program, std::size_t max_lines, bool echo)
    : fd_(std::move(read_end)), program_(std::move(program)), max_lines_(max_lines), echo_(echo) {
  // Non-blocking so that finish() can take what is there without waiting for more.
  int flags = ::fcntl(fd_.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd_.get(), F_SETFL, flags | O_NONBLOCK) != 0)
    fail_errno("cannot set up the stderr pipe of " + program_, errno);
  int stop = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop < 0) fail_errno("cannot set up the stderr pipe of " + program_, errno);
  stop_.reset(stop);
  thread_ = std::thread([this] { run(); });
}

void StderrTail::finish() noexcept {
  if (!thread_.joinable()) return;
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(stop_.get(), &one, sizeof one);
  try {
    thread_.join();
  } catch (...) {
    // join() only throws for a thread that cannot be joined, checked above.
  }
}

std::vector<std::string> StderrTail::lines() const {
  std::lock_guard lock(mutex_);
  return {lines_.begin(), lines_.end()};
}

std::string StderrTail::last_line() const {
  std::lock_guard lock(mutex_);
  return last_nonblank_;
}

void StderrTail::run() noexcept {
  try {
    pollfd fds[2] = {{fd_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
    for (;;) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      // The stop comes first: a grandchild writing without end must not keep us.
      if (fds[1].revents != 0) {
        drain_rest();
        break;
      }
      if (fds[0].revents != 0 && !read_some()) break;
    }
    if (!current_.empty()) end_line();  // a last line without a newline still counts
  } catch (...) {
    // Out of memory for a line: the tail is only a courtesy, the child is unaffected.
  }
}

// Reads one chunk; false at end of file or on an error.
bool StderrTail::read_some() {
  char buf[8192];
  ssize_t n = ::read(fd_.get(), buf, sizeof buf);
  if (n > 0) {
    feed(buf, static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

void StderrTail::drain_rest() {
  char buf[8192];
  for (std::size_t total = 0; total < max_bytes_after_finish;) {
    ssize_t n = read_retrying(fd_.get(), buf, sizeof buf);
    if (n <= 0) return;
    feed(buf, static_cast<std::size_t>(n));
    total += static_cast<std::size_t>(n);
  }
}

void StderrTail::feed(const char* data, std::size_t size) {
  while (size > 0) {
    const char* newline = static_cast<const char*>(std::memchr(data, '\n', size));
    std::size_t part = newline ? static_cast<std::size_t>(newline - data) : size;
    if (current_.size() < max_line_bytes) current_.append(data, std::min(part, max_line_bytes - current_.size()));
    if (!newline) return;
    end_line();
    data += part + 1;
    size -= part + 1;
  }
}

void StderrTail::end_line() {
  if (echo_) {
    // One write per line, so lines from several children do not mix mid-line.
    echo_to_stderr(program_ + ": " + current_ + "\n");
  }
  std::lock_guard lock(mutex_);
  if (!is_blank(current_)) last_nonblank_ = current_;
  if (max_lines_ > 0) {
    lines_.push_back(std::move(current_));
    while (lines_.size() > max_lines_) lines_.pop_front();
  }
  current_.clear();
}

}  // namespace ops::detail
