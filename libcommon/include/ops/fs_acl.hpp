#pragma once
// POSIX access ACLs carried from a file to the one that replaces or copies it
// (a log and its new log or its copy, a file and its compressed copy, a state
// file and its successor), as logrotate does: a `setfacl -m u:reader:r` on a
// log must survive its rotation. They are read and written as the
// system.posix_acl_access extended attribute, which is what libacl's
// acl_get_fd/acl_set_fd use, so no library is needed.

#include <string>

namespace ops {

// The file's access ACL as the kernel stores it, or "" when it has none
// beyond its mode (or its filesystem has no ACLs). Throws ops::Error
// (critical) naming `what` on any other error.
std::string read_access_acl(int fd, const std::string& what);

// Gives fd the access ACL read by read_access_acl; the kernel sets the mode's
// permission bits from it too (the group bits become the ACL's mask). ""
// does nothing. False, with nothing changed, where fd's filesystem has no
// ACLs; throws ops::Error (critical) naming `what` on any other error.
bool write_access_acl(int fd, const std::string& acl, const std::string& what);

// Both in one: false when `from` has no ACL or `to` cannot take one.
bool copy_access_acl(int from, const std::string& from_what, int to, const std::string& to_what);

}  // namespace ops
