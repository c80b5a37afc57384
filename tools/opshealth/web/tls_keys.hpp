#pragma once
// What the http and cert kinds share: the keys of a certificate's judgement
// (cert_warn, cert_crit, insecure, ca_file), the libcurl options a Request
// gives (its time left, verification), and the judgement of a certificate's
// days to expiry, in one place so both kinds judge it alike.

#include "opshealth/check.hpp"

#include <ops/http.hpp>

#include <string>
#include <vector>

namespace opshealth {

// cert_warn, cert_crit (with these defaults; "" for none), insecure, ca_file.
std::vector<ops::SectionKey> tls_keys(std::string warn_default, std::string crit_default);

// The request's timeout (nine tenths of its time left, so that the check
// ends itself with curl's reason before the runner gives up on it),
// verification and CA file.
ops::HttpOptions http_options(const Request& request);

// A timeout from libcurl as the check's on_timeout status asks (critical or unknown).
[[noreturn]] void timed_out(const Request& request, const ops::HttpTimeout& e);

// The certificate's judgement: a status (critical once expired, whatever the
// limits), a message part ("certificate expires in 2.9 days, 2026-12-09T09:20:00Z")
// and a figure of the seconds left (`metric`).
struct CertVerdict {
  ops::Status status = ops::Status::ok;
  std::string message;
  std::string value;  // "2.9 days"
  Figure figure;
  std::string thresholds;  // "cert warn 30d crit 7d", "" without limits
};
CertVerdict judge_certificate(const Request& request, const ops::PeerCertificate& cert, std::string metric);

}  // namespace opshealth
