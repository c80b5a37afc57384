// read_section(): one [KIND.NAME] of ops.conf checked against its schema.
#include <ops/error.hpp>
#include <ops/sections.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <charconv>
#include <fmt/format.h>
#include <stdexcept>

namespace ops {

namespace {

// The ops.conf name of a long option: "one-file-system,x" -> "one_file_system".
std::string config_key(std::string option) {
  option = option.substr(0, option.find(','));
  for (auto& c : option)
    if (c == '-') c = '_';
  return option;
}

std::optional<bool> parse_flag(std::string_view text) {
  const std::string v = ascii_lower(text);
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  return std::nullopt;
}

// One value written at `where` ("/etc/ops/ops.conf:14"), which its error names.
SectionValues::Value read_value(const SectionKey& key, std::string_view text, const std::string& where,
                               const Config& config) {
  try {
    return parse_key_value(key, text, config);
  } catch (const Error& e) {
    // A flag or a number names its key; a size, duration, format or check does not.
    const bool names_key = std::string_view(e.what()).find("'" + key.name + "'") != std::string_view::npos;
    fail_usage(names_key ? fmt::format("{}: {}", where, e.what()) : fmt::format("{}: {}: {}", where, key.name, e.what()),
               e.hint());
  }
}

}  // namespace

// The value as its type reads it, before the key's own check.
static SectionValues::Value parse_typed(const SectionKey& key, std::string_view text);

const SectionKey* SectionSchema::find(std::string_view name) const {
  for (const auto& k : keys)
    if (k.name == name) return &k;
  return nullptr;
}

std::string SectionSchema::key_list() const {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k.name;
  return out;
}

SectionValues::Value parse_key_value(const SectionKey& key, std::string_view text, const Config& config) {
  SectionValues::Value value = parse_typed(key, text);
  if (key.check) key.check(text, config);
  return value;
}

static SectionValues::Value parse_typed(const SectionKey& key, std::string_view text) {
  auto invalid = [&](std::string_view expected) -> SectionValues::Value {
    fail_usage(fmt::format("invalid value '{}' for '{}' (expected {})", shown(text), key.name, expected));
  };
  switch (key.type) {
    case KeyType::text:
    case KeyType::path:
      return std::string(text);
    case KeyType::list:
      return std::vector<std::string>{std::string(text)};
    case KeyType::flag:
      if (auto b = parse_flag(text)) return *b;
      return invalid("true or false");
    case KeyType::integer: {
      long long n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc{} && end == text.data() + text.size() && !text.empty() && n >= key.min && n <= key.max)
        return n;
      return invalid(key.max == std::numeric_limits<long long>::max()
                         ? fmt::format("a whole number >= {}", key.min)
                         : fmt::format("a whole number from {} to {}", key.min, key.max));
    }
    case KeyType::size:
      return parse_size(text);
    case KeyType::duration:
      return parse_duration(text);
    case KeyType::compression:
      if (auto b = parse_flag(text)) return *b ? Compression::gzip : Compression::none;
      return parse_compression(text);
  }
  throw std::logic_error("parse_key_value: unknown key type");
}

SectionValues read_section(const Config& config, const SectionSchema& schema, const std::string& name) {
  const std::string title = schema.kind + "." + name;
  const ConfigSection* section = config.section(title);
  if (!section) throw std::logic_error("read_section: no [" + title + "]");
  SectionValues values(schema, name, config.where(section->line));
  std::map<std::string, int, std::less<>> first_line;
  for (const auto& e : section->entries) {
    const std::string where = config.where(e.line);
    const SectionKey* key = schema.find(e.key);
    if (!key)
      fail_usage(fmt::format("{}: unknown key '{}' in [{}]", where, shown(e.key), title),
                 fmt::format("the keys of {} are: {}", schema.title, schema.key_list()));
    auto [first, inserted] = first_line.emplace(e.key, e.line);
    if (!inserted && key->type != KeyType::list)
      fail_usage(fmt::format("{}: key '{}' repeated in [{}] (first set at line {})", where, e.key, title,
                             first->second));
    values.set(*key, read_value(*key, e.value, where, config), where, true);
  }
  // The plain [KIND] section (its keys are the tool's options) gives defaults.
  const ConfigSection* defaults = config.section(schema.kind);
  for (const auto& key : schema.keys) {
    if (values.given(key.name)) continue;
    if (key.required)
      fail_usage(fmt::format("{}: [{}] has no '{}'", values.where(), title, key.name));
    bool inherited = false;
    if (key.inherit && defaults) {
      const std::string inherited_key = config_key(key.option.empty() ? key.name : key.option);
      for (const auto& e : defaults->entries) {
        if (e.key != inherited_key) continue;
        values.set(key, read_value(key, e.value, config.where(e.line), config), config.where(e.line), false);
        inherited = true;
      }
    }
    if (!inherited && !key.default_value.empty())
      values.set(key, parse_key_value(key, key.default_value), values.where(), false);
  }
  return values;
}

}  // namespace ops
