#pragma once
// Copying a file's bytes that keeps its holes. A log that a program writes
// at its own offset after a truncation (or one made with `truncate -s`) is
// mostly a hole: copied byte by byte it would fill the disk with NULs that
// the original never took (logrotate's copy keeps such a file sparse too).

#include <cstdint>
#include <string>

namespace ops {

// Copies in[from, end of file) to out at out's file offset, which is at or
// past out's end (as when out is being filled in order): the data regions of
// `in` (SEEK_DATA/SEEK_HOLE) are copied, in the kernel where it can
// (copy_file_range) and by read/write where it cannot, and its holes are
// skipped, so they stay holes in out; out is extended over a hole at the end.
// Where the filesystem reports no holes, everything is copied. A file that
// grows meanwhile is copied on to the end it has when the copy looks last.
// Returns the offset in `in` reached (its size then); out's offset is left
// just as far past where it was. Throws ops::Error (critical) naming
// in_what or out_what.
std::uint64_t copy_keeping_holes(int in, std::uint64_t from, int out, const std::string& in_what,
                                 const std::string& out_what);

}  // namespace ops
