#include "opsrotate/rotation/rotate_run.hpp"

#include "opsrotate/rotation/dir_listing.hpp"
#include "opsrotate/rotation/kept_tail.hpp"
#include "opsrotate/rotation/local_time.hpp"
#include "opsrotate/rotation/log_files.hpp"
#include "opsrotate/rotation/recover.hpp"
#include "opsrotate/rotation/run_as.hpp"
#include "opsrotate/rotation/scripts.hpp"
#include "opsrotate/rotation/state_file.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <cerrno>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace opsrotate {

namespace {

using Result = LogOutcome::Result;

// What a shared script gets as $1: the block's patterns as logrotate passes them.
std::string patterns_arg(const LogConfig& c) {
  std::string arg;
  for (const auto& p : c.patterns) arg += p + " ";
  return arg;
}

class Run {
 public:
  Run(const RunOptions& options, StateFile& state, ops::SysTime now)
      : options_(options), state_(state), now_(now), keep_state_(!is_no_state(options.state_path)) {}

  void block(const LogSet& set, RunReport& report) {
    const LogConfig& c = *set.config;
    missing_ = false;
    for (const auto& pattern : set.missing_patterns)
      if (!c.missingok) missing(report, c, pattern, "no file matches");

    std::vector<LogOutcome> due;
    for (const auto& log : set.logs) {
      LogOutcome o = consider(c, log, report);
      if (o.result == Result::planned) due.push_back(std::move(o));
      else if (!o.decision.reason.empty() || o.result == Result::failed) report.logs.push_back(std::move(o));
    }
    // Shared scripts run once for the whole block: with one of its logs
    // missing, none rotates (as in logrotate), so the scripts never see half
    // a block.
    if (c.sharedscripts && missing_) {
      for (auto& o : due) {
        o.result = Result::failed;
        o.ops.clear();
        o.error = "not rotated: another log of its sharedscripts block is missing";
        report.logs.push_back(std::move(o));
      }
      if (!due.empty()) report.status = ops::worst(report.status, ops::Status::critical);
      return;
    }
    if (options_.dry_run || due.empty()) {
      for (auto& o : due) report.logs.push_back(std::move(o));
      return;
    }
    // From here on the block's renames, creates and scripts change the
    // directories: the next block reads them again.
    listings_.clear();

    std::optional<RunAs> as;
    try {
      as.emplace(c);
    } catch (const ops::Error& e) {
      for (auto& o : due) {
        o.result = Result::failed;
        o.error = e.what();
        report.logs.push_back(std::move(o));
      }
      report.status = ops::worst(report.status, ops::Status::critical);
      return;
    }
    const std::string shared_arg = patterns_arg(c);
    if (script(c, "firstaction", c.scripts.firstaction, shared_arg, due)) {
      rotate_block(c, shared_arg, due);
      if (any_rotated(due) && !c.scripts.lastaction.empty()) {
        try {
          run_script(c, c.scripts.lastaction, call("lastaction", shared_arg));
        } catch (const ops::Error& e) {
          block_error(report, e.what());
        }
      }
    }
    // As root again (su): the state file is ours, not the application's.
    as.reset();
    if (any_rotated(due) && keep_state_) write_state(options_.state_path, state_);
    for (auto& o : due) {
      if (!o.error.empty()) report.status = ops::worst(report.status, ops::Status::critical);
      report.logs.push_back(std::move(o));
    }
  }

 private:
  void rotate_block(const LogConfig& c, const std::string& shared_arg, std::vector<LogOutcome>& due) {
    if (c.sharedscripts) {
      if (!script(c, "prerotate", c.scripts.prerotate, shared_arg, due)) return;
      for (auto& o : due) rotate(o);
      if (!any_rotated(due)) return;
      sync_dirs();
      after_script(c, "postrotate", c.scripts.postrotate, shared_arg, due);
      for (auto& o : due) finish(o);
      return;
    }
    for (auto& o : due) {
      if (!run_one_script(c, "prerotate", c.scripts.prerotate, o.log.string(), o)) continue;
      rotate(o);
      if (o.result != Result::rotated) continue;
      if (!c.scripts.postrotate.empty()) {
        sync_dirs();
        try {
          // $2: the rotated log's name, as logrotate passes it.
          ScriptCall post = call("postrotate", o.log.string());
          post.rotated = rotated_[o.log].string();
          run_script(c, c.scripts.postrotate, post);
        } catch (const ops::Error& e) {
          o.error = e.what();
        }
      }
      finish(o);
    }
    // Without a postrotate to wait for it, once for the block: a directory
    // fsync per log made runs over thousands of logs slow.
    sync_dirs();
  }

