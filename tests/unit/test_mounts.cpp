// The mount table: mountinfo parsing, which filesystems a person wants to
// see, use% as df computes it, the mount holding a path.

#include <ops/error.hpp>
#include <ops/mounts.hpp>

#include <catch2/catch.hpp>

#include <cerrno>
#include <sstream>
#include <string>
#include <vector>

using ops::Mount;
using ops::Usage;

namespace {

constexpr std::uint64_t GiB = 1024ULL * 1024 * 1024;

// As the kernel writes /proc/self/mountinfo (proc(5)), plus lines it never writes.
const char* kMountinfo =
    "22 27 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw\n"
    "27 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro\n"
    "30 27 254:2 / /var rw,relatime shared:2 master:1 - ext4 /dev/vda2 rw\n"
    "31 30 254:3 / /var/lib/mysql rw,noatime - xfs /dev/vdb1 rw,attr2,inode64\n"
    "32 27 254:4 / /varnish rw - ext4 /dev/vdc1 rw\n"
    "33 27 7:0 / /snap/core20/1234 ro,nodev,relatime shared:9 - squashfs /dev/loop0 ro\n"
    "34 27 0:50 / /mnt/my\\040disk rw,relatime - nfs4 server:/export\\040dir rw,vers=4.2\n"
    "this is not a mountinfo line\n"
    "35 27 254:5 / /no-separator rw shared:1 ext4 /dev/vdd1 rw\n"
    "36 27 notadevice / /bad-devno rw - ext4 /dev/vde1 rw\n"
    "37 27\n"
    "\n"
    "38 27 0:60 / /run/user/1000 rw,nosuid - tmpfs tmpfs\n"
    "39 27 0:61 / /media/cdrom ro - iso9660 /dev/sr0 ro\n"
    "40 27 254:1 /srv /srv/bind rw - ext4 /dev/vda1 rw\n";

const Mount& find(const std::vector<Mount>& mounts, const std::string& mount_point) {
  for (const auto& m : mounts)
    if (m.mount_point == mount_point) return m;
  FAIL("no mount at " << mount_point);
  throw std::logic_error("unreachable");
}

Mount mount(std::string type, bool ro = false) {
  Mount m;
  m.type = std::move(type);
  m.read_only = ro;
  return m;
}

Usage usage(std::uint64_t size, std::uint64_t used, std::uint64_t avail) {
  Usage u;
  u.size = size;
  u.used = used;
  u.avail = avail;
  return u;
}

}  // namespace

TEST_CASE("mounts: parse_mountinfo reads fields and optional fields and escapes") {
  auto mounts = ops::parse_mountinfo(kMountinfo);
  std::vector<std::string> points;
  for (const auto& m : mounts) points.push_back(m.mount_point);
  // Malformed lines (no " - ", bad major:minor, too short) are skipped.
  CHECK(points == std::vector<std::string>{"/proc", "/", "/var", "/var/lib/mysql", "/varnish", "/snap/core20/1234",
                                           "/mnt/my disk", "/run/user/1000", "/media/cdrom", "/srv/bind"});
  const Mount& root = find(mounts, "/");
  CHECK(root.device == "/dev/vda1");
  CHECK(root.type == "ext4");
  CHECK_FALSE(root.read_only);
  CHECK(root.major == 254);
  CHECK(root.minor == 1);
  const Mount& var = find(mounts, "/var");  // two optional fields
  CHECK(var.type == "ext4");
  CHECK(var.device == "/dev/vda2");
  const Mount& mysql = find(mounts, "/var/lib/mysql");  // no optional field
  CHECK(mysql.type == "xfs");
  CHECK(mysql.device == "/dev/vdb1");
  CHECK(mysql.major == 254);
  CHECK(mysql.minor == 3);
  const Mount& nfs = find(mounts, "/mnt/my disk");  // \040 is a space
  CHECK(nfs.device == "server:/export dir");
  CHECK(nfs.type == "nfs4");
  const Mount& snap = find(mounts, "/snap/core20/1234");
  CHECK(snap.read_only);
  CHECK(snap.type == "squashfs");
  CHECK(find(mounts, "/run/user/1000").type == "tmpfs");  // no super options: still a mount
}

