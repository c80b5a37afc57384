// ops/process.hpp: real children (sh, cat, sleep, yes) run without a shell of
// ours; what they print, how they end, and that none outlives its owner.
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/process.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace std::chrono_literals;
using ops::test::EnvGuard;
using ops::test::TempDir;
using ops::test::slurp;
using Clock = std::chrono::steady_clock;

ops::ProcessSpec command(std::vector<std::string> argv) {
  ops::ProcessSpec spec;
  spec.argv = std::move(argv);
  return spec;
}

ops::ProcessSpec shell(const std::string& script) { return command({"sh", "-c", script}); }

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// Every byte value, in a pattern that does not repeat every 256 bytes.
std::string binary_data(std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 7 + i / 256) & 0xff);
  return data;
}

bool process_gone(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

std::string error_of(const ops::ProcessSpec& spec) {
  try {
    ops::Process::spawn(spec);
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::critical);
    return e.what();
  }
  return "(no error)";
}

// Points our fd 2 at a file for a scope, to see what a child's stderr echo wrote.
class StderrToFile {
 public:
  explicit StderrToFile(const std::filesystem::path& file)
      : saved_(::fcntl(2, F_DUPFD_CLOEXEC, 3)), file_(ops::open_file(file, O_WRONLY | O_CREAT | O_TRUNC)) {
    ::dup2(file_.get(), 2);
  }
  ~StderrToFile() { ::dup2(saved_.get(), 2); }
  StderrToFile(const StderrToFile&) = delete;
  StderrToFile& operator=(const StderrToFile&) = delete;

 private:
  ops::Fd saved_;
  ops::Fd file_;
};

// Orphaned descendants are reparented to this process for a scope, so a test
// can reap a grandchild and see how it ended.
class SubreaperGuard {
 public:
  SubreaperGuard() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }
  ~SubreaperGuard() { ::prctl(PR_SET_CHILD_SUBREAPER, 0); }
  SubreaperGuard(const SubreaperGuard&) = delete;
  SubreaperGuard& operator=(const SubreaperGuard&) = delete;
};

// Waits up to `limit` for a child of ours to end; its wait status, or -1.
int reap_within(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  int status = 0;
  while (Clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(10ms);
  }
  return -1;
}

}  // namespace

TEST_CASE("process: exit codes and deaths by signal are reported as they happened") {
  auto status = ops::Process::spawn(command({"true"})).wait();
  CHECK(status.success());
  CHECK(status.describe() == "exited with status 0");

  status = ops::Process::spawn(command({"false"})).wait();
  CHECK_FALSE(status.success());
  CHECK(status.exited);
  CHECK(status.code == 1);
  CHECK(status.describe() == "exited with status 1");

  CHECK(ops::Process::spawn(shell("exit 7")).wait().code == 7);

  status = ops::Process::spawn(shell("kill -9 $$")).wait();
  CHECK_FALSE(status.exited);
  CHECK(status.signal == SIGKILL);
  CHECK(status.describe() == "was killed by signal 9 (Killed)");

  auto sleeper = ops::Process::spawn(command({"sleep", "30"}));
  sleeper.kill(SIGTERM);
  status = sleeper.wait();
  CHECK(status.describe() == "was killed by signal 15 (Terminated)");
  CHECK(sleeper.wait().signal == SIGTERM);  // asking again gives the same answer
  sleeper.kill(SIGKILL);                    // reaped: nothing left to signal, no error
}

TEST_CASE("process: a program that cannot run is reported by spawn with the reason") {
  TempDir dir;
  CHECK(error_of(command({"no-such-program-xyz"})) == "cannot run no-such-program-xyz: No such file or directory");
  auto missing = (dir.path() / "missing").string();
  CHECK(error_of(command({missing})) == "cannot run " + missing + ": No such file or directory");

  auto script = dir.write("not-executable", "#!/bin/sh\necho hi\n", 0644).string();
  CHECK(error_of(command({script})) == "cannot run " + script + ": Permission denied");

  // Looked up in the child's PATH: a non-executable match is "Permission denied",
  // as execvp says, and a later directory still gets its turn.
  dir.write("tool", "#!/bin/sh\necho hi\n", 0644);
  auto spec = command({"tool"});
  spec.env = {{"PATH", dir.str() + ":/nonexistent"}};
  CHECK(error_of(spec) == "cannot run tool: Permission denied");
  spec = command({"sh", "-c", "echo found"});
  spec.env = {{"PATH", dir.str() + ":/usr/bin:/bin"}};
  CHECK(ops::run_capture(spec).out == "found\n");
}

