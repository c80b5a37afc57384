#include "opsaudit/run_audits.hpp"

#include "opsaudit/report.hpp"

#include <ops/error.hpp>
#include <ops/log.hpp>

#include <fmt/format.h>
#include <set>

namespace opsaudit {
namespace {

Severity fail_on(const ops::SectionValues& settings) { return *parse_severity(*settings.text("fail_on")); }

ops::Status report(ops::cli::Context& ctx, const std::vector<Section>& sections, Severity threshold) {
  print_report(ctx.out, ctx.common.format, sections);
  std::size_t counts[3] = {0, 0, 0};
  for (const Section& s : sections) {
    for (const Finding& f : s.findings) ++counts[static_cast<int>(f.severity)];
    for (const auto& [key, value] : s.figures) ctx.metrics[key] = value;
  }
  for (Severity s : {Severity::info, Severity::warning, Severity::critical})
    ctx.metrics["findings" + ops::metric_labels({{"severity", severity_name(s)}})] =
        static_cast<double>(counts[static_cast<int>(s)]);
  return audit_status(sections, threshold);
}

// What `run` audits, and where: [audit] keys, or the same options on its command line.
std::vector<ops::SectionKey> plan_keys() {
  return {
      ops::SectionKey("auth_log", ops::KeyType::list,
                      "where logins are read: journal, or log files; none: no logins audit (default: the journal "
                      "when the host has one, else /var/log/auth.log and /var/log/secure)")
          .with_option("auth-log", "FILE"),
      ops::SectionKey("perms", ops::KeyType::list, "a tree whose permissions are audited (repeat for more)")
          .with_option("perms", "PATH"),
      ops::SectionKey("changes", ops::KeyType::list, "a tree compared with the baseline (repeat for more)")
          .with_option("changes", "PATH"),
      ops::SectionKey("databases", ops::KeyType::list, "a database whose accounts are audited: NAME or DSN")
          .with_option("databases", "NAME"),
      ops::SectionKey("logs", ops::KeyType::list, "an application log scanned for errors (repeat for more)")
          .with_option("logs", "FILE"),
  };
}

// `run` takes its own keys and every audit's, each once.
const ops::SectionSchema& run_schema() {
  static const ops::SectionSchema schema = [] {
    ops::SectionSchema s{"audit", "[audit]", with_common_keys(plan_keys())};
    std::set<std::string> names;
    for (const auto& k : s.keys) names.insert(k.name);
    for (const Audit& a : audits())
      for (const auto& k : a.schema.keys)
        if (names.insert(k.name).second) s.keys.push_back(k);
    return s;
  }();
  return schema;
}

struct Planned {
  const Audit* audit;
  std::vector<std::string> args;
  ops::SectionValues settings;
};

}  // namespace

ops::Status run_one(ops::cli::Context& ctx, const Audit& audit) {
  ops::SectionValues settings = ops::read_options(ctx, audit.schema);
  const Severity threshold = fail_on(settings);
  Request request{ctx.args, std::move(settings), ctx.config, ops::now(), ctx.common.verbose, ctx.common.dry_run};
  return report(ctx, {audit.run(request)}, threshold);
}

ops::cli::Subcommand run_command() {
  return ops::cli::Subcommand{
      "run", "",
      "the weekly audit as one report: logins, and the trees, databases and logs [audit] names",
      [](ops::cli::po::options_description& options) { ops::add_options(options, run_schema()); },
      [](ops::cli::Context& ctx) {
        const ops::SectionValues plan = ops::read_options(ctx, run_schema());
        // Every audit's settings are read (and a bad one refused) before any runs.
        std::vector<Planned> planned;
        auto add = [&](const char* name, std::vector<std::string> args) {
          const Audit* audit = find_audit(name);
          planned.push_back({audit, std::move(args), ops::read_options(ctx, audit->schema)});
        };
        std::vector<std::string> auth = plan.list("auth_log");
        if (!(auth.size() == 1 && auth[0] == "none")) add("logins", auth);
        if (!plan.list("perms").empty()) add("perms", plan.list("perms"));
        if (!plan.list("changes").empty()) add("changes", plan.list("changes"));
        for (const std::string& db : plan.list("databases")) add("db", {db});
        if (!plan.list("logs").empty()) add("logs", plan.list("logs"));

        std::vector<Section> sections;
        for (Planned& p : planned) {
          Request request{p.args, std::move(p.settings), ctx.config, ops::now(), ctx.common.verbose, ctx.common.dry_run};
          try {
            sections.push_back(p.audit->run(request));
          } catch (const ops::Error& e) {
            // One audit that cannot run does not hold the others hostage; it is
            // a critical finding of its own, and said on stderr.
            ops::log::error_line(fmt::format("{}: {}", p.audit->name, e.what()));
            Section failed{p.audit->name, p.audit->name + " (not audited)", {}};
            failed.findings.push_back(
                {Severity::critical, "not_audited", p.audit->name, e.what(), e.hint()});
            sections.push_back(std::move(failed));
          }
        }
        return report(ctx, sections, fail_on(plan));
      },
      0, 0};
}

}  // namespace opsaudit
