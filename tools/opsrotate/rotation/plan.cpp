#include "opsrotate/rotation/plan.hpp"

#include "opsrotate/config/config_accounts.hpp"
#include "opsrotate/rotation/rotated_names.hpp"

#include <ops/error.hpp>
#include <ops/local_time.hpp>

#include <algorithm>
#include <fmt/format.h>
#include <grp.h>
#include <map>
#include <pwd.h>

namespace fs = std::filesystem;

namespace opsrotate {

namespace {

uid_t resolve_user(const std::optional<std::string>& name, uid_t fallback, const LogConfig& c) {
  if (!name) return fallback;
  if (auto uid = find_user(*name)) return *uid;
  ops::fail(fmt::format("{}:{}: unknown user '{}'", c.file, c.line, *name));
}

gid_t resolve_group(const std::optional<std::string>& name, gid_t fallback, const LogConfig& c) {
  if (!name) return fallback;
  if (auto gid = find_group(*name)) return *gid;
  ops::fail(fmt::format("{}:{}: unknown group '{}'", c.file, c.line, *name));
}

// The files that will exist after the operations planned so far: current
// name -> the name it has now (to stat it). Only this log's rotations.
class Simulation {
 public:
  void add(const fs::path& p) { files_[p] = p; }
  bool has(const fs::path& p) const { return files_.count(p) > 0; }
  void rename(const fs::path& from, const fs::path& to) {
    auto it = files_.find(from);
    fs::path original = it == files_.end() ? from : it->second;
    if (it != files_.end()) files_.erase(it);
    files_[to] = original;
  }
  void remove(const fs::path& p) { files_.erase(p); }
  const fs::path& original(const fs::path& p) const { return files_.at(p); }

 private:
  std::map<fs::path, fs::path> files_;
};

struct Planner {
  Planner(const LogConfig& config, const fs::path& log_path, const struct stat& log_stat, ops::SysTime at,
          DirListings& dir_listings)
      : c(config), log(log_path), st(log_stat), now(at), listings(dir_listings) {}

  const LogConfig& c;
  const fs::path& log;
  const struct stat& st;
  ops::SysTime now;
  DirListings& listings;
  LogPlan plan;
  RotationNames names;
  Simulation sim;
  std::vector<fs::path> removed;
  std::vector<fs::path> delayed;  // earlier rotations that delaycompress compresses now
  int top = 0;                    // numbered: the highest index shifted up by one

  void rotate(Op op) { plan.rotate_ops.push_back(std::move(op)); }
  void finish(Op op) { plan.finish_ops.push_back(std::move(op)); }

  // keep_as: where the file goes instead when preremove refuses its removal
  // (empty: the refusal is a failure).
  void remove_rotation(const fs::path& p, bool at_start, const fs::path& keep_as = {}) {
    if (std::find(removed.begin(), removed.end(), p) != removed.end()) return;
    removed.push_back(p);
    auto& ops = at_start ? plan.rotate_ops : plan.finish_ops;
    if (!c.scripts.preremove.empty()) ops.push_back({OpKind::preremove, p, keep_as});
    ops.push_back({OpKind::remove, p, {}});
  }

  void compress(const fs::path& plain) {
    if (std::find(removed.begin(), removed.end(), plain) != removed.end()) return;
    fs::path packed = plain;
    packed += names.compext;
    finish({OpKind::compress, plain, packed});
    sim.rename(plain, packed);
  }

  // Numbered rotations of this log present now: index -> names (plain, packed).
  std::map<int, std::vector<fs::path>> numbered_present() {
    std::string compext = names.compext.empty() ? compression_ext(c) : names.compext;
    std::map<int, std::vector<fs::path>> present;
    for (const auto& file_name : listings.starting_with(names.dir, names.base + ".")) {
      // BASE.N EXT [COMPEXT], by hand: a regex per file made runs over
      // directories of thousands of rotations slow.
      std::string_view name = file_name;
      name.remove_prefix(names.base.size() + 1);
      std::size_t digits = 0;
      while (digits < name.size() && digits < 9 && name[digits] >= '0' && name[digits] <= '9') ++digits;
      if (digits == 0) continue;
      int n = std::stoi(std::string(name.substr(0, digits)));
      name.remove_prefix(digits);
      if (!name.starts_with(names.ext)) continue;
      name.remove_prefix(names.ext.size());
      if (name.empty() || name == compext) present[n].push_back(names.dir / file_name);
    }
    return present;
  }

