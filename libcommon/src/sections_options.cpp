// A schema's keys as command-line options: declared from the table, read
// into the SectionValues a named section would give.
#include <ops/cli.hpp>
#include <ops/error.hpp>
#include <ops/sections.hpp>

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

namespace ops {

namespace po = boost::program_options;

namespace {

// "one-file-system,x" -> "one-file-system": the name the variables map uses.
std::string long_name(const SectionKey& key) { return key.option.substr(0, key.option.find(',')); }

// The option's value, checked as the key's value is (cli::run checks every
// option's text when it reads the command line, the environment and ops.conf).
po::value_semantic* semantic(const SectionKey& key) {
  if (key.type == KeyType::flag) return po::bool_switch();
  ValueCheck check = [&key](std::string_view text, const Config& config) { parse_key_value(key, text, config); };
  if (key.type == KeyType::list) {
    auto* v = cli::checked_list(std::move(check));
    return key.value_name.empty() ? v : v->value_name(key.value_name);
  }
  auto* v = cli::checked_value(std::move(check));
  if (!key.value_name.empty()) v->value_name(key.value_name);
  if (!key.implicit_value.empty()) v->implicit_value(key.implicit_value);
  return v;
}

// The keys of `only` (all when empty) that have an option, in schema order.
std::vector<const SectionKey*> with_options(const SectionSchema& schema, const std::vector<std::string>& only) {
  for (const auto& name : only)
    if (const SectionKey* key = schema.find(name); !key || key->option.empty())
      throw std::logic_error(fmt::format("[{}.NAME] has no key '{}' with an option", schema.kind, name));
  std::vector<const SectionKey*> keys;
  for (const auto& key : schema.keys)
    if (!key.option.empty() && (only.empty() || std::find(only.begin(), only.end(), key.name) != only.end()))
      keys.push_back(&key);
  return keys;
}

}  // namespace

void add_options(po::options_description& options, const SectionSchema& schema, const std::vector<std::string>& only) {
  for (const SectionKey* key : with_options(schema, only))
    options.add_options()(key->option.c_str(), semantic(*key), key->help.c_str());
}

SectionValues read_options(const cli::Context& ctx, const SectionSchema& schema, const std::vector<std::string>& only) {
  SectionValues values(schema, "", "");
  for (const SectionKey* k : with_options(schema, only)) {
    const SectionKey& key = *k;
    const std::string option = long_name(key);
    const std::string where = ctx.source(option);
    auto set = [&](SectionValues::Value v) { values.set(key, std::move(v), where, true); };
    switch (key.type) {
      case KeyType::flag:
        if (ctx.has(option)) set(ctx.get<bool>(option));
        break;
      case KeyType::list:
        if (auto items = ctx.list(option); !items.empty()) set(std::move(items));
        break;
      case KeyType::integer:
        if (auto n = ctx.integer(option, key.min, key.max)) set(*n);
        break;
      case KeyType::size:
        if (auto n = ctx.size(option)) set(*n);
        break;
      case KeyType::duration:
        if (auto d = ctx.duration(option)) set(*d);
        break;
      case KeyType::text:
      case KeyType::path:
      case KeyType::compression:
        if (auto text = ctx.text(option)) {
          try {
            set(parse_key_value(key, *text, ctx.config));
          } catch (const Error& e) {
            fail_usage(fmt::format("{}: {}", where, e.what()), e.hint());
          }
        }
        break;
    }
    if (!values.given(key.name) && !key.default_value.empty())
      values.set(key, parse_key_value(key, key.default_value), where, false);
  }
  return values;
}

}  // namespace ops
