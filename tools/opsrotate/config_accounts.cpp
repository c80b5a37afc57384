#include "config_accounts.hpp"

#include <grp.h>
#include <pwd.h>

#include <cerrno>
#include <charconv>
#include <vector>

namespace opsrotate {

namespace {

// Calls a getpw*_r/getgr*_r style lookup, growing the buffer on ERANGE.
template <typename Entry, typename Lookup>
bool found(Lookup lookup) {
  std::vector<char> buffer(1024);
  while (true) {
    Entry entry{};
    Entry* result = nullptr;
    int err = lookup(&entry, buffer.data(), buffer.size(), &result);
    if (err == ERANGE && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 2);
      continue;
    }
    return err == 0 && result != nullptr;
  }
}

bool as_id(const std::string& name, unsigned& id) {
  if (name.empty()) return false;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
  return ec == std::errc() && end == name.data() + name.size();
}

}  // namespace

bool user_exists(const std::string& name) {
  if (name.find('\0') != std::string::npos) return false;
  auto by_name = [&](passwd* e, char* b, std::size_t n, passwd** r) { return ::getpwnam_r(name.c_str(), e, b, n, r); };
  if (found<passwd>(by_name)) return true;
  unsigned id = 0;
  return as_id(name, id) &&
         found<passwd>([&](passwd* e, char* b, std::size_t n, passwd** r) { return ::getpwuid_r(id, e, b, n, r); });
}

bool group_exists(const std::string& name) {
  if (name.find('\0') != std::string::npos) return false;
  auto by_name = [&](group* e, char* b, std::size_t n, group** r) { return ::getgrnam_r(name.c_str(), e, b, n, r); };
  if (found<group>(by_name)) return true;
  unsigned id = 0;
  return as_id(name, id) &&
         found<group>([&](group* e, char* b, std::size_t n, group** r) { return ::getgrgid_r(id, e, b, n, r); });
}

}  // namespace opsrotate
