#include "opsrotate/rotation/plan.hpp"

#include "opsrotate/config/config_accounts.hpp"
#include "opsrotate/rotation/rotated_names.hpp"

#include <ops/error.hpp>

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

  void rotate(Op op) { plan.rotate_ops.push_back(std::move(op)); }
  void finish(Op op) { plan.finish_ops.push_back(std::move(op)); }

  void remove_rotation(const fs::path& p, bool at_start) {
    if (std::find(removed.begin(), removed.end(), p) != removed.end()) return;
    removed.push_back(p);
    auto& ops = at_start ? plan.rotate_ops : plan.finish_ops;
    if (!c.scripts.preremove.empty()) ops.push_back({OpKind::preremove, p, {}});
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

  // Shifts .N to .N+1 from the oldest kept down to `start`; returns the new
  // rotation's name and what falls out of `rotate`.
  fs::path numbered(std::vector<fs::path>& disposals) {
    auto present = numbered_present();
    for (const auto& [i, paths] : present)
      for (const auto& p : paths) sim.add(p);
    const int first = c.start;
    int top;
    if (c.rotate >= 0) {
      top = c.rotate + first - 1;
      // Leftovers already at the disposal index are beyond what is kept.
      if (auto it = present.find(c.rotate + first); it != present.end())
        for (const auto& p : it->second) {
          remove_rotation(p, true);
          sim.remove(p);
        }
    } else {
      top = present.empty() ? first - 1 : present.rbegin()->first;
    }
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
    fs::path target = numbered_name(names, first, false);
    // rotate 0 (also logrotate's default): a stray NAME.1 was removed above,
    // and the new rotation, which takes its name, goes too at the end: no old
    // version is kept. (logrotate shifts the stray to NAME.2 and keeps it.)
    std::erase(removed, target);
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
        fs::path p = numbered_name(names, c.rotate + first, packed);
        if (sim.has(p) || (c.rotate == 0 && !packed)) disposals.push_back(p);
      }
    }
    return target;
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
      if (keep == 0) disposals.push_back(target);
    }
    return target;
  }

  void build() {
    names = rotation_names(c, log);
    olddir();
    std::vector<fs::path> disposals;
    fs::path target = c.dateext ? dated(disposals) : numbered(disposals);

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
      rotate({OpKind::create, {}, log, spec.mode.value_or(st.st_mode & 07777), resolve_user(spec.owner, st.st_uid, c),
              resolve_group(spec.group, st.st_gid, c)});
    }

    if (!renamecopy_tmp.empty()) {
      finish({OpKind::copy, renamecopy_tmp, target});
      finish({OpKind::remove, renamecopy_tmp, {}});
    }
    bool target_disposed = std::find(disposals.begin(), disposals.end(), target) != disposals.end();
    auto disposed = [&](const fs::path& p) {
      return std::find(disposals.begin(), disposals.end(), p) != disposals.end();
    };
    // mailfirst: the new rotation, as written (before compression), with the
    // log's name as subject, as logrotate sends it.
    if (!c.mail.empty() && c.mailfirst && !target_disposed) finish({OpKind::mail, target, log});
    fs::path newest = target;
    if (c.compress && !c.delaycompress && !target_disposed) {
      compress(target);
      newest += names.compext;
    }
    for (const auto& p : delayed)
      if (!disposed(p)) compress(p);
    // maillast: logrotate's subject is the new rotation's name, whichever file it mails.

    // After the shift, the files at the disposal names are the oldest; those
    // older than maxage go too, and both are mailed (maillast) first.
    auto expire = [&](const fs::path& p) {
      if (!c.mail.empty() && !c.mailfirst) finish({OpKind::mail, p, target});
      remove_rotation(p, false);
    };
    for (const auto& p : disposals) expire(p);
    if (c.maxage) {
      for (const auto& p : maxage_candidates(target))
        if (!disposed(p)) expire(p);
    }
  }

  // Rotations (other than the new one) whose file is older than maxage days.
  std::vector<fs::path> maxage_candidates(const fs::path& target) {
    std::vector<fs::path> old;
    const auto limit = now - std::chrono::days(*c.maxage);
    auto consider = [&](const fs::path& current, const fs::path& original) {
      if (current == target) return;
      struct stat s {};
      if (::stat(original.c_str(), &s) != 0) return;
      if (ops::SysTime{std::chrono::seconds{s.st_mtim.tv_sec}} < limit) old.push_back(current);
    };
    if (c.dateext) {
      for (const auto& p : dated_rotations(c, names, listings)) consider(p, p);
    } else {
      for (const auto& [i, paths] : numbered_present())
        for (const auto& p : paths) {
          // Its name after the shift.
          bool packed = !names.compext.empty() && p.string().ends_with(names.compext);
          fs::path after = i >= c.start && (c.rotate < 0 || i < c.rotate + c.start) ? numbered_name(names, i + 1, packed) : p;
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
    return who.empty() ? std::string() : " " + who;
  };
  switch (op.kind) {
    case OpKind::mkdir: return fmt::format("mkdir {} {:04o}{}", op.to.string(), op.mode, owner());
    case OpKind::create: return fmt::format("create {} {:04o}{}", op.to.string(), op.mode, owner());
    case OpKind::mail:
    case OpKind::preremove:
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
