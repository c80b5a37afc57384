#include "opsrotate/rotation/rotated_names.hpp"

#include "opsrotate/rotation/local_time.hpp"

#include <ops/error.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fmt/format.h>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace opsrotate {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return !suffix.empty() && s.size() > suffix.size() && s.ends_with(suffix);
}

std::string default_dateformat(const LogConfig& c) {
  if (!c.dateformat.empty()) return c.dateformat;
  return c.frequency == Frequency::hourly ? "-%Y%m%d%H" : "-%Y%m%d";
}

// The specifiers a dateformat may hold (config_values.cpp checks), in the
// order that sorts dates: a name's date is compared field by field in this
// order, whatever order the format writes them in (-%d-%m-%Y sorts by year).
constexpr std::string_view date_fields = "sYVmdHMS";

// The dateformat as a regular expression: one group around the whole date,
// inside it one group per specifier; `fields` gets each group's specifier.
std::string date_regex(const std::string& format, std::string& fields) {
  std::string out = "(";
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size()) {
      char spec = format[++i];
      switch (spec) {
        case 'Y': out += "([0-9]{4})"; break;
        case 's': out += "([0-9]+)"; break;
        case '%': out += "%"; break;
        default: out += "([0-9]{2})"; break;  // m d H M S V
      }
      if (spec != '%') fields += spec;
    } else {
      out += regex_escape(std::string(1, format[i]));
    }
  }
  return out + ")";
}

}  // namespace

std::string compression_ext(const LogConfig& c) { return c.compressext.empty() ? ".gz" : c.compressext; }

RotationNames rotation_names(const LogConfig& c, const fs::path& log) {
  RotationNames n;
  std::string name = log.filename().string();
  n.dir = log.parent_path();
  if (!c.olddir.empty()) {
    fs::path old = c.olddir;
    n.dir = old.is_absolute() ? old : log.parent_path() / old;
  }
  const std::string& kept = !c.extension.empty() ? c.extension : c.addextension;
  if (ends_with(name, kept)) {
    n.base = name.substr(0, name.size() - kept.size());
    n.ext = kept;
  } else {
    n.base = name;
    n.ext = c.addextension;
  }
  if (c.compress) n.compext = compression_ext(c);
  return n;
}

fs::path numbered_name(const RotationNames& n, int i, bool compressed) {
  return n.dir / fmt::format("{}.{}{}{}", n.base, i, n.ext, compressed ? n.compext : "");
}

std::string date_suffix(const LogConfig& c, ops::SysTime now) {
  ops::SysTime when = now;
  if (c.dateyesterday) when -= std::chrono::days(1);
  else if (c.datehourago) when -= std::chrono::hours(1);
  return ops::format_local(when, default_dateformat(c)).value_or("");
}

fs::path dated_name(const LogConfig& c, const RotationNames& n, ops::SysTime now) {
  std::string stem = n.base + date_suffix(c, now);
  auto taken = [&](const std::string& name) {
    std::error_code ec;
    return fs::exists(n.dir / (name + n.ext), ec) || (!n.compext.empty() && fs::exists(n.dir / (name + n.ext + n.compext), ec));
  };
  std::string name = stem;
  for (int i = 1; taken(name); ++i) name = fmt::format("{}.{}", stem, i);
  return n.dir / (name + n.ext);
}

std::vector<fs::path> dated_rotations(const LogConfig& c, const RotationNames& n, DirListings& listings) {
  std::string compext = n.compext.empty() ? compression_ext(c) : n.compext;
  std::string fields;
  const std::string date = date_regex(default_dateformat(c), fields);
  const std::regex re("^" + regex_escape(n.base) + date + R"((?:\.([0-9]+))?)" + regex_escape(n.ext) + "(?:" +
                      regex_escape(compext) + ")?$");
  struct Found {
    std::array<long long, date_fields.size()> date{};  // by date_fields; absent fields 0
    long number;
    fs::path path;
  };
  std::vector<Found> found;
  for (const auto& name : listings.starting_with(n.dir, n.base)) {  // cheap before the regex
    std::smatch m;
    if (!std::regex_match(name, m, re)) continue;
    Found f{{}, 0, n.dir / name};
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (std::size_t at = date_fields.find(fields[i]); at != std::string_view::npos)
        f.date[at] = std::strtoll(m[i + 2].str().c_str(), nullptr, 10);
    const auto& number = m[fields.size() + 2];
    if (number.matched) f.number = std::strtol(number.str().c_str(), nullptr, 10);
    found.push_back(std::move(f));
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.date, a.number, a.path) < std::tie(b.date, b.number, b.path);
  });
  std::vector<fs::path> paths;
  for (auto& f : found) paths.push_back(std::move(f.path));
  return paths;
}

std::string regex_escape(const std::string& text) {
  static const std::string special = R"(\^$.|?*+()[]{})";
  std::string out;
  for (char ch : text) {
    if (special.find(ch) != std::string::npos) out += '\\';
    out += ch;
  }
  return out;
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool looks_rotated(const std::string& file_name) {
  // By hand rather than with a regex: it runs for every file a glob matches.
  std::string_view name = file_name;
  auto all_digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  auto alnum = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); });
  };
  for (std::string_view ext : {".gz", ".bz2", ".xz", ".zst", ".lzma", ".lz4", ".Z", ".zip"})
    if (name.size() > ext.size() && name.ends_with(ext)) return true;
  // Drop one trailing ".ext" (app.1.log, app.log-20261124.txt) and try again.
  for (int pass = 0; pass < 2; ++pass) {
    std::size_t dot = name.rfind('.');
    if (dot != std::string_view::npos && dot > 0 && all_digits(name.substr(dot + 1))) return true;  // app.log.1
    std::size_t dash = name.rfind('-');
    if (dash != std::string_view::npos) {
      std::string_view date = name.substr(dash + 1);
      std::size_t sub = date.find('.');
      if (sub != std::string_view::npos && all_digits(date.substr(sub + 1))) date = date.substr(0, sub);  // -20261124.1
      if (all_digits(date) && date.size() >= 8 && date.size() <= 10) return true;
    }
    if (dot == std::string_view::npos || !alnum(name.substr(dot + 1))) break;
    name = name.substr(0, dot);
  }
  return false;
}

}  // namespace opsrotate
