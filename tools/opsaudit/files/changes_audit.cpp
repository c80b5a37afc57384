// opsaudit changes PATH... --baseline FILE: what was added, removed or
// changed since the baseline, as AIDE reports it, with the baseline kept
// honest: published atomically, its own SHA-256 printed (to keep elsewhere
// and give back as --expect-sha256), and refused whole when it does not
// parse or does not match.
#include "opsaudit/audit_list.hpp"
#include "opsaudit/files/baseline.hpp"
#include "opsaudit/files/changes_compare.hpp"
#include "opsaudit/files/file_state.hpp"

#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/fs_regular.hpp>
#include <ops/hash.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <sys/stat.h>

namespace opsaudit {
namespace {

namespace fs = std::filesystem;

std::string sha256_of(std::string_view text) {
  ops::Sha256 sha;
  sha.update(text);
  return sha.hex_digest();
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + ops::shown(items[i]);
  return out;
}

// Writes the baseline atomically (a kill leaves the old one or the new one)
// and returns its SHA-256; with dry_run, only the SHA-256 it would have.
std::string publish(const fs::path& path, const files::Baseline& baseline, bool dry_run) {
  if (dry_run) return sha256_of(files::baseline_text(baseline));
  // What a killed --init/--update left beside it goes first.
  const std::string name = path.filename().native();
  ops::clear_leftovers(ops::Dir::open_parent(path),
                       ops::LeftoverQuery{{}, [&](const std::string& final_name) { return final_name == name; }, {}, false});
  const std::string text = files::baseline_text(baseline);
  ops::AtomicFile file(path, 0600);
  file.write(text);
  file.commit();
  return sha256_of(text);
}

class ChangesAudit {
 public:
  explicit ChangesAudit(const Request& request) : request_(request) {
    const auto& s = request.settings;
    const auto baseline = s.text("baseline");
    if (!baseline || baseline->empty())
      ops::fail_usage("changes needs --baseline FILE (or baseline in [audit])");
    path_ = *baseline;
    init_ = s.flag("init");
    update_ = s.flag("update");
    if (init_ && update_) ops::fail_usage("--init and --update: choose one (--init records a first baseline)");
    // A standing init or update in ops.conf would accept every change each
    // week and report none: they are one-off acts, taken on the command line.
    for (const char* key : {"init", "update"})
      if (s.flag(key) && !s.where(key).starts_with("--"))
        ops::fail_usage(fmt::format("{}: --{} is given on the command line only, for one run", s.where(key), key));
    expect_ = ops::ascii_lower(s.text("expect_sha256").value_or(""));
    walk_ = files::walk_settings(s);
    walk_given_ = s.given("exclude");
    for (const std::string& arg : request.args) roots_.push_back(files::root_name(arg));
  }

  Section run() {
    section_.name = "changes";
    if (init_) return init();
    const files::Baseline old = read();
    // A check covers what the baseline covers: the same PATHs (none: the
    // baseline's) and the same exclusions, or every file would look added
    // or removed. --update may change them.
    if (roots_.empty()) roots_ = old.roots;
    if (!walk_given_) walk_.exclude = old.excludes;
    if (!update_ && (roots_ != old.roots || walk_.exclude != old.excludes))
      ops::fail_usage(fmt::format("{} records {}{}; this run names {}{}", ops::shown(path_.native()), joined(old.roots),
                                  old.excludes.empty() ? "" : " excluding " + joined(old.excludes), joined(roots_),
                                  walk_.exclude.empty() ? "" : " excluding " + joined(walk_.exclude)),
                      "give the same PATHs and --exclude, or --update to record the new ones");
    files::Scan scan = scan_now();
    section_.findings = files::compare(old.entries, scan.entries, update_);
    count(section_.findings);
    if (update_) {
      const std::size_t entries = scan.entries.size();
      const std::string sha = publish(path_, baseline_of(scan), request_.dry_run);
      section_.title = fmt::format("changes of {} {} {} ({} entries), its sha256 {}", joined(roots_),
                                   request_.dry_run ? "would be accepted into (dry run: nothing written)" : "accepted into",
                                   ops::shown(path_.native()), entries, sha);
    } else {
      section_.title = fmt::format("changes of {} since {} (baseline {}, sha256 {})", joined(roots_),
                                   old.created.empty() ? "the baseline" : ops::shown(old.created),
                                   ops::shown(path_.native()), sha_);
    }
    notes(scan);
    return std::move(section_);
  }

