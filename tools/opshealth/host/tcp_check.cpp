// tcp HOST:PORT: whether a TCP connection opens, and how long it took. Each
// address the name resolves to is tried in turn with a non-blocking connect
// waited on by poll, never past the check's deadline; the first that opens
// wins. The time is from before resolution to the open connection, as
// check_tcp measures it. Refused, unreachable, silent until the deadline or
// a name that does not resolve: CRITICAL with the reason.
#include "opshealth/host_port.hpp"
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace opshealth {
namespace {

constexpr auto kSeconds = {ops::RangeUnit::seconds};
using Clock = std::chrono::steady_clock;

struct AddrInfo {
  addrinfo* list = nullptr;
  ~AddrInfo() {
    if (list) ::freeaddrinfo(list);
  }
};

// 0 when connected; otherwise the errno (ETIMEDOUT when the deadline came first).
int try_connect(const addrinfo& a, Clock::time_point deadline) {
  ops::Fd fd(::socket(a.ai_family, a.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a.ai_protocol));
  if (!fd) return errno;
  if (::connect(fd.get(), a.ai_addr, a.ai_addrlen) == 0) return 0;
  if (errno != EINPROGRESS) return errno;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return ETIMEDOUT;
    pollfd p{fd.get(), POLLOUT, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return errno;
    if (ready == 0) return ETIMEDOUT;
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
    return err;
  }
}

std::vector<Result> check_tcp(const Request& request) {
  const HostPort target = parse_host_port(request.args.at(0));
  const std::string port = std::to_string(target.port);
  const auto warn = range_of(request.settings, "warn_time", kSeconds);
  const auto crit = range_of(request.settings, "crit_time", kSeconds);
  const auto start = Clock::now();
  // Leave a little of the time to say why the connection did not open.
  const auto deadline = start + request.time_left() * 9 / 10;
  Result r;
  r.check = request.label;
  r.status = ops::Status::critical;
  r.thresholds = thresholds_text(warn, crit);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  AddrInfo found;
  if (int rc = ::getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found.list); rc != 0) {
    r.message = fmt::format("cannot resolve {}: {}", ops::shown(target.host),
                            rc == EAI_SYSTEM ? ops::errno_text(errno) : ::gai_strerror(rc));
    return {r};
  }
  int last = 0;
  for (const addrinfo* a = found.list; a; a = a->ai_next) {
    last = try_connect(*a, deadline);
    if (last == 0) break;
    if (last == ETIMEDOUT) break;  // the deadline is spent: no time for the next address
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (last != 0) {
    r.message = last == ETIMEDOUT
                    ? fmt::format("no answer from {} port {} in time", ops::shown(target.host), target.port)
                    : fmt::format("cannot connect to {} port {}: {}", ops::shown(target.host), target.port,
                                  ops::errno_text(last));
    return {r};
  }
  r.status = judge(seconds, warn, crit);
  r.value = ops::format_seconds(seconds);
  r.message = fmt::format("connected to {} port {} in {}", ops::shown(target.host), target.port, r.value);
  r.figures.push_back({"time", seconds, ops::PerfUnit::seconds, warn, crit, 0.0, {}, "tcp_connect_seconds"});
  return {r};
}

}  // namespace

Kind tcp_kind() {
  return Kind{"tcp", "HOST:PORT", "whether a TCP connection opens, and how fast ([::1]:PORT for IPv6)", 1, 1,
              ops::SectionSchema{
                  "health", "a tcp check",
                  with_common_keys({
                      range_key("warn_time", kSeconds, "warning when connecting takes longer (500ms; none by default)"),
                      range_key("crit_time", kSeconds, "critical when connecting takes longer (none by default)"),
                  })},
              check_tcp};
}

}  // namespace opshealth
