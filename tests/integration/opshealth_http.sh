# opshealth http URL and cert HOST:PORT against an HTTP server, an HTTPS
# server with a self-signed certificate that expires in 3 days, and a
# listener that accepts and never answers, all started here on loopback;
# side by side with monitoring-plugins' check_http on the same URLs with the
# same expectations, and with check_curl (its libcurl successor) where it
# behaves alike: the same exit status, except where a difference is
# deliberate (each named below, and in opshealth(1)).
. "$(dirname "$0")/lib.sh"

PLUGINS=/usr/lib/nagios/plugins
[[ -x $PLUGINS/check_http ]] || fail "check_http is missing: install monitoring-plugins-standard (scripts/bootstrap)"
[[ -x $PLUGINS/check_curl ]] || fail "check_curl is missing: install monitoring-plugins-standard (scripts/bootstrap)"
command -v python3 >/dev/null || fail "python3 is missing (scripts/bootstrap)"
command -v openssl >/dev/null || fail "openssl is missing (scripts/bootstrap)"

# --- the servers -------------------------------------------------------------
cat >server.py <<'EOF'
# serve.py MODE PORTFILE [CERT KEY]: MODE http, https or hang (accepts, never answers).
import http.server, socket, ssl, sys, threading, time

mode, portfile = sys.argv[1], sys.argv[2]

class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body, headers=()):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        port = self.server.server_address[1]
        scheme = "https" if mode == "https" else "http"
        if self.path == "/login":
            self.reply(200, "<html><form>Please log in: user name, password</form></html>\n")
        elif self.path == "/error":
            self.reply(500, "Internal Server Error\n")
        elif self.path == "/maintenance":
            self.reply(200, "<html>Down for maintenance</html>\n")
        elif self.path == "/missing":
            self.reply(404, "Not Found\n")
        elif self.path == "/old":
            self.reply(301, "moved\n", [("Location", f"{scheme}://localhost:{port}/login")])
        elif self.path == "/big":
            self.reply(200, "<html>" + "x" * (2 << 20) + "Please log in</html>\n")
        elif self.path == "/slow":
            time.sleep(1)
            self.reply(200, "<html>Please log in</html>\n")
        else:
            self.reply(404, "Not Found\n")

    def log_message(self, *args):
        pass

