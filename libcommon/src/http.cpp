// libcurl behind one easy handle per request. The certificate comes from
// CURLINFO_CERTINFO's PEM of the leaf, read back with OpenSSL, so its expiry
// is OpenSSL's ASN1 time and not curl's printed date.
#include <ops/error.hpp>
#include <ops/handle.hpp>
#include <ops/http.hpp>
#include <ops/text.hpp>

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <mutex>
#include <string_view>

#ifndef OPS_VERSION
#define OPS_VERSION "0.0.0"
#endif

namespace ops {
namespace {

using Easy = Handle<CURL, curl_easy_cleanup>;
using Bio = Handle<BIO, BIO_free>;
using X509Owner = Handle<X509, X509_free>;
using Asn1Time = Handle<ASN1_TIME, ASN1_TIME_free>;

// Releases OpenSSL's state of this thread (its error queue…) when a request
// is over. Left to the thread's exit, it may outlive the process: a caller
// that runs requests on threads it does not join (opshealth's checks) ends
// while they are still exiting, and LeakSanitizer reports the state as a
// leak. OpenSSL makes it again if the thread uses it later.
struct ThreadStateRelease {
  ThreadStateRelease() = default;
  ThreadStateRelease(const ThreadStateRelease&) = delete;
  ThreadStateRelease& operator=(const ThreadStateRelease&) = delete;
  ~ThreadStateRelease() { OPENSSL_thread_stop(); }
};

Easy new_easy() {
  static std::once_flag once;
  static CURLcode global = CURLE_OK;
  std::call_once(once, [] { global = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (global != CURLE_OK) fail(fmt::format("cannot start libcurl: {}", curl_easy_strerror(global)));
  Easy easy(curl_easy_init());
  if (!easy) fail("cannot start libcurl: curl_easy_init failed");
  return easy;
}

// The body as it comes: the first `max` bytes kept, every byte counted.
struct Sink {
  std::string* body;
  std::size_t max;
  std::size_t total = 0;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  sink->total += n;
  if (sink->body->size() < sink->max) sink->body->append(data, std::min(n, sink->max - sink->body->size()));
  return n;
}

template <typename T>
void set(CURL* easy, CURLoption option, T value) {
  const CURLcode rc = curl_easy_setopt(easy, option, value);
  if (rc != CURLE_OK) fail(fmt::format("cannot set up libcurl: {}", curl_easy_strerror(rc)));
}

void set_common(CURL* easy, const std::string& url, const HttpOptions& options, char* errors) {
  // 0 would mean "no timeout" to curl: the least it can be is 1 ms.
  const long ms = std::max<long>(1, static_cast<long>(options.timeout.count()));
  set(easy, CURLOPT_URL, url.c_str());
  set(easy, CURLOPT_NOSIGNAL, 1L);
  set(easy, CURLOPT_TIMEOUT_MS, ms);
  set(easy, CURLOPT_CONNECTTIMEOUT_MS, ms);
  set(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  set(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(easy, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  set(easy, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_file.empty()) set(easy, CURLOPT_CAINFO, options.ca_file.c_str());
  set(easy, CURLOPT_CERTINFO, 1L);
  set(easy, CURLOPT_ERRORBUFFER, errors);
  set(easy, CURLOPT_USERAGENT, "ops/" OPS_VERSION);
}

void perform(CURL* easy, std::string_view what, const char* errors) {
  const CURLcode rc = curl_easy_perform(easy);
  if (rc == CURLE_OK) return;
  std::string reason = errors[0] ? std::string(errors) : std::string(curl_easy_strerror(rc));
  // "Couldn't connect to server" says less than the system's reason: refused, unreachable.
  long os_errno = 0;
  if (rc == CURLE_COULDNT_CONNECT && curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK &&
      os_errno != 0)
    reason += fmt::format(" ({})", errno_text(static_cast<int>(os_errno)));
  std::string message = fmt::format("{}: {}", what, printable_line(reason));
  if (rc == CURLE_OPERATION_TIMEDOUT) throw HttpTimeout(Status::critical, message);
  fail(std::move(message));
}

// The seconds from the epoch to an ASN1 time, by OpenSSL's own arithmetic.
std::chrono::sys_seconds to_sys(const ASN1_TIME* time) {
  Asn1Time epoch(ASN1_TIME_set(nullptr, 0));
  int days = 0, seconds = 0;
  if (!epoch || !ASN1_TIME_diff(&days, &seconds, epoch.get(), time)) fail("cannot read the certificate's expiry date");
  return std::chrono::sys_seconds(std::chrono::seconds(static_cast<long long>(days) * 86400 + seconds));
}

// The leaf certificate of the last handshake; nullopt when there was none (http://).
std::optional<PeerCertificate> leaf_certificate(CURL* easy) {
  curl_certinfo* info = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_CERTINFO, &info) != CURLE_OK || !info || info->num_of_certs < 1)
    return std::nullopt;
  std::string pem, subject;
  for (curl_slist* item = info->certinfo[0]; item; item = item->next) {
    const std::string_view line(item->data);
    if (line.starts_with("Cert:")) pem = line.substr(5);
    if (line.starts_with("Subject:")) subject = line.substr(8);
  }
  if (pem.empty()) fail("the server's certificate could not be read (libcurl gave no PEM)");
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Owner cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) fail("the server's certificate could not be read (bad PEM)");
  return PeerCertificate{to_sys(X509_get0_notAfter(cert.get())), printable_line(subject, 200)};
}

std::string info_text(CURL* easy, CURLINFO what) {
  char* text = nullptr;
  if (curl_easy_getinfo(easy, what, &text) != CURLE_OK || !text) return {};
  return text;
}

}  // namespace

HttpResponse http_get(const std::string& url, const HttpOptions& options) {
  const ThreadStateRelease release;  // after the handle, which it outlives
  char errors[CURL_ERROR_SIZE] = {};  // outlives the handle that writes to it
  Easy easy = new_easy();
  HttpResponse response;
  Sink sink{&response.body, options.max_body};
  set_common(easy.get(), url, options, errors);
  set(easy.get(), CURLOPT_FOLLOWLOCATION, options.follow_redirects ? 1L : 0L);
  set(easy.get(), CURLOPT_MAXREDIRS, options.max_redirects);
  set(easy.get(), CURLOPT_ACCEPT_ENCODING, "");  // what curl can decode; --contains reads the decoded body
  set(easy.get(), CURLOPT_WRITEFUNCTION, write_body);
  set(easy.get(), CURLOPT_WRITEDATA, static_cast<void*>(&sink));
  perform(easy.get(), shown(url), errors);
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &response.status);
  double seconds = 0;
  curl_easy_getinfo(easy.get(), CURLINFO_TOTAL_TIME, &seconds);
  response.time = std::chrono::duration<double>(seconds);
  curl_easy_getinfo(easy.get(), CURLINFO_REDIRECT_COUNT, &response.redirects);
  response.final_url = info_text(easy.get(), CURLINFO_EFFECTIVE_URL);
  if (!options.follow_redirects) response.location = info_text(easy.get(), CURLINFO_REDIRECT_URL);
  response.body_size = sink.total;
  response.certificate = leaf_certificate(easy.get());
  return response;
}

PeerCertificate tls_handshake(const std::string& host, int port, const HttpOptions& options) {
  const ThreadStateRelease release;  // after the handle, which it outlives
  char errors[CURL_ERROR_SIZE] = {};  // outlives the handle that writes to it
  Easy easy = new_easy();
  const bool v6 = host.find(':') != std::string::npos;
  const std::string url = fmt::format("https://{}{}{}:{}/", v6 ? "[" : "", host, v6 ? "]" : "", port);
  set_common(easy.get(), url, options, errors);
  set(easy.get(), CURLOPT_CONNECT_ONLY, 1L);  // the TLS handshake, then nothing
  perform(easy.get(), fmt::format("{}:{}", shown(host), port), errors);
  auto cert = leaf_certificate(easy.get());
  if (!cert) fail(fmt::format("{}:{}: the server presented no certificate", shown(host), port));
  return *cert;
}

}  // namespace ops
