#include <ops/backup_last_run.hpp>

#include <ops/backup_layout.hpp>
#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/json_text.hpp>

#include <nlohmann/json.hpp>

namespace ops::backup {

std::string last_run_text(const LastRun& run) {
  nlohmann::ordered_json j{{"started", ops::format_time(run.started)}, {"ok", run.ok}, {"error", run.error}};
  return ops::json_file_text(j);
}

LastRunRead read_last_run(const std::filesystem::path& backup_dir) {
  const auto path = backup_dir / kLastRunFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return {};
  // Each trouble is one line naming the file: the file itself is named by
  // read_file and parse_time, nlohmann's message is shown without its tag.
  try {
    auto j = nlohmann::json::parse(ops::read_file(path));
    return {LastRun{ops::parse_time(j.at("started").get<std::string>()), j.at("ok").get<bool>(), j.value("error", "")},
            ""};
  } catch (const nlohmann::json::parse_error& e) {
    return {std::nullopt, path.string() + ": not valid JSON: " + ops::json_error_text(e)};
  } catch (const nlohmann::json::exception& e) {
    return {std::nullopt, path.string() + ": not a last-run record: " + ops::json_error_text(e)};
  } catch (const ops::Error& e) {
    return {std::nullopt, path.string() + ": " + e.what()};
  }
}

}  // namespace ops::backup