  void olddir() {
    if (c.olddir.empty()) return;
    std::error_code ec;
    if (fs::is_directory(names.dir, ec)) return;
    if (!c.createolddir)
      ops::fail(fmt::format("olddir {} of {} does not exist (set createolddir to create it)", names.dir.string(),
                            log.string()));
    const CreateSpec& spec = *c.createolddir;
    rotate({OpKind::mkdir, {}, names.dir, spec.mode.value_or(0755), resolve_user(spec.owner, static_cast<uid_t>(-1), c),
            resolve_group(spec.group, static_cast<gid_t>(-1), c)});
  }

  // A compressed rotation beside a plain one of the same number (a stray
  // NAME.1.gz next to delaycompress's NAME.1): the plain one is compressed to
  // that name after the shift, so the compressed one is moved aside first, to
  // NAME.1.gz-YYYYMMDDHH.backup, the name logrotate gives a compression's
  // target that exists. Never onto a file: a backup name taken fails the rename.
  void set_aside_compressed_twins(const std::map<int, std::vector<fs::path>>& present, int first) {
    if (!c.compress || names.compext.empty()) return;
    for (const auto& [i, paths] : present) {
      // Those at `top` go to the disposal number, where both are removed.
      if (i < first || (c.rotate >= 0 ? i >= top : i > top)) continue;
      fs::path plain = numbered_name(names, i, false), packed = numbered_name(names, i, true);
      if (!sim.has(plain) || !sim.has(packed)) continue;
      fs::path aside = packed;
      aside += ops::format_local(now, "-%Y%m%d%H").value_or("") + ".backup";
      rotate({OpKind::rename, packed, aside});
      sim.remove(packed);
    }
  }

  // Shifts .N to .N+1 from the oldest kept down to `start`; returns the new
  // rotation's name and what falls out of `rotate` (not the new rotation:
  // build() adds it for rotate 0).
  fs::path numbered(std::vector<fs::path>& disposals) {
    auto present = numbered_present();
    for (const auto& [i, paths] : present)
      for (const auto& p : paths) sim.add(p);
    const int first = c.start;
    if (c.rotate >= 0) top = c.rotate + first - 1;
    else top = present.empty() ? first - 1 : present.rbegin()->first;
    const int dispose_at = top + 1;
    // Leftovers already at the disposal index are beyond what is kept.
    // rotate 0 (also logrotate's default): that is a stray NAME.1 where the
    // new rotation goes, removed first so no old version is kept (logrotate
    // shifts it to NAME.2 and keeps it for ever); a preremove script that
    // refuses its removal leaves it as NAME.2, logrotate's result, and the
    // log still rotates.
    if (c.rotate >= 0)
      if (auto it = present.find(dispose_at); it != present.end())
        for (const auto& p : it->second) {
          bool packed = !names.compext.empty() && p.string().ends_with(names.compext);
          remove_rotation(p, true, c.rotate == 0 ? numbered_name(names, first + 1, packed) : fs::path());
          sim.remove(p);
        }
    set_aside_compressed_twins(present, first);
    // The new rotation takes the stray's name (compressed, too): it is
    // removed at the end as well.
    for (bool packed : {false, true}) std::erase(removed, numbered_name(names, first, packed));
    // Only the numbers that exist: `rotate 100000` must not mean 100000 steps.
    for (auto it = present.rbegin(); it != present.rend(); ++it) {
      const int i = it->first;
      if (i > top || i < first) continue;
      for (bool packed : {true, false}) {
        if (packed && names.compext.empty()) continue;
        fs::path from = numbered_name(names, i, packed), to = numbered_name(names, i + 1, packed);
        if (!sim.has(from)) continue;
        rotate({OpKind::rename, from, to});
        sim.rename(from, to);
      }
    }
    // Earlier rotations still plain are compressed now: with delaycompress
    // the previous one (now .first+1), as logrotate does; also any a killed
    // run left plain (logrotate would leave those as they are).
    if (c.compress)
      for (const auto& [i, paths] : present) {
        fs::path plain = numbered_name(names, i + 1, false), packed = numbered_name(names, i + 1, true);
        if (i >= first && sim.has(plain) && !sim.has(packed)) delayed.push_back(plain);
      }
    if (c.rotate >= 0) {
      for (bool packed : {false, true}) {
        if (packed && names.compext.empty()) continue;  // the same name twice
        fs::path p = numbered_name(names, dispose_at, packed);
        if (sim.has(p)) disposals.push_back(p);
      }
    }
    return numbered_name(names, first, false);
  }