 private:
  Section init() {
    if (roots_.empty()) ops::fail_usage("changes --init needs the PATHs to record");
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0)
      ops::fail_usage(fmt::format("{} exists: --update accepts the current state into it", ops::shown(path_.native())));
    files::Scan scan = scan_now();
    const std::size_t entries = scan.entries.size();
    const std::string sha = publish(path_, baseline_of(scan), request_.dry_run);
    section_.title = fmt::format("changes of {}: baseline {} {} ({} entries), its sha256 {}", joined(roots_),
                                 request_.dry_run ? "would be recorded in (dry run: nothing written)" : "recorded in",
                                 ops::shown(path_.native()), entries, sha);
    notes(scan);
    return std::move(section_);
  }

  files::Baseline read() {
    std::string text;
    try {
      ops::Fd fd = ops::open_regular(path_);
      text = ops::read_all(fd.get(), path_.native());
    } catch (const ops::Error& e) {
      ops::fail(fmt::format("cannot read the baseline: {}", e.what()));
    }
    sha_ = sha256_of(text);
    if (!expect_.empty() && expect_ != sha_)
      ops::fail(fmt::format("{}: its SHA-256 is {}, not {} (--expect-sha256): the baseline was changed",
                            ops::shown(path_.native()), sha_, ops::shown(expect_)));
    return files::parse_baseline(text, path_.native());
  }

  files::Scan scan_now() {
    struct stat st {};
    const bool exists = ::stat(path_.c_str(), &st) == 0;
    const std::string name = path_.filename().native();
    files::Scan scan = files::scan_trees(roots_, walk_, [&](const files::TreeEntry& e) {
      // The baseline itself (and what a killed run of ours left beside it)
      // would be a change every time.
      if (exists && e.st.st_dev == st.st_dev && e.st.st_ino == st.st_ino) return true;
      const std::string_view base = std::string_view(e.path).substr(e.path.rfind('/') + 1);
      return ops::temp_name_target(base) == name;
    });
    section_.figures["changes_entries"] = static_cast<double>(scan.entries.size());
    return scan;
  }

  files::Baseline baseline_of(files::Scan& scan) const {
    return files::Baseline{ops::format_time(request_.now), roots_, walk_.exclude, std::move(scan.entries)};
  }

  void count(const std::vector<Finding>& findings) {
    for (const char* kind : {"added", "removed", "content_changed", "mode_changed", "owner_changed"}) {
      std::size_t n = 0;
      for (const Finding& f : findings) n += f.kind == kind;
      section_.figures[std::string("changes_") + kind] = static_cast<double>(n);
    }
  }

  void notes(const files::Scan& scan) {
    if (!scan.trouble.note().empty()) section_.notes.push_back(scan.trouble.note());
    if (scan.unreadable.count)
      section_.notes.push_back(fmt::format("{} file{} could not be read, their content is not compared (only size and "
                                           "mtime), the first: {}",
                                           scan.unreadable.count, scan.unreadable.count == 1 ? "" : "s",
                                           scan.unreadable.first));
  }

  const Request& request_;
  fs::path path_;
  bool init_ = false;
  bool update_ = false;
  std::string expect_;
  std::string sha_;
  files::WalkSettings walk_;
  bool walk_given_ = false;
  std::vector<std::string> roots_;
  Section section_;
};

}  // namespace

Audit changes_audit() {
  return Audit{
      "changes", "[PATH...]",
      "files added, removed or changed since the baseline (SHA-256, mode, owner, size, mtime, symlink target)",
      ops::SectionSchema{
          "audit", "[audit]",
          with_common_keys({
              ops::SectionKey("baseline", ops::KeyType::path, "the baseline file changes compares with (and writes)")
                  .with_option("baseline", "FILE"),
              ops::SectionKey("init", ops::KeyType::flag,
                              "changes: record a first baseline of the PATHs (refused when the file exists)")
                  .with_option("init"),
              ops::SectionKey("update", ops::KeyType::flag,
                              "changes: report, then accept the current state into the baseline")
                  .with_option("update"),
              ops::SectionKey("expect_sha256", ops::KeyType::text,
                              "the SHA-256 the baseline must have (as --init/--update printed it)")
                  .with_option("expect-sha256", "HEX"),
              files::exclude_key(),
              files::one_file_system_key(),
          })},
      0, -1, [](const Request& request) { return ChangesAudit(request).run(); }};
}

}  // namespace opsaudit
