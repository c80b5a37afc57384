#include "opsdb/bloat/bloat_judge.hpp"

#include <ops/db_wraparound.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace opsdb {

namespace {

bool reaches(const ops::Threshold& t, const Relation& r) {
  if (!r.wasted) return false;
  if (t.kind == ops::Threshold::Kind::percent) return r.wasted_percent.value_or(0) >= t.percent;
  return static_cast<std::uint64_t>(*r.wasted) >= t.bytes;
}

void add_note(Relation& r, const std::string& note) { r.note = r.note.empty() ? note : r.note + "; " + note; }

// True when the table's oldest row is past autovacuum_freeze_max_age.
bool judge_xid(Relation& r, const Wraparound& x) {
  if (!r.xid_age) return false;
  const ops::Status s = wraparound_status(*r.xid_age, x.freeze_max_age);
  if (s == ops::Status::ok) return false;
  r.status = ops::worst(r.status, s);
  add_note(r, fmt::format("oldest row {} transactions old, past autovacuum_freeze_max_age {}: opsdb vacuum freezes it",
                          *r.xid_age, x.freeze_max_age));
  return true;
}

bool by_waste(const Relation& a, const Relation& b) {
  // Estimated first, most wasted first; then the largest; then by name.
  const bool ea = a.wasted.has_value(), eb = b.wasted.has_value();
  if (ea != eb) return ea;
  if (ea && *a.wasted != *b.wasted) return *a.wasted > *b.wasted;
  if (a.size != b.size) return a.size > b.size;
  return std::tie(a.table, a.index) < std::tie(b.table, b.index);
}

}  // namespace

ops::Status wraparound_status(std::int64_t age, std::int64_t freeze_max_age) {
  if (ops::db::wraparound_percent(age) >= kWraparoundCriticalPercent) return ops::Status::critical;
  if (age > freeze_max_age) return ops::Status::warning;
  return ops::Status::ok;
}

ops::Status waste_status(const Relation& relation, const BloatLimits& limits) {
  if (limits.crit && reaches(*limits.crit, relation)) return ops::Status::critical;
  if (limits.warn && reaches(*limits.warn, relation)) return ops::Status::warning;
  return ops::Status::ok;
}

std::string reclaim_command(ops::db::Engine engine, const Relation& r) {
  const bool worth = r.wasted && *r.wasted > 0 && r.wasted_percent.value_or(0) >= kRewriteWorthPercent;
  switch (engine) {
    case ops::db::Engine::postgresql:
      if (!r.index.empty()) return worth ? "reindex" : "";
      if (worth) return "vacuum --full";
      // Plain VACUUM makes dead rows' room reusable by the table, without
      // the rewrite's lock.
      return r.dead_rows.value_or(0) > 0 ? "vacuum" : "";
    case ops::db::Engine::mysql: return worth ? "optimize" : "";
    case ops::db::Engine::sqlite: return worth ? "vacuum" : "";
  }
  return "";
}

void judge(BloatReport& report, const BloatLimits& limits) {
  if (report.wraparound) {
    Wraparound& x = *report.wraparound;
    x.status = wraparound_status(std::max(x.age, x.oldest_age), x.freeze_max_age);
    report.status = ops::worst(report.status, x.status);
  }
  std::vector<Relation> kept;
  std::set<std::string> tables_kept;
  for (Relation& r : report.relations) {
    if (r.table != "(database)" && static_cast<std::uint64_t>(r.size) < limits.min_size) {
      ++report.below_min_size;
      continue;
    }
    r.status = waste_status(r, limits);
    const bool unfrozen = report.wraparound && judge_xid(r, *report.wraparound);
    r.reclaim = reclaim_command(report.engine, r);
    if (unfrozen && r.reclaim.empty()) r.reclaim = "vacuum";
    report.status = ops::worst(report.status, r.status);
    if (r.index.empty()) tables_kept.insert(r.table);
    kept.push_back(std::move(r));
  }
  std::sort(kept.begin(), kept.end(), by_waste);
  if (limits.top != 0 && kept.size() > limits.top) {
    report.beyond_top = kept.size() - limits.top;
    kept.resize(limits.top);
  }
  report.relations = std::move(kept);
  std::erase_if(report.not_estimated, [&](const auto& t) { return !tables_kept.count(t.first); });
}

}  // namespace opsdb
