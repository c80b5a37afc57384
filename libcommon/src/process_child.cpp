#include "process_detail.hpp"

#include <ops/error.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/prctl.h>
#include <unistd.h>

extern char** environ;

namespace ops::detail {

namespace {

bool name_is(const std::string& entry, const std::string& name) {
  return entry.size() > name.size() && entry[name.size()] == '=' && entry.compare(0, name.size(), name) == 0;
}

std::vector<std::string> child_environment(const ProcessSpec& spec) {
  for (const auto& [name, value] : spec.env)
    if (name.empty() || name.find('=') != std::string::npos) fail("bad environment variable name '" + name + "'");
  auto dropped = [&](const std::string& entry) {
    auto named = [&](const std::string& name) { return name_is(entry, name); };
    return std::any_of(spec.unset_env.begin(), spec.unset_env.end(), named) ||
           std::any_of(spec.env.begin(), spec.env.end(), [&](const auto& kv) { return named(kv.first); });
  };
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e)
    if (!dropped(*e)) env.emplace_back(*e);
  for (const auto& [name, value] : spec.env) env.push_back(name + "=" + value);
  return env;
}

// Tells the parent why (errno down the error pipe); 127 as a shell would exit.
[[noreturn]] void child_failed(const ChildPlan& plan, int err) noexcept {
  [[maybe_unused]] ssize_t n = ::write(plan.error_fd, &err, sizeof err);
  ::_exit(127);
}

}  // namespace

void plan_child(ChildPlan& plan, const ProcessSpec& spec) {
  plan.env = child_environment(spec);
  const char* path = nullptr;
  for (const auto& entry : plan.env)
    if (name_is(entry, "PATH")) path = entry.c_str() + std::strlen("PATH=");
  plan.candidates = program_candidates(spec.argv[0], path);
  for (const auto& arg : spec.argv) plan.argv.push_back(const_cast<char*>(arg.c_str()));
  plan.argv.push_back(nullptr);
  for (auto& entry : plan.env) plan.envp.push_back(entry.data());
  plan.envp.push_back(nullptr);
  for (const auto& candidate : plan.candidates) plan.paths.push_back(candidate.c_str());
}

[[noreturn]] void exec_child(const ChildPlan& plan) noexcept {
  if (plan.die_with_parent) {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_failed(plan, errno);
    if (::getppid() != plan.parent) ::_exit(127);  // the parent died before prctl
  }
  // Handlers are the parent's code: back to default while signals are still
  // blocked. Ignored signals stay ignored, as a shell leaves them, except
  // SIGPIPE, which we may ignore for ourselves but the child must not.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction old {};
    if (sig == SIGKILL || sig == SIGSTOP || ::sigaction(sig, nullptr, &old) != 0) continue;
    if (old.sa_handler != SIG_IGN || sig == SIGPIPE) ::sigaction(sig, &dfl, nullptr);
  }
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Every source fd is >= 3 (the parent made sure), so no dup2 clobbers another's source.
  if (::dup2(plan.stdin_fd, 0) < 0 || ::dup2(plan.stdout_fd, 1) < 0 || ::dup2(plan.stderr_fd, 2) < 0)
    child_failed(plan, errno);
  int err = ENOENT;
  bool denied = false;
  for (const char* path : plan.paths) {
    ::execve(path, plan.argv.data(), plan.envp.data());
    err = errno;
    if (err == EACCES) denied = true;
    else if (err != ENOENT && err != ENOTDIR) break;
  }
  if (denied && (err == ENOENT || err == ENOTDIR)) err = EACCES;  // as execvp reports it
  child_failed(plan, err);
}

}  // namespace ops::detail
