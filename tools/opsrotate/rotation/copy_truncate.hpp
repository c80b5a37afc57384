#pragma once
// `copy` and `copytruncate` without logrotate's data loss.
//
// logrotate's copytruncate copies the log, then truncates it: whatever the
// program wrote during the copy (seconds for a big log) is gone. Here:
//
// - Where the filesystem can cut the front off a file (fallocate
//   FALLOC_FL_COLLAPSE_RANGE: ext4, xfs), the copied whole blocks are cut out
//   of the log while the program keeps appending (an O_APPEND write just lands
//   at the new end), round after round while that shrinks what is left.
//   Nothing is ever lost this way.
// - Only a truncate can remove the last partial block, and a truncate loses
//   what the program appends between the copy seeing the end of the file and
//   the truncate taking effect: microseconds, but a truncate waits for the
//   inode lock, which a busy writer can hold (or we can be descheduled) for
//   milliseconds. So where blocks were cut out, copytruncate keeps the
//   partial block in the log (TailPolicy::keep, the default), records it
//   (kept_tail.hpp) and leaves it for the next rotation: zero loss.
// - A log of at most one block has no whole block to cut: keeping it would
//   keep a quiet log's lines out of every rotation, so it is copied and
//   truncated, as is everything where the filesystem cannot collapse (tmpfs,
//   btrfs, nfs…). On ext4 and xfs that is the only window left: a program
//   that wrote less than a block since the last rotation, writing again in
//   those microseconds.
//
// For every writer using O_APPEND: the bytes in dest followed by the bytes
// left in the log are what was written, in order, none twice; missing can only
// be what was written in a final truncate's window. A writer without
// O_APPEND keeps its own offset and leaves a hole of NULs after any
// truncation or collapse (as with logrotate).

#include <cstdint>
#include <filesystem>
#include <sys/types.h>

namespace opsrotate {

struct CopyResult {
  std::uint64_t bytes = 0;    // bytes in dest
  bool collapsed = false;     // the collapse-range path removed blocks from the log
  std::uint64_t kept = 0;     // the partial block left in the log (TailPolicy::keep): at most one block
};

// What the final step does with the log's last partial block.
enum class TailPolicy {
  keep,      // where blocks were cut out, leave it in the log: zero loss; only whole
             // blocks move to dest, which then usually ends in the middle of a line
             // that the log starts with. Otherwise as `truncate`.
  truncate,  // copy it and truncate the log: the log ends empty (logrotate's way;
             // for the tests and the benchmark, which measure what `keep` avoids)
};

struct CopyTruncateOptions {
  // Use FALLOC_FL_COLLAPSE_RANGE where the filesystem has it (false: copy
  // everything, then truncate; for tests and the benchmark).
  bool allow_collapse = true;
  TailPolicy tail = TailPolicy::keep;
};

// `copy`: copies log to dest (created O_EXCL with `mode`, owner set to the
// log's when we are root, the log's ACL; its holes stay holes), fsyncs dest;
// the log is untouched. A symlinked log
// or an existing dest is refused before anything changes; a failed copy
// removes the partial dest.
CopyResult copy_log(const std::filesystem::path& log, const std::filesystem::path& dest, mode_t mode);

// `copytruncate`: copies log to dest (as copy_log), then empties the log
// (but for a kept tail) as described above; dest is fsynced. An error before
// the log was changed removes dest; after it, dest is kept (it holds data no
// longer in the log) and the error says so.
CopyResult copy_truncate_log(const std::filesystem::path& log, const std::filesystem::path& dest, mode_t mode,
                             const CopyTruncateOptions& options = {});

}  // namespace opsrotate
