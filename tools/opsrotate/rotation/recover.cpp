#include "opsrotate/rotation/recover.hpp"

#include "opsrotate/rotation/rotated_names.hpp"

#include <ops/compress.hpp>
#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>
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
  try {
    // Never blocking: a FIFO by one of these names is not a duplicate, and
    // must not hang the run that looks.
    ops::Fd in = ops::open_file(plain, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    ops::require_regular(in, plain);
    ops::Fd z = ops::open_file(packed, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    ops::require_regular(z, packed);
    return ops::decompresses_to(z.get(), packed.string(), in.get(), plain.string());
  } catch (const ops::Error&) {
    return false;  // unreadable: not a duplicate we may remove
  }
}

}  // namespace

void recover_leftovers(const LogConfig& config, const fs::path& log) {
  RotationNames names = rotation_names(config, log);
  const std::string compext = compression_ext(config);
  std::error_code ec;
  // Temporaries of this log's rotations (an unfinished compression, where
  // rotations go) and of its create (beside the log), which no live run
  // holds: ops::clear_leftovers knows their names.
  const fs::path log_dir = log.parent_path().empty() ? fs::path(".") : log.parent_path();
  std::set<fs::path> present;
  for (const fs::path& where : {names.dir, log_dir}) {
    if (where != names.dir && fs::equivalent(where, names.dir, ec)) continue;
    ops::Dir dir;
    try {
      dir = ops::Dir::open(where);
    } catch (const ops::Error&) {
      continue;  // no olddir yet: nothing left there
    }
    ops::LeftoverQuery query;
    query.wanted = [&](const std::string& final_name) {
      return final_name.starts_with(where == names.dir ? names.base : log.filename().string());
    };
    for (const auto& left : ops::clear_leftovers(dir, query))
      ops::log::info("removed {} (an unfinished compression or create)", dir.path(left.name).string());
    if (where != names.dir) continue;
    for (const auto& name : ops::list_names(dir))
      if (name.starts_with(names.base)) present.insert(names.dir / name);
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
}

}  // namespace opsrotate
