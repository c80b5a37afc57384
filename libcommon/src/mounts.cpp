// The mount table: /proc/self/mountinfo parsed, the rules that pick the
// filesystems a person wants to see, and the mount holding a path.
#include <ops/mounts.hpp>
#include <ops/text.hpp>

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <set>
#include <sstream>

namespace ops {

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

const Mount& mount_holding(const std::vector<Mount>& mounts, const std::string& path) {
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) {
    const int err = errno;
    fail_unknown_errno("cannot access " + shown(path), err);
  }
  const Mount* m = mount_of(mounts, resolved);
  if (!m) fail_usage("no mounted filesystem holds " + shown(path));
  return *m;
}

}  // namespace ops
