#include "opsbackup/files/files_backup.hpp"

#include "opsbackup/store/compressed_output.hpp"
#include "opsbackup/store/layout.hpp"
#include "opsbackup/store/published_files.hpp"

#include <ops/error.hpp>
#include <ops/tar.hpp>

#include <fmt/format.h>

#include <map>

namespace opsbackup {

namespace fs = std::filesystem;

namespace {

// Is `inner` `outer` or below it? Both are real paths (no symlink, no "..").
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (const auto& part : outer) {
    if (i == inner.end() || *i != part) return false;
    ++i;
  }
  return true;
}

void refuse_root_in_sources(const fs::path& root, const std::vector<FilesSource>& sources) {
  std::error_code ec;
  // DIR may not exist yet: its nearest existing ancestor is resolved.
  const fs::path real_root = fs::weakly_canonical(root, ec);
  if (ec) return;  // an unreadable DIR: preparing it says why
  for (const auto& s : sources) {
    const fs::path real_source = fs::canonical(s.root, ec);
    if (ec) continue;
    if (is_within(real_root, real_source))
      ops::fail_usage(fmt::format("backup directory {} is {} source {}: the backup would archive itself",
                                  root.string(), real_root == real_source ? "the" : "inside the", s.given.string()));
  }
}

}  // namespace

std::vector<FilesSource> plan_sources(const std::vector<fs::path>& sources, const fs::path& root) {
  if (sources.empty()) ops::fail_usage("no source given", "give --source DIR (repeatable)");
  std::vector<FilesSource> planned;
  std::map<std::string, std::string> seen;  // prefix -> the source that claimed it
  for (const auto& given : sources) {
    fs::path p = fs::absolute(given).lexically_normal();
    if (!p.has_filename()) p = p.parent_path();  // "/var/www/uploads/" -> "/var/www/uploads"
    if (p == p.root_path())
      ops::fail_usage(fmt::format("cannot back up {} as a whole", given.string()), "give its directories as sources");
    std::error_code ec;
    auto status = fs::symlink_status(p, ec);
    if (ec || !fs::exists(status))
      ops::fail_usage(fmt::format("source {}: {}", given.string(), ec ? ec.message() : "No such file or directory"));
    FilesSource s{p, p.filename().string(), p};
    // A source that is itself a symlink (/var/www/current -> releases/42)
    // means the tree it points to, stored under the name given.
    if (fs::is_symlink(status)) s.root = fs::canonical(p, ec);
    if (ec) ops::fail_usage(fmt::format("source {}: {}", given.string(), ec.message()));
    // A source is a tree (man page: --source DIR). A FIFO or a device would be
    // archived as a node, not as data; a single file belongs in a directory.
    if (!fs::is_directory(s.root, ec))
      ops::fail_usage(fmt::format("source {} is not a directory", given.string()),
                      "give the directory that holds it; --exclude leaves out the rest");
    if (auto [it, fresh] = seen.emplace(s.prefix, given.string()); !fresh)
      ops::fail_usage(fmt::format("sources {} and {} would both be stored as {}/", it->second, given.string(), s.prefix),
                      "back them up under two backup names");
    planned.push_back(std::move(s));
  }
  refuse_root_in_sources(root, planned);
  return planned;
}

BackupResult backup_files(const FilesBackupRequest& request) {
  const std::vector<FilesSource> sources = plan_sources(request.sources, request.root);
  const fs::path dir = prepare_backup_dir(request.root, request.name);

  Manifest m;
  m.tool_version = OPS_VERSION;
  m.name = request.name;
  m.kind = "files";
  for (const auto& s : sources) m.source += (m.source.empty() ? "" : ", ") + s.given.string();
  m.dumper = ops::libarchive_version();
  m.dump_format = "pax";
  m.started = ops::now();
  m.compression = std::string(ops::compression_name(request.compress.format));
  m.level = ops::resolve_level(request.compress.format, request.compress.level);
  const std::string stem = backup_stem(request.name, m.started);

  fs::path data_path;
  data_path = dir / (stem + ".tar" + std::string(ops::compression_suffix(request.compress.format)));
  PublishedFiles published;
  {
    ops::Utf8Names utf8;
    CompressedOutput out(data_path, request.compress);
    ops::TarWriter tar([&](std::string_view bytes) { out.write(bytes); });
    FilesArchiveResult archived = archive_trees(sources, request.archive, tar);
    tar.close();
    out.publish();
    published.add(data_path);
    m.file_count = archived.entries;
    m.warnings = std::move(archived.warnings);
    m.plain_size = out.plain_size(), m.size = out.size(), m.sha256 = out.sha256();
  }

  return finish_backup(dir, stem, data_path, std::move(m), published);
}

}  // namespace opsbackup
