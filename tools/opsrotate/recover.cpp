#include "recover.hpp"

#include "rotated_names.hpp"

#include <ops/log.hpp>

#include <regex>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;

namespace opsrotate {

namespace {

void remove_leftover(const fs::path& p, const char* why) {
  if (::unlink(p.c_str()) == 0) ops::log::info("removed {} ({})", p.string(), why);
}

}  // namespace

void recover_leftovers(const LogConfig& config, const fs::path& log) {
  RotationNames names = rotation_names(config, log);
  const std::string compext = compression_ext(config);
  // Temporary files of this log's rotations: AtomicFile's ".NAME.tmp.XXXXXX".
  const std::regex temp("^\\." + regex_escape(names.base) + ".*\\.tmp\\.[A-Za-z0-9]{6}$");
  std::set<fs::path> present;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(names.dir, ec)) {
    std::string name = e.path().filename().string();
    if (std::regex_match(name, temp)) remove_leftover(e.path(), "an unfinished compression");
    else if (name.starts_with(names.base)) present.insert(e.path());
  }
  for (const auto& p : present) {
    fs::path packed = p;
    packed += compext;
    if (p.string().ends_with(compext) || !present.count(packed)) continue;
    // Both app.log.2 and app.log.2.gz: the .gz was renamed into place only
    // once complete and fsynced, so the plain one is the duplicate.
    if (p != log) remove_leftover(p, "already compressed");
  }
  fs::path fresh = log.parent_path() / ("." + log.filename().string() + ".opsrotate-new");
  remove_leftover(fresh, "an unfinished create");
}

}  // namespace opsrotate
