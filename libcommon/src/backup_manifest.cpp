#include <ops/backup_manifest.hpp>

#include <ops/error.hpp>
#include <ops/fs.hpp>
#include <ops/json_text.hpp>

#include <nlohmann/json.hpp>

namespace ops::backup {

using json = nlohmann::ordered_json;

namespace {

constexpr int kManifestFormat = 1;

json verification_json(const Verification& v) {
  return json{{"at", ops::format_time(v.at)}, {"how", v.how}, {"ok", v.ok}, {"detail", v.detail}};
}

}  // namespace

std::string manifest_text(const Manifest& m) {
  json j;
  j["manifest_format"] = kManifestFormat;
  j["tool"] = "opsbackup";
  j["tool_version"] = m.tool_version;
  j["name"] = m.name;
  j["kind"] = m.kind;
  if (!m.engine.empty()) j["engine"] = m.engine;
  j["source"] = m.source;
  if (!m.server_version.empty()) j["server_version"] = m.server_version;
  j["dumper"] = m.dumper;
  j["dump_format"] = m.dump_format;
  j["started"] = ops::format_time(m.started);
  j["finished"] = ops::format_time(m.finished);
  j["file"] = m.file;
  j["size"] = m.size;
  j["plain_size"] = m.plain_size;
  j["sha256"] = m.sha256;
  j["compression"] = m.compression;
  j["level"] = m.level;
  if (m.kind == "database") {
    json tables = json::array();
    for (const auto& t : m.tables) tables.push_back(json{{"table", t.table}, {"rows", t.rows}});
    j["tables"] = tables;
  } else {
    j["file_count"] = m.file_count;
  }
  if (!m.globals_file.empty()) {
    j["globals_file"] = m.globals_file;
    j["globals_sha256"] = m.globals_sha256;
  }
  j["warnings"] = m.warnings;
  j["status"] = "complete";
  if (m.verified) j["verified"] = verification_json(*m.verified);
  return ops::json_file_text(j);
}

Manifest parse_manifest(const std::string& text, const std::string& what) {
  try {
    const json j = json::parse(text);
    if (j.at("manifest_format").get<int>() != kManifestFormat || j.at("status").get<std::string>() != "complete")
      ops::fail(what + ": not a complete opsbackup manifest of format 1");
    Manifest m;
    m.tool_version = j.at("tool_version").get<std::string>();
    m.name = j.at("name").get<std::string>();
    m.kind = j.at("kind").get<std::string>();
    m.engine = j.value("engine", "");
    m.source = j.at("source").get<std::string>();
    m.server_version = j.value("server_version", "");
    m.dumper = j.at("dumper").get<std::string>();
    m.dump_format = j.at("dump_format").get<std::string>();
    m.started = ops::parse_time(j.at("started").get<std::string>());
    m.finished = ops::parse_time(j.at("finished").get<std::string>());
    m.file = j.at("file").get<std::string>();
    m.size = j.at("size").get<std::uint64_t>();
    m.plain_size = j.at("plain_size").get<std::uint64_t>();
    m.sha256 = j.at("sha256").get<std::string>();
    m.compression = j.at("compression").get<std::string>();
    m.level = j.at("level").get<int>();
    if (j.contains("tables"))
      for (const auto& t : j.at("tables")) m.tables.push_back({t.at("table").get<std::string>(), t.at("rows").get<std::int64_t>()});
    m.file_count = j.value("file_count", std::uint64_t{0});
    m.globals_file = j.value("globals_file", "");
    m.globals_sha256 = j.value("globals_sha256", "");
    m.warnings = j.value("warnings", std::vector<std::string>{});
    if (j.contains("verified")) {
      const auto& v = j.at("verified");
      m.verified = Verification{ops::parse_time(v.at("at").get<std::string>()), v.at("how").get<std::string>(),
                                v.at("ok").get<bool>(), v.value("detail", "")};
    }
    if (m.file.empty() || m.file.find('/') != std::string::npos) ops::fail(what + ": bad file name in manifest");
    return m;
  } catch (const json::parse_error& e) {
    ops::fail(what + ": not valid JSON: " + ops::json_error_text(e));
  } catch (const json::exception& e) {
    ops::fail(what + ": malformed manifest: " + ops::json_error_text(e));
  } catch (const ops::Error& e) {
    if (e.status() == ops::Status::critical) throw;
    ops::fail(what + ": malformed manifest: " + e.what());
  }
}

Manifest read_manifest(const std::filesystem::path& path) {
  std::string text;
  try {
    text = ops::read_file(path);
  } catch (const ops::Error& e) {
    // A FIFO or a directory under a manifest's name is a broken backup, as a
    // manifest that is not JSON is (exit 2), not a usage error.
    ops::fail(e.what());
  }
  return parse_manifest(text, path.string());
}

}  // namespace ops::backup
