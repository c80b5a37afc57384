#include "opsdf/fs/mounts.hpp"

#include <ops/fs.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <sstream>
#include <sys/statvfs.h>

namespace opsdf {

namespace {

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isdigit(static_cast<unsigned char>(s[i + 2])) && std::isdigit(static_cast<unsigned char>(s[i + 3]))) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::vector<Mount> parse_mountinfo(std::string_view text) {
  std::vector<Mount> mounts;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    // id parent major:minor root mount-point options [optional fields…] - type source super-options
    std::istringstream fields(line);
    std::string id, parent, devno, root, mount_point, options, field;
    if (!(fields >> id >> parent >> devno >> root >> mount_point >> options)) continue;
    while (fields >> field && field != "-") {
    }
    std::string type, source, super_options;
    if (field != "-" || !(fields >> type >> source)) continue;
    fields >> super_options;
    Mount m;
    m.mount_point = unescape(mount_point);
    m.device = unescape(source);
    m.type = type;
    m.read_only = options.rfind("ro", 0) == 0 && (options.size() == 2 || options[2] == ',');
    auto colon = devno.find(':');
    if (colon == std::string::npos) continue;
    try {
      m.major = static_cast<unsigned>(std::stoul(devno.substr(0, colon)));
      m.minor = static_cast<unsigned>(std::stoul(devno.substr(colon + 1)));
    } catch (const std::exception&) {
      continue;
    }
    mounts.push_back(std::move(m));
  }
  return mounts;
}

std::vector<Mount> read_mounts() { return parse_mountinfo(ops::read_file("/proc/self/mountinfo")); }

bool is_pseudo(const Mount& m) {
  static constexpr std::array<std::string_view, 28> pseudo{
      "proc",      "sysfs",     "devtmpfs",  "devpts",     "tmpfs",       "cgroup",   "cgroup2",
      "securityfs", "debugfs",  "tracefs",   "pstore",     "bpf",         "mqueue",   "hugetlbfs",
      "configfs",  "fusectl",   "autofs",    "binfmt_misc", "efivarfs",   "nsfs",     "rpc_pipefs",
      "ramfs",     "overlay_dummy", "selinuxfs", "fuse.gvfsd-fuse", "fuse.portal", "nfsd", "rootfs"};
  return std::find(pseudo.begin(), pseudo.end(), m.type) != pseudo.end();
}

bool is_read_only_image(const Mount& m) {
  return m.read_only && (m.type == "squashfs" || m.type == "iso9660" || m.type == "erofs");
}

std::vector<const Mount*> select_mounts(const std::vector<Mount>& mounts, const MountFilter& filter) {
  auto has = [](const std::vector<std::string>& types, const std::string& type) {
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  std::vector<const Mount*> chosen;
  std::set<std::pair<unsigned, unsigned>> seen_devices;
  for (const auto& m : mounts) {
    bool wanted = filter.only_types.empty() ? (filter.all || (!is_pseudo(m) && !is_read_only_image(m)))
                                            : has(filter.only_types, m.type);
    if (!wanted || has(filter.hide_types, m.type)) continue;
    if (!filter.all && !seen_devices.insert({m.major, m.minor}).second) continue;
    chosen.push_back(&m);
  }
  return chosen;
}

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

const Mount* mount_of(const std::vector<Mount>& mounts, const std::string& real_path) {
  const Mount* best = nullptr;
  for (const auto& m : mounts) {
    const std::string& mp = m.mount_point;
    bool prefix = real_path == mp || mp == "/" ||
                  (real_path.size() > mp.size() && real_path.compare(0, mp.size(), mp) == 0 && real_path[mp.size()] == '/');
    // Later entries in mountinfo are mounted over earlier ones: >= keeps the last.
    if (prefix && (!best || mp.size() >= best->mount_point.size())) best = &m;
  }
  return best;
}

}  // namespace opsdf
