#pragma once
// One HTTP(S) request, or one TLS handshake, through libcurl, for a check
// that must end by itself: the whole exchange (name lookup, connect, TLS,
// redirects, body) is bounded by one timeout, signals are never used (the
// callers run on threads), and the body kept is bounded too. The peer's
// certificate is read from the handshake itself (its expiry as a time, not
// as curl's text), so an https request and a bare `tls_handshake` on a
// non-HTTP port judge a certificate the same way.
//
// A certificate is verified (chain and host name, as curl and browsers do)
// unless `verify_tls` is false; a failed verification is a failed request
// whose message says why.

#include <ops/error.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace ops {

struct HttpOptions {
  // The whole exchange, connect included (CURLOPT_TIMEOUT_MS and CONNECTTIMEOUT_MS).
  std::chrono::milliseconds timeout{10000};
  bool follow_redirects = false;  // at most max_redirects, then an error
  long max_redirects = 10;
  bool verify_tls = true;         // false: any certificate is accepted (its expiry is still read)
  std::string ca_file;            // a CA bundle to trust instead of the system's; empty: the system's
  std::size_t max_body = 1 << 20; // bytes of body kept; the rest is read and dropped
};

// The leaf certificate the server presented.
struct PeerCertificate {
  std::chrono::sys_seconds not_after{};
  std::string subject;  // "CN = localhost", as OpenSSL prints it in one line
};

struct HttpResponse {
  long status = 0;                      // of the last response (after redirects when followed)
  std::string body;                     // its first max_body bytes
  std::size_t body_size = 0;            // every byte of it, kept or not
  std::chrono::duration<double> time{}; // start to last byte
  std::string final_url;                // after redirects
  long redirects = 0;                   // followed
  std::string location;                 // a redirect's Location when not followed
  std::optional<PeerCertificate> certificate;  // https only: of the server that answered last
};

// The failure of a request whose timeout ran out (status critical): a caller
// that reports a timeout its own way (opshealth's on_timeout) catches it first.
class HttpTimeout : public Error {
 public:
  using Error::Error;
};

// GET `url`. Throws ops::Error (critical) naming the URL and the reason when
// no response came: refused, timed out, name not found, TLS or certificate
// verification failed, too many redirects; HttpTimeout when the time ran
// out. A response of any status is returned.
HttpResponse http_get(const std::string& url, const HttpOptions& options);

// Connects to host:port, completes a TLS handshake (with `host` as SNI and as
// the name verified) and returns the server's certificate; sends nothing.
// Throws ops::Error (critical) as http_get does.
PeerCertificate tls_handshake(const std::string& host, int port, const HttpOptions& options);

}  // namespace ops
