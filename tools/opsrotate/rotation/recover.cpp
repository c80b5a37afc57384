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

bool remove_leftover(const fs::path& p, const char* why) {
  if (::unlink(p.c_str()) != 0) return false;
  ops::log::info("removed {} ({})", p.string(), why);
  return true;
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

// Removes the temporaries no live run holds (ops::clear_leftover knows).
void clear_temporaries(const fs::path& where, const std::vector<std::string>& temporaries, DirListings& listings) {
  ops::Dir dir;
  try {
    dir = ops::Dir::open(where);
  } catch (const ops::Error&) {
    return;  // gone since it was listed: nothing left there
  }
  bool removed = false;
  for (const auto& name : temporaries)
    if (ops::clear_leftover(dir, name, false)) {
      ops::log::info("removed {} (an unfinished compression or create)", dir.path(name).string());
      listings.forget(where, name);
      removed = true;
    }
  if (removed) dir.sync();
}

}  // namespace

void recover_leftovers(const LogConfig& config, const fs::path& log, DirListings& listings) {
  RotationNames names = rotation_names(config, log);
  const std::string compext = compression_ext(config);
  std::error_code ec;
  // Temporaries of this log's rotations (an unfinished compression, where
  // rotations go) and of its create (beside the log), which no live run
  // holds: ops::temp_name_target knows their names (".FINAL.tmp.XXXXXX").
  const fs::path log_dir = log.parent_path().empty() ? fs::path(".") : log.parent_path();
  std::set<fs::path> present;
  for (const fs::path& where : {names.dir, log_dir}) {
    if (where != names.dir && fs::equivalent(where, names.dir, ec)) continue;
    const std::string final_prefix = where == names.dir ? names.base : log.filename().string();
    std::vector<std::string> temporaries;
    for (const auto& name : listings.starting_with(where, "." + final_prefix))
      if (auto target = ops::temp_name_target(name); target && target->starts_with(final_prefix))
        temporaries.push_back(name);
    if (!temporaries.empty()) clear_temporaries(where, temporaries, listings);
    if (where != names.dir) continue;
    for (const auto& name : listings.starting_with(where, names.base)) present.insert(names.dir / name);
  }
  for (const auto& p : present) {
    fs::path packed = p;
    packed += compext;
    if (p == log || p.string().ends_with(compext) || !present.count(packed)) continue;
    // Both app.log.2 and app.log.2.gz: a crash between publishing the .gz
    // and removing the plain file — but only if the .gz holds exactly the
    // same bytes. Two different files that happen to have these names (a
    // configuration that turned compress on or off) are both kept.
    if (same_content(p, packed) && remove_leftover(p, "already compressed"))
      listings.forget(names.dir, p.filename().string());
  }
}

}  // namespace opsrotate
