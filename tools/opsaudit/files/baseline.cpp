#include "opsaudit/files/baseline.hpp"

#include "opsaudit/files/path_text.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <charconv>
#include <fmt/format.h>
#include <unordered_set>

namespace opsaudit::files {

namespace {

constexpr std::string_view types = "fdlpscb";

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

template <typename T>
bool number(std::string_view text, T& value, int base = 10) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return ec == std::errc() && end == text.data() + text.size();
}

bool hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string baseline_text(const Baseline& b) {
  std::string out;
  out.reserve(b.entries.size() * 140 + 256);
  out += baseline_magic;
  out += "\n# opsaudit changes --init/--update wrote this; see opsaudit(1) before editing it\n";
  out += "created\t" + b.created + "\n";
  for (const auto& r : b.roots) out += "root\t" + escaped(r) + "\n";
  for (const auto& x : b.excludes) out += "exclude\t" + escaped(x) + "\n";
  for (const auto& [path, s] : b.entries) {
    const bool file = s.type == 'f';
    out += fmt::format("{}\t{:04o}\t{}\t{}\t", s.type, s.mode & 07777, s.uid, s.gid);
    if (file) out += fmt::format("{}\t{}.{:09}\t", s.size, s.mtime_sec, s.mtime_nsec);
    else out += "-\t-\t";
    out += s.type == 'f' ? s.data : s.type == 'l' ? escaped(s.data) : std::string("-");
    out += '\t';
    out += escaped(path);
    out += '\n';
  }
  return out;
}

Baseline parse_baseline(std::string_view text, const std::string& path) {
  Baseline b;
  std::size_t line_no = 0;
  std::size_t start = 0;
  bool versioned = false;
  std::unordered_set<std::string> seen;
  const auto bad = [&](const std::string& what) {
    ops::fail(fmt::format("{}:{}: {} (not a baseline opsaudit can trust; --init or --update writes a new one)",
                          ops::shown(path), line_no, what));
  };
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      ++line_no;
      bad("the last line is cut short (no newline): the file is incomplete");
    }
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!versioned) {
      if (line != baseline_magic)
        bad(line.substr(0, 18) == "opsaudit-baseline "
                ? fmt::format("version '{}' is not one this opsaudit reads (it reads 1)", ops::shown(line.substr(18)))
                : std::string("the first line is not 'opsaudit-baseline 1'"));
      versioned = true;
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const auto f = fields_of(line);
    const auto text_field = [&](std::string_view field, const char* what) {
      auto s = unescaped(field);
      if (!s || s->empty()) bad(fmt::format("bad {} '{}'", what, ops::shown(field)));
      return *s;
    };
    if (f[0] == "created" && f.size() == 2) {
      b.created = std::string(f[1]);
      continue;
    }
    if (f[0] == "root" && f.size() == 2) {
      b.roots.push_back(text_field(f[1], "root"));
      continue;
    }
    if (f[0] == "exclude" && f.size() == 2) {
      b.excludes.push_back(text_field(f[1], "exclude pattern"));
      continue;
    }
    if (f[0].size() != 1 || types.find(f[0][0]) == std::string_view::npos)
      bad(fmt::format("'{}' is not an entry (f, d, l, p, s, c, b), root, exclude or created", ops::shown(f[0], 40)));
    if (f.size() != 8) bad(fmt::format("an entry has 8 tab-separated fields, this one {}", f.size()));
    FileState s;
    s.type = f[0][0];
    unsigned mode = 0;
    if (!number(f[1], mode, 8) || mode > 07777) bad(fmt::format("bad mode '{}'", ops::shown(f[1])));
    s.mode = mode;
    if (!number(f[2], s.uid)) bad(fmt::format("bad uid '{}'", ops::shown(f[2])));
    if (!number(f[3], s.gid)) bad(fmt::format("bad gid '{}'", ops::shown(f[3])));
    if (s.type == 'f') {
      if (!number(f[4], s.size)) bad(fmt::format("bad size '{}'", ops::shown(f[4])));
      const std::size_t dot = f[5].find('.');
      if (dot == std::string_view::npos || f[5].size() - dot - 1 != 9 || !number(f[5].substr(0, dot), s.mtime_sec) ||
          !number(f[5].substr(dot + 1), s.mtime_nsec))
        bad(fmt::format("bad mtime '{}' (SECONDS.NANOSECONDS)", ops::shown(f[5])));
      if (!hex64(f[6]) && f[6] != "?") bad(fmt::format("bad SHA-256 '{}'", ops::shown(f[6])));
      s.data = std::string(f[6]);
    } else {
      if (f[4] != "-" || f[5] != "-") bad("size and mtime are '-' but for a file");
      if (s.type == 'l') s.data = text_field(f[6], "symlink target");
      else if (f[6] != "-") bad("only a file has a SHA-256 and only a symlink a target");
    }
    std::string entry_path = text_field(f[7], "path");
    if (!seen.insert(entry_path).second) bad(fmt::format("'{}' is listed twice", ops::shown(entry_path)));
    b.entries.emplace_back(std::move(entry_path), std::move(s));
  }
  if (!versioned) ops::fail(fmt::format("{}: empty, not a baseline (--init writes one)", ops::shown(path)));
  if (b.roots.empty()) {
    line_no = 0;
    ops::fail(fmt::format("{}: names no root: not a baseline opsaudit wrote", ops::shown(path)));
  }
  return b;
}

}  // namespace opsaudit::files
