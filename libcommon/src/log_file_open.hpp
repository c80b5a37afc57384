#pragma once
// What both log readers (log_reader.cpp backwards, log_reader_forward.cpp
// forwards) do first with each file of a log: open it without blocking on a
// FIFO or taking a terminal, and refuse what is not a regular file.

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/text.hpp>

#include <cerrno>
#include <fcntl.h>
#include <fmt/format.h>
#include <string>
#include <sys/stat.h>

namespace ops {

inline Fd open_log_file(const std::string& what, struct stat& st) {
  Fd fd(::open(what.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd) fail_unknown_errno(fmt::format("cannot open {}", shown(what)), errno);
  if (::fstat(fd.get(), &st) != 0) fail_unknown_errno(fmt::format("cannot stat {}", shown(what)), errno);
  if (!S_ISREG(st.st_mode)) fail_usage(fmt::format("{} is not a regular file", shown(what)));
  return fd;
}

}  // namespace ops
