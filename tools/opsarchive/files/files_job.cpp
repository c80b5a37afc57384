#include "opsarchive/files/files_job.hpp"
#include "opsarchive/files/compress_file.hpp"
#include "opsarchive/files/file_rules.hpp"
#include "opsarchive/files/files_plan.hpp"
#include "opsarchive/files/selection.hpp"
#include "opsarchive/files/tar_collect.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <cerrno>
#include <dirent.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <utility>
#include <unistd.h>

namespace fs = std::filesystem;

namespace opsarchive {

namespace {

class Runner {
 public:
  Runner(const FilesJob& job, FilesPlan plan) : job_(job), plan_(std::move(plan)) {}

  FilesOutcome run() {
    for (const auto& d : job_.dirs) {
      Root root{d, {}, {}};
      std::error_code ec;
      root.name = fs::canonical(d, ec).filename().string();
      try {
        root.dir = ops::Dir::open(d);
      } catch (const std::exception& e) {
        failed(e.what());
      }
      roots_.push_back(std::move(root));
    }
    Selection selection = select_files(roots_, plan_.rules);
    out_.status = ops::worst(out_.status, selection.status);
    std::vector<TarInput> tar_inputs;
    for (const auto& c : selection.candidates) {
      if (!roots_[c.root].dir) continue;
      if (plan_.tar && c.pick == Pick::compress) {
        tar_inputs.push_back({&c, member_name(roots_[c.root].name, c.relative.string(), roots_.size() > 1)});
        continue;
      }
      guarded([&] { act(c); });
    }
    if (plan_.tar) {
      guarded([&] { clean_tar_temps(); });
      if (!tar_inputs.empty()) guarded([&] { collect(tar_inputs); });
    }
    return std::move(out_);
  }

 private:
  fs::path shown(const Candidate& c) const { return roots_[c.root].given / c.relative; }
  std::string verb(const char* done, const char* planned) const { return job_.dry_run ? planned : done; }
  void record(std::string action, fs::path path, std::optional<std::uint64_t> before,
              std::optional<std::uint64_t> after) {
    out_.actions.push_back({std::move(action), std::move(path), before, after});
  }
  void failed(const std::string& message) {
    ops::log::error_line(message);
    out_.status = ops::worst(out_.status, ops::Status::critical);
  }
  void warned(const std::string& message) {
    ops::log::warning_line(message);
    out_.status = ops::worst(out_.status, ops::Status::warning);
  }
  // One file's trouble is reported and the others go on.
  template <typename F>
  void guarded(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      failed(e.what());
    }
  }

  void act(const Candidate& c) {
    const Root& root = roots_[c.root];
    const std::string name = c.relative.filename().string();
    ops::Dir dir = root.dir.below(c.relative.parent_path());
    const auto size = static_cast<std::uint64_t>(c.st.st_size);
    switch (c.pick) {
      case Pick::temp:
        temps_seen_.insert({c.st.st_dev, c.st.st_ino});
        if (auto removed = ops::clear_leftover(dir, name, job_.dry_run)) {
          record(verb("removed-temp", "would-remove-temp"), shown(c), *removed, 0);
          if (!job_.dry_run) ++out_.temp_files_removed, out_.bytes_freed += static_cast<std::int64_t>(*removed);
        }
        return;
      case Pick::remove:
        remove(dir, name, c.st);
        record(verb("deleted", "would-delete"), shown(c), size, 0);
        if (!job_.dry_run) ++out_.files_deleted, out_.bytes_freed += static_cast<std::int64_t>(size);
        return;
      case Pick::compress: compress(dir, name, c); return;
    }
  }

  void remove(const ops::Dir& dir, const std::string& name, const struct stat& seen) {
    auto now = dir.stat(name);
    if (!now || !ops::unchanged(seen, *now)) ops::fail("not removing " + dir.path(name).string() + ": it changed");
    if (job_.dry_run) return;
    if (!dir.remove(name)) ops::fail_errno("cannot remove " + dir.path(name).string(), ENOENT);
  }

