#pragma once
// A check of one configuration or option value's text, declared with the key
// or option it belongs to, so that a bad value is refused when the file (or
// command line) is read — whichever subcommand runs, and whether or not it
// uses the key. A check throws ops::Error (usage, exit 3) whose message names
// the value; the caller adds where it came from ("ops.conf:7: top: …",
// "--top: …"). The value's later reader parses it again and cannot fail.
//
// checked_value()/checked_list() declare a Boost.Program_options value that
// carries such a check; cli::run asks check_of() for it.

#include <ops/config.hpp>

#include <boost/program_options/value_semantic.hpp>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace ops {

// `config` is the file being read (for a check that a name refers to a
// section of it); an empty Config when there is none.
using ValueCheck = std::function<void(std::string_view text, const Config& config)>;

// A size (512K, 1.5G).
ValueCheck size_check();
// A duration (90d, 1h30min) of at least `min_seconds`.
ValueCheck duration_check(long long min_seconds = 0);
// A threshold (80% or 2G); with `percent_only`, a percentage only.
ValueCheck threshold_check(bool percent_only = false);
// A whole number in [min, max].
ValueCheck integer_check(long long min, long long max = std::numeric_limits<long long>::max());
// A finite decimal number in [min, max].
ValueCheck number_check(double min, double max = std::numeric_limits<double>::max());
// One of the words of `allowed` ("plain", "custom").
ValueCheck word_check(std::vector<std::string> allowed);
// A DSN (ops::db::parse_dsn: syntax, known options, no password).
ValueCheck dsn_check();
// A database as a command line names it: a DSN (anything with "://") or the
// NAME of a [db.NAME] section of the configuration (ops/db_target.hpp).
ValueCheck database_check();
// An output format: text, tsv or json; with `monitoring`, nagios and prometheus too.
ValueCheck format_check(bool monitoring = false);
// A file the tool creates or rewrites by name (a lock, a state file, an
// output file): not a directory, in a directory that exists. Refused before
// any work starts, as bad usage, rather than failing (exit 2) half-way.
// With NewFile::or_null_device the null device is taken too (a tool told
// to keep nothing there: logrotate's `-s /dev/null`).
enum class NewFile { regular, or_null_device };
ValueCheck new_file_check(NewFile accepts = NewFile::regular);
// The check of new_file_check, for a caller that words where the path came
// from itself: refuses (usage) an existing path that is not a regular file
// (a symlink included: a file opened O_CREAT through a link may be anyone's)
// and a path whose directory does not exist.
void check_new_file(std::string_view path, NewFile accepts = NewFile::regular);
// Whether `check` looks at the host (new_file_check) rather than at the text
// alone. Another tool's sections get only the checks of the text: opsrotate's
// state directory missing on this host is opsrotate's error, not opsdf's.
bool checks_the_host(const ValueCheck& check);

// The "invalid integer"/"out of range" wording of integer_check, for readers
// that parse the same text again.
long long parse_integer(std::string_view text, long long min, long long max);

}  // namespace ops

namespace ops::cli {

// A Boost.Program_options value carrying a ValueCheck.
template <typename T>
class CheckedValue : public boost::program_options::typed_value<T> {
 public:
  explicit CheckedValue(ValueCheck check) : boost::program_options::typed_value<T>(nullptr), check_(std::move(check)) {}
  const ValueCheck& check() const noexcept { return check_; }

 private:
  ValueCheck check_;
};

// po::value<std::string>() whose text is checked: checked_value(size_check())->value_name("SIZE").
inline boost::program_options::typed_value<std::string>* checked_value(ValueCheck check) {
  return new CheckedValue<std::string>(std::move(check));
}
// A repeatable option (composing) whose every item is checked.
inline boost::program_options::typed_value<std::vector<std::string>>* checked_list(ValueCheck check) {
  return (new CheckedValue<std::vector<std::string>>(std::move(check)))->composing();
}

// The check an option was declared with, or nullptr.
const ValueCheck* check_of(const boost::program_options::value_semantic& semantic);

}  // namespace ops::cli
