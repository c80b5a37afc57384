#pragma once
// The mounted filesystems, from /proc/self/mountinfo, and their usage from
// statvfs, with the rules that decide which of them a person wants to see.
// Only /proc is read to list and select mounts: a filesystem is stat'ed only
// by usage_of, so a caller that asks only for the selected ones never stats a
// pseudo or excluded filesystem. (A selected NFS mount that is stale can still
// block statvfs, as it blocks df.)

#include <ops/log.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ops {

struct Mount {
  std::string mount_point;
  std::string device;  // the mount source: /dev/vda1, server:/export, tmpfs
  std::string type;
  bool read_only = false;
  unsigned major = 0, minor = 0;
};

// Parses mountinfo text (proc(5)); octal escapes such as \040 are decoded.
// Malformed lines are skipped: the kernel writes this file, not a person.
std::vector<Mount> parse_mountinfo(std::string_view text);
std::vector<Mount> read_mounts();  // /proc/self/mountinfo

// Pseudo filesystems (proc, sysfs, cgroup, tmpfs, …) carry no data a disk
// check cares about; read-only squashfs mounts are snaps and images, always full.
bool is_pseudo(const Mount& m);
bool is_read_only_image(const Mount& m);

// Which mounts a listing shows. By default: real filesystems that are not
// read-only images, each device once at its first mount point (bind mounts
// and containers mount one device many times), as df does.
struct MountFilter {
  bool all = false;                      // every mount, pseudo and repeated ones too
  std::vector<std::string> only_types;   // when set, exactly these types (pseudo or not)
  std::vector<std::string> hide_types;
};
std::vector<const Mount*> select_mounts(const std::vector<Mount>& mounts, const MountFilter& filter);

struct Usage {
  std::uint64_t size = 0, used = 0, avail = 0;
  std::optional<std::uint64_t> inodes, inodes_used;  // none on btrfs and friends
  // used / (used + avail) as df computes it, rounded up: blocks reserved for
  // root are not space a full application can use.
  double use_percent() const;
  std::optional<double> inode_use_percent() const;
};

// statvfs(mount_point); nullopt with errno set when it fails (stale NFS, EACCES).
std::optional<Usage> usage_of(const std::string& mount_point);

// The usage of each chosen mount, in order. One whose usage cannot be read is
// left out with a warning ("cannot read usage of /mnt: …"); one of size 0
// (an empty pseudo mount) is left out unless keep_empty, as df hides it.
struct MountUsage {
  Mount mount;
  Usage usage;
};
std::vector<MountUsage> usage_of_each(const std::vector<const Mount*>& chosen, bool keep_empty, Warnings& warnings);

// The mount a path lives on: the longest mount point that is a prefix of the
// path's real location.
const Mount* mount_of(const std::vector<Mount>& mounts, const std::string& real_path);

// The mount holding `path` as a user gave it: mount_of its real location.
// Throws ops::Error: unknown (exit 3) when the path cannot be resolved, a usage
// error when no mount holds it. Resolving it may stat a stale NFS mount.
const Mount& mount_holding(const std::vector<Mount>& mounts, const std::string& path);

}  // namespace ops
