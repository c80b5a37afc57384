// SectionValues: the typed values of one section, and where each came from.
#include <ops/sections.hpp>

#include <stdexcept>

namespace ops {

SectionValues::SectionValues(const SectionSchema& schema, std::string name, std::string where)
    : schema_(&schema), name_(std::move(name)), where_(std::move(where)) {}

void SectionValues::set(const SectionKey& key, Value value, std::string where, bool given) {
  auto it = entries_.find(key.name);
  if (key.type == KeyType::list && it != entries_.end() && it->second.given == given) {
    auto& items = std::get<std::vector<std::string>>(it->second.value);
    for (auto& item : std::get<std::vector<std::string>>(value)) items.push_back(std::move(item));
    return;
  }
  entries_.insert_or_assign(key.name, Entry{std::move(value), std::move(where), given});
}

const SectionValues::Entry* SectionValues::entry(std::string_view key, KeyType type) const {
  const SectionKey* declared = schema_->find(key);
  const bool same = declared && (declared->type == type || (type == KeyType::text && declared->type == KeyType::path));
  if (!same)
    throw std::logic_error("[" + schema_->kind + ".NAME] has no key '" + std::string(key) + "' of the type asked for");
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::string SectionValues::where(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? where_ : it->second.where;
}

bool SectionValues::given(std::string_view key) const {
  auto it = entries_.find(key);
  return it != entries_.end() && it->second.given;
}

std::optional<std::string> SectionValues::text(std::string_view key) const {
  const Entry* e = entry(key, KeyType::text);
  if (!e) return std::nullopt;
  return std::get<std::string>(e->value);
}

std::vector<std::string> SectionValues::list(std::string_view key) const {
  const Entry* e = entry(key, KeyType::list);
  if (!e) return {};
  return std::get<std::vector<std::string>>(e->value);
}

bool SectionValues::flag(std::string_view key) const {
  const Entry* e = entry(key, KeyType::flag);
  return e && std::get<bool>(e->value);
}

std::optional<long long> SectionValues::integer(std::string_view key) const {
  const Entry* e = entry(key, KeyType::integer);
  if (!e) return std::nullopt;
  return std::get<long long>(e->value);
}

std::optional<std::uint64_t> SectionValues::size(std::string_view key) const {
  const Entry* e = entry(key, KeyType::size);
  if (!e) return std::nullopt;
  return std::get<std::uint64_t>(e->value);
}

std::optional<std::chrono::seconds> SectionValues::duration(std::string_view key) const {
  const Entry* e = entry(key, KeyType::duration);
  if (!e) return std::nullopt;
  return std::get<std::chrono::seconds>(e->value);
}

std::optional<Compression> SectionValues::compression(std::string_view key) const {
  const Entry* e = entry(key, KeyType::compression);
  if (!e) return std::nullopt;
  return std::get<Compression>(e->value);
}

}  // namespace ops