TEST_CASE("mounts: parse_mountinfo decodes every octal escape the kernel writes") {
  auto mounts = ops::parse_mountinfo(
      "1 0 8:1 / /a\\011tab\\012nl\\134back rw - ext4 /dev/sda1 rw\n"
      "2 0 8:2 / /end\\040 rw - ext4 /dev/sda2 rw\n"
      "3 0 8:3 / /short\\04 rw - ext4 /dev/sda3 rw\n");
  REQUIRE(mounts.size() == 3);
  CHECK(mounts[0].mount_point == "/a\ttab\nnl\\back");
  CHECK(mounts[1].mount_point == "/end ");
  CHECK(mounts[2].mount_point == "/short\\04");  // not an escape: kept as written
  CHECK(ops::parse_mountinfo("").empty());
}

TEST_CASE("mounts: the real mountinfo has a root filesystem with usage") {
  auto mounts = ops::read_mounts();
  const ops::Mount* root = ops::mount_of(mounts, "/");
  REQUIRE(root);
  CHECK(root->mount_point == "/");
  auto u = ops::usage_of("/");
  REQUIRE(u);
  CHECK(u->size > 0);
  CHECK(u->used <= u->size);
  CHECK(u->avail <= u->size);
  errno = 0;
  CHECK_FALSE(ops::usage_of("/no/such/mount/point"));
  CHECK(errno == ENOENT);
}

TEST_CASE("mounts: is_pseudo and is_read_only_image") {
  for (const char* t : {"proc", "sysfs", "tmpfs", "devtmpfs", "cgroup2", "devpts", "overlay_dummy", "autofs"})
    CHECK(ops::is_pseudo(mount(t)));
  for (const char* t : {"ext4", "xfs", "btrfs", "nfs4", "zfs", "overlay", "squashfs", "vfat"})
    CHECK_FALSE(ops::is_pseudo(mount(t)));
  CHECK(ops::is_read_only_image(mount("squashfs", true)));  // a snap: always 100% full
  CHECK(ops::is_read_only_image(mount("iso9660", true)));
  CHECK(ops::is_read_only_image(mount("erofs", true)));
  CHECK_FALSE(ops::is_read_only_image(mount("squashfs", false)));
  CHECK_FALSE(ops::is_read_only_image(mount("ext4", true)));  // a read-only data disk still counts
  auto mounts = ops::parse_mountinfo(kMountinfo);
  CHECK(ops::is_read_only_image(find(mounts, "/snap/core20/1234")));
  CHECK(ops::is_read_only_image(find(mounts, "/media/cdrom")));
  CHECK(ops::is_pseudo(find(mounts, "/proc")));
  CHECK_FALSE(ops::is_pseudo(find(mounts, "/")));
}

TEST_CASE("mounts: use_percent is df's used/(used+avail) rounded up") {
  // Reserved blocks make size > used + avail; df ignores them.
  CHECK(usage(252 * GiB, 17 * GiB, 80 * GiB).use_percent() == 18);
  // This host's numbers as df printed them: 17553092608 used, 85192187904 avail, 18%.
  CHECK(usage(270553174016, 17553092608, 85192187904).use_percent() == 18);
  CHECK(usage(100, 50, 50).use_percent() == 50);       // exact: not rounded up
  CHECK(usage(1000, 501, 499).use_percent() == 51);    // 50.1% shows as 51%
  CHECK(usage(1000, 990, 10).use_percent() == 99);
  CHECK(usage(10000, 9901, 99).use_percent() == 100);  // 99.01% full is not "99%"
  CHECK(usage(10 * GiB, 1, 10 * GiB - 1).use_percent() == 1);
  CHECK(usage(10 * GiB, 10 * GiB, 0).use_percent() == 100);
  CHECK(usage(10 * GiB, 0, 10 * GiB).use_percent() == 0);
  CHECK(usage(0, 0, 0).use_percent() == 0);  // proc and friends
  // Petabyte filesystems: exact, not off by one from floating point.
  constexpr std::uint64_t PiB = 1024 * 1024 * GiB;
  CHECK(usage(100 * PiB, 30 * PiB, 70 * PiB).use_percent() == 30);
  CHECK(usage(100 * PiB, 30 * PiB + 1, 70 * PiB - 1).use_percent() == 31);
}