  void compress(const ops::Dir& dir, const std::string& name, const Candidate& c) {
    const fs::path dir_shown = dir.path();
    auto r = compress_file(dir, name, c.st, *plan_.compress, job_.dry_run);
    const auto freed = static_cast<std::int64_t>(r.bytes_before) - static_cast<std::int64_t>(r.bytes_after);
    switch (r.outcome) {
      case CompressOutcome::compressed:
        record(verb("compressed", "would-compress"), shown(c), r.bytes_before,
               job_.dry_run ? std::nullopt : std::optional(r.bytes_after));
        if (!job_.dry_run) ++out_.files_compressed, out_.bytes_freed += freed;
        return;
      case CompressOutcome::duplicate_removed:
        record(verb("removed-original", "would-remove-original"), shown(c), r.bytes_before, r.bytes_after);
        if (!job_.dry_run) ++out_.files_compressed, out_.bytes_freed += static_cast<std::int64_t>(r.bytes_before);
        return;
      case CompressOutcome::target_exists:
        warned((dir_shown / r.target).string() + " exists with other content; " + shown(c).string() +
               " not compressed");
        return;
      case CompressOutcome::changed: warned(shown(c).string() + " changed while it was compressed; left as it is"); return;
      case CompressOutcome::already_compressed: return;
    }
  }

  // Temporary archives of a crashed run beside the archive (when that is
  // outside the DIRs, the walk does not see them).
  void clean_tar_temps() {
    const ops::Dir dir = ops::Dir::open_parent(plan_.tar_path);
    ops::LeftoverQuery query;
    query.tag = temp_tag;
    query.dry_run = job_.dry_run;
    query.wanted = [&](const std::string& final_name) {
      return ::fnmatch(plan_.rules.archive_glob.c_str(), final_name.c_str(), 0) == 0;
    };
    // The walk of a DIR has seen (and reported) those inside the DIRs.
    query.skip = [&](const struct stat& st) { return temps_seen_.count({st.st_dev, st.st_ino}) > 0; };
    for (const auto& left : ops::clear_leftovers(dir, query)) {
      record(verb("removed-temp", "would-remove-temp"), dir.path(left.name), left.size, 0);
      if (!job_.dry_run) ++out_.temp_files_removed;
    }
  }

  void collect(const std::vector<TarInput>& inputs) {
    if (job_.dry_run) {
      std::uint64_t total = 0;
      for (const auto& in : inputs) {
        record("would-archive", shown(*in.file), static_cast<std::uint64_t>(in.file->st.st_size), std::nullopt);
        total += static_cast<std::uint64_t>(in.file->st.st_size);
      }
      record("would-create", plan_.tar_path, total, std::nullopt);
      return;
    }
    TarResult tar = write_tar(plan_.tar_path, *plan_.tar, roots_, inputs);
    out_.status = ops::worst(out_.status, tar.status);
    record("created", plan_.tar_path, tar.plain_bytes, tar.tar_bytes);
    out_.bytes_freed -= static_cast<std::int64_t>(tar.tar_bytes);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (!tar.stored[i]) continue;
      const Candidate& c = *inputs[i].file;
      guarded([&] {
        const Root& root = roots_[c.root];
        ops::Dir dir = root.dir.below(c.relative.parent_path());
        remove(dir, c.relative.filename().string(), c.st);
        dir.sync();
        record("archived", shown(c), static_cast<std::uint64_t>(c.st.st_size), std::nullopt);
        ++out_.files_archived;
        out_.bytes_freed += static_cast<std::int64_t>(c.st.st_size);
      });
    }
  }

  const FilesJob& job_;
  FilesPlan plan_;
  std::vector<Root> roots_;
  std::set<std::pair<dev_t, ino_t>> temps_seen_;
  FilesOutcome out_;
};

}  // namespace

FilesOutcome archive_files(const FilesJob& job) {
  const ops::SysTime now = ops::now();
  return Runner(job, plan_files_job(job, now)).run();
}

}  // namespace opsarchive