  LogOutcome consider(const LogConfig& c, const fs::path& log, RunReport& report) {
    LogOutcome o;
    o.log = log;
    o.config = &c;
    // Every log named gets a state entry, even a missing one, as in logrotate.
    auto known = state_.entries.find(log.string());
    const bool seen_before = known != state_.entries.end();
    const std::optional<ops::SysTime> last_rotated =
        seen_before ? std::optional<ops::SysTime>(known->second) : std::nullopt;
    if (!seen_before) state_.entries[log.string()] = first_seen_time(now_);
    struct stat st {};
    if (::lstat(log.c_str(), &st) != 0) {
      int err = errno;
      if (err == ENOENT && c.missingok) return o;
      if (err == ENOENT) {
        missing(report, c, log.string(), ops::errno_text(err));
        return o;
      }
      return failed(o, report, fmt::format("cannot stat {}: {}", log.string(), ops::errno_text(err)));
    }
    if (std::string kind = special_file_kind(st); !kind.empty()) {
      warn(report, fmt::format("{}:{}: skipping {} because it is {}, not a regular file", c.file, c.line,
                               log.string(), kind));
      return o;
    }
    if (std::string why = link_skip_reason(c, st); !why.empty()) {
      o.decision.reason = why;
      return o;
    }
    if (std::string why = refusal_reason(c, log, st); !why.empty())
      return failed(o, report, fmt::format("skipping {} because {}", log.string(), why));

    if (!options_.dry_run) recover_leftovers(c, log, listings_);
    LogFacts facts;
    facts.size = static_cast<std::uint64_t>(st.st_size);
    // Only copytruncate keeps a tail; other logs cost no extra system call.
    if (c.copytruncate && facts.size > 0) facts.kept = kept_tail(log);
    facts.modified = ops::SysTime{std::chrono::seconds{st.st_mtim.tv_sec}};
    facts.last_rotated = last_rotated;
    o.decision = decide(c, facts, now_, options_.force);
    if (facts.last_rotated && *facts.last_rotated > now_)
      warn(report, fmt::format("{} was last rotated in the future; rotating it now", log.string()));
    if (!o.decision.rotate) return o;
    try {
      use_plan(o, plan_rotation(c, log, st, now_, o.decision, listings_));
    } catch (const ops::Error& e) {
      return failed(o, report, e.what());
    }
    return o;
  }

  void use_plan(LogOutcome& o, LogPlan plan) {
    o.ops = plan.rotate_ops;
    finish_ops_[o.log] = plan.finish_ops;
    rotated_[o.log] = plan.rotated;
    o.ops.insert(o.ops.end(), plan.finish_ops.begin(), plan.finish_ops.end());
    rotate_count_[o.log] = plan.rotate_ops.size();
    o.result = Result::planned;
  }

  // Where the log's name goes when it rotates: the directory of its new
  // rotation and its own file name.
  static std::optional<fs::path> landing(const LogOutcome& o) {
    for (const auto& op : o.ops)
      if (op.from == o.log && (op.kind == OpKind::rename || op.kind == OpKind::copy || op.kind == OpKind::copytruncate))
        return op.to.parent_path() / o.log.filename();
    return std::nullopt;
  }

  // Logs of one name rotated into one olddir (/var/log/*/app.log, olddir
  // /var/log/old) share its rotated names, as in logrotate: once one has
  // rotated there, the plan of the next is made again, so that it shifts
  // the first one's rotation (and `rotate N` counts them together) instead
  // of failing on a name that is taken.
  void plan_again_if_shared(LogOutcome& o) {
    auto where = landing(o);
    if (!where || !landed_.count(*where)) return;
    struct stat st {};
    if (::lstat(o.log.c_str(), &st) != 0) ops::fail_errno("cannot stat " + o.log.string(), errno);
    // Another log has just renamed into this directory: its listing is stale.
    listings_.clear();
    use_plan(o, plan_rotation(*o.config, o.log, st, now_, o.decision, listings_));
  }

