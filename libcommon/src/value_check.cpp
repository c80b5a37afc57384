// The value checks of ops/value_check.hpp: each parses the text the way its
// reader will, and refuses what the reader would refuse.
#include <ops/db.hpp>
#include <ops/error.hpp>
#include <ops/fs_regular.hpp>
#include <ops/output.hpp>
#include <ops/units.hpp>
#include <ops/value_check.hpp>
#include <ops/text.hpp>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <sys/stat.h>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ops {

long long parse_integer(std::string_view text, long long min, long long max) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  const bool whole = !text.empty() && ec == std::errc{} && end == text.data() + text.size();
  if (whole && n >= min && n <= max) return n;
  const std::string expected = max == std::numeric_limits<long long>::max()
                                   ? fmt::format("a whole number >= {}", min)
                                   : fmt::format("a whole number from {} to {}", min, max);
  fail_usage(fmt::format("invalid value '{}' (expected {})", shown(text), expected));
}

ValueCheck size_check() {
  return [](std::string_view text, const Config&) { parse_size(text); };
}

ValueCheck duration_check(long long min_seconds) {
  return [min_seconds](std::string_view text, const Config&) {
    if (parse_duration(text).count() < min_seconds)
      fail_usage(fmt::format("invalid duration '{}': must be at least {}", shown(text),
                             format_duration(std::chrono::seconds(min_seconds))));
  };
}

ValueCheck threshold_check(bool percent_only) {
  return [percent_only](std::string_view text, const Config&) {
    if (parse_threshold(text).kind != Threshold::Kind::percent && percent_only)
      fail_usage(fmt::format("invalid threshold '{}': a percentage is expected here, like 90%", shown(text)));
  };
}

ValueCheck integer_check(long long min, long long max) {
  return [min, max](std::string_view text, const Config&) { parse_integer(text, min, max); };
}

ValueCheck number_check(double min, double max) {
  return [min, max](std::string_view text, const Config&) {
    double n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(n) || n < min ||
        n > max)
      fail_usage(max == std::numeric_limits<double>::max()
                     ? fmt::format("invalid value '{}' (expected a number >= {})", shown(text), min)
                     : fmt::format("invalid value '{}' (expected a number from {} to {})", shown(text), min, max));
  };
}

ValueCheck word_check(std::vector<std::string> allowed) {
  return [allowed = std::move(allowed)](std::string_view text, const Config&) {
    for (const auto& word : allowed)
      if (text == word) return;
    fail_usage(fmt::format("invalid value '{}' (expected {})", shown(text), fmt::join(allowed, ", ")));
  };
}

ValueCheck dsn_check() {
  return [](std::string_view text, const Config&) { db::parse_dsn(text); };
}

ValueCheck database_check() {
  return [](std::string_view text, const Config& config) {
    if (text.find("://") != std::string_view::npos) {
      db::parse_dsn(text);
      return;
    }
    if (config.section("db." + std::string(text))) return;
    auto names = config.database_names();
    fail_usage(fmt::format("unknown database '{}': not a DSN and no [db.{}] section", shown(text), shown(text)),
               names.empty() ? "give a DSN (postgresql://, mysql://, sqlite:///) or add a [db.NAME] section"
                             : fmt::format("the databases of the configuration: {}", fmt::join(names, ", ")));
  };
}

namespace {
// A type of its own, so that checks_the_host can recognise it in a ValueCheck.
struct NewFileCheck {
  NewFile accepts;
  void operator()(std::string_view text, const Config&) const;
};
}  // namespace

bool checks_the_host(const ValueCheck& check) { return check.target<NewFileCheck>() != nullptr; }

ValueCheck new_file_check(NewFile accepts) { return NewFileCheck{accepts}; }

void NewFileCheck::operator()(std::string_view text, const Config&) const { check_new_file(text, accepts); }

void check_new_file(std::string_view text, NewFile accepts) {
  if (text.empty()) fail_usage("the file name is empty");
  const std::string path(text);
  if (accepts == NewFile::or_null_device && is_null_device(path)) return;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A FIFO or a device would block or swallow what is written; a symlink
    // is refused like the files it may point to, naming its target.
    std::string kind = file_kind(st.st_mode);
    std::error_code ec;
    if (S_ISLNK(st.st_mode))
      if (const auto target = std::filesystem::read_symlink(path, ec); !ec) kind += " to " + shown(target.string());
    fail_usage(fmt::format("'{}' is {}, not a regular file", shown(path), kind));
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  if (::stat(dir.c_str(), &st) != 0) {
    const int err = errno;
    fail_usage(fmt::format("cannot use '{}': its directory {}: {}", shown(path), shown(dir), errno_text(err)));
  }
  if (!S_ISDIR(st.st_mode)) fail_usage(fmt::format("cannot use '{}': {} is not a directory", shown(path), shown(dir)));
}

ValueCheck format_check(bool monitoring) {
  return [monitoring](std::string_view text, const Config&) { parse_format(text, monitoring); };
}

}  // namespace ops

namespace ops::cli {

const ValueCheck* check_of(const boost::program_options::value_semantic& semantic) {
  if (auto* one = dynamic_cast<const CheckedValue<std::string>*>(&semantic)) return &one->check();
  if (auto* list = dynamic_cast<const CheckedValue<std::vector<std::string>>*>(&semantic)) return &list->check();
  return nullptr;
}

}  // namespace ops::cli
