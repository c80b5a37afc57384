#include "opsbackup/store/last_run.hpp"

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

namespace opsbackup {

void record_last_run(const std::filesystem::path& backup_dir, const LastRun& run, ops::Warnings& warnings) {
  try {
    ops::write_file_atomic(backup_dir / kLastRunFile, ops::backup::last_run_text(run), 0600);
  } catch (const ops::Error& e) {
    warnings.add("cannot record the outcome of this run: {}", e.what());
  }
}

void recording_last_run(const std::filesystem::path& backup_dir, ops::Warnings& warnings,
                        const std::function<void()>& attempt) {
  const auto started = ops::now();
  // Any failure is recorded as one, not only an ops::Error: a run that ends
  // in another exception must not leave an older "ok" record standing.
  auto record_failure = [&](const std::string& error) {
    std::error_code ec;
    if (std::filesystem::is_directory(backup_dir, ec)) record_last_run(backup_dir, {started, false, error}, warnings);
  };
  try {
    attempt();
  } catch (const ops::Error& e) {
    // Bad usage (exit 3) changes nothing, the record included: a typo in an
    // option must not make prune refuse to run ("the last backup failed").
    if (e.status() != ops::Status::unknown) record_failure(e.what());
    throw;
  } catch (const std::exception& e) {
    record_failure(e.what());
    throw;
  } catch (...) {
    record_failure("unknown error");
    throw;
  }
  record_last_run(backup_dir, {started, true, ""}, warnings);
}

std::optional<LastRun> read_last_run(const std::filesystem::path& backup_dir, ops::Warnings& warnings) {
  ops::backup::LastRunRead read = ops::backup::read_last_run(backup_dir);
  if (!read.problem.empty()) warnings.add("ignoring {}", read.problem);
  return read.run;
}

}  // namespace opsbackup
