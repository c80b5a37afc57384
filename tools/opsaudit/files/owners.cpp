#include "opsaudit/files/owners.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <charconv>
#include <fmt/format.h>
#include <grp.h>
#include <map>
#include <pwd.h>

namespace opsaudit::files {

namespace {

std::optional<unsigned> number(const std::string& text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string owner_text(uid_t uid, gid_t gid) {
  // A report names the same few owners many times: look each up once.
  static std::map<uid_t, std::string> users;
  static std::map<gid_t, std::string> groups;
  auto u = users.find(uid);
  if (u == users.end()) {
    const passwd* pw = ::getpwuid(uid);
    u = users.emplace(uid, pw ? std::string(pw->pw_name) : std::to_string(uid)).first;
  }
  auto g = groups.find(gid);
  if (g == groups.end()) {
    const group* gr = ::getgrgid(gid);
    g = groups.emplace(gid, gr ? std::string(gr->gr_name) : std::to_string(gid)).first;
  }
  return u->second + ":" + g->second;
}

WantedOwner parse_owner(const std::string& text, const std::string& where) {
  WantedOwner owner;
  owner.text = text;
  const std::size_t colon = text.find(':');
  const std::string user = text.substr(0, colon);
  if (const passwd* pw = ::getpwnam(user.c_str())) owner.uid = pw->pw_uid;
  else if (auto n = number(user)) owner.uid = *n;
  else ops::fail_usage(fmt::format("{}: unknown user '{}'", where, ops::shown(user)));
  if (colon != std::string::npos) {
    const std::string group_name = text.substr(colon + 1);
    if (const group* gr = ::getgrnam(group_name.c_str())) owner.gid = gr->gr_gid;
    else if (auto n = number(group_name)) owner.gid = *n;
    else ops::fail_usage(fmt::format("{}: unknown group '{}'", where, ops::shown(group_name)));
  }
  return owner;
}

}  // namespace opsaudit::files