  LogOutcome failed(LogOutcome& o, RunReport& report, std::string error) {
    o.result = Result::failed;
    o.error = std::move(error);
    report.status = ops::worst(report.status, ops::Status::critical);
    return std::move(o);
  }

  void warn(RunReport& report, const std::string& message) {
    ops::log::warning_line(message);
    report.status = ops::worst(report.status, ops::Status::warning);
  }

  // A log the configuration names is not there, and missingok was not
  // said: an error, as in logrotate, though the block's other logs rotate.
  void missing(RunReport& report, const LogConfig& c, const std::string& what, const std::string& why) {
    block_error(report, fmt::format("stat of {} failed: {} ({}:{}; say missingok if that is expected)", what, why,
                                    c.file, c.line));
    missing_ = true;
  }

  void block_error(RunReport& report, const std::string& message) {
    ops::log::error_line(message);
    report.status = ops::worst(report.status, ops::Status::critical);
  }

  // A problem after the log moved: each one is reported, none hides another.
  static void add_error(LogOutcome& o, const std::string& error) {
    o.error += (o.error.empty() ? "" : "; ") + error;
  }

  ScriptCall call(const std::string& what, const std::string& arg) const {
    return {what, arg, {}, options_.exec.script_stdout};
  }

  static bool any_rotated(const std::vector<LogOutcome>& due) {
    for (const auto& o : due)
      if (o.result == Result::rotated) return true;
    return false;
  }

  // A block-level script before the rotation: when it fails, no log of the block rotates.
  bool script(const LogConfig& c, const char* what, const std::string& text, const std::string& arg,
              std::vector<LogOutcome>& due) {
    if (text.empty()) return true;
    try {
      run_script(c, text, call(what, arg));
      return true;
    } catch (const ops::Error& e) {
      for (auto& o : due) {
        o.result = Result::failed;
        o.error = e.what();
      }
      return false;
    }
  }

  // A block-level script after the rotation: its failure is reported on each log.
  void after_script(const LogConfig& c, const char* what, const std::string& text, const std::string& arg,
                    std::vector<LogOutcome>& due) {
    if (text.empty()) return;
    try {
      run_script(c, text, call(what, arg));
    } catch (const ops::Error& e) {
      for (auto& o : due)
        if (o.result == Result::rotated) o.error = e.what();
    }
  }

  bool run_one_script(const LogConfig& c, const char* what, const std::string& text, const std::string& arg,
                      LogOutcome& o) {
    if (text.empty()) return true;
    try {
      run_script(c, text, call(what, arg));
      return true;
    } catch (const ops::Error& e) {
      o.result = Result::failed;
      o.error = e.what();
      return false;
    }
  }

  // Shift, rename or copy, create; then the state records the rotation (it
  // is written at the block's end: a run killed before that rotates the log
  // once more next time, which loses nothing, while a write and two fsyncs
  // per log made runs over many logs needlessly slow).
  void rotate(LogOutcome& o) {
    if (o.result != Result::planned) return;
    try {
      plan_again_if_shared(o);
      const std::size_t n = rotate_count_[o.log];
      fs::path kept;  // a file preremove refused to let go: its remove is skipped
      for (std::size_t i = 0; i < n; ++i) {
        const Op& op = o.ops[i];
        if (op.kind == OpKind::remove && op.from == kept) continue;
        OpResult r = execute(op, *o.config, options_.exec);
        o.tail_kept += r.tail_kept;
        if (r.kept) {
          kept = op.from;
          add_error(o, r.refusal + " (kept as " + op.to.string() + ")");
        }
        if (op.kind == OpKind::rename) follow_rename(op.from, op.to);
        if (!op.to.empty()) dirty_dirs_.insert(op.to.parent_path());
      }
      dirty_dirs_.insert(o.log.parent_path());
    } catch (const ops::Error& e) {
      o.result = Result::failed;
      o.error = e.what();
      return;
    }
    o.result = Result::rotated;
    state_.entries[o.log.string()] = now_;
    if (auto where = landing(o)) landed_.insert(*where);
    // A plan made again compresses the other log's plain rotation it shifted:
    // once is enough.
    for (const auto& mine : finish_ops_[o.log])
      if (mine.kind == OpKind::compress)
        for (const auto& log : unfinished_)
          std::erase_if(finish_ops_[log], [&](const Op& op) { return op.kind == OpKind::compress && op.from == mine.from; });
    unfinished_.insert(o.log);
  }

