// cert HOST:PORT: the days to expiry of the certificate a TLS server
// presents (SMTPS, IMAPS, LDAPS, a database's TLS port…), from a TLS
// handshake alone: nothing is sent after it. Verified as http's is
// (chain and name) unless --insecure.
#include "opshealth/host_port.hpp"
#include "opshealth/kind_list.hpp"
#include "opshealth/range_keys.hpp"
#include "opshealth/web/tls_keys.hpp"

#include <ops/error.hpp>
#include <ops/text.hpp>

#include <fmt/format.h>

namespace opshealth {
namespace {

std::vector<Result> check_cert(const Request& request) {
  const HostPort target = parse_host_port(request.args.at(0));
  ops::PeerCertificate cert;
  try {
    cert = ops::tls_handshake(target.host, target.port, http_options(request));
  } catch (const ops::HttpTimeout& e) {
    timed_out(request, e);
  }
  CertVerdict verdict = judge_certificate(request, cert, "cert_remaining_seconds");
  Result r;
  r.check = request.label;
  r.status = verdict.status;
  r.value = verdict.value;
  r.thresholds = verdict.thresholds;
  r.message = verdict.message;
  r.figures.push_back(std::move(verdict.figure));
  return {r};
}

}  // namespace

Kind cert_kind() {
  return Kind{"cert", "HOST:PORT", "days to expiry of a TLS server's certificate (any protocol)", 1, 1,
              ops::SectionSchema{"health", "a cert check", with_common_keys(tls_keys("30d", "7d"))}, check_cert};
}

}  // namespace opshealth
