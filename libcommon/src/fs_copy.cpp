// copy_keeping_holes: one data region at a time, SEEK_DATA to find the next
// and SEEK_HOLE its end; fs_copy.hpp says what is promised.
#include <ops/fs_copy.hpp>

#include <ops/error.hpp>
#include <ops/fs.hpp>

#include <cerrno>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace ops {

namespace {

// Copies in[off, end) to out's offset; returns where it stopped (short of
// end only when `in` ended sooner, cut by someone meanwhile).
class RangeCopier {
 public:
  RangeCopier(int in, int out, const std::string& in_what, const std::string& out_what)
      : in_(in), out_(out), in_what_(in_what), out_what_(out_what) {}

  off_t copy(off_t off, off_t end) {
    while (off < end) {
      const auto want = static_cast<std::size_t>(end - off);
      if (use_kernel_) {
        ssize_t n = ::copy_file_range(in_, &off, out_, nullptr, want, 0);
        if (n > 0) continue;
        if (n == 0) return off;
        if (errno == EINTR) continue;
        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP && errno != EBADF)
          fail_errno("cannot copy " + in_what_ + " to " + out_what_, errno);
        use_kernel_ = false;  // nothing was copied by the failed call
      }
      if (buf_.empty()) buf_.resize(std::size_t{1} << 20);
      const std::size_t n = pread_full(in_, buf_.data(), std::min(buf_.size(), want), off, in_what_);
      if (n == 0) return off;
      write_all(out_, std::string_view(buf_.data(), n), out_what_);
      off += static_cast<off_t>(n);
    }
    return off;
  }

 private:
  int in_, out_;
  const std::string& in_what_;
  const std::string& out_what_;
  bool use_kernel_ = true;
  std::vector<char> buf_;
};

// The filesystem cannot say where the holes are (SEEK_DATA unsupported):
// everything is data.
bool no_hole_support(int err) { return err == EINVAL || err == ENOTSUP || err == EOPNOTSUPP; }

}  // namespace

std::uint64_t copy_keeping_holes(int in, std::uint64_t from, int out, const std::string& in_what,
                                 const std::string& out_what) {
  RangeCopier copier(in, out, in_what, out_what);
  auto pos = static_cast<off_t>(from);
  off_t skipped = 0;  // hole bytes out's offset has moved past its end
  auto skip = [&](off_t n) {
    if (::lseek(out, n, SEEK_CUR) < 0) fail_errno("cannot seek in " + out_what, errno);
    skipped += n;
  };
  bool holes = true;
  for (;;) {
    const off_t size = file_size(in, in_what);
    if (pos >= size) break;
    off_t data = pos, end = size;
    if (holes) {
      data = ::lseek(in, pos, SEEK_DATA);
      if (data < 0 && errno == ENXIO) {
        // No data from pos on: a hole to the end, unless the file grew
        // since we looked (then look again).
        if (file_size(in, in_what) != size) continue;
        skip(size - pos);
        pos = size;
        break;
      }
      if (data < 0 && no_hole_support(errno)) {
        holes = false;
        continue;
      }
      if (data < 0) fail_errno("cannot read " + in_what, errno);
      end = ::lseek(in, data, SEEK_HOLE);
      if (end < 0) fail_errno("cannot read " + in_what, errno);
    }
    if (data > pos) skip(data - pos);
    const off_t reached = copier.copy(data, end);
    if (reached > data) skipped = 0;  // out was written past the hole
    if (reached < end) {  // cut short meanwhile: copied to its end
      pos = reached;
      break;
    }
    pos = end;
  }
  if (skipped > 0) {
    const off_t out_end = ::lseek(out, 0, SEEK_CUR);
    if (out_end < 0) fail_errno("cannot seek in " + out_what, errno);
    if (file_size(out, out_what) < out_end && ::ftruncate(out, out_end) != 0)
      fail_errno("cannot extend " + out_what, errno);
  }
  return static_cast<std::uint64_t>(pos);
}

}  // namespace ops