TEST_CASE("mounts: inode_use_percent") {
  Usage u = usage(GiB, 0, GiB);
  CHECK_FALSE(u.inode_use_percent());  // btrfs reports no inodes
  u.inodes = 0;
  u.inodes_used = 0;
  CHECK_FALSE(u.inode_use_percent());
  u.inodes = 1000;
  u.inodes_used = 1;
  CHECK(u.inode_use_percent() == 1.0);
  u.inodes_used = 900;
  CHECK(u.inode_use_percent() == 90.0);
  u.inodes_used = 901;
  CHECK(u.inode_use_percent() == 91.0);
}

TEST_CASE("mounts: mount_of picks the longest mount point that holds the path") {
  auto mounts = ops::parse_mountinfo(kMountinfo);
  auto on = [&](const std::string& path) {
    const Mount* m = ops::mount_of(mounts, path);
    return m ? m->mount_point : std::string("<none>");
  };
  CHECK(on("/var/lib/mysql/ibdata1") == "/var/lib/mysql");
  CHECK(on("/var/lib/mysql") == "/var/lib/mysql");
  CHECK(on("/var/lib/mysql2") == "/var");
  CHECK(on("/var/log/syslog") == "/var");
  CHECK(on("/var") == "/var");
  CHECK(on("/varnish/cache") == "/varnish");
  CHECK(on("/variable") == "/");
  CHECK(on("/") == "/");
  CHECK(on("/home/user") == "/");
  CHECK(on("/mnt/my disk/file") == "/mnt/my disk");
  CHECK(ops::mount_of({}, "/x") == nullptr);
  // Mounted over: the later entry at the same point is the visible one.
  auto over = ops::parse_mountinfo(
      "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
      "2 1 8:2 / /data rw - ext4 /dev/sdb1 rw\n"
      "3 1 8:3 / /data rw - xfs /dev/sdc1 rw\n");
  REQUIRE(ops::mount_of(over, "/data/x"));
  CHECK(ops::mount_of(over, "/data/x")->device == "/dev/sdc1");
}

TEST_CASE("mounts: mount_holding resolves the path first") {
  auto mounts = ops::read_mounts();
  CHECK(ops::mount_holding(mounts, "/.").mount_point == ops::mount_of(mounts, "/")->mount_point);
  try {
    ops::mount_holding(mounts, "/no/such/path");
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("cannot access /no/such/path"));
  }
  try {
    ops::mount_holding({}, "/");
    FAIL("accepted");
  } catch (const ops::Error& e) {
    CHECK(e.status() == ops::Status::unknown);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("no mounted filesystem holds /"));
  }
}

TEST_CASE("mounts: usage_of_each warns about what it cannot read and hides empty mounts") {
  auto mounts = ops::parse_mountinfo(
      "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
      "2 1 0:2 / /no/such/mount/point rw - ext4 /dev/sdb1 rw\n"
      "3 1 0:3 / /proc rw - proc proc rw\n");
  std::vector<const Mount*> chosen;
  for (const auto& m : mounts) chosen.push_back(&m);
  ops::Warnings warnings;
  auto kept = ops::usage_of_each(chosen, false, warnings);
  CHECK(warnings.count() == 1);  // the missing mount point
  REQUIRE(kept.size() == 1);     // /proc has size 0
  CHECK(kept[0].mount.mount_point == "/");
  CHECK(kept[0].usage.size > 0);
  ops::Warnings again;
  auto all = ops::usage_of_each(chosen, true, again);
  REQUIRE(all.size() == 2);
  CHECK(all[1].mount.mount_point == "/proc");
  CHECK(all[1].usage.size == 0);
}
