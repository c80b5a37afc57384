// The reader of logrotate's configuration language. What logrotate 3.21
// accepts was settled by running it (`logrotate -d`) on each case. Where it
// silently guesses, we report an error; where it carries on after an error
// with part of a block, we skip the whole block (or file).
#include "opsrotate/config/config_parser.hpp"

#include "opsrotate/config/config_directives.hpp"
#include "opsrotate/config/config_files.hpp"
#include "opsrotate/config/config_reader.hpp"
#include "opsrotate/config/config_values.hpp"
#include "opsrotate/config/config_where.hpp"

#include <ops/cli.hpp>
#include <ops/error.hpp>
#include <ops/log.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

namespace opsrotate {

namespace {

constexpr int max_include_depth = 32;

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// logrotate takes a line for a log file pattern when it starts like a path or a quote.
bool starts_pattern(char c) { return c == '/' || c == '~' || c == '"' || c == '\''; }

// The directives that say when a log rotates: the last one given wins.
bool is_criterion(std::string_view name) {
  return name == "hourly" || name == "daily" || name == "weekly" || name == "monthly" || name == "yearly" ||
         name == "size";
}

// The first blank-separated word of text (text starts with a non-blank).
std::string first_word(std::string_view text) {
  auto words = split_blanks(text);
  return words.empty() ? std::string() : words.front();
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

constexpr int max_errors_per_file = 20;

// The end of a line "rotate 6 }": a `}` that ends the line, as a word.
bool ends_with_brace(std::string_view line) {
  line = ops::trim(line, blanks);
  return !line.empty() && line.back() == '}' && (line.size() == 1 || is_blank(line[line.size() - 2]));
}

// A line that means to open a block: "var/log/app.log {".
bool ends_with_open_brace(std::string_view line) {
  line = ops::trim(line, blanks);
  return !line.empty() && line.back() == '{';
}

class Parser {
 public:
  explicit Parser(const ParseOptions& options) : options_(options) {}

  // A file or directory named by the caller (logrotate's command line). One
  // that cannot be read is bad usage (ops::Error); a file of such a directory
  // that cannot be read is skipped with an error, as an included one is.
  void read_path(const std::string& path) {
    if (is_config_dir(path, nullptr)) {
      for (const auto& file : config_dir_files(path, taboo_, nullptr)) {
        try {
          read_file(file, nullptr, nullptr);
        } catch (const ops::Error& e) {
          record(e);
        }
      }
    } else {
      read_file(path, nullptr, nullptr);
    }
  }

  // A block being read, until its `}`.
  struct Block {
    LogConfig config;
    bool broken = false;        // an error inside it: skipped whole at its `}`
    std::size_t errors_at = 0;  // result_.errors' size at its `{`
  };

  // One file's text. `outer` is the block an `include` inside it was read
  // from: this file's directives then apply to that block.
  void read_text(std::string_view text, const std::string& file_name, Block* outer);

  RotateConfig take() { return std::move(result_); }

 private:
  // The state of one file being read.
  struct File {
    Reader reader;
    Where where;
    Block* outer;
    std::optional<Block> block;  // the block opened in this file, until its `}`
    // An error outside any block, or one that leaves a block's end unknown:
    // the whole file is skipped, its global settings undone.
    bool broken = false;
    int broken_line = 0;
    int errors = 0;  // recorded for this file's own lines

    LogConfig& target(LogConfig& globals) { return block ? block->config : outer ? outer->config : globals; }

    // The flag read last and its line: "daily 3" is a value given to a flag.
    std::string_view last_flag;
    int last_flag_line = 0;
    // A criterion (daily… or size) was given since the file's start or its
    // last `}`: another one replaces it, which logrotate notes (-v).
    bool criterion_given = false;
  };

  void read_file(const std::string& path, const Where* include_at, Block* outer);
  void read_items(File& f, std::string_view text);
  void item(File& f);
  void include(File& f, const std::string& path);
  void directive(File& f, std::string_view name);
  void apply_directive(File& f, const Directive& d);
  void value_directive(File& f, const Directive& d);
  void script(File& f, std::string_view name, std::string Scripts::*member);
  void taboo(File& f, std::string_view name);
  void bare_brace(File& f);
  void open_block(File& f);
  void close_block(File& f);
  void end_block(File& f);
  [[noreturn]] void unknown_directive(File& f, std::string_view name);

  void record(const ops::Error& e) { result_.errors.push_back({e.what(), e.hint(), false}); }
  void skipping(const std::string& message) { result_.errors.push_back({message, {}, true}); }
  // An error in what is being read: the block it is in is broken, or, outside
  // any block, the file (see break_file).
  void error_here(File& f, const ops::Error& e);
  // An error that leaves the end of a block unknown: the file is broken.
  void structure_error(File& f, const ops::Error& e);
  // The whole file is skipped; if it was included inside a block, so is that block.
  void break_file(File& f);

  const ParseOptions& options_;
  LogConfig globals_;
  Taboo taboo_;
  RotateConfig result_;
  std::vector<std::pair<dev_t, ino_t>> reading_;  // the include chain, for loops
  int depth_ = 0;
};

void Parser::error_here(File& f, const ops::Error& e) {
  record(e);
  ++f.errors;
  if (f.block) f.block->broken = true;
  else break_file(f);
}

void Parser::structure_error(File& f, const ops::Error& e) {
  record(e);
  ++f.errors;
  break_file(f);
}

void Parser::break_file(File& f) {
  if (!f.broken) {
    f.broken = true;
    f.broken_line = f.where.line;
  }
  if (f.outer) f.outer->broken = true;
}

void Parser::read_text(std::string_view text, const std::string& file_name, Block* outer) {
  File f{Reader(text), Where{file_name, 1, {}}, outer, std::nullopt, false, 0, 0, {}, 0};
  // What this file changes, undone if the file turns out broken: it did not happen.
  const LogConfig globals_before = globals_;
  const Taboo taboo_before = taboo_;
  const std::size_t logs_before = result_.logs.size();
  read_items(f, text);
  if (!f.broken || f.outer) return;  // a file included inside a block: that block is skipped
  globals_ = globals_before;
  taboo_ = taboo_before;
  result_.logs.erase(result_.logs.begin() + static_cast<std::ptrdiff_t>(logs_before), result_.logs.end());
  skipping(fmt::format("{}: skipping the whole file: the error at line {} is not inside a block that can be skipped "
                       "alone, so none of its blocks is rotated",
                       file_name, f.broken_line));
}

void Parser::read_items(File& f, std::string_view text) {
  if (text.find("\r\n") != std::string_view::npos)
    f.where.file_hint =
        "the file has CRLF (Windows) line endings, which logrotate refuses too: remove the \\r characters";
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    auto before = text.substr(0, nul);
    f.where.line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
    structure_error(f, f.where.error("a NUL byte in the configuration", "this does not look like a text file"));
    return;
  }
  Reader& r = f.reader;
  while (true) {
    r.skip_space();
    if (r.at_end()) break;
    f.where.line = r.line();
    const std::string_view line = r.rest_of_line();
    try {
      item(f);
    } catch (const ops::Error& e) {
      // The rest of a line with an error is not read; a `}` ending it
      // ("rotate 6 }") ends the block, a `{` ending it ("var/log/app.log {")
      // starts one all the same, skipped at its `}`.
      const bool same_line = r.line() == f.where.line;
      if (same_line) r.take_rest_of_line();
      if (same_line && !f.block && !f.outer && ends_with_open_brace(line)) {
        LogConfig config = globals_;
        config.file = f.where.file;
        config.line = f.where.line;
        f.block = Block{std::move(config), true, result_.errors.size()};
        error_here(f, e);
      } else {
        error_here(f, e);
        if (same_line && f.block && ends_with_brace(line)) end_block(f);
      }
    }
    if (f.errors >= max_errors_per_file) {
      structure_error(f, f.where.error(fmt::format("{} errors: not reading the rest of the file", f.errors),
                                       "is this a logrotate configuration?"));
      f.block.reset();
      return;
    }
  }
  if (f.block) {
    f.where.line = f.block->config.line;
    structure_error(f, f.where.error(fmt::format("missing '}}' for the block of {}",
                                                 shown(join(f.block->config.patterns, " "))),
                                     "end the block with a line '}'"));
    f.block.reset();
  }
}

void Parser::item(File& f) {
  Reader& r = f.reader;
  char c = r.peek();
  if (c == '#') {
    r.take_rest_of_line();
  } else if (c == '}') {
    close_block(f);
  } else if (c == '{') {
    bare_brace(f);
  } else if (starts_pattern(c)) {
    open_block(f);
  } else if (is_letter(c)) {
    directive(f, r.take_letters());
  } else {
    std::string word = first_word(r.rest_of_line());
    if (f.last_flag_line == f.where.line)
      f.where.fail(fmt::format("extra value after '{}' {}", f.last_flag, shown(word)),
                   fmt::format("{} takes no value", f.last_flag));
    f.where.fail(fmt::format("expected a directive or a log file pattern, not {}", shown(word)),
                 "a log file pattern starts with '/', '~' or a quote, e.g. /var/log/app/*.log");
  }
}

void Parser::read_file(const std::string& path, const Where* include_at, Block* outer) {
  ConfigFile file = read_config_file(path, include_at);
  std::pair id{file.dev, file.ino};
  if (std::find(reading_.begin(), reading_.end(), id) != reading_.end()) {
    std::string what = fmt::format("include loop: {} is already being read", shown(path, std::string_view::npos));
    if (include_at) include_at->fail(what, "remove the include that leads back to it");
    ops::fail_usage(what);  // not reached: only an include leads back to a file being read
  }
  reading_.push_back(id);
  ops::log::info("reading config file {}", file.path);
  read_text(file.text, file.path, outer);
  reading_.pop_back();
}

// An include that fails (a missing file, a file others may write to, a loop)
// skips what it names; inside a block, the block too, as it lacks directives.
// The file it is in reads on: the files it includes are independent of it.
void Parser::include(File& f, const std::string& raw) {
  Block* block = f.block ? &*f.block : f.outer;
  auto failed = [&](const ops::Error& e) {
    record(e);
    if (block) block->broken = true;
  };
  if (!options_.allow_include) return failed(f.where.error(fmt::format("include is not allowed here {}", shown(raw))));
  if (depth_ >= max_include_depth)
    return failed(f.where.error(fmt::format("includes nested too deeply at {}", shown(raw)),
                                fmt::format("at most {} levels of include", max_include_depth)));
  ++depth_;
  std::string path = expand_home(raw);
  try {
    if (is_config_dir(path, &f.where)) {
      for (const auto& file : config_dir_files(path, taboo_, &f.where)) {
        try {
          read_file(file, &f.where, block);
        } catch (const ops::Error& e) {
          failed(e);
        }
      }
    } else {
      read_file(path, &f.where, block);
    }
  } catch (const ops::Error& e) {
    failed(e);
  }
  --depth_;
}

void Parser::directive(File& f, std::string_view name) {
  Reader& r = f.reader;
  char after = r.peek();
  if (!r.at_line_end() && !is_blank(after) && after != '=') {
    // "daily;", "rotate_x", "a.log {": logrotate refuses these too.
    std::string word = first_word(std::string(name) + std::string(r.rest_of_line()));
    bool known = find_directive(name) || find_script(name) || name == "include";
    f.where.fail(fmt::format("unknown directive {}", shown(word)),
                 known ? fmt::format("put a blank after '{}'", name)
                       : "a log file pattern starts with '/', '~' or a quote, e.g. /var/log/app/*.log");
  }
  if (const Directive* d = find_directive(name)) {
    const Frequency before = f.target(globals_).frequency;
    apply_directive(f, *d);
    if (is_criterion(name)) {
      const Frequency now = f.target(globals_).frequency;
      if (f.criterion_given && now != before)
        ops::log::info("{}:{}: note: '{}' overrides previously specified '{}'", f.where.file, f.where.line,
                       frequency_name(now), frequency_name(before));
      f.criterion_given = true;
    }
  } else if (auto member = find_script(name)) {
    script(f, name, member);
  } else if (name == "include") {
    r.skip_blanks();
    if (r.peek() == '=') r.advance();
    std::string path(ops::trim(r.take_rest_of_line(), blanks));
    if (path.empty()) f.where.fail("missing value after 'include'", "write 'include FILE_OR_DIRECTORY' on one line");
    include(f, path);
  } else if (name == "tabooext" || name == "taboopat") {
    taboo(f, name);
  } else if (name == "endscript") {
    f.where.fail("'endscript' without a script",
                 "a script starts with firstaction, prerotate, postrotate, lastaction or preremove");
  } else {
    unknown_directive(f, name);
  }
}

void Parser::apply_directive(File& f, const Directive& d) {
  if (d.takes != Takes::nothing) {
    value_directive(f, d);
    return;
  }
  if (f.reader.peek() == '=') f.reader.advance();  // logrotate takes `compress=` for `compress`
  d.apply(f.target(globals_), DirectiveValue{f.where, d.name, {}, {}, options_.check_accounts});
  f.last_flag = d.name;
  f.last_flag_line = f.where.line;
}

void Parser::value_directive(File& f, const Directive& d) {
  Reader& r = f.reader;
  r.skip_blanks();
  if (r.peek() == '=') {
    if (d.takes == Takes::words || d.takes == Takes::options)
      f.where.fail(fmt::format("unexpected '=' after {}", d.name),
                   fmt::format("logrotate does not take '=' after {}: write '{} {}'", d.name, d.name,
                               ops::trim(r.rest_of_line().substr(1), blanks)));
    r.advance();
    r.skip_blanks();
  }
  std::string_view text = ops::trim(r.take_rest_of_line(), blanks);
  std::vector<std::string> words = split_blanks(text);
  if (text.empty() && d.takes != Takes::words)
    f.where.fail(fmt::format("missing value after '{}'", d.name), "the value goes on the same line");
  if (!words.empty() && words.back() == "}")
    f.where.fail(fmt::format("'}}' on the line of {} {}", d.name, shown(text)),
                 "put '}' on a line of its own: logrotate reads it as part of the value");
  d.apply(f.target(globals_), DirectiveValue{f.where, d.name, text, std::move(words), options_.check_accounts});
}

void Parser::script(File& f, std::string_view name, std::string Scripts::*member) {
  std::optional<std::string> text = f.reader.take_script();
  if (!text) {
    // The script ran to the end of the file, over any `}`: the block's end is unknown.
    structure_error(f, f.where.error(fmt::format("{} script without 'endscript'", name),
                                     "end the script with a line 'endscript'"));
    f.block.reset();
    return;
  }
  f.target(globals_).scripts.*member = std::move(*text);
}

// `tabooext [+] LIST` and `taboopat [+] LIST`: replace the list, or with `+` extend it.
void Parser::taboo(File& f, std::string_view name) {
  if (f.block || f.outer)
    f.where.fail(fmt::format("{} inside a block", name),
                 fmt::format("logrotate refuses it there too: put {} before the block", name));
  Reader& r = f.reader;
  r.skip_blanks();
  if (r.peek() == '=') r.advance();
  std::vector<std::string> items = split_list(r.take_rest_of_line());
  bool extend = !items.empty() && items[0].front() == '+';
  if (extend) {
    items[0].erase(0, 1);
    if (items[0].empty()) items.erase(items.begin());
  }
  if (items.empty())
    f.where.fail(fmt::format("missing value after '{}'", name), fmt::format("write '{} [+] LIST' on one line", name));
  auto& list = name == "tabooext" ? taboo_.extensions : taboo_.patterns;
  if (!extend) list.clear();
  list.insert(list.end(), items.begin(), items.end());
}

// A `{` with no pattern before it: a block all the same, delimited by its
// `}`, and skipped. Inside a block it leaves the ends of both unknown.
void Parser::bare_brace(File& f) {
  ops::Error e = f.where.error("'{' without a log file pattern before it", "a block is PATTERN... { DIRECTIVES }");
  if (f.block || f.outer) throw e;
  f.reader.advance();
  LogConfig config = globals_;
  config.file = f.where.file;
  config.line = f.where.line;
  f.block = Block{std::move(config), true, result_.errors.size()};
  error_here(f, e);
}

void Parser::open_block(File& f) {
  if (f.outer)
    f.where.fail(fmt::format("log file pattern {} in a file included inside a block",
                             shown(ops::trim(f.reader.rest_of_line(), blanks))),
                 "include this file outside any block, or remove the block from it");
  if (f.block) {
    // Where the first block was meant to end is unknown: the file is skipped;
    // the new block is read on, for its own errors.
    structure_error(f, f.where.error(fmt::format("log file pattern {} inside the block of {} (line {})",
                                                 shown(ops::trim(f.reader.rest_of_line(), blanks)),
                                                 shown(join(f.block->config.patterns, " ")), f.block->config.line),
                                     "close the first block with '}' before the next one"));
    f.block.reset();
  }
  Where at = f.where;
  const std::size_t errors_at = result_.errors.size();
  PatternText patterns = f.reader.take_patterns();
  if (!patterns.brace) {
    // The lines read since are directives outside any block; a `}` later is unexpected.
    structure_error(f, at.error(fmt::format("missing '{{' after log files definition {}",
                                            shown(ops::trim(patterns.text, blanks_and_newlines))),
                                "a block is PATTERN... { DIRECTIVES }"));
    return;
  }
  Block block{globals_, false, errors_at};
  block.config.file = f.where.file;
  block.config.line = at.line;
  try {
    block.config.patterns = split_patterns(at, patterns.text);
    if (block.config.patterns.empty()) at.fail("'{' without a log file pattern before it");
  } catch (const ops::Error& e) {
    // Its `{` was found: the block ends at its `}`, and is skipped.
    record(e);
    ++f.errors;
    block.broken = true;
  }
  f.block = std::move(block);
}

void Parser::close_block(File& f) {
  Reader& r = f.reader;
  r.advance();
  std::string rest(ops::trim(r.take_rest_of_line(), blanks));
  if (!f.block) {
    if (f.outer)
      f.where.fail("'}' in an included file cannot close the block it was included from",
                   "a block must end in the file where it starts");
    // logrotate's words (its suite looks for them).
    structure_error(f, f.where.error("unexpected } (missing previous '{')", "a block is PATTERN... { DIRECTIVES }"));
    return;
  }
  if (!rest.empty())
    error_here(f, f.where.error(fmt::format("unexpected text after '}}' {}", shown(rest)),
                                "'}' must be alone on its line (logrotate refuses anything after it, even a comment)"));
  end_block(f);
}

// The block read, or skipped whole, scripts and all, when it has an error.
void Parser::end_block(File& f) {
  Block& block = *f.block;
  if (block.broken) {
    auto errors = std::count_if(result_.errors.begin() + static_cast<std::ptrdiff_t>(block.errors_at),
                                result_.errors.end(), [](const ConfigError& e) { return !e.skipping; });
    result_.errors.push_back(skipping_block(block.config, static_cast<std::size_t>(errors)));
  } else {
    result_.logs.push_back(std::move(block.config));
  }
  f.block.reset();
  f.criterion_given = false;
}

void Parser::unknown_directive(File& f, std::string_view name) {
  std::string word(name);
  auto names = known_directive_names();
  std::string lower = word;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  std::string hint;
  if (word == "errors")
    hint = "logrotate 3.21 ignores 'errors'; delete the line ('mail ADDRESS' mails rotated logs)";
  else if (lower != word && std::find(names.begin(), names.end(), lower) != names.end())
    hint = fmt::format("directives are lowercase: '{}'", lower);
  else if (auto guess = ops::cli::suggest(word, names))
    hint = fmt::format("did you mean '{}'?", *guess);
  else if (f.last_flag_line == f.where.line)
    f.where.fail(fmt::format("extra value after '{}' {}", f.last_flag, shown(word)),
                 fmt::format("{} takes no value", f.last_flag));
  f.where.fail(fmt::format("unknown directive {}", shown(word)), hint);
}

}  // namespace

ConfigError skipping_block(const LogConfig& block, std::size_t errors) {
  std::string what =
      block.patterns.empty() ? std::string("this block")
                             : fmt::format("the block of {}", shown(join(block.patterns, " "), std::string_view::npos));
  return {fmt::format("{}:{}: skipping {} for its {}: none of its logs is rotated, none of its scripts run", block.file,
                      block.line, what, errors == 1 ? std::string("error") : fmt::format("{} errors", errors)),
          {},
          true};
}

RotateConfig parse_config_files(const std::vector<std::string>& paths, const ParseOptions& options) {
  Parser parser(options);
  for (const auto& path : paths) parser.read_path(path);
  return parser.take();
}

RotateConfig parse_config_text(std::string_view text, const std::string& file_name, const ParseOptions& options) {
  Parser parser(options);
  parser.read_text(text, file_name, nullptr);
  return parser.take();
}

}  // namespace opsrotate
