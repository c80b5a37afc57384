#include "opsdb/slow/slow_log.hpp"

#include <ops/text.hpp>

#include <charconv>
#include <cstdlib>

namespace opsdb {
namespace {

bool banner(std::string_view line) {
  return (line.find(", Version: ") != std::string_view::npos && line.ends_with("started with:")) ||
         line.starts_with("Tcp port: ") ||
         (line.starts_with("Time ") && line.find("Id Command") != std::string_view::npos);
}

std::int64_t integer(std::string_view text) {
  std::int64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

double real(std::string_view text) {
  // strtod wants a terminated string; the values are short.
  const std::string copy(text);
  return std::strtod(copy.c_str(), nullptr);
}

// "use app;" → "app" (also `app`), else empty.
std::string use_statement(std::string_view line) {
  line = ops::trim(line);
  if (!(line.starts_with("use ") || line.starts_with("USE ")) || !line.ends_with(";")) return {};
  std::string_view db = ops::trim(line.substr(4, line.size() - 5));
  if (db.size() >= 2 && db.front() == '`' && db.back() == '`') db = db.substr(1, db.size() - 2);
  return std::string(db);
}

// "SET timestamp=1733508000;" → 1733508000.
std::optional<std::int64_t> set_timestamp(std::string_view line) {
  line = ops::trim(line);
  if (!(line.starts_with("SET timestamp=") || line.starts_with("set timestamp=")) || !line.ends_with(";"))
    return std::nullopt;
  const std::string_view n = line.substr(14, line.size() - 15);
  if (n.empty() || n.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  return integer(n);
}

}  // namespace

void SlowLogParser::begin() {
  end();
  entry_ = SlowLogEntry{};
  has_user_ = false;
  has_time_ = false;
  phase_ = Phase::header;
}

void SlowLogParser::end() {
  if (phase_ == Phase::outside) return;
  phase_ = Phase::outside;
  while (!entry_.statement.empty() && (entry_.statement.back() == '\n' || entry_.statement.back() == '\r'))
    entry_.statement.pop_back();
  if (entry_.statement.empty()) return;  // a header without a statement: the log was cut there
  if (!has_time_) {
    ++skipped_;
    return;
  }
  if (entry_.schema.empty()) entry_.schema = schema_;
  each_(std::move(entry_));
}

// "# Query_time: 2.0  Lock_time: 0.0 Rows_sent: 1" and the like: a word
// ending with ':' names the value after it.
void SlowLogParser::header_fields(std::string_view text) {
  std::string_view key;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    const std::string_view word = text.substr(i, j - i);
    i = j;
    if (word.empty()) break;
    if (word.back() == ':') {  // a key (the one before it had no value: "Schema:  QC_hit: No")
      key = word.substr(0, word.size() - 1);
      continue;
    }
    if (key == "Query_time") entry_.query_time = real(word), has_time_ = true;
    else if (key == "Rows_sent") entry_.rows_sent = integer(word);
    else if (key == "Rows_examined") entry_.rows_examined = integer(word);
    else if (key == "Rows_affected") entry_.rows_affected = integer(word);
    else if (key == "Schema") entry_.schema = schema_ = std::string(word);
    key = {};
  }
}

void SlowLogParser::line(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.starts_with("# Time:")) {
    begin();
    return;
  }
  if (text.starts_with("# User@Host:")) {
    if (phase_ != Phase::header || has_user_) begin();
    has_user_ = true;
    // "app[app] @ localhost []": the first name is the one the server checked.
    std::string_view who = ops::trim(text.substr(12));
    entry_.user = std::string(who.substr(0, who.find_first_of("[ ")));
    return;
  }
  if (banner(text)) {
    end();
    return;
  }
  if (phase_ == Phase::outside) return;
  if (phase_ == Phase::header && text.starts_with("# ")) {
    constexpr std::string_view admin = "# administrator command: ";
    if (text.starts_with(admin)) {
      std::string_view what = ops::trim(text.substr(admin.size()));
      if (what.ends_with(";")) what.remove_suffix(1);
      entry_.statement = "administrator command: " + std::string(what);
      phase_ = Phase::statement;
      return;
    }
    header_fields(text.substr(2));
    return;
  }
  if (phase_ == Phase::header) {
    // The server's notes come before the statement.
    if (const std::string db = use_statement(text); !db.empty()) {
      entry_.schema = schema_ = db;
      return;
    }
    if (const auto t = set_timestamp(text)) {
      entry_.timestamp = t;
      return;
    }
    phase_ = Phase::statement;
  }
  if (entry_.statement.size() < kStatementBytes) {
    entry_.statement.append(text.substr(0, kStatementBytes - entry_.statement.size()));
    entry_.statement += '\n';
  }
}

void SlowLogParser::finish() { end(); }

}  // namespace opsdb
