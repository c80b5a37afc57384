// A filesystem's usage from statvfs, and use% computed as df computes it.
#include <ops/mounts.hpp>

#include <ops/error.hpp>

#include <cerrno>
#include <sys/statvfs.h>

namespace ops {

namespace {

// 100 * part / whole rounded up, in integers as df does: a double loses the
// last bytes of a petabyte and can round 30.0000001% down to 30%.
double percent_rounded_up(std::uint64_t part, std::uint64_t whole) {
  __extension__ using u128 = unsigned __int128;
  u128 scaled = static_cast<u128>(part) * 100;
  return static_cast<double>(scaled / whole + (scaled % whole != 0 ? 1 : 0));
}

}  // namespace

double Usage::use_percent() const {
  // used + avail, not size: blocks reserved for root are not space a full
  // application can use. Rounded up: 99.01% full is not "99%" fine.
  if (used + avail == 0) return 0;
  return percent_rounded_up(used, used + avail);
}

std::optional<double> Usage::inode_use_percent() const {
  if (!inodes || *inodes == 0) return std::nullopt;
  return percent_rounded_up(*inodes_used, *inodes);
}

std::optional<Usage> usage_of(const std::string& mount_point) {
  struct statvfs v {};
  if (::statvfs(mount_point.c_str(), &v) != 0) return std::nullopt;
  Usage u;
  std::uint64_t unit = v.f_frsize ? v.f_frsize : v.f_bsize;
  u.size = static_cast<std::uint64_t>(v.f_blocks) * unit;
  u.used = static_cast<std::uint64_t>(v.f_blocks - v.f_bfree) * unit;
  u.avail = static_cast<std::uint64_t>(v.f_bavail) * unit;
  if (v.f_files > 0) {
    u.inodes = v.f_files;
    u.inodes_used = v.f_files - v.f_ffree;
  }
  return u;
}

std::vector<MountUsage> usage_of_each(const std::vector<const Mount*>& chosen, bool keep_empty, Warnings& warnings) {
  std::vector<MountUsage> out;
  for (const Mount* m : chosen) {
    auto u = usage_of(m->mount_point);
    if (!u) {
      warnings.add("cannot read usage of {}: {}", m->mount_point, errno_text(errno));
      continue;
    }
    if (!keep_empty && u->size == 0) continue;
    out.push_back({*m, *u});
  }
  return out;
}

}  // namespace ops
