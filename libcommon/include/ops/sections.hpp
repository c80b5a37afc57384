#pragma once
// Named sections of ops.conf ([backup.NAME], [archive.NAME], [db.NAME], and
// those of the tools to come) read by one schema. A tool declares each key of
// a kind of section once, in a table: its name, its type, its default and a
// line of help. The reader checks a section against the table — an unknown
// key, a bad value or a key given twice is an exit-3 error naming the file
// and line — and hands back typed values, so every section spells booleans,
// sizes and durations the same way. A key twice is an error, not "the last
// wins", as for [db.NAME] before and for a tool's own section (cli_run.cpp);
// only a list key repeats.
//
// A key that is also a command-line option says so (`option`): the table then
// declares the option too (add_options() generates it, with the key's help),
// and read_options() reads the command line, the environment and the tool's
// own section into the same SectionValues a named section gives. A tool fills
// its settings from SectionValues in one place, whichever the source: no
// option name is written twice, and the man page is checked against the
// tables (tests/unit/test_sections_doc.cpp). (One exception: `opsarchive
// files` reads its --compress itself, for a bare --compress before a DIR.)

#include <ops/compress.hpp>
#include <ops/config.hpp>
#include <ops/value_check.hpp>

#include <boost/program_options/options_description.hpp>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ops {

namespace cli {
class Context;
}

// How a key's text is read. Every section reads a type the same way.
enum class KeyType {
  text,         // kept as written
  path,         // a file or directory; kept as written
  flag,         // yes/no, true/false, on/off, 1/0, in any case
  integer,      // a whole number in [min, max]
  size,         // 512K, 1.5G (ops/units.hpp)
  duration,     // 90d, 1h30min (ops/units.hpp)
  list,         // text; the key may be repeated, each line adds one
  compression,  // gzip, zstd, xz, none (also gz, zst), or a flag: yes = gzip, no = none
};

// One key, declared as SectionKey("older_than", KeyType::duration, "help")
// .with_option("older-than", "DURATION") and so on.
struct SectionKey {
  std::string name;            // the key: "older_than"
  KeyType type = KeyType::text;
  std::string help;            // one line: --help and the man page
  std::string default_value;   // read like a value when the key is absent; empty: none
  std::string option;          // the long option of the same meaning ("older-than", "db",
                               // "one-file-system,x"); empty: the key is only a section key
  std::string value_name;      // for --help: "DURATION"
  long long min = std::numeric_limits<long long>::min();  // KeyType::integer
  long long max = std::numeric_limits<long long>::max();
  std::string implicit_value;  // a bare --option means this ("gzip"); empty: a value is required
  bool required = false;       // a section without it is an error naming the section
  bool inherit = false;        // a value in the plain [KIND] section is the default for every [KIND.NAME]
  ValueCheck check;            // more than the type says (a DSN, one of some words); empty: none

  SectionKey(std::string key, KeyType key_type, std::string one_line)
      : name(std::move(key)), type(key_type), help(std::move(one_line)) {}
  SectionKey& with_option(std::string long_option, std::string shown_as = {}) {
    option = std::move(long_option);
    value_name = std::move(shown_as);
    return *this;
  }
  SectionKey& with_default(std::string value) {
    default_value = std::move(value);
    return *this;
  }
  SectionKey& with_range(long long low, long long high) {
    min = low;
    max = high;
    return *this;
  }
  SectionKey& with_implicit(std::string value) {
    implicit_value = std::move(value);
    return *this;
  }
  SectionKey& as_required() {
    required = true;
    return *this;
  }
  SectionKey& inherited() {
    inherit = true;
    return *this;
  }
  SectionKey& with_check(ValueCheck value_check) {
    check = std::move(value_check);
    return *this;
  }
};

struct SectionSchema {
  std::string kind;   // "backup": the sections [backup.NAME]
  std::string title;  // "a [backup.NAME] section", for the hint after an unknown key
  std::vector<SectionKey> keys;

  const SectionKey* find(std::string_view name) const;
  std::string key_list() const;  // "database, password_file, …"
};

// The checked values of one section (or of the command line, read_options()).
// Asking for a key the schema does not declare, or with the wrong type, is a
// programming error (std::logic_error).
class SectionValues {
 public:
  using Value = std::variant<std::string, bool, long long, std::uint64_t, std::chrono::seconds,
                             std::vector<std::string>, Compression>;

  SectionValues(const SectionSchema& schema, std::string name, std::string where);

  const std::string& name() const noexcept { return name_; }  // "app" of [backup.app]
  const std::string& where() const noexcept { return where_; }  // "/etc/ops/ops.conf:12" (the header)
  // Where the key's value came from ("/etc/ops/ops.conf:14", "--batch",
  // "OPS_ARCHIVE_BATCH"); the section's where() when it was not given.
  std::string where(std::string_view key) const;
  // Whether the section (or command line) gave the key; a default does not count.
  bool given(std::string_view key) const;

  std::optional<std::string> text(std::string_view key) const;  // text and path
  std::vector<std::string> list(std::string_view key) const;
  bool flag(std::string_view key) const;  // false when absent without a default
  std::optional<long long> integer(std::string_view key) const;
  std::optional<std::uint64_t> size(std::string_view key) const;
  std::optional<std::chrono::seconds> duration(std::string_view key) const;
  std::optional<Compression> compression(std::string_view key) const;

  // For the readers: records a value (the first of a list creates it).
  void set(const SectionKey& key, Value value, std::string where, bool given);

 private:
  struct Entry {
    Value value;
    std::string where;
    bool given = false;
  };
  const Entry* entry(std::string_view key, KeyType type) const;

  const SectionSchema* schema_;
  std::string name_;
  std::string where_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// Reads [KIND.NAME] of `config` (`name` is NAME) against the schema. Exit 3,
// naming the file and line: an unknown key ("unknown key 'K' in [KIND.NAME]"),
// a bad value (its key and text), a key other than a list given twice (as in
// every section of ops.conf: which line was meant?), a required key missing
// (the section's line). The section must exist.
SectionValues read_section(const Config& config, const SectionSchema& schema, const std::string& name);

// The options of the schema's keys that have one, for a subcommand's
// add_options; `only` picks some keys by name (all with an option when empty).
void add_options(boost::program_options::options_description& options, const SectionSchema& schema,
                 const std::vector<std::string>& only = {});
// The keys with an option (or those of `only`), read from the command line,
// the environment and the tool's section (cli precedence); errors name where
// a bad value came from ("--batch", "OPS_ARCHIVE_BATCH", "ops.conf:7 (batch)").
SectionValues read_options(const cli::Context& ctx, const SectionSchema& schema,
                           const std::vector<std::string>& only = {});

// Parses one value of the key (and runs its check against `config`); throws ops::Error (unknown) whose message
// names the value but not where it came from (a flag's and a number's also
// name the key: "invalid value 'maybe' for 'purge' (expected true or false)").
SectionValues::Value parse_key_value(const SectionKey& key, std::string_view text, const Config& config = {});

}  // namespace ops