  fs::path dated(std::vector<fs::path>& disposals) {
    auto existing = dated_rotations(c, names, listings);
    for (const auto& p : existing) sim.add(p);
    fs::path target = dated_name(c, names, now);
    // Earlier rotations still plain (delaycompress, or a killed run's): compressed now.
    if (c.compress)
      for (const auto& p : existing) {
        fs::path packed = p;
        packed += names.compext;
        if (!p.string().ends_with(names.compext) && !sim.has(packed)) delayed.push_back(p);
      }
    if (c.rotate >= 0) {
      std::size_t total = existing.size() + 1, keep = static_cast<std::size_t>(c.rotate);
      for (std::size_t i = 0; total > keep && i < existing.size(); ++i, --total) disposals.push_back(existing[i]);
    }
    return target;
  }

  void build() {
    names = rotation_names(c, log);
    olddir();
    std::vector<fs::path> disposals;
    fs::path target = c.dateext ? dated(disposals) : numbered(disposals);
    plan.rotated = target;

    // Move the log aside.
    fs::path renamecopy_tmp;
    if (c.copytruncate) rotate({OpKind::copytruncate, log, target});
    else if (c.copy) rotate({OpKind::copy, log, target});
    else if (c.renamecopy) {
      renamecopy_tmp = log;
      renamecopy_tmp += ".tmp";
      rotate({OpKind::rename, log, renamecopy_tmp});
    } else {
      rotate({OpKind::rename, log, target});
    }
    sim.add(target);
    if (c.create && !c.copy && !c.copytruncate) {
      const CreateSpec& spec = *c.create;
      Op create{OpKind::create, {}, log, spec.mode.value_or(st.st_mode & 07777), resolve_user(spec.owner, st.st_uid, c),
                resolve_group(spec.group, st.st_gid, c)};
      if (!spec.mode) create.acl_from = renamecopy_tmp.empty() ? target : renamecopy_tmp;
      rotate(std::move(create));
    }

    if (!renamecopy_tmp.empty()) {
      finish({OpKind::copy, renamecopy_tmp, target});
      finish({OpKind::remove, renamecopy_tmp, {}});
    }
    // mail and compress as logrotate: the new rotation is compressed at once
    // unless delaycompress (rotate 0 too: a preremove script or the mail's
    // subject sees the name logrotate's would).
    const bool compress_now = c.compress && !c.delaycompress;
    fs::path rotated = target;  // the new rotation's name once finished
    // mailfirst: the new rotation, read before it is compressed.
    if (!c.mail.empty() && c.mailfirst) finish({OpKind::mail, target, mail_subject(target, compress_now)});
    if (compress_now) {
      compress(target);
      rotated += names.compext;
    }
    // rotate 0 keeps no old version: the new rotation goes at the end.
    if (c.rotate == 0) disposals.insert(disposals.begin(), rotated);
    auto disposed = [&](const fs::path& p) {
      return std::find(disposals.begin(), disposals.end(), p) != disposals.end();
    };
    for (const auto& p : delayed)
      if (!disposed(p)) compress(p);

    // What goes, in logrotate's order: the rotations older than maxage
    // (oldest first; logrotate removes those before the shift, so the mail
    // names each as it was), then what falls out of `rotate`. maillast mails
    // the latter (mailfirst mailed the new rotation); maxage's are mailed
    // either way, as logrotate does.
    std::vector<fs::path> gone;
    auto expire = [&](const fs::path& p, const fs::path& subject_name, bool aged) {
      if (std::find(gone.begin(), gone.end(), p) != gone.end()) return;
      gone.push_back(p);
      if (!c.mail.empty() && (aged || !c.mailfirst))
        finish({OpKind::mail, p, mail_subject(subject_name, compress_now)});
      remove_rotation(p, false);
    };
    if (c.maxage)
      for (const auto& [p, original] : maxage_candidates(target))
        if (std::find(removed.begin(), removed.end(), p) == removed.end()) expire(p, original, true);
    for (const auto& p : disposals) expire(p, p, false);
  }

