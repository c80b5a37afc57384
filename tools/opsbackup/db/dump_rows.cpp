#include "opsbackup/db/dump_rows.hpp"

#include <cstring>

namespace opsbackup {

namespace {

// Header lines are short; anything longer is data and not looked at.
constexpr std::size_t kMaxHeader = 16 * 1024;

}  // namespace

std::string unquote_qualified_name(std::string_view text, char quote) {
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == quote) {
      if (quoted && i + 1 < text.size() && text[i + 1] == quote) {
        out += quote;
        ++i;
      } else {
        quoted = !quoted;
      }
    } else {
      out += c;
    }
  }
  return out;
}

// --- PostgreSQL plain format -----------------------------------------------------

void PgCopyRowCounter::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    if (in_copy_) {
      const char* nl = static_cast<const char*>(std::memchr(chunk.data(), '\n', chunk.size()));
      std::size_t n = nl ? static_cast<std::size_t>(nl - chunk.data()) : chunk.size();
      if (line_start_.size() < 2) line_start_.append(chunk.substr(0, std::min<std::size_t>(n, 2 - line_start_.size())));
      line_length_ += n;
      if (!nl) return;
      chunk.remove_prefix(n + 1);
      if (line_length_ == 2 && line_start_ == "\\.") in_copy_ = false;
      else ++tables_.back().rows;
      line_length_ = 0;
      line_start_.clear();
    } else {
      const char* nl = static_cast<const char*>(std::memchr(chunk.data(), '\n', chunk.size()));
      std::size_t n = nl ? static_cast<std::size_t>(nl - chunk.data()) : chunk.size();
      if (line_.size() < kMaxHeader) line_.append(chunk.substr(0, std::min(n, kMaxHeader - line_.size())));
      if (!nl) return;
      chunk.remove_prefix(n + 1);
      end_of_line();
    }
  }
}

// "COPY public.patients (id, name) FROM stdin;" starts a block of rows.
void PgCopyRowCounter::end_of_line() {
  constexpr std::string_view start = "COPY ", end = " FROM stdin;";
  std::string_view line = line_;
  if (line.starts_with(start) && line.ends_with(end)) {
    std::string_view target = line.substr(start.size(), line.size() - start.size() - end.size());
    // Cut the column list: the first " (" outside double quotes.
    bool quoted = false;
    for (std::size_t i = 0; i < target.size(); ++i) {
      if (target[i] == '"') quoted = !quoted;
      else if (!quoted && target[i] == ' ') {
        target = target.substr(0, i);
        break;
      }
    }
    tables_.push_back({unquote_qualified_name(target, '"'), 0});
    in_copy_ = true;
  }
  line_.clear();
}

// --- MySQL / MariaDB -----------------------------------------------------------

TableCount& MysqlInsertRowCounter::table(const std::string& name) {
  for (std::size_t i = 0; i < tables_.size(); ++i)
    if (tables_[i].table == name) {
      current_ = i;
      return tables_[i];
    }
  tables_.push_back({name, 0});
  current_ = tables_.size() - 1;
  return tables_.back();
}

void MysqlInsertRowCounter::header_line_done() {
  constexpr std::string_view dumping = "-- Dumping data for table ";
  std::string_view line = header_;
  if (line.starts_with(dumping)) table(unquote_qualified_name(line.substr(dumping.size()), '`'));
  header_.clear();
}

void MysqlInsertRowCounter::feed(std::string_view chunk) {
  constexpr std::string_view insert = "INSERT INTO ", values = " VALUES";
  for (char c : chunk) {
    switch (mode_) {
      case Mode::header:
        // "INSERT INTO `t` VALUES" then a space (mysqldump) or a newline
        // (mariadb-dump 10.11 puts each tuple on its own line).
        if ((c == ' ' || c == '\n') && header_.starts_with(insert) && header_.ends_with(values)) {
          std::string_view name(header_);
          name = name.substr(insert.size(), name.size() - insert.size() - values.size());
          table(unquote_qualified_name(name, '`'));
          header_.clear();
          mode_ = Mode::tuples;
          depth_ = 0;
          in_string_ = escaped_ = false;
          break;
        }
        if (c == '\n') {
          header_line_done();
          break;
        }
        header_ += c;
        if (header_.size() > kMaxHeader) {
          header_.clear();
          mode_ = Mode::skip;
        }
        break;
      case Mode::skip:
        if (c == '\n') mode_ = Mode::header;
        break;
      case Mode::tuples:
        // Strings are escaped by the dumper, so '(' ')' ';' inside them do not count.
        if (in_string_) {
          if (escaped_) escaped_ = false;
          else if (c == '\\') escaped_ = true;
          else if (c == quote_) in_string_ = false;  // '' re-enters at once: two strings, same count
        } else if (c == '\'' || c == '"') {
          in_string_ = true;
          quote_ = c;
        } else if (c == '(') {
          if (depth_++ == 0) ++tables_[current_].rows;
        } else if (c == ')') {
          --depth_;
        } else if (c == ';' && depth_ == 0) {
          mode_ = Mode::skip;  // the rest of the line
        }
        break;
    }
  }
}

}  // namespace opsbackup
