#include "opsarchive/files/file_rules.hpp"

#include <ops/dir.hpp>
#include <ops/error.hpp>
#include <ops/local_time.hpp>

#include <array>
#include <cctype>
#include <fnmatch.h>

namespace opsarchive {

namespace {

constexpr std::array<std::string_view, 16> compressed_suffixes = {
    ".gz", ".tgz", ".zst", ".tzst", ".xz", ".txz", ".bz2", ".tbz2", ".tbz", ".lz4", ".zip", ".7z", ".lz", ".lzma",
    ".z", ".br"};

bool ends_with_nocase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  auto tail = s.substr(s.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(tail[i])) != suffix[i]) return false;
  return true;
}

}  // namespace

bool has_compressed_suffix(std::string_view name) { return strip_compressed_suffix(name).size() != name.size(); }

std::string_view strip_compressed_suffix(std::string_view name) {
  for (auto suffix : compressed_suffixes)
    if (name.size() > suffix.size() && ends_with_nocase(name, suffix)) return name.substr(0, name.size() - suffix.size());
  return name;
}

bool looks_compressed(std::string_view head) {
  using namespace std::string_view_literals;
  if (ops::detect_compression(head)) return true;
  return head.starts_with("BZh"sv) || head.starts_with("\x04\x22\x4d\x18"sv) || head.starts_with("PK\x03\x04"sv) ||
         head.starts_with("7z\xbc\xaf\x27\x1c"sv);
}

std::string temp_prefix(std::string_view final_name) { return ops::temp_name_prefix(final_name, temp_tag); }

bool is_temp_name(std::string_view name) { return ops::temp_name_target(name, temp_tag).has_value(); }

bool name_matches(const std::vector<std::string>& globs, std::string_view name) {
  if (globs.empty()) return true;
  const std::string full(name);
  const std::string stripped(strip_compressed_suffix(name));
  for (const auto& g : globs)
    if (::fnmatch(g.c_str(), full.c_str(), 0) == 0 || ::fnmatch(g.c_str(), stripped.c_str(), 0) == 0) return true;
  return false;
}

std::string expand_tar_path(const std::string& pattern, ops::SysTime cutoff) {
  if (pattern.find('%') == std::string::npos) return pattern;
  if (!ops::to_local(cutoff)) ops::fail_usage("cannot expand --into-tar " + pattern + ": the cut-off is out of range");
  auto path = ops::format_local(cutoff, pattern);
  if (!path) ops::fail_usage("cannot expand --into-tar " + pattern + ": the name would be empty or too long");
  return *path;
}

std::string tar_name_glob(std::string_view pattern_name) {
  std::string glob;
  for (std::size_t i = 0; i < pattern_name.size(); ++i) {
    const char c = pattern_name[i];
    if (c == '%' && i + 1 < pattern_name.size()) {
      ++i;
      if (pattern_name[i] == '%') glob += "%";
      else if (glob.empty() || glob.back() != '*') glob += '*';
      continue;
    }
    if (c == '*' || c == '?' || c == '[' || c == '\\') glob += '\\';
    glob += c;
  }
  return glob;
}

std::optional<ops::Compression> tar_compression(std::string_view name) {
  using C = ops::Compression;
  struct Ext {
    std::string_view suffix;
    C compression;
  };
  static constexpr std::array<Ext, 7> exts = {{{".tar", C::none},
                                               {".tar.gz", C::gzip},
                                               {".tgz", C::gzip},
                                               {".tar.zst", C::zstd},
                                               {".tzst", C::zstd},
                                               {".tar.xz", C::xz},
                                               {".txz", C::xz}}};
  for (const auto& e : exts)
    if (name.size() > e.suffix.size() && ends_with_nocase(name, e.suffix)) return e.compression;
  return std::nullopt;
}

std::string member_name(std::string_view dir_name, std::string_view relative, bool several_dirs) {
  if (!several_dirs) return std::string(relative);
  return std::string(dir_name) + "/" + std::string(relative);
}

}  // namespace opsarchive