TEST_CASE("process: stdout is captured exactly, binary and large, while the child floods stderr") {
  TempDir dir;
  const std::string data = binary_data(6 << 20);
  auto file = dir.write("data.bin", data);
  // stdout and 5 MB of stderr at the same time: without the stderr thread the
  // child would block on stderr while we wait for its stdout.
  auto spec = command({"sh", "-c",
                       "cat \"$1\" & yes 'error line' | head -n 500000 >&2; wait; echo 'last words' >&2", "sh",
                       file.string()});
  auto result = ops::run_capture(spec, 8 << 20);
  CHECK(result.status.success());
  CHECK(result.out.size() == data.size());
  CHECK(result.out == data);
  CHECK(result.last_stderr_line == "last words");
}

TEST_CASE("process: what we write to a piped stdin comes back through cat") {
  auto spec = command({"cat"});
  spec.pipe_stdin = true;
  auto child = ops::Process::spawn(spec);
  REQUIRE(child.stdin_fd() >= 0);
  REQUIRE(child.stdout_fd() >= 0);
  const std::string data = binary_data(2 << 20);
  // More than a pipe holds, so writing and reading must overlap.
  std::thread writer([&] {
    ops::write_all(child.stdin_fd(), data, "cat's stdin");
    child.close_stdin();  // EOF: cat ends only if no one else holds the pipe
  });
  std::string out = read_all(child.stdout_fd());
  writer.join();
  CHECK(out == data);
  CHECK(child.wait().success());
  CHECK(child.stdin_fd() == -1);
}

TEST_CASE("process: stdin is /dev/null unless piped") {
  auto result = ops::run_capture(command({"cat"}));
  CHECK(result.status.success());
  CHECK(result.out.empty());
}

TEST_CASE("process: the stderr tail keeps the last lines and the last non-blank one") {
  SECTION("only the last N lines, blank ones included") {
    auto spec = shell(
        "i=1; while [ $i -le 10 ]; do echo \"line $i\" >&2; i=$((i+1)); done;"
        "echo 'pg_dump: error: disk full' >&2; printf '\\n   \\n' >&2");
    spec.stderr_lines = 3;
    auto child = ops::Process::spawn(spec);
    child.wait();
    CHECK(child.stderr_lines() == std::vector<std::string>{"pg_dump: error: disk full", "", "   "});
    CHECK(child.last_stderr_line() == "pg_dump: error: disk full");
  }
  SECTION("a last line without a newline counts") {
    auto child = ops::Process::spawn(shell("printf 'first\\nno newline at the end' >&2"));
    child.wait();
    CHECK(child.stderr_lines() == std::vector<std::string>{"first", "no newline at the end"});
    CHECK(child.last_stderr_line() == "no newline at the end");
  }
  SECTION("a long line is cut at 1000 bytes and the next line is intact") {
    auto child = ops::Process::spawn(shell("head -c 5000 /dev/zero | tr '\\0' x >&2; echo >&2; echo after >&2"));
    child.wait();
    CHECK(child.stderr_lines() == std::vector<std::string>{std::string(1000, 'x'), "after"});
  }
  SECTION("keeping no lines still knows the last words") {
    auto spec = shell("echo 'one' >&2; echo 'two' >&2");
    spec.stderr_lines = 0;
    auto child = ops::Process::spawn(spec);
    child.wait();
    CHECK(child.stderr_lines().empty());
    CHECK(child.last_stderr_line() == "two");
  }
  SECTION("no stderr at all") {
    auto child = ops::Process::spawn(command({"true"}));
    child.wait();
    CHECK(child.stderr_lines().empty());
    CHECK(child.last_stderr_line().empty());
  }
}

