#include "opsrotate/config/config_accounts.hpp"

#include <grp.h>
#include <pwd.h>

#include <cerrno>
#include <charconv>
#include <utility>
#include <vector>

namespace opsrotate {

namespace {

// Calls a getpw*_r/getgr*_r style lookup, growing the buffer on ERANGE;
// returns the entry's id (pick) when found.
template <typename Entry, typename Lookup, typename Pick>
auto found(Lookup lookup, Pick pick) -> std::optional<decltype(pick(std::declval<const Entry&>()))> {
  std::vector<char> buffer(1024);
  while (true) {
    Entry entry{};
    Entry* result = nullptr;
    int err = lookup(&entry, buffer.data(), buffer.size(), &result);
    if (err == ERANGE && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (err != 0 || result == nullptr) return std::nullopt;
    return pick(entry);
  }
}

bool as_id(const std::string& name, unsigned& id) {
  if (name.empty()) return false;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
  return ec == std::errc() && end == name.data() + name.size();
}

}  // namespace

std::optional<uid_t> find_user(const std::string& name) {
  if (name.find('\0') != std::string::npos) return std::nullopt;
  auto uid = [](const passwd& e) { return e.pw_uid; };
  auto by_name = [&](passwd* e, char* b, std::size_t n, passwd** r) { return ::getpwnam_r(name.c_str(), e, b, n, r); };
  if (auto id = found<passwd>(by_name, uid)) return id;
  unsigned number = 0;
  if (!as_id(name, number)) return std::nullopt;
  return found<passwd>([&](passwd* e, char* b, std::size_t n, passwd** r) { return ::getpwuid_r(number, e, b, n, r); },
                       uid);
}

std::optional<gid_t> find_group(const std::string& name) {
  if (name.find('\0') != std::string::npos) return std::nullopt;
  auto gid = [](const group& e) { return e.gr_gid; };
  auto by_name = [&](group* e, char* b, std::size_t n, group** r) { return ::getgrnam_r(name.c_str(), e, b, n, r); };
  if (auto id = found<group>(by_name, gid)) return id;
  unsigned number = 0;
  if (!as_id(name, number)) return std::nullopt;
  return found<group>([&](group* e, char* b, std::size_t n, group** r) { return ::getgrgid_r(number, e, b, n, r); },
                      gid);
}

}  // namespace opsrotate
