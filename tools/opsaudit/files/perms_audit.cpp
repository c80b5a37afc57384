// opsaudit perms PATH...: what in these trees anyone may write, runs as
// someone else, or gives a secret away, each with the command that fixes it.
// Modes are judged class by class, bit by bit, against what each kind of file
// may allow (a secret: rwxr-----), never as octal numbers (0644 < 0750 as a
// number, yet 0644 lets others read what 0750 does not).
#include "opsaudit/audit_list.hpp"
#include "opsaudit/files/file_read.hpp"
#include "opsaudit/files/owners.hpp"
#include "opsaudit/files/path_text.hpp"
#include "opsaudit/files/secrets.hpp"
#include "opsaudit/files/tree_walk.hpp"

#include <ops/cli.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace opsaudit {
namespace {

using files::TreeEntry;

std::string mode_text(mode_t mode) { return fmt::format("{:04o}", mode & 07777); }

// "group may write, others may read and write" for the bits of `excess`.
std::string who_may(mode_t excess) {
  const auto verbs = [](mode_t r, mode_t w, mode_t x, mode_t bits) {
    std::vector<std::string> v;
    if (bits & r) v.emplace_back("read");
    if (bits & w) v.emplace_back("write");
    if (bits & x) v.emplace_back("search/run");
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? (i + 1 == v.size() ? " and " : ", ") : "") + v[i];
    return out;
  };
  std::string out;
  if (excess & 0070) out = "group may " + verbs(S_IRGRP, S_IWGRP, S_IXGRP, excess);
  if (excess & 0007) out += (out.empty() ? "" : ", ") + std::string("others may ") + verbs(S_IROTH, S_IWOTH, S_IXOTH, excess);
  return out;
}

// The symbolic mode of the most a kind of file may allow: rwxr-----.
std::string allowed_text(mode_t allowed) {
  std::string s;
  for (int shift = 6; shift >= 0; shift -= 3) {
    s += (allowed >> shift) & 4 ? 'r' : '-';
    s += (allowed >> shift) & 2 ? 'w' : '-';
    s += (allowed >> shift) & 1 ? 'x' : '-';
  }
  return s;
}

struct Identity {
  dev_t dev;
  ino_t ino;
  bool operator<(const Identity& o) const { return std::pair(dev, ino) < std::pair(o.dev, o.ino); }
};

std::optional<Identity> identity_of(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return std::nullopt;
  return Identity{st.st_dev, st.st_ino};
}

// One entry for the owner pass: a directory whose whole subtree has the wrong
// owner is one `chown -R`, not a finding per file.
struct OwnerNode {
  std::string path;
  int depth;
  bool dir;
  bool wrong;    // has the wrong owner itself
  bool blocks;   // excluded: a chown -R above it would reach what we were told to leave
  uid_t uid;
  gid_t gid;
};

class PermsAudit {
 public:
  explicit PermsAudit(const Request& request) : request_(request) {
    const auto& settings = request.settings;
    walk_ = files::walk_settings(settings);
    if (auto owner = settings.text("owner")) owner_ = files::parse_owner(*owner, settings.where("owner"));
    // The configuration in use and the password files of its [db.NAME]
    // sections are secrets wherever they lie; opsbackup's store is backups.
    if (auto id = identity_of(request.config.path().native())) secrets_[*id] = "ops configuration";
    for (const std::string& name : request.config.database_names())
      if (auto db = request.config.database(name); db && !db->password_file.empty())
        if (auto id = identity_of(db->password_file)) secrets_[*id] = "password file of [db." + name + "]";
    if (auto dir = ops::cli::setting_of(request.config, "backup", "dir")) backup_dir_ = identity_of(*dir);
  }

  // The PATHs that exist. Of several, one missing is a critical finding and
  // the others are still audited (as logins and logs treat their sources);
  // when none is left, walk_trees fails on the first, and so the audit.
  std::vector<std::string> reachable_roots() {
    if (request_.args.size() < 2) return request_.args;
    std::vector<std::string> roots;
    for (const std::string& arg : request_.args) {
      struct stat st {};
      const std::string root = files::root_name(arg);
      if (::lstat(root.c_str(), &st) == 0) {
        roots.push_back(arg);
        continue;
      }
      section_.findings.push_back({Severity::critical, "not_audited", ops::shown(root, 4096),
                                   fmt::format("cannot audit '{}': {}", ops::shown(root), std::strerror(errno)), ""});
    }
    return roots.empty() ? request_.args : roots;
  }

