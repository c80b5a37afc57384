// ops/fs_acl.hpp: an access ACL read from one file is given to another, with
// the mode bits it implies; a file without one gives nothing.
#include <ops/fs.hpp>
#include <ops/fs_acl.hpp>

#include <catch2/catch.hpp>

#include "support.hpp"

#include <cstdint>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/xattr.h>

namespace fs = std::filesystem;

namespace {

using ops::test::TempDir;

// The kernel's system.posix_acl_access layout (what `setfacl -m u:65534:rwx`
// on a 0600 file stores): a version word, then (tag, permissions, id)
// entries sorted by tag.
std::string acl_with_user(std::uint32_t uid) {
  std::string blob;
  auto put16 = [&](std::uint16_t v) { blob.append(reinterpret_cast<const char*>(&v), 2); };
  auto put32 = [&](std::uint32_t v) { blob.append(reinterpret_cast<const char*>(&v), 4); };
  auto entry = [&](std::uint16_t tag, std::uint16_t perm, std::uint32_t id) {
    put16(tag);
    put16(perm);
    put32(id);
  };
  put32(2);
  entry(0x01, 6, 0xffffffff);  // user::rw-
  entry(0x02, 7, uid);         // user:UID:rwx
  entry(0x04, 0, 0xffffffff);  // group::---
  entry(0x10, 7, 0xffffffff);  // mask::rwx
  entry(0x20, 0, 0xffffffff);  // other::---
  return blob;
}

mode_t mode_of(int fd) {
  struct stat st {};
  REQUIRE(::fstat(fd, &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("an access ACL is copied to another file, with the mode it implies", "[fs_acl]") {
  TempDir dir;
  ops::Fd log = ops::open_file(dir.write("app.log", "a\n", 0600), O_RDONLY);
  ops::Fd fresh = ops::open_file(dir.write("app.log.new", "", 0644), O_RDWR);
  const std::string acl = acl_with_user(65534);
  REQUIRE(::fsetxattr(log.get(), "system.posix_acl_access", acl.data(), acl.size(), 0) == 0);
  CHECK(mode_of(log.get()) == 0670);  // the group bits show the mask

  CHECK(ops::read_access_acl(log.get(), "app.log") == acl);
  CHECK(ops::copy_access_acl(log.get(), "app.log", fresh.get(), "app.log.new"));
  CHECK(ops::read_access_acl(fresh.get(), "app.log.new") == acl);
  CHECK(mode_of(fresh.get()) == 0670);
}

TEST_CASE("a file without an ACL gives none, and the other file is left as it is", "[fs_acl]") {
  TempDir dir;
  ops::Fd plain = ops::open_file(dir.write("plain", "", 0640), O_RDONLY);
  ops::Fd other = ops::open_file(dir.write("other", "", 0600), O_RDWR);
  CHECK(ops::read_access_acl(plain.get(), "plain").empty());
  CHECK_FALSE(ops::copy_access_acl(plain.get(), "plain", other.get(), "other"));
  CHECK(mode_of(other.get()) == 0600);
  CHECK(ops::read_access_acl(other.get(), "other").empty());
}

TEST_CASE("a broken ACL is refused with the file's name", "[fs_acl]") {
  TempDir dir;
  ops::Fd file = ops::open_file(dir.write("file", "", 0600), O_RDWR);
  // Version 2, then a partial entry. (A wrong version reads as "no ACLs here"
  // to the kernel: EOPNOTSUPP.)
  const std::string broken = acl_with_user(65534).substr(0, 7);
  CHECK_THROWS_WITH(ops::write_access_acl(file.get(), broken, "file"), Catch::Contains("cannot set the ACL of file"));
}