  // With sharedscripts every log rotates before any is compressed: a log
  // sharing an olddir's names may shift a rotation another log has yet to
  // compress or remove; that log's remaining operations follow the file to
  // its new name.
  void follow_rename(const fs::path& from, const fs::path& to) {
    for (const auto& log : unfinished_)
      for (auto& op : finish_ops_[log]) {
        if (op.from != from) continue;
        if (op.kind == OpKind::compress) op.to = to.string() + op.to.string().substr(from.string().size());
        op.from = to;
      }
  }

  // The renames and creates made durable, once per directory, before
  // postrotate tells the application to reopen its logs.
  void sync_dirs() {
    for (const auto& dir : dirty_dirs_) ops::fsync_parent_dir(dir / ".");
    dirty_dirs_.clear();
  }

  // Compress, mail, remove the oldest. A failure here is reported; the log
  // has rotated all the same.
  void finish(LogOutcome& o) {
    if (o.result != Result::rotated) return;
    unfinished_.erase(o.log);
    try {
      for (const auto& op : finish_ops_[o.log]) {
        OpResult r = execute(op, *o.config, options_.exec);
        o.bytes_in += r.bytes_in;
        o.bytes_out += r.bytes_out;
      }
    } catch (const ops::Error& e) {
      add_error(o, e.what());
    }
  }

  const RunOptions& options_;
  StateFile& state_;
  ops::SysTime now_;
  std::map<fs::path, std::vector<Op>> finish_ops_;
  std::map<fs::path, fs::path> rotated_;  // each log's new rotation: postrotate's $2
  std::map<fs::path, std::size_t> rotate_count_;
  std::set<fs::path> dirty_dirs_;
  std::set<fs::path> landed_;  // landing() of each log rotated in this run
  std::set<fs::path> unfinished_;  // logs rotated whose finish_ops_ are still to run
  DirListings listings_;  // the directories as the block's plans see them
  bool missing_ = false;  // a log of the current block is missing
  const bool keep_state_;  // false: -s /dev/null
};

}  // namespace

RunReport rotate_logs(const std::vector<LogSet>& sets, const RunOptions& options) {
  // Refused before anything is locked or touched: a bad OPS_NOW (exit 3),
  // read once, before the lock is created.
  const ops::SysTime now = ops::now();

  // -s /dev/null: no state read or written, no lock (as logrotate).
  const bool keep_state = !is_no_state(options.state_path);
  std::optional<ops::FileLock> lock;
  const fs::path lock_path = state_lock_path(options.state_path);
  if (!options.dry_run && keep_state) {
    lock.emplace(options.wait_for_lock ? ops::FileLock::acquire(lock_path) : ops::FileLock::try_acquire(lock_path));
    if (!*lock)
      throw ops::Error(ops::Status::unknown,
                       fmt::format("the state file {} is in use by another run", options.state_path.string()),
                       "wait for it to finish, or give --wait-for-state-lock");
  }
  RunReport report;
  StateFile state;
  try {
    if (keep_state) state = read_state(options.state_path);
  } catch (...) {
    // Refused before any log was touched: a lock file this run made goes too.
    if (lock) lock->remove_if_created();
    throw;
  }
  // A bad line loses what it recorded: an error, as in logrotate, and the
  // run goes on.
  for (const auto& w : state.warnings) {
    ops::log::error_line(w);
    report.status = ops::worst(report.status, ops::Status::critical);
  }
  Run run(options, state, now);
  for (const auto& set : sets) run.block(set, report);
  // As logrotate: entries of logs no configuration names any more go once
  // they are a year old, so the file does not grow forever.
  std::set<std::string> configured;
  for (const auto& set : sets)
    for (const auto& log : set.logs) configured.insert(log.string());
  const ops::SysTime year_ago = now - std::chrono::days(365);
  std::erase_if(state.entries, [&](const auto& entry) { return !configured.count(entry.first) && entry.second < year_ago; });
  if (!options.dry_run && keep_state) write_state(options.state_path, state);
  return report;
}

}  // namespace opsrotate