  Section run() {
    files::WalkTrouble trouble;
    files::walk_trees(reachable_roots(), walk_, [&](const TreeEntry& e) { return visit(e); }, trouble);
    owner_findings();
    std::string title = "perms of ";
    for (std::size_t i = 0; i < request_.args.size(); ++i)
      title += (i ? ", " : "") + ops::shown(files::root_name(request_.args[i]));
    if (owner_) title += " (owner " + ops::shown(owner_->text) + ")";
    section_.name = "perms";
    section_.title = title;
    if (!trouble.note().empty()) section_.notes.push_back(trouble.note());
    if (!unread_.note().empty()) section_.notes.push_back("contents not checked for a password or key: " + unread_.note());
    section_.figures["perms_entries"] = static_cast<double>(entries_);
    return std::move(section_);
  }

 private:
  void add(Severity severity, std::string kind, const std::string& path, std::string detail, std::string fix) {
    section_.findings.push_back({severity, std::move(kind), ops::shown(path, 4096), std::move(detail), std::move(fix)});
  }

  bool visit(const TreeEntry& e) {
    // Leaving the backup store: the walk is in name order, so what is below it comes together.
    if (!backup_prefix_.empty() && e.path.compare(0, backup_prefix_.size(), backup_prefix_) != 0) backup_prefix_.clear();
    if (e.excluded) {
      if (owner_) owners_.push_back({e.path, e.depth, false, false, true, 0, 0});
      return false;
    }
    ++entries_;
    const struct stat& st = e.st;
    if (S_ISLNK(st.st_mode)) return false;  // a symlink's own mode means nothing, and it is never followed
    if (S_ISDIR(st.st_mode) && backup_dir_ && backup_prefix_.empty() && st.st_dev == backup_dir_->dev &&
        st.st_ino == backup_dir_->ino)
      backup_prefix_ = e.path == "/" ? "/" : e.path + "/";
    const bool in_backup = !backup_prefix_.empty() && (e.path + "/" == backup_prefix_ ||
                                                       e.path.compare(0, backup_prefix_.size(), backup_prefix_) == 0);
    if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) world_writable(e);
    if (S_ISREG(st.st_mode)) {
      set_ids(e);
      secret(e, in_backup);
    } else if (S_ISDIR(st.st_mode) && in_backup) {
      exposed(e, "backup directory", 0700, "backup_dir_open");
    }
    if (owner_) {
      const bool wrong = st.st_uid != owner_->uid || (owner_->gid && st.st_gid != *owner_->gid);
      owners_.push_back({e.path, e.depth, S_ISDIR(st.st_mode), wrong, false, st.st_uid, st.st_gid});
    }
    return true;
  }

  void world_writable(const TreeEntry& e) {
    const mode_t mode = e.st.st_mode;
    if (!(mode & S_IWOTH)) return;
    if (S_ISDIR(mode)) {
      if (mode & S_ISVTX) return;  // /tmp's way: anyone may add, only the owner remove
      add(Severity::critical, "world_writable", e.path,
          fmt::format("directory writable by anyone, without the sticky bit (mode {}): anyone may remove or replace "
                      "what is in it (chmod +t if it is meant to be shared, as /tmp)",
                      mode_text(mode)),
          files::fix_command("chmod o-w", e.path));
    } else {
      add(Severity::critical, "world_writable", e.path,
          fmt::format("file writable by anyone (mode {})", mode_text(mode)), files::fix_command("chmod o-w", e.path));
    }
  }

  void set_ids(const TreeEntry& e) {
    const mode_t mode = e.st.st_mode;
    const std::string owner = files::owner_text(e.st.st_uid, e.st.st_gid);
    if (mode & S_ISUID)
      add(e.st.st_uid == 0 ? Severity::critical : Severity::warning, "setuid", e.path,
          fmt::format("setuid file (mode {}, owner {}): it runs as {} whoever starts it", mode_text(mode), owner,
                      owner.substr(0, owner.find(':'))),
          files::fix_command("chmod u-s", e.path));
    // Without group execute, setgid means mandatory locking, not a group change.
    if ((mode & S_ISGID) && (mode & S_IXGRP))
      add(Severity::warning, "setgid", e.path,
          fmt::format("setgid file (mode {}, owner {}): it runs with group {} whoever starts it", mode_text(mode),
                      owner, owner.substr(owner.find(':') + 1)),
          files::fix_command("chmod g-s", e.path));
  }

  void secret(const TreeEntry& e, bool in_backup) {
    constexpr mode_t secret_allowed = 0740;  // the owner; its group may read (www-data reading root's .env)
    const mode_t excess = e.st.st_mode & 0777 & ~secret_allowed;
    if (auto known = secrets_.find(Identity{e.st.st_dev, e.st.st_ino}); known != secrets_.end()) {
      exposed(e, known->second, secret_allowed, "secret_exposed");
      return;
    }
    if (in_backup) {
      exposed(e, "backup file", 0600, "backup_exposed");  // opsbackup writes them 0600
      return;
    }
    const auto name = files::secret_name(std::string_view(e.path).substr(e.path.rfind('/') + 1));
    if (!name || excess == 0) return;  // contents are read only when the mode would matter
    if (name->test != files::SecretTest::name) {
      std::string text;
      const std::string error =
          files::read_entry(e.dir_fd, e.name, e.st, [&](std::string_view chunk) { text.append(chunk); }, 1 << 20);
      if (!error.empty()) {
        if (unread_.count++ == 0) unread_.first = ops::shown(e.path) + ": " + error;
        return;
      }
      const bool holds = name->test == files::SecretTest::private_key
                             ? files::holds_private_key(text)
                             : files::writes_password(text, name->what == "MySQL configuration");
      if (!holds) return;
    }
    exposed(e, name->what, secret_allowed, "secret_exposed");
  }

  // A finding when the mode allows more than `allowed`, bit by bit in each
  // class; critical when others get anything, warning when only the group does.
  void exposed(const TreeEntry& e, const std::string& what, mode_t allowed, const char* kind) {
    const mode_t mode = e.st.st_mode;
    const mode_t excess = mode & 0777 & ~allowed;
    if (excess == 0) return;
    add(excess & 0007 ? Severity::critical : Severity::warning, kind, e.path,
        fmt::format("{}: {} (mode {}, at most {} wanted)", what, who_may(excess), mode_text(mode),
                    allowed_text(allowed)),
        files::fix_command("chmod " + mode_text(mode & ~excess), e.path));
  }

  void owner_findings() {
    if (!owner_) return;
    // all_wrong[i]: i and everything below it has the wrong owner (and nothing below is excluded).
    const std::size_t n = owners_.size();
    std::vector<bool> all_wrong(n);
    std::vector<std::size_t> end(n);  // one past i's subtree
    std::vector<std::size_t> open;    // indexes whose subtree is still being read
    for (std::size_t i = 0; i <= n; ++i) {
      const int depth = i < n ? owners_[i].depth : -1;
      while (!open.empty() && owners_[open.back()].depth >= depth) {
        const std::size_t j = open.back();
        open.pop_back();
        end[j] = i;
        bool all = owners_[j].wrong && !owners_[j].blocks;
        for (std::size_t k = j + 1; all && k < i; k = end[k]) all = all_wrong[k];
        all_wrong[j] = all;
      }
      if (i < n) open.push_back(i);
    }
    for (std::size_t i = 0; i < n;) {
      const OwnerNode& node = owners_[i];
      const std::string has = files::owner_text(node.uid, node.gid);
      if (node.dir && all_wrong[i] && end[i] > i + 1) {
        add(Severity::warning, "wrong_owner", node.path,
            fmt::format("owned by {}, not {}, as {} below it", has, owner_->text,
                        end[i] - i - 1 == 1 ? std::string("is the entry") : fmt::format("are the {} entries", end[i] - i - 1)),
            files::fix_command("chown -R " + files::shell_word(owner_->text), node.path));
        i = end[i];
        continue;
      }
      if (node.wrong)
        add(Severity::warning, "wrong_owner", node.path, fmt::format("owned by {}, not {}", has, owner_->text),
            files::fix_command("chown " + files::shell_word(owner_->text), node.path));
      ++i;
    }
  }

  const Request& request_;
  files::WalkSettings walk_;
  std::optional<files::WantedOwner> owner_;
  std::map<Identity, std::string> secrets_;
  std::optional<Identity> backup_dir_;
  std::string backup_prefix_;  // "/backups/app/" while the walk is inside the store
  std::vector<OwnerNode> owners_;
  files::WalkTrouble unread_;
  std::size_t entries_ = 0;
  Section section_;
};

}  // namespace

Audit perms_audit() {
  return Audit{"perms", "PATH...",
               "world-writable files, setuid files, secrets others may read, wrong owners, open backup directories",
               ops::SectionSchema{"audit", "[audit]",
                                  with_common_keys({
                                      ops::SectionKey("owner", ops::KeyType::text,
                                                      "who should own everything under the perms PATHs: USER or "
                                                      "USER:GROUP (default: any owner)")
                                          .with_option("owner", "USER[:GROUP]"),
                                      files::exclude_key(),
                                      files::one_file_system_key(),
                                  })},
               1, -1, [](const Request& request) { return PermsAudit(request).run(); }};
}

}  // namespace opsaudit
