#include "opsrotate/config/config_reader.hpp"

#include "opsrotate/config/config_values.hpp"

#include <ops/text.hpp>

#include <algorithm>
#include <vector>

namespace opsrotate {

void Reader::advance(std::size_t n) {
  std::size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  pos_ = std::min(pos_ + n, end);
}

void Reader::skip_blanks() {
  while (!at_end() && is_blank(text_[pos_])) ++pos_;
}

void Reader::skip_space() {
  while (!at_end() && (is_blank(text_[pos_]) || text_[pos_] == '\n')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
}

std::string_view Reader::rest_of_line() const {
  std::size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  return text_.substr(pos_, end - pos_);
}

std::string_view Reader::take_rest_of_line() {
  std::string_view rest = rest_of_line();
  pos_ += rest.size();
  return rest;
}

void Reader::next_line() {
  take_rest_of_line();
  if (!at_end()) {
    ++pos_;
    ++line_;
  }
}

std::string_view Reader::take_letters() {
  std::size_t start = pos_;
  while (!at_end() && ((text_[pos_] >= 'a' && text_[pos_] <= 'z') || (text_[pos_] >= 'A' && text_[pos_] <= 'Z')))
    ++pos_;
  return text_.substr(start, pos_ - start);
}

std::optional<std::string> Reader::take_script() {
  constexpr std::string_view end_word = "endscript";
  std::vector<std::string_view> lines;
  skip_blanks();
  if (auto first = ops::trim(take_rest_of_line(), blanks); !first.empty()) lines.push_back(first);
  while (true) {
    next_line();
    if (at_end()) return std::nullopt;
    std::string_view line = rest_of_line();
    std::string_view word = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
    bool ends = word.substr(0, end_word.size()) == end_word &&
                (word.size() == end_word.size() ||
                 std::string_view(" \t}#").find(word[end_word.size()]) != std::string_view::npos);
    if (ends) {
      advance(line.size() - word.size() + end_word.size());
      break;
    }
    lines.push_back(line);
  }
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) text += '\n';
    text += lines[i];
  }
  return text;
}

PatternText Reader::take_patterns() {
  PatternText patterns;
  while (true) {
    std::string_view line = rest_of_line();
    std::size_t brace = line.find('{');
    if (brace != std::string_view::npos) {
      patterns.text += line.substr(0, brace);
      advance(brace + 1);
      patterns.brace = true;
      return patterns;
    }
    patterns.text += line;
    patterns.text += '\n';
    next_line();
    skip_blanks();
    while (!at_end() && (at_line_end() || peek() == '#')) {
      next_line();
      skip_blanks();
    }
    char c = peek();
    if (at_end() || !(c == '/' || c == '~' || c == '"' || c == '\'' || c == '{')) return patterns;
  }
}

}  // namespace opsrotate