TEST_CASE("process: echo_stderr copies each line to our stderr prefixed with the program") {
  TempDir dir;
  auto captured = dir.path() / "stderr";
  for (bool echo : {true, false}) {
    auto spec = shell("echo 'connection refused' >&2; printf 'retrying' >&2");
    spec.echo_stderr = echo;
    {
      StderrToFile redirect(captured);
      auto child = ops::Process::spawn(spec);
      child.wait();
      CHECK(child.stderr_lines() == std::vector<std::string>{"connection refused", "retrying"});
    }
    CHECK(slurp(captured) == (echo ? "sh: connection refused\nsh: retrying\n" : ""));
  }
}

TEST_CASE("process: env adds, replaces and unsets variables for the child only") {
  EnvGuard replaced("OPS_TEST_REPLACED", "ours");
  EnvGuard unset("OPS_TEST_UNSET", "secret");
  EnvGuard kept("OPS_TEST_KEPT", "kept");
  auto spec = shell(
      "echo \"${OPS_TEST_NEW-none}|${OPS_TEST_REPLACED-none}|${OPS_TEST_UNSET-none}|${OPS_TEST_KEPT-none}\"");
  spec.env = {{"OPS_TEST_NEW", "new value"}, {"OPS_TEST_REPLACED", "theirs"}};
  spec.unset_env = {"OPS_TEST_UNSET"};
  auto result = ops::run_capture(spec);
  CHECK(result.out == "new value|theirs|none|kept\n");
  CHECK(std::string(std::getenv("OPS_TEST_REPLACED")) == "ours");
  CHECK(std::string(std::getenv("OPS_TEST_UNSET")) == "secret");
  CHECK(std::getenv("OPS_TEST_NEW") == nullptr);

  spec.unset_env = {"OPS_TEST_REPLACED"};  // named in both: env's value wins
  CHECK(ops::run_capture(spec).out == "new value|theirs|secret|kept\n");
}

TEST_CASE("process: stdout_to sends the child's output straight into a file") {
  TempDir dir;
  auto path = dir.path() / "dump.sql";
  ops::Fd file = ops::open_file(path, O_WRONLY | O_CREAT | O_TRUNC);
  auto spec = command({"printf", "CREATE TABLE t;\\n"});
  spec.stdout_to = file.get();
  auto child = ops::Process::spawn(spec);
  CHECK(child.stdout_fd() == -1);
  CHECK(child.wait().success());
  ops::write_all(file.get(), "-- ours, after\n", path.string());  // our fd is still ours
  file.close();
  CHECK(slurp(path) == "CREATE TABLE t;\n-- ours, after\n");
}

TEST_CASE("process: wait_for gives up on a running child and the destructor kills it") {
  pid_t pid = -1;
  {
    auto child = ops::Process::spawn(command({"sleep", "5"}));
    pid = child.pid();
    auto start = Clock::now();
    CHECK_FALSE(child.wait_for(200ms).has_value());
    auto waited = Clock::now() - start;
    CHECK(waited >= 200ms);
    CHECK(waited < 2s);
    CHECK_FALSE(child.wait_for(0ms).has_value());
    CHECK(::kill(pid, 0) == 0);  // still running, not reaped behind our back
  }
  CHECK(process_gone(pid));

  auto quick = ops::Process::spawn(shell("sleep 0.1; exit 3"));
  auto status = quick.wait_for(10s);
  REQUIRE(status.has_value());
  CHECK(status->code == 3);
}

TEST_CASE("process: the destructor of a busy child returns quickly and leaves nothing behind") {
  pid_t pid = -1;
  auto start = Clock::now();
  {
    auto child = ops::Process::spawn(command({"yes"}));
    pid = child.pid();
    char buf[16];
    REQUIRE(::read(child.stdout_fd(), buf, sizeof buf) > 0);  // it runs, and nobody waits for it
  }
  CHECK(Clock::now() - start < 2s);
  CHECK(process_gone(pid));
}

TEST_CASE("process: wait returns although a background grandchild keeps stderr open") {
  // `sleep 30 &` inherits the stderr pipe; waiting for its EOF would take 30 s.
  SubreaperGuard reaper;
  auto start = Clock::now();
  auto result = ops::run_capture(shell("sleep 30 >/dev/null & echo $!; echo 'started' >&2"));
  CHECK(Clock::now() - start < 5s);
  CHECK(result.status.success());
  CHECK(result.last_stderr_line == "started");
  pid_t sleeper = std::stoi(result.out);
  CHECK(::kill(sleeper, SIGKILL) == 0);
  CHECK(reap_within(sleeper, 3s) != -1);
}

