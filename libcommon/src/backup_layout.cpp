#include <ops/backup_layout.hpp>
#include <ops/text.hpp>

#include <ops/dir.hpp>
#include <ops/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace ops::backup {

namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

constexpr std::size_t kStampLength = 16;  // 20261125T021500Z
constexpr std::string_view kManifestSuffix = ".manifest.json";

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// The file a killed run's temporary stands for, also for the side files SQLite
// keeps beside the temporary scratch copy of a database (opsbackup's
// db_backup.cpp): ".NAME-STAMP.sqlite-copy.tmp.XXXXXX-journal".
std::optional<std::string> leftover_target(std::string_view file) {
  for (std::string_view side : {"-journal", "-wal", "-shm"})
    if (file.ends_with(side)) {
      file.remove_suffix(side.size());
      break;
    }
  return ops::temp_name_target(file);
}

}  // namespace

void check_backup_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 100 && name[0] != '.' && name[0] != '-' &&
            std::all_of(name.begin(), name.end(), is_name_char);
  if (!ok)
    ops::fail_usage(fmt::format("bad backup name '{}'", shown(name)),
                    "use letters, digits, '.', '_' and '-' (it becomes a directory and file name)");
}

std::string compact_time(ops::SysTime t) {
  std::string iso = ops::format_time(t);  // 2026-11-25T02:15:00Z
  std::erase_if(iso, [](char c) { return c == '-' || c == ':'; });
  return iso;
}

std::optional<ops::SysTime> parse_compact_time(const std::string& text) {
  if (text.size() != kStampLength || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  for (std::size_t i = 0; i < 15; ++i)
    if (i != 8 && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) { return std::stoi(text.substr(at, len)); };
  year_month_day ymd{year{num(0, 4)}, month{static_cast<unsigned>(num(4, 2))}, day{static_cast<unsigned>(num(6, 2))}};
  int h = num(9, 2), m = num(11, 2), s = num(13, 2);
  if (!ymd.ok() || h > 23 || m > 59 || s > 59) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{m} + seconds{s};
}

std::string backup_stem(const std::string& name, ops::SysTime started) {
  return name + "-" + compact_time(started);
}

fs::path manifest_path(const fs::path& backup_dir, const std::string& stem) {
  return backup_dir / (stem + std::string(kManifestSuffix));
}

Listing list_backup_dir(const fs::path& backup_dir, const std::string& name) {
  Listing listing;
  std::error_code ec;
  fs::directory_iterator it(backup_dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return listing;
    ops::fail_errno("cannot read backup directory " + backup_dir.string(), ec.value());
  }
  const std::string prefix = name + "-";
  std::map<std::string, BackupFiles> by_stem;
  for (const auto& entry : it) {
    const std::string file = entry.path().filename().string();
    // A run killed while it wrote a file atomically leaves the temporary:
    // a backup's (of "NAME-STAMP…") or the last-run record's.
    if (auto target = leftover_target(file); target && (target->starts_with(prefix) || *target == kLastRunFile)) {
      listing.leftovers.push_back(entry.path());
      continue;
    }
    if (!file.starts_with(prefix) || file.size() < prefix.size() + kStampLength + 1) continue;
    const std::string stamp = file.substr(prefix.size(), kStampLength);
    auto started = parse_compact_time(stamp);
    if (!started || file[prefix.size() + kStampLength] != '.') continue;
    const std::string stem = prefix + stamp;
    auto& b = by_stem[stem];
    b.stem = stem;
    b.started = *started;
    if (file.ends_with(kManifestSuffix) && file.size() == stem.size() + kManifestSuffix.size())
      b.manifest = entry.path();
    else
      b.data.push_back(entry.path());
  }
  for (auto& [stem, b] : by_stem) {
    std::sort(b.data.begin(), b.data.end());
    listing.backups.push_back(std::move(b));
  }
  std::sort(listing.leftovers.begin(), listing.leftovers.end());
  return listing;
}

std::vector<std::string> backup_names(const fs::path& root) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (entry.is_directory(ec) && !entry.path().filename().string().starts_with("."))
      names.push_back(entry.path().filename().string());
  if (ec && ec != std::errc::no_such_file_or_directory) ops::fail_errno("cannot read " + root.string(), ec.value());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace ops::backup