if mode == "hang":
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []
    with open(portfile + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    import os; os.rename(portfile + ".tmp", portfile)
    while True:
        conn, _ = listener.accept()
        held.append(conn)  # accepted, never read, never answered
else:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if mode == "https":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os; os.rename(portfile + ".tmp", portfile)
    server.serve_forever()
EOF

# A self-signed certificate for localhost that expires in 3 days.
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 3 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost 2>/dev/null \
  || fail "openssl could not make a self-signed certificate"

start_server() {  # MODE NAME [CERT KEY]: the port in $NAME_port
  local mode=$1 name=$2; shift 2
  python3 server.py "$mode" "$name.port" "$@" &
  local pid=$!
  at_exit kill "$pid"
  local i
  for i in $(seq 100); do
    [[ -s $name.port ]] && break
    kill -0 "$pid" 2>/dev/null || fail "the $mode server did not start"
    sleep 0.1
  done
  [[ -s $name.port ]] || fail "the $mode server did not start in 10 s"
  printf -v "${name}_port" '%s' "$(cat "$name.port")"
}
start_server http web
start_server https tls cert.pem key.pem
start_server hang hang
HTTP=http://localhost:$web_port
HTTPS=https://localhost:$tls_port

# peer RC CHECK_HTTP_ARGS...: check_http on the same target ends with RC.
peer() {
  local want=$1; shift
  run timeout 60 "$PLUGINS/check_http" "$@"
  assert_rc "$want"
}
# peer_curl RC CHECK_CURL_ARGS...: check_curl on the same target ends with RC.
peer_curl() {
  local want=$1; shift
  run timeout 60 "$PLUGINS/check_curl" "$@"
  assert_rc "$want"
}
health() { run timeout 60 "$OPSHEALTH" "$@"; }

# --- status and content ------------------------------------------------------
# The login page is up and shows its form: OK for both.
health http "$HTTP/login" --contains "Please log in"
assert_rc 0
assert_out_matches "^http $HTTP/login +OK +200 in "
assert_out_contains "HTTP 200"
peer 0 -H localhost -p "$web_port" -u /login -s "Please log in"
peer_curl 0 -H localhost -p "$web_port" -u /login -s "Please log in"

# A 500: CRITICAL for both, the status named.
health http "$HTTP/error"
assert_rc 2
assert_out_contains "status 500 is not the one expected (2xx or 3xx)"
peer 2 -H localhost -p "$web_port" -u /error
peer_curl 2 -H localhost -p "$web_port" -u /error

# The page answers 200 but not the login form (the guides' "login page
# working"): CRITICAL, saying the text was not found.
health http "$HTTP/maintenance" --contains "Please log in"
assert_rc 2
assert_out_contains "text 'Please log in' not found in the body"
peer 2 -H localhost -p "$web_port" -u /maintenance -s "Please log in"
peer_curl 2 -H localhost -p "$web_port" -u /maintenance -s "Please log in"

# Deliberate difference: --contains reads the first 1M of the body (a page's
# text, not a download's); check_http searches all of it. Text 2M in: not found.
health http "$HTTP/big" --contains "Please log in"
assert_rc 2
assert_out_contains "text 'Please log in' not found in the body (its first 1.0M read)"
peer 0 -H localhost -p "$web_port" -u /big -s "Please log in"

# --expect: a list of codes or a class.
health http "$HTTP/login" --expect 200,301
assert_rc 0
peer 0 -H localhost -p "$web_port" -u /login -e 200,301
health http "$HTTP/error" --expect 5xx
assert_rc 0
health http "$HTTP/login" --expect 3xx
assert_rc 2
assert_out_contains "status 200 is not the one expected (3xx)"
health http "$HTTP/login" --expect 2xx,6xx
assert_rc 3
assert_err_contains "'6xx' is not a class 1xx to 5xx"

# Deliberate difference: a 4xx is CRITICAL by default (any status but 2xx/3xx
# is: the page is not there for its users), where check_http says WARNING.
health http "$HTTP/missing"
assert_rc 2
assert_out_contains "status 404"
peer 1 -H localhost -p "$web_port" -u /missing
peer_curl 1 -H localhost -p "$web_port" -u /missing

# --- redirects -----------------------------------------------------------------
# Not followed by default: a 301 is a 3xx, OK for both, and the row says where it pointed.
health http "$HTTP/old"
assert_rc 0
assert_out_contains "redirect to http://localhost:$web_port/login not followed"
peer 0 -H localhost -p "$web_port" -u /old
peer_curl 0 -H localhost -p "$web_port" -u /old
# Expecting 200 without following: CRITICAL for both.
health http "$HTTP/old" --expect 200
assert_rc 2
peer 2 -H localhost -p "$web_port" -u /old -e 200
peer_curl 2 -H localhost -p "$web_port" -u /old -e 200
# Followed: the login page's 200 and its text.
health http "$HTTP/old" --follow --expect 200 --contains "Please log in"
assert_rc 0
assert_out_contains "after 1 redirect to http://localhost:$web_port/login"
peer 0 -H localhost -p "$web_port" -u /old -f follow -s "Please log in"
# Deliberate difference: check_http matches -e against the first response even
# with -f follow (the 301 here), opshealth's --expect the answer it followed to.
peer 2 -H localhost -p "$web_port" -u /old -f follow -e 200
peer_curl 2 -H localhost -p "$web_port" -u /old -f follow -e 200

# --- latency -------------------------------------------------------------------
# /slow answers after at least a second: over a 500ms warning, under a 100 s critical.
health http "$HTTP/slow" --warn-time 500ms --crit-time 100
assert_rc 1
assert_out_contains "outside 500ms"
peer 1 -H localhost -p "$web_port" -u /slow -w 0.5 -c 100
peer_curl 1 -H localhost -p "$web_port" -u /slow -w 0.5 -c 100
health http "$HTTP/slow" --crit-time 0.5
assert_rc 2
peer 2 -H localhost -p "$web_port" -u /slow -c 0.5

# --- a listener that accepts and never answers ---------------------------------
# The run ends at its timeout, CRITICAL with the reason; timeout 60 is only the
# guard against a hang. The check gives curl nine tenths of its time and says
# "timed out" itself; on a loaded host the runner's deadline may come first
# ("no answer within 2s"): either way the run ended and said why.
TIMED_OUT='(timed out after|no answer within 2s)'
health http "http://localhost:$hang_port/login" --timeout 2s
assert_rc 2
assert_out_matches "$TIMED_OUT"
peer 2 -H localhost -p "$hang_port" -u /login -t 2
peer_curl 2 -H localhost -p "$hang_port" -u /login -t 2
# ... or UNKNOWN when the check is told so.
health http "http://localhost:$hang_port/login" --timeout 2s --on-timeout unknown
assert_rc 3
assert_out_matches "$TIMED_OUT"
# Nothing listens: CRITICAL, connection refused, for both.
python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' >closed.port
closed_port=$(cat closed.port)
health http "http://localhost:$closed_port/"
assert_rc 2
assert_out_contains "refused"
peer 2 -H localhost -p "$closed_port" -u /

# --- TLS: a self-signed certificate that expires in 3 days ---------------------
# With --insecure (any certificate accepted, its expiry still judged): WARNING
# within 30 days, CRITICAL within 7, as check_http -C 30 and -C 30,7.
health http "$HTTPS/login" --insecure --cert-warn 30d
assert_rc 1
assert_out_matches "certificate expires in 2\.[0-9] days"
peer 1 -H localhost -p "$tls_port" -S -u /login -C 30 --continue-after-certificate
health http "$HTTPS/login" --insecure --cert-warn 30d --cert-crit 7d --contains "Please log in"
assert_rc 2
assert_out_contains "warn 30d crit 7d"
peer 2 -H localhost -p "$tls_port" -S -u /login -C 30,7 -s "Please log in" --continue-after-certificate
# check_curl without --continue-after-certificate (with it, check_curl 2.3.3
# prints the certificate's WARNING and exits 0: the page's status wins).
peer_curl 2 -H localhost -p "$tls_port" -S -u /login -C 30,7
# The certificate judged far from its limits: OK.
health http "$HTTPS/login" --insecure --cert-warn 1d --cert-crit 12h
assert_rc 0
peer 0 -H localhost -p "$tls_port" -S -u /login -C 1,0 --continue-after-certificate
# Deliberate difference: check_http counts whole days left (2.9 is 2) and warns
# at "-C 2" (2 <= 2); opshealth compares the exact time left: 2.9 days are
# more than --cert-warn 2d.
health http "$HTTPS/login" --insecure --cert-warn 2d
assert_rc 0
peer 1 -H localhost -p "$tls_port" -S -u /login -C 2 --continue-after-certificate

# Deliberate difference: the certificate is verified (chain and name), as curl
# and every browser do; a self-signed one is CRITICAL with the reason unless
# --insecure or --ca-file trusts it. check_http never verifies: it says OK.
health http "$HTTPS/login"
assert_rc 2
assert_out_contains "self-signed certificate"
peer 0 -H localhost -p "$tls_port" -S -u /login
# check_curl verifies with -D, as opshealth does by default: CRITICAL.
peer_curl 0 -H localhost -p "$tls_port" -S -u /login
peer_curl 2 -H localhost -p "$tls_port" -S -D -u /login
# Trusted through --ca-file, verified, and its expiry judged: WARNING.
health http "$HTTPS/login" --ca-file cert.pem --cert-warn 30d
assert_rc 1
assert_out_contains "CN = localhost"
peer_curl 1 -H localhost -p "$tls_port" -S -D --ca-cert cert.pem -u /login -C 30
# Verified against a name it does not carry (127.0.0.1): CRITICAL.
health http "https://127.0.0.1:$tls_port/login" --ca-file cert.pem
assert_rc 2
assert_out_contains "127.0.0.1"

# Deliberate difference: check_http -C checks the certificate instead of the
# page (unless --continue-after-certificate); opshealth judges both, so a 500
# behind a certificate far from expiry is still CRITICAL.
health http "$HTTPS/error" --insecure --cert-warn 1d --cert-crit 12h
assert_rc 2
peer 0 -H localhost -p "$tls_port" -S -u /error -C 1,0

# --- cert HOST:PORT: the handshake alone ---------------------------------------
# Defaults 30d and 7d: CRITICAL at 3 days, as check_http -C 30,7.
health cert "localhost:$tls_port" --insecure
assert_rc 2
assert_out_matches "^cert localhost:$tls_port +CRITICAL +2\.[0-9] days"
assert_out_contains "certificate expires in 2."
peer 2 -H localhost -p "$tls_port" -S -C 30,7
health cert "localhost:$tls_port" --insecure --cert-warn 30d --cert-crit 1d
assert_rc 1
peer 1 -H localhost -p "$tls_port" -S -C 30,1
health cert "localhost:$tls_port" --ca-file cert.pem --cert-warn 1d --cert-crit 12h
assert_rc 0
peer 0 -H localhost -p "$tls_port" -S -C 1,0
# Not verified without --insecure (the deliberate difference above).
health cert "localhost:$tls_port"
assert_rc 2
assert_out_contains "self-signed certificate"
# A plain-HTTP port has no TLS to shake hands with; a hung one times out.
health cert "localhost:$web_port" --insecure
assert_rc 2
health cert "localhost:$hang_port" --insecure --timeout 2s
assert_rc 2
assert_out_matches "$TIMED_OUT"
peer 2 -H localhost -p "$hang_port" -S -C 30,7 -t 2

# --- the same checks from ops.conf ------------------------------------------------
cat >ops.conf <<EOF
[health.login]
check = http
target = $HTTP/login
contains = Please log in
expect = 200
warn_time = 5s

[health.site-tls]
check = cert
target = localhost:$tls_port
insecure = yes
cert_warn = 30d
cert_crit = 1d
EOF
health -c ops.conf
assert_rc 1
assert_out_matches "^http login +OK +200 in "
assert_out_matches "^cert site-tls +WARNING +2\.[0-9] days +cert warn 30d crit 1d"
# A bad value in a section is refused with its file and line.
printf '[health.login]\ncheck = http\ntarget = %s\nexpect = 2xx,7xx\n' "$HTTP/login" >bad.conf
health -c bad.conf
assert_rc 3
assert_err_contains "bad.conf:4"

# --- bad arguments: exit 3, an UNKNOWN row naming the value ----------------------
health http "localhost:$web_port/login"
assert_rc 3
assert_out_contains "must start with http:// or https://"
health cert "localhost"
assert_rc 3
assert_out_contains "invalid target 'localhost': no port"
health cert "localhost:99999"
assert_rc 3
assert_out_contains "the port must be a number from 1 to 65535"
health http "$HTTP/login" --warn-time 5G
assert_rc 3

# --- the formats carry the figures -------------------------------------------------
health --format nagios http "$HTTP/login"
assert_rc 0
assert_out_contains "'time'="
assert_out_contains "'status'=200"
health --format prometheus http "$HTTPS/login" --insecure
assert_rc 0
assert_out_contains "ops_health_http_status_code"
assert_out_contains "ops_health_http_cert_remaining_seconds"
