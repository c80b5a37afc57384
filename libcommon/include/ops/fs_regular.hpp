#pragma once
// Opening a file a tool reads by name (a config, a state file, a history):
// a FIFO, a terminal or a device put there by mistake must be refused at
// once, not waited on (issue 14, item 11: `-c FIFO` hung every tool).

#include <filesystem>
#include <string>
#include <sys/types.h>

#include <ops/fs.hpp>

namespace ops {

// Opens path read-only with O_NONBLOCK (so opening a FIFO cannot block),
// checks with fstat that it is a regular file, then clears O_NONBLOCK.
// Throws ops::Error: usage (exit 3) "PATH is not a regular file" for a FIFO,
// directory, socket or device; critical "cannot open PATH: …" (errno kept in
// the text) when open(2) fails. ops::read_file goes through it.
Fd open_regular(const std::filesystem::path& path);

// The check alone, for a caller that opens the file itself (with O_NONBLOCK)
// to word its own open error: refuses fd unless it is a regular file, as
// open_regular does, and clears O_NONBLOCK.
void require_regular(const Fd& fd, const std::filesystem::path& path);

// What a file that is not a regular one is ("a directory", "a FIFO", "a
// character device", "a socket", "a symlink"), for the message refusing it.
std::string file_kind(mode_t mode);

// Whether path (not followed if a symlink) is the null device: a character
// device with /dev/null's device number. Naming it for a file a tool would
// write (logrotate's `-s /dev/null`) means "keep nothing".
bool is_null_device(const std::filesystem::path& path);

}  // namespace ops
