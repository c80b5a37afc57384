// http URL: one GET through libcurl (ops/http.hpp), judged on what a person
// opening the page would notice: the status (any 2xx or 3xx unless --expect
// says which), a text the page must contain (the login form), the time it
// took, and on https the certificate's days to expiry. The certificate is
// verified unless --insecure: a page browsers refuse is down for its users.
// Unlike check_http, a 4xx is CRITICAL (not WARNING) by default, and -C's
// peer --cert-warn/--cert-crit judges the certificate besides the page, not
// instead of it.
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"
#include "opshealth/web/tls_keys.hpp"

#include <ops/error.hpp>
#include <ops/http_status.hpp>
#include <ops/text.hpp>
#include <ops/units.hpp>

#include <fmt/format.h>

namespace opshealth {
namespace {

constexpr auto kSeconds = {ops::RangeUnit::seconds};

std::vector<Result> check_http(const Request& request) {
  const std::string& url = request.args.at(0);
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    ops::fail_usage(fmt::format("invalid URL '{}': it must start with http:// or https://", ops::shown(masked_argument(url))));
  // A password would be shown by every report and sent in the clear on
  // http://; ops never takes one on a command line (ops(7)).
  if (masked_argument(url) != url)
    ops::fail_usage(fmt::format("the URL '{}' carries a password: opshealth does not send credentials",
                                ops::shown(masked_argument(url))),
                    "check a page that needs no login (the login page itself, with --contains)");
  const auto expect_text = request.settings.text("expect");
  const auto expect = ops::HttpStatusSet::parse(expect_text.value_or("2xx,3xx"));
  const auto contains = request.settings.text("contains");
  const auto warn = range_of(request.settings, "warn_time", kSeconds);
  const auto crit = range_of(request.settings, "crit_time", kSeconds);

  ops::HttpOptions options = http_options(request);
  options.follow_redirects = request.settings.flag("follow");
  ops::HttpResponse response;
  try {
    response = ops::http_get(url, options);
  } catch (const ops::HttpTimeout& e) {
    timed_out(request, e);
  }

  Result r;
  r.check = request.label;
  r.status = ops::Status::ok;
  std::vector<std::string> problems;
  if (!expect.contains(response.status)) {
    r.status = ops::Status::critical;
    problems.push_back(fmt::format("status {} is not the one expected ({})", response.status,
                                   expect_text ? expect.text() : "2xx or 3xx"));
  }
  if (contains && !contains->empty() && response.body.find(*contains) == std::string::npos) {
    r.status = ops::Status::critical;
    problems.push_back(fmt::format("text '{}' not found in the body{}", ops::shown(*contains),
                                   response.body_size > response.body.size()
                                       ? fmt::format(" (its first {} read)", ops::format_size(response.body.size()))
                                       : ""));
  }
  const double seconds = response.time.count();
  if (const auto time_status = judge(seconds, warn, crit); time_status != ops::Status::ok) {
    r.status = ops::worst(r.status, time_status);
    problems.push_back(fmt::format("answered in {}, outside {}", ops::format_seconds(seconds),
                                   (time_status == ops::Status::critical ? crit : warn)->text));
  }
  std::string info = fmt::format("HTTP {}, {} in {}", response.status, ops::format_size(response.body_size),
                                 ops::format_seconds(seconds));
  if (response.redirects > 0)
    info += fmt::format(" after {} redirect{} to {}", response.redirects, response.redirects == 1 ? "" : "s",
                        ops::shown(response.final_url));
  if (!response.location.empty()) info += fmt::format(", redirect to {} not followed", ops::shown(response.location));
  r.value = fmt::format("{} in {}", response.status, ops::format_seconds(seconds));
  r.thresholds = thresholds_text(warn, crit);
  r.figures.push_back({"time", seconds, ops::PerfUnit::seconds, warn, crit, 0.0, {}, "http_time_seconds"});
  r.figures.push_back({"size", static_cast<double>(response.body_size), ops::PerfUnit::bytes, {}, {}, 0.0, {},
                       "http_size_bytes"});
  r.figures.push_back({"status", static_cast<double>(response.status), ops::PerfUnit::none, {}, {}, {}, {},
                       "http_status_code"});
  if (response.certificate) {
    CertVerdict cert = judge_certificate(request, *response.certificate, "http_cert_remaining_seconds");
    if (cert.status != ops::Status::ok) {
      problems.push_back(cert.message);
    } else {
      info += "; " + cert.message;
    }
    r.status = ops::worst(r.status, cert.status);
    if (!cert.thresholds.empty()) r.thresholds += (r.thresholds.empty() ? "" : " ") + cert.thresholds;
    r.figures.push_back(std::move(cert.figure));
  }
  for (const std::string& p : problems) r.message += p + "; ";
  r.message += info;
  return {r};
}

}  // namespace

Kind http_kind() {
  std::vector<ops::SectionKey> keys{
      ops::SectionKey("expect", ops::KeyType::text,
                      "the statuses that are OK: codes, classes or spans (200,301 or 2xx; default 2xx,3xx)")
          .with_option("expect", "STATUSES")
          .with_check([](std::string_view text, const ops::Config&) { ops::HttpStatusSet::parse(text); }),
      ops::SectionKey("contains", ops::KeyType::text, "critical unless the body contains this text")
          .with_option("contains", "TEXT"),
      range_key("warn_time", kSeconds, "warning when the answer took longer (500ms; a bare number is seconds)"),
      range_key("crit_time", kSeconds, "critical when the answer took longer"),
      ops::SectionKey("follow", ops::KeyType::flag, "follow redirects (at most 10) and judge the last answer")
          .with_option("follow"),
  };
  for (auto& key : tls_keys("", "")) keys.push_back(std::move(key));
  return Kind{"http", "URL", "a web page: status, a text it contains, time, certificate expiry", 1, 1,
              ops::SectionSchema{"health", "an http check", with_common_keys(std::move(keys))}, check_http};
}

}  // namespace opshealth
