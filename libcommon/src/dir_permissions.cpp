// The one permission rule: who besides the owner may change (or read) a file.
#include <ops/dir.hpp>

#include <fmt/format.h>

namespace ops {

namespace {

mode_t group_bits(const PermissionRule& rule) { return rule.secret ? S_IRWXG : S_IWGRP; }
mode_t other_bits(const PermissionRule& rule) { return rule.secret ? S_IRWXO : S_IWOTH; }

}  // namespace

Exposure exposure(const struct stat& st, const PermissionRule& rule) noexcept {
  if (st.st_mode & other_bits(rule)) return Exposure::others;
  if ((st.st_mode & group_bits(rule)) && !(rule.root_group_trusted && st.st_gid == 0)) return Exposure::group;
  return Exposure::none;
}

std::string exposure_text(const struct stat& st, const PermissionRule& rule) {
  const auto mode = st.st_mode & 07777;
  const char* how = rule.secret ? "accessible" : "writable";
  switch (exposure(st, rule)) {
    case Exposure::none: return "";
    case Exposure::others:
      return fmt::format("{} by others (mode {:04o})", how, mode);
    case Exposure::group:
      return fmt::format("{} by group {} (mode {:04o})", how, st.st_gid, mode);
  }
  return "";
}

}  // namespace ops
