#pragma once
// What copytruncate left in a log: its last partial block (copy_truncate.hpp),
// lines written before the rotation that go out with the next one. The
// schedule must not count them as new (with notifempty, a log holding only
// them is empty; `size` and `minsize` weigh only what came after them).
//
// The record is an extended attribute on the log itself,
// user.opsrotate.kept_tail = "SIZE SHA256-of-those-bytes", and not a line in
// the state file: logrotate reads that file too and stops at the first line
// it does not know. On the inode, the record goes where the bytes go (a
// rename, a backup restored with its xattrs) and disappears with a new log;
// the checksum of the log's first SIZE bytes tells whether they are still
// the bytes kept (a program that truncated and rewrote its log makes the
// record void), so a stale record never hides new lines. A size test alone
// ("smaller than a block right after a rotation") cannot tell a kept tail
// from new lines written since, and the state file's times have seconds.

#include <cstdint>
#include <filesystem>

namespace opsrotate {

// Records that the log open as `fd` now begins with `size` bytes kept by a
// rotation. Best effort: where the filesystem takes no user xattr the tail
// is kept all the same and simply counts as new at the next run.
void record_kept_tail(int fd, std::uint64_t size);

// The log open as `fd` holds no kept tail any more (it was emptied).
void forget_kept_tail(int fd);

// How many of the log's first bytes are the tail a rotation kept; 0 when
// there is no record or the log's head no longer matches it.
std::uint64_t kept_tail(const std::filesystem::path& log);

}  // namespace opsrotate