TEST_CASE("process: a moved Process still owns its child") {
  auto first = ops::Process::spawn(shell("read line; echo \"got $line\"; echo 'bye' >&2; exit 4"));
  pid_t pid = first.pid();
  // The stdin pipe is not asked for: read sees EOF from /dev/null.
  std::vector<ops::Process> owners;
  owners.push_back(std::move(first));
  CHECK(first.pid() == -1);
  ops::Process second = std::move(owners.back());
  owners.clear();
  CHECK(second.pid() == pid);
  CHECK(read_all(second.stdout_fd()) == "got \n");
  CHECK(second.wait().code == 4);
  CHECK(second.stderr_lines() == std::vector<std::string>{"bye"});

  // Assigning over a Process whose child still runs kills that child.
  auto sleeper = ops::Process::spawn(command({"sleep", "30"}));
  pid_t sleeper_pid = sleeper.pid();
  sleeper = ops::Process::spawn(command({"true"}));
  CHECK(process_gone(sleeper_pid));
  CHECK(sleeper.wait().success());
}

TEST_CASE("process: the child gets default SIGPIPE and no blocked signals, whatever we set for ourselves") {
  struct sigaction ignore {}, old_pipe {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe);
  sigset_t term, old_mask;
  ::sigemptyset(&term);
  ::sigaddset(&term, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &term, &old_mask);

  // yes writing into a pipe we closed dies of SIGPIPE, as in a shell pipeline,
  // instead of reporting "Broken pipe" and exiting 1.
  auto yes = ops::Process::spawn(command({"yes"}));
  char buf[16];
  REQUIRE(::read(yes.stdout_fd(), buf, sizeof buf) > 0);
  yes.close_stdout();
  auto yes_status = yes.wait();
  auto sleeper = ops::Process::spawn(command({"sleep", "30"}));
  sleeper.kill(SIGTERM);
  auto sleeper_status = sleeper.wait_for(5s);

  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGPIPE, &old_pipe, nullptr);
  CHECK(yes_status.signal == SIGPIPE);
  CHECK(yes.last_stderr_line().empty());
  REQUIRE(sleeper_status.has_value());
  CHECK(sleeper_status->signal == SIGTERM);
}

TEST_CASE("process: die_with_parent kills the child when its parent is killed") {
  SubreaperGuard reaper;
  bool die_with_parent = GENERATE(true, false);
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  ops::Fd from_middle(fds[0]), to_test(fds[1]);
  pid_t middle = ::fork();
  REQUIRE(middle >= 0);
  if (middle == 0) {
    try {
      auto spec = command({"sleep", "30"});
      spec.die_with_parent = die_with_parent;
      auto child = ops::Process::spawn(spec);
      pid_t pid = child.pid();
      if (::write(to_test.get(), &pid, sizeof pid) == sizeof pid)
        for (;;) ::pause();
    } catch (...) {
    }
    ::_exit(1);
  }
  to_test.reset();
  pid_t grandchild = -1;
  REQUIRE(::read(from_middle.get(), &grandchild, sizeof grandchild) == sizeof grandchild);
  REQUIRE(::kill(grandchild, 0) == 0);

  REQUIRE(::kill(middle, SIGKILL) == 0);
  int middle_status = 0;
  REQUIRE(::waitpid(middle, &middle_status, 0) == middle);
  CHECK(WTERMSIG(middle_status) == SIGKILL);
  if (die_with_parent) {
    int status = reap_within(grandchild, 3s);  // an orphan, reparented to us
    REQUIRE(status != -1);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    CHECK(process_gone(grandchild));
  } else {
    CHECK(reap_within(grandchild, 300ms) == -1);  // the orphan lives on
    CHECK(::kill(grandchild, SIGKILL) == 0);
    CHECK(reap_within(grandchild, 3s) != -1);
  }
}

