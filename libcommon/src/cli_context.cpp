#include <ops/cli.hpp>
#include <ops/text.hpp>
#include <ops/error.hpp>

#include <charconv>
#include <fmt/format.h>

namespace ops::cli {

std::string Context::source(const std::string& option) const {
  auto it = sources_.find(option);
  return it == sources_.end() ? "--" + option : it->second;
}

std::optional<std::string> Context::text(const std::string& option) const {
  if (!vm_.count(option)) return std::nullopt;
  return vm_[option].as<std::string>();
}

std::vector<std::string> Context::list(const std::string& option) const {
  if (!vm_.count(option)) return {};
  return vm_[option].as<std::vector<std::string>>();
}

// Re-throws a parse error with the option's origin in front of it.
template <typename F>
static auto with_source(const Context& ctx, const std::string& option, F&& parse) {
  try {
    return parse();
  } catch (const Error& e) {
    fail_usage(fmt::format("{}: {}", ctx.source(option), e.what()), e.hint());
  }
}

std::optional<std::uint64_t> Context::size(const std::string& option) const {
  auto value = text(option);
  if (!value) return std::nullopt;
  return with_source(*this, option, [&] { return parse_size(*value); });
}

std::optional<std::chrono::seconds> Context::duration(const std::string& option) const {
  auto value = text(option);
  if (!value) return std::nullopt;
  return with_source(*this, option, [&] { return parse_duration(*value); });
}

std::optional<Threshold> Context::threshold(const std::string& option) const {
  auto value = text(option);
  if (!value) return std::nullopt;
  return with_source(*this, option, [&] { return parse_threshold(*value); });
}

std::optional<double> Context::number(const std::string& option) const {
  auto value = text(option);
  if (!value) return std::nullopt;
  double result = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), result);
  if (ec != std::errc() || ptr != value->data() + value->size() || value->empty())
    fail_usage(fmt::format("{}: invalid number '{}'", source(option), shown(*value)));
  return result;
}

std::optional<long long> Context::integer(const std::string& option, long long min, long long max) const {
  auto value = text(option);
  if (!value) return std::nullopt;
  long long result = 0;
  auto [ptr, ec] = std::from_chars(value->data(), value->data() + value->size(), result);
  if (ec != std::errc() || ptr != value->data() + value->size() || value->empty())
    fail_usage(fmt::format("{}: invalid integer '{}'", source(option), shown(*value)));
  if (result < min || result > max)
    fail_usage(fmt::format("{}: {} is out of range ({}..{})", source(option), result, min, max));
  return result;
}

std::optional<std::string> suggest(const std::string& typo, const std::vector<std::string>& names) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::optional<std::string> best;
  std::size_t best_distance = 3;  // more than two edits is not a typo
  for (const auto& name : names) {
    std::size_t d = distance(typo, name);
    if (name.rfind(typo, 0) == 0 && !typo.empty()) d = std::min<std::size_t>(d, 1);
    // Nor is a word with every letter changed ("xy" is not "du", "" is nothing).
    else if (d >= typo.size()) continue;
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

}  // namespace ops::cli
