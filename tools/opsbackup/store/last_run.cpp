#include "opsbackup/store/last_run.hpp"

#include <ops/json_text.hpp>

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/log.hpp>

#include <nlohmann/json.hpp>

namespace opsbackup {

void record_last_run(const std::filesystem::path& backup_dir, const LastRun& run, ops::Warnings& warnings) {
  nlohmann::ordered_json j{{"started", ops::format_time(run.started)}, {"ok", run.ok}, {"error", run.error}};
  try {
    ops::write_file_atomic(backup_dir / kLastRunFile, ops::json_file_text(j), 0600);
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
  const auto path = backup_dir / kLastRunFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  // Each trouble is one line naming the file: the file itself is named by
  // read_file and parse_time, nlohmann's message is shown without its tag.
  try {
    auto j = nlohmann::json::parse(ops::read_file(path));
    return LastRun{ops::parse_time(j.at("started").get<std::string>()), j.at("ok").get<bool>(),
                   j.value("error", "")};
  } catch (const nlohmann::json::parse_error& e) {
    warnings.add("ignoring {}: not valid JSON: {}", path.string(), ops::json_error_text(e));
  } catch (const nlohmann::json::exception& e) {
    warnings.add("ignoring {}: not a last-run record: {}", path.string(), ops::json_error_text(e));
  } catch (const ops::Error& e) {
    warnings.add("ignoring {}: {}", path.string(), e.what());
  }
  return std::nullopt;
}

}  // namespace opsbackup