TEST_CASE("process: run_capture returns output, status and the last stderr line") {
  auto result = ops::run_capture(
      shell("echo 'pg_dump (PostgreSQL) 15.8'; echo 'warning: x' >&2; echo 'error: the last words' >&2; exit 3"));
  CHECK(result.out == "pg_dump (PostgreSQL) 15.8\n");
  CHECK(result.status.code == 3);
  CHECK(result.last_stderr_line == "error: the last words");

  CHECK(ops::run_capture(command({"head", "-c", "1000", "/dev/zero"}), 1000).out == std::string(1000, '\0'));
}

TEST_CASE("process: run_capture over the limit throws naming the program and stops it") {
  auto start = Clock::now();
  try {
    ops::run_capture(command({"yes"}), 1000);  // would never end on its own
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::critical);
    CHECK(std::string(e.what()) == "yes wrote more than 1000 bytes to its output");
  }
  CHECK(Clock::now() - start < 5s);
  CHECK_THROWS_AS(ops::run_capture(command({"head", "-c", "1001", "/dev/zero"}), 1000), ops::Error);
}

TEST_CASE("process: find_program finds executables in PATH and nothing else") {
  auto sh = ops::find_program("sh");
  REQUIRE(sh.has_value());
  CHECK(sh->size() > 3);
  CHECK(sh->substr(sh->size() - 3) == "/sh");
  CHECK(::access(sh->c_str(), X_OK) == 0);
  CHECK_FALSE(ops::find_program("no-such-program-xyz"));
  CHECK(ops::find_program("/bin/sh") == "/bin/sh");
  CHECK_FALSE(ops::find_program("/bin/no-such-program-xyz"));
  CHECK_FALSE(ops::find_program(""));

  TempDir dir;
  dir.write("data-file", "x", 0644);
  auto tool = dir.write("tool", "#!/bin/sh\n", 0755);
  std::filesystem::create_directory(dir.path() / "a-dir");
  EnvGuard path("PATH", (dir.str() + ":/nonexistent").c_str());
  CHECK(ops::find_program("tool") == tool.string());
  CHECK_FALSE(ops::find_program("data-file"));
  CHECK_FALSE(ops::find_program("a-dir"));
  CHECK_FALSE(ops::find_program("sh"));
}

TEST_CASE("process: failure_line is the line that says why, not the detail after it") {
  {
    ops::Process p = ops::Process::spawn(shell("echo 'tool: warning: minor' >&2; echo 'tool: error: query failed: "
                                               "permission denied' >&2; echo 'tool: detail: Query was: SELECT 1' >&2; "
                                               "exit 1"));
    p.wait();
    CHECK(p.failure_line() == "tool: error: query failed: permission denied");
    CHECK(p.last_stderr_line() == "tool: detail: Query was: SELECT 1");
  }
  {
    ops::Process p = ops::Process::spawn(shell("echo 'FATAL:  too many connections' >&2; echo 'giving up' >&2; exit 2"));
    p.wait();
    CHECK(p.failure_line() == "FATAL:  too many connections");
  }
  {
    ops::Process p = ops::Process::spawn(shell("echo 'nothing went right' >&2; echo >&2; exit 1"));
    p.wait();
    CHECK(p.failure_line() == "nothing went right");  // no error word: the last non-blank line
  }
}

TEST_CASE("process: run_capture with a timeout kills a child that hangs and says so") {
  SECTION("a child that finishes in time is captured as without a limit") {
    auto result = ops::run_capture(shell("echo in time; echo 'a word' >&2"), 1 << 20, std::chrono::seconds(30));
    CHECK_FALSE(result.timed_out);
    CHECK(result.status.success());
    CHECK(result.out == "in time\n");
    CHECK(result.last_stderr_line == "a word");
  }
  SECTION("a child still writing nothing at the limit is killed, with what it wrote so far") {
    auto result = ops::run_capture(shell("echo started; exec sleep 60"), 1 << 20, std::chrono::milliseconds(200));
    CHECK(result.timed_out);
    CHECK_FALSE(result.status.exited);
    CHECK(result.status.signal == SIGKILL);
    CHECK(result.out == "started\n");
  }
  SECTION("a child that closed its stdout but goes on running is killed too") {
    auto result = ops::run_capture(shell("exec >&-; exec sleep 60"), 1 << 20, std::chrono::milliseconds(200));
    CHECK(result.timed_out);
    CHECK(result.status.signal == SIGKILL);
    CHECK(result.out.empty());
  }
}
