// Access ACLs through fgetxattr/fsetxattr of system.posix_acl_access
// (fs_acl.hpp says why not libacl).
#include <ops/fs_acl.hpp>

#include <ops/error.hpp>

#include <cerrno>
#include <sys/xattr.h>

namespace ops {

namespace {

constexpr const char* kAccessAcl = "system.posix_acl_access";

// The filesystem (or the kernel) keeps no ACLs.
bool unsupported(int err) { return err == ENOTSUP || err == EOPNOTSUPP || err == ENOSYS; }

}  // namespace

std::string read_access_acl(int fd, const std::string& what) {
  for (;;) {
    const ssize_t size = ::fgetxattr(fd, kAccessAcl, nullptr, 0);
    if (size < 0 && (errno == ENODATA || unsupported(errno))) return {};
    if (size < 0) fail_errno("cannot read the ACL of " + what, errno);
    std::string acl(static_cast<std::size_t>(size), '\0');
    const ssize_t got = ::fgetxattr(fd, kAccessAcl, acl.data(), acl.size());
    if (got < 0 && errno == ERANGE) continue;  // it grew between the two calls
    if (got < 0 && errno == ENODATA) return {};
    if (got < 0) fail_errno("cannot read the ACL of " + what, errno);
    acl.resize(static_cast<std::size_t>(got));
    return acl;
  }
}

bool write_access_acl(int fd, const std::string& acl, const std::string& what) {
  if (acl.empty()) return false;
  if (::fsetxattr(fd, kAccessAcl, acl.data(), acl.size(), 0) == 0) return true;
  if (unsupported(errno)) return false;
  fail_errno("cannot set the ACL of " + what, errno);
}

bool copy_access_acl(int from, const std::string& from_what, int to, const std::string& to_what) {
  return write_access_acl(to, read_access_acl(from, from_what), to_what);
}

}  // namespace ops
