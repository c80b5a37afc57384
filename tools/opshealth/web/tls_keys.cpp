#include "opshealth/web/tls_keys.hpp"

#include <ops/clock.hpp>
#include <ops/units.hpp>

#include <cmath>
#include <fmt/format.h>

namespace opshealth {

std::vector<ops::SectionKey> tls_keys(std::string warn_default, std::string crit_default) {
  auto limit = [](std::string name, std::string option, std::string help, std::string fallback) {
    ops::SectionKey key(std::move(name), ops::KeyType::duration, std::move(help));
    key.with_option(std::move(option), "DURATION");
    if (!fallback.empty()) key.with_default(std::move(fallback));
    return key;
  };
  const std::string warn_help = warn_default.empty() ? "none" : warn_default;
  const std::string crit_help = crit_default.empty() ? "none" : crit_default;
  return {
      limit("cert_warn", "cert-warn",
            fmt::format("warning when the certificate expires within this time (30d; default {})", warn_help),
            warn_default),
      limit("cert_crit", "cert-crit",
            fmt::format("critical when the certificate expires within this time (7d; default {})", crit_help),
            crit_default),
      ops::SectionKey("insecure", ops::KeyType::flag,
                      "accept a certificate that fails verification (self-signed, wrong name); "
                      "its expiry is still judged")
          .with_option("insecure"),
      ops::SectionKey("ca_file", ops::KeyType::path, "trust the CAs of this PEM file instead of the system's")
          .with_option("ca-file", "FILE"),
  };
}

ops::HttpOptions http_options(const Request& request) {
  ops::HttpOptions options;
  options.timeout = request.time_left() * 9 / 10;
  options.verify_tls = !request.settings.flag("insecure");
  options.ca_file = request.settings.text("ca_file").value_or("");
  return options;
}

void timed_out(const Request& request, const ops::HttpTimeout& e) {
  const bool unknown = request.settings.text("on_timeout").value_or("critical") == "unknown";
  throw ops::Error(unknown ? ops::Status::unknown : ops::Status::critical, e.what());
}

// In days, as certificates are counted ("7d", not format_duration's "1w").
std::string limit_text(std::chrono::seconds limit) {
  return limit.count() % 86400 == 0 ? fmt::format("{}d", limit.count() / 86400) : ops::format_duration(limit);
}

CertVerdict judge_certificate(const Request& request, const ops::PeerCertificate& cert, std::string metric) {
  const auto warn = request.settings.duration("cert_warn");
  const auto crit = request.settings.duration("cert_crit");
  const auto left = cert.not_after - ops::now();
  // Tenths of a day, rounded down: 2.99 days left is "2.9 days", never "3.0".
  auto tenths = [](std::chrono::seconds d) { return std::floor(static_cast<double>(d.count()) / 8640.0) / 10.0; };
  const double days = left.count() > 0 ? tenths(left) : -tenths(-left);
  CertVerdict v;
  const std::string when = ops::format_time(cert.not_after);
  if (left.count() <= 0) {
    v.status = ops::Status::critical;
    v.message = fmt::format("certificate expired {:.1f} days ago, {}", tenths(-left), when);
  } else {
    v.status = crit && left < *crit ? ops::Status::critical : warn && left < *warn ? ops::Status::warning : ops::Status::ok;
    v.message = fmt::format("certificate expires in {:.1f} days, {}", days, when);
  }
  if (!cert.subject.empty()) v.message += fmt::format(" ({})", cert.subject);
  v.value = fmt::format("{:.1f} days", days);
  // As ranges for perfdata: "30d:" alerts below 30 days left.
  auto range = [](const std::optional<std::chrono::seconds>& limit) -> std::optional<ops::Range> {
    if (!limit) return std::nullopt;
    ops::Range r;
    r.start = static_cast<double>(limit->count());
    r.unit = ops::RangeUnit::seconds;
    r.text = limit_text(*limit) + ":";
    return r;
  };
  v.figure = Figure{"cert_left", static_cast<double>(left.count()), ops::PerfUnit::seconds, range(warn), range(crit),
                    {}, {}, std::move(metric)};
  if (warn || crit) {
    v.thresholds = "cert";
    if (warn) v.thresholds += " warn " + limit_text(*warn);
    if (crit) v.thresholds += " crit " + limit_text(*crit);
  }
  return v;
}

}  // namespace opshealth
