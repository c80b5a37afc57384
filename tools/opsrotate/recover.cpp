#include "recover.hpp"

#include "rotated_names.hpp"

#include <ops/compress.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <cerrno>
#include <fcntl.h>

#include <set>
#include <unistd.h>

namespace fs = std::filesystem;

namespace opsrotate {

namespace {

void remove_leftover(const fs::path& p, const char* why) {
  if (::unlink(p.c_str()) == 0) ops::log::info("removed {} ({})", p.string(), why);
}

// Whether the compressed file decompresses to exactly the plain file's bytes.
bool same_content(const fs::path& plain, const fs::path& packed) {
  struct Differs {};
  try {
    ops::Fd in = ops::open_file(plain, O_RDONLY | O_NOFOLLOW);
    ops::Fd z = ops::open_file(packed, O_RDONLY | O_NOFOLLOW);
    std::string buf;
    ops::decompress_fd(z.get(), packed.string(), [&](std::string_view chunk) {
      buf.resize(chunk.size());
      std::size_t got = 0;
      while (got < chunk.size()) {
        ssize_t n = ::read(in.get(), buf.data() + got, chunk.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Differs{};
        got += static_cast<std::size_t>(n);
      }
      if (std::string_view(buf) != chunk) throw Differs{};
    });
    char extra;
    return ::read(in.get(), &extra, 1) == 0;
  } catch (const Differs&) {
    return false;
  } catch (const ops::Error&) {
    return false;  // unreadable or not compressed: not a duplicate we may remove
  }
}

}  // namespace

void recover_leftovers(const LogConfig& config, const fs::path& log) {
  RotationNames names = rotation_names(config, log);
  const std::string compext = compression_ext(config);
  // Temporary files of this log's rotations: AtomicFile's ".NAME.tmp.XXXXXX".
  // AtomicFile's temporaries of this log's rotations: ".BASE….tmp.XXXXXX".
  auto is_temp = [&](const std::string& name) {
    return name.size() > names.base.size() + 12 && name[0] == '.' && name.compare(1, names.base.size(), names.base) == 0 &&
           name.compare(name.size() - 11, 5, ".tmp.") == 0;
  };
  std::set<fs::path> present;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(names.dir, ec)) {
    std::string name = e.path().filename().string();
    if (is_temp(name)) remove_leftover(e.path(), "an unfinished compression");
    else if (name.starts_with(names.base)) present.insert(e.path());
  }
  for (const auto& p : present) {
    fs::path packed = p;
    packed += compext;
    if (p == log || p.string().ends_with(compext) || !present.count(packed)) continue;
    // Both app.log.2 and app.log.2.gz: a crash between publishing the .gz
    // and removing the plain file — but only if the .gz holds exactly the
    // same bytes. Two different files that happen to have these names (a
    // configuration that turned compress on or off) are both kept.
    if (same_content(p, packed)) remove_leftover(p, "already compressed");
  }
  fs::path fresh = log.parent_path() / ("." + log.filename().string() + ".opsrotate-new");
  remove_leftover(fresh, "an unfinished create");
}

}  // namespace opsrotate
