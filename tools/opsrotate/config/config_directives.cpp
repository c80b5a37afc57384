#include "opsrotate/config/config_directives.hpp"

#include "opsrotate/config/config_accounts.hpp"
#include "opsrotate/config/config_files.hpp"
#include "opsrotate/config/config_values.hpp"

#include <fmt/format.h>

#include <array>
#include <limits>

namespace opsrotate {

namespace {

constexpr long long int_max = std::numeric_limits<int>::max();

int count(const DirectiveValue& v, long long min) {
  return static_cast<int>(parse_count(v.where, v.name, v.text, min, int_max));
}

std::uint64_t size(const DirectiveValue& v) { return parse_size(v.where, v.name, v.text); }

void check_user(const DirectiveValue& v, const std::string& user) {
  if (v.check_accounts && !user_exists(user))
    v.where.fail(fmt::format("unknown user for {} {}", v.name, shown(user)),
                 "logrotate refuses a user this host does not know: fix the name or create the user");
}

void check_group(const DirectiveValue& v, const std::string& group) {
  if (v.check_accounts && !group_exists(group))
    v.where.fail(fmt::format("unknown group for {} {}", v.name, shown(group)),
                 "logrotate refuses a group this host does not know: fix the name or create the group");
}

// `create [MODE] [OWNER [GROUP]]`, and `createolddir` alike: a first word
// starting with a digit is the mode.
CreateSpec create_spec(const DirectiveValue& v) {
  CreateSpec spec;
  std::size_t i = 0;
  if (!v.words.empty() && v.words[0][0] >= '0' && v.words[0][0] <= '9') {
    spec.mode = parse_mode(v.where, v.name, v.words[0]);
    i = 1;
  }
  if (v.words.size() - i > 2)
    v.where.fail(fmt::format("extra value for {} {}", v.name, shown(v.text)),
                 fmt::format("{} takes [MODE] [OWNER [GROUP]], e.g. '{} 0640 root adm'", v.name, v.name));
  if (i < v.words.size()) {
    check_user(v, v.words[i]);
    spec.owner = v.words[i];
  }
  if (i + 1 < v.words.size()) {
    check_group(v, v.words[i + 1]);
    spec.group = v.words[i + 1];
  }
  return spec;
}

// A word-valued directive whose value logrotate keeps as one word.
std::string one_word(const DirectiveValue& v) {
  if (v.text.find_first_of(" \t") != std::string_view::npos)
    v.where.fail(fmt::format("extra value for {} {}", v.name, shown(v.text)),
                 fmt::format("{} takes one word (logrotate allows no blanks in it)", v.name));
  return std::string(v.text);
}

using C = LogConfig;
using V = DirectiveValue;

const std::array directives{
    // When.
    Directive{"hourly", Takes::nothing, [](C& c, const V&) { c.frequency = Frequency::hourly; }},
    Directive{"daily", Takes::nothing, [](C& c, const V&) { c.frequency = Frequency::daily; }},
    Directive{"weekly", Takes::words,
              [](C& c, const V& v) {
                if (v.words.size() > 1) parse_weekday(v.where, v.text);  // fails, naming the whole value
                c.weekday = v.words.empty() ? 0 : parse_weekday(v.where, v.words[0]);
                c.frequency = Frequency::weekly;
              }},
    Directive{"monthly", Takes::nothing, [](C& c, const V&) { c.frequency = Frequency::monthly; }},
    Directive{"yearly", Takes::nothing, [](C& c, const V&) { c.frequency = Frequency::yearly; }},
    Directive{"size", Takes::line,
              [](C& c, const V& v) {
                c.size = size(v);
                c.frequency = Frequency::size;
              }},
    Directive{"minsize", Takes::line, [](C& c, const V& v) { c.minsize = size(v); }},
    Directive{"maxsize", Takes::line, [](C& c, const V& v) { c.maxsize = size(v); }},
    Directive{"minage", Takes::line, [](C& c, const V& v) { c.minage = count(v, 0); }},
    Directive{"maxage", Takes::line, [](C& c, const V& v) { c.maxage = count(v, 0); }},
    // What is kept.
    Directive{"rotate", Takes::line, [](C& c, const V& v) { c.rotate = count(v, -1); }},
    Directive{"start", Takes::line, [](C& c, const V& v) { c.start = count(v, 0); }},
    // Names.
    Directive{"dateext", Takes::nothing, [](C& c, const V&) { c.dateext = true; }},
    Directive{"nodateext", Takes::nothing, [](C& c, const V&) { c.dateext = false; }},
    Directive{"dateformat", Takes::line,
              [](C& c, const V& v) {
                check_dateformat(v.where, v.text);
                c.dateformat = v.text;
              }},
    Directive{"dateyesterday", Takes::nothing, [](C& c, const V&) { c.dateyesterday = true; }},
    Directive{"datehourago", Takes::nothing, [](C& c, const V&) { c.datehourago = true; }},
    Directive{"extension", Takes::line, [](C& c, const V& v) { c.extension = v.text; }},
    Directive{"addextension", Takes::line, [](C& c, const V& v) { c.addextension = v.text; }},
    // `~/` is $HOME, as in include and in log file patterns (logrotate too).
    Directive{"olddir", Takes::word, [](C& c, const V& v) { c.olddir = expand_home(one_word(v)); }},
    Directive{"noolddir", Takes::nothing, [](C& c, const V&) { c.olddir.clear(); }},
    Directive{"createolddir", Takes::words, [](C& c, const V& v) { c.createolddir = create_spec(v); }},
    Directive{"nocreateolddir", Takes::nothing, [](C& c, const V&) { c.createolddir.reset(); }},
    // Compression.
    Directive{"compress", Takes::nothing, [](C& c, const V&) { c.compress = true; }},
    Directive{"nocompress", Takes::nothing, [](C& c, const V&) { c.compress = false; }},
    Directive{"delaycompress", Takes::nothing, [](C& c, const V&) { c.delaycompress = true; }},
    Directive{"nodelaycompress", Takes::nothing, [](C& c, const V&) { c.delaycompress = false; }},
    // A known program sets the extension as logrotate does, where it is
    // read: a compressext before it is replaced, one after it wins.
    Directive{"compresscmd", Takes::word,
              [](C& c, const V& v) {
                c.compresscmd = one_word(v);
                if (auto ext = compresscmd_ext(c.compresscmd)) c.compressext = *ext;
              }},
    Directive{"uncompresscmd", Takes::word, [](C& c, const V& v) { c.uncompresscmd = one_word(v); }},
    Directive{"compressext", Takes::word, [](C& c, const V& v) { c.compressext = one_word(v); }},
    Directive{"compressoptions", Takes::options,
              [](C& c, const V& v) {
                c.compressoptions = v.text;
                c.compressoptions_set = true;
              }},
    // How.
    Directive{"create", Takes::words, [](C& c, const V& v) { c.create = create_spec(v); }},
    Directive{"nocreate", Takes::nothing, [](C& c, const V&) { c.create.reset(); }},
    Directive{"copy", Takes::nothing, [](C& c, const V&) { c.copy = true; }},
    Directive{"nocopy", Takes::nothing, [](C& c, const V&) { c.copy = false; }},
    // Each of copytruncate and renamecopy turns the other off (logrotate's man page, and its runs).
    Directive{"copytruncate", Takes::nothing,
              [](C& c, const V&) {
                c.copytruncate = true;
                c.renamecopy = false;
              }},
    Directive{"nocopytruncate", Takes::nothing, [](C& c, const V&) { c.copytruncate = false; }},
    Directive{"renamecopy", Takes::nothing,
              [](C& c, const V&) {
                c.renamecopy = true;
                c.copytruncate = false;
              }},
    Directive{"norenamecopy", Takes::nothing, [](C& c, const V&) { c.renamecopy = false; }},
    Directive{"shred", Takes::nothing, [](C& c, const V&) { c.shred = true; }},
    Directive{"noshred", Takes::nothing, [](C& c, const V&) { c.shred = false; }},
    Directive{"shredcycles", Takes::line, [](C& c, const V& v) { c.shredcycles = count(v, 0); }},
    Directive{"su", Takes::words,
              [](C& c, const V& v) {
                if (v.words.empty()) v.where.fail("missing value after 'su'", "write 'su USER GROUP' on one line");
                if (v.words.size() == 1)
                  v.where.fail(fmt::format("su needs a user and a group, not just {}", shown(v.text)),
                               fmt::format("write 'su {} GROUP'", v.words[0]));
                if (v.words.size() > 2)
                  v.where.fail(fmt::format("extra value for su {}", shown(v.text)), "su takes USER GROUP");
                check_user(v, v.words[0]);
                check_group(v, v.words[1]);
                c.su = std::pair{v.words[0], v.words[1]};
              }},
    Directive{"missingok", Takes::nothing, [](C& c, const V&) { c.missingok = true; }},
    Directive{"nomissingok", Takes::nothing, [](C& c, const V&) { c.missingok = false; }},
    Directive{"ifempty", Takes::nothing, [](C& c, const V&) { c.ifempty = true; }},
    Directive{"notifempty", Takes::nothing, [](C& c, const V&) { c.ifempty = false; }},
    Directive{"allowhardlink", Takes::nothing, [](C& c, const V&) { c.allowhardlink = true; }},
    Directive{"noallowhardlink", Takes::nothing, [](C& c, const V&) { c.allowhardlink = false; }},
    Directive{"ignoreduplicates", Takes::nothing, [](C& c, const V&) { c.ignoreduplicates = true; }},
    // Scripts.
    Directive{"sharedscripts", Takes::nothing, [](C& c, const V&) { c.sharedscripts = true; }},
    Directive{"nosharedscripts", Takes::nothing, [](C& c, const V&) { c.sharedscripts = false; }},
    // Mail.
    Directive{"mail", Takes::word, [](C& c, const V& v) { c.mail = one_word(v); }},
    Directive{"nomail", Takes::nothing, [](C& c, const V&) { c.mail.clear(); }},
    Directive{"mailfirst", Takes::nothing, [](C& c, const V&) { c.mailfirst = true; }},
    Directive{"maillast", Takes::nothing, [](C& c, const V&) { c.mailfirst = false; }},
};

struct ScriptDirective {
  std::string_view name;
  std::string Scripts::*member;
};

const std::array scripts{
    ScriptDirective{"firstaction", &Scripts::firstaction}, ScriptDirective{"prerotate", &Scripts::prerotate},
    ScriptDirective{"postrotate", &Scripts::postrotate},   ScriptDirective{"lastaction", &Scripts::lastaction},
    ScriptDirective{"preremove", &Scripts::preremove},
};

}  // namespace

const Directive* find_directive(std::string_view name) {
  for (const auto& d : directives)
    if (d.name == name) return &d;
  return nullptr;
}

std::string Scripts::*find_script(std::string_view name) {
  for (const auto& s : scripts)
    if (s.name == name) return s.member;
  return nullptr;
}

std::vector<std::string> known_directive_names() {
  std::vector<std::string> names{"include", "tabooext", "taboopat", "endscript"};
  for (const auto& d : directives) names.emplace_back(d.name);
  for (const auto& s : scripts) names.emplace_back(s.name);
  return names;
}

}  // namespace opsrotate