  // The subject of a mail, as logrotate's: the name of the file mailed,
  // except that with mailfirst and compress (without delaycompress) it is
  // the log's own name.
  fs::path mail_subject(const fs::path& mailed, bool compress_now) const {
    return c.mailfirst && compress_now ? log : mailed;
  }

  // Rotations (other than the new one) whose file is older than maxage days:
  // (name after the shift, name before), oldest first.
  std::vector<std::pair<fs::path, fs::path>> maxage_candidates(const fs::path& target) {
    std::vector<std::pair<fs::path, fs::path>> old;
    const auto limit = now - std::chrono::days(*c.maxage);
    auto consider = [&](const fs::path& current, const fs::path& original) {
      if (current == target) return;
      struct stat s {};
      if (::stat(original.c_str(), &s) != 0) return;
      if (ops::SysTime{std::chrono::seconds{s.st_mtim.tv_sec}} < limit) old.emplace_back(current, original);
    };
    if (c.dateext) {
      for (const auto& p : dated_rotations(c, names, listings)) consider(p, p);
    } else {
      auto present = numbered_present();
      for (auto it = present.rbegin(); it != present.rend(); ++it)
        for (const auto& p : it->second) {
          const int i = it->first;
          bool packed = !names.compext.empty() && p.string().ends_with(names.compext);
          fs::path after = i >= c.start && i <= top ? numbered_name(names, i + 1, packed) : p;
          consider(after, p);
        }
    }
    return old;
  }
};

}  // namespace

std::string op_name(OpKind kind) {
  switch (kind) {
    case OpKind::mkdir: return "mkdir";
    case OpKind::rename: return "rename";
    case OpKind::copy: return "copy";
    case OpKind::copytruncate: return "copytruncate";
    case OpKind::create: return "create";
    case OpKind::compress: return "compress";
    case OpKind::mail: return "mail";
    case OpKind::preremove: return "preremove";
    case OpKind::remove: return "remove";
  }
  return "?";
}

std::string describe(const Op& op) {
  auto owner = [&] {
    std::string who;
    if (op.uid != static_cast<uid_t>(-1)) {
      const passwd* pw = ::getpwuid(op.uid);
      who = pw ? pw->pw_name : std::to_string(op.uid);
    }
    if (op.gid != static_cast<gid_t>(-1)) {
      const group* gr = ::getgrgid(op.gid);
      who += ":" + (gr ? std::string(gr->gr_name) : std::to_string(op.gid));
    }
    if (who.empty()) return who;
    // logrotate -d's words too ("uid = 0 gid = 0"), which scripts grep for.
    if (op.uid != static_cast<uid_t>(-1) && op.gid != static_cast<gid_t>(-1))
      who += fmt::format(" (uid = {} gid = {})", op.uid, op.gid);
    return " " + who;
  };
  switch (op.kind) {
    case OpKind::mkdir: return fmt::format("mkdir {} {:04o}{}", op.to.string(), op.mode, owner());
    case OpKind::create: return fmt::format("create {} {:04o}{}", op.to.string(), op.mode, owner());
    case OpKind::mail:
      // The subject, where it is not the file's name (mailfirst with compress).
      if (!op.to.empty() && op.to != op.from) return fmt::format("mail {} (subject {})", op.from.string(), op.to.string());
      return fmt::format("mail {}", op.from.string());
    case OpKind::preremove:
      if (!op.to.empty()) return fmt::format("preremove {} (kept as {} if refused)", op.from.string(), op.to.string());
      return fmt::format("preremove {}", op.from.string());
    case OpKind::remove: return fmt::format("{} {}", op_name(op.kind), op.from.string());
    default: return fmt::format("{} {} -> {}", op_name(op.kind), op.from.string(), op.to.string());
  }
}

LogPlan plan_rotation(const LogConfig& config, const fs::path& log, const struct stat& st, ops::SysTime now,
                      Decision decision) {
  DirListings listings;
  return plan_rotation(config, log, st, now, std::move(decision), listings);
}

LogPlan plan_rotation(const LogConfig& config, const fs::path& log, const struct stat& st, ops::SysTime now,
                      Decision decision, DirListings& listings) {
  Planner p(config, log, st, now, listings);
  p.plan.log = log;
  p.plan.config = &config;
  p.plan.decision = std::move(decision);
  p.build();
  return std::move(p.plan);
}

}  // namespace opsrotate
