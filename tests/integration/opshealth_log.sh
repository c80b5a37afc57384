#!/usr/bin/env bash
# opshealth log FILE: error lines of the last --window judged by the
# timestamps in the lines (several formats), into app.log.1 and
# app.log.2.gz when the window reaches back that far; --pattern, a bad
# pattern, a missing file, the 5xx rate of an nginx access log; and the
# twin run against check_log (monitoring-plugins) with each deliberate
# difference named.
. "$(dirname "$0")/lib.sh"

export OPS_NOW=2026-12-06T09:30:00Z TZ=UTC
CHECK_LOG=/usr/lib/nagios/plugins/check_log
[ -x "$CHECK_LOG" ] || fail "check_log (monitoring-plugins-standard) is not installed"

# --- an application log (Python logging) and its rotated files -------------
cat > app.log <<'LOG'
2026-12-06 09:10:00,000 ERROR in app.log, 20 minutes ago
2026-12-06 09:20:00,000 INFO request served
2026-12-06 09:21:00,000 ERROR payment failed
Traceback (most recent call last):
  File "pay.py", line 3, in charge
ValueError: Exception raised in charge
2026-12-06 09:25:00,000 WARNING Failed to refresh cache
2026-12-06 09:29:00,000 INFO done
LOG
printf '%s\n' '2026-12-06 08:50:00,000 CRITICAL disk full in app.log.1' \
  '2026-12-06 08:55:00,000 INFO in app.log.1' > app.log.1
printf '%s\n' '2026-12-06 08:00:00,000 ERROR too old, in app.log.2.gz' \
  '2026-12-06 08:40:00,000 ERROR in app.log.2.gz' | gzip > app.log.2.gz
# Read only by a window reaching past app.log.2.gz: a gzip file cut short.
printf '%s\n' '2026-12-06 07:00:00,000 ERROR in app.log.3.gz' | gzip | head -c 20 > app.log.3.gz

# The default window, 15min: two records match (the traceback counts with
# its line, once), the error of 09:10 is older; WARNING at the first match.
run "$OPSHEALTH" log app.log
assert_rc 1
assert_out_contains "WARNING"
assert_out_contains "2 matches"
assert_out_contains "2 of 4 lines in the last 15min match; last: 2026-12-06 09:25:00,000 WARNING Failed to refresh cache"
assert_out_not_contains "in app.log, 20 minutes ago"

# A window reaching into app.log.1 (45min) and into app.log.2.gz (1h).
run "$OPSHEALTH" log app.log --window 45min
assert_rc 1
assert_out_contains "4 matches"
run "$OPSHEALTH" log app.log --window 1h --format nagios
assert_rc 1
assert_out_contains "5 matches"
assert_out_contains "'matches'=5;0;9;0"
# CRITICAL at 10 by default; --crit sets it.
run "$OPSHEALTH" log app.log --window 1h --crit 4
assert_rc 2
assert_out_contains "CRITICAL"
# Only a window that reaches app.log.3.gz reads it: cut short, it cannot
# be read, and the count cannot be told.
run "$OPSHEALTH" log app.log --window 3h
assert_rc 3
assert_out_contains "UNKNOWN"
assert_out_contains "app.log.3.gz: unexpected end of compressed data"

# A custom --pattern (repeatable, PCRE2) replaces the defaults.
run "$OPSHEALTH" log app.log --pattern 'payment|refresh' --pattern '^\S+ \S+ CRITICAL'
assert_rc 1
assert_out_contains "2 matches"
run "$OPSHEALTH" log app.log --window 1h --pattern '^\S+ \S+ CRITICAL'
assert_out_contains "1 match"
assert_out_contains "last: 2026-12-06 08:50:00,000 CRITICAL disk full in app.log.1"
run "$OPSHEALTH" log app.log --pattern 'no such text'
assert_rc 0
assert_out_contains "no line of 4 in the last 15min matches"

# A bad pattern: exit 3, one line naming the pattern and the offset.
run "$OPSHEALTH" log app.log --pattern '(ERROR'
assert_rc 3
assert_err_contains "opshealth: error: --pattern: bad pattern '(ERROR': missing closing parenthesis at offset 6"
assert_eq "$(wc -l < "$ERR_FILE")" 1 "the bad pattern is one line"

# A missing file is UNKNOWN, as check_log says.
run "$OPSHEALTH" log missing.log
assert_rc 3
assert_out_contains "UNKNOWN"
assert_out_contains "cannot open missing.log: No such file or directory"

# --window takes an ops duration: 15m (minutes or months?) is refused.
run "$OPSHEALTH" log app.log --window 15m
assert_rc 3

# --- the other timestamp formats: one error inside the window, one before ---
cat > auth.log <<'LOG'
Dec  6 09:00:01 web1 sshd[100]: Failed to open session for root
Dec  6 09:20:01 web1 sshd[101]: Failed to open session for alice
Dec  6 09:21:01 web1 CRON[102]: pam_unix(cron:session): session opened
LOG
cat > apache_error.log <<'LOG'
[Sun Dec 06 09:01:00.123456 2026] [php:error] [pid 7] [client 203.0.113.7:5012] PHP Exception old
[Sun Dec 06 09:22:00.654321 2026] [php:error] [pid 7] [client 203.0.113.7:5013] PHP Exception new
LOG
cat > nginx_error.log <<'LOG'
2026/12/06 09:02:00 [error] 12#12: *1 connect() Failed to upstream, old
2026/12/06 09:23:00 [error] 12#12: *2 connect() Failed to upstream, new
LOG
cat > php_error.log <<'LOG'
[06-Dec-2026 09:03:00 UTC] PHP Fatal error:  Uncaught Exception: old
[06-Dec-2026 09:24:00 UTC] PHP Fatal error:  Uncaught Exception: new
PHP Stack trace:
PHP   1. {main}() /srv/www/index.php:0
LOG
cat > iso.log <<'LOG'
2026-12-06T10:04:00+01:00 ERROR old, in another zone
2026-12-06T09:25:00.5Z ERROR new
LOG
for f in auth.log apache_error.log nginx_error.log php_error.log iso.log; do
  run "$OPSHEALTH" log "$f"
  assert_rc 1
  assert_out_contains "1 match"
  assert_out_not_contains "old"
done
# A syslog line of December 24th read on December 6th is last year's.
printf 'Dec 24 09:25:00 web1 app: ERROR from last year\n' > lastyear.log
run "$OPSHEALTH" log lastyear.log
assert_rc 0

# A log with no timestamp opshealth reads cannot be judged by a window.
printf 'ERROR something\nERROR again\n' > plain.log
run "$OPSHEALTH" log plain.log
assert_rc 3
assert_out_contains "has no line with a timestamp"

# --- an nginx access log: the rate of 5xx ---------------------------------
{
  printf '203.0.113.9 - - [06/Dec/2026:09:00:00 +0000] "GET /old HTTP/1.1" 500 0 "-" "curl"\n'
  # A request of 09:15:20 (inside the window) logged before a slow one that
  # started at 09:14:30 (outside) and ended later: the line out of order
  # does not end the reading.
  printf '203.0.113.9 - - [06/Dec/2026:09:15:20 +0000] "GET /quick HTTP/1.1" 503 0 "-" "curl"\n'
  printf '203.0.113.9 - - [06/Dec/2026:09:14:30 +0000] "GET /slow HTTP/1.1" 504 0 "-" "curl"\n'
  for i in $(seq 1 16); do
    printf '203.0.113.9 - - [06/Dec/2026:09:2%d:00 +0000] "GET /page/%d HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n' $((i % 10)) "$i"
  done
  printf '203.0.113.9 - - [06/Dec/2026:10:25:00 +0100] "GET /a HTTP/1.1" 502 0 "-" "curl"\n'
  printf '203.0.113.9 - - [06/Dec/2026:09:26:00 +0000] "POST /b HTTP/1.1" 503 0 "-" "curl"\n'
  printf '203.0.113.9 - - [06/Dec/2026:09:27:00 +0000] "GET /c?q=\\x22 404 HTTP/1.1" 500 0 "-" "curl"\n'
} > access.log
run "$OPSHEALTH" log access.log --status 5xx --format nagios
assert_rc 2
assert_out_contains "20.0%"
assert_out_contains "4 of 20 requests in the last 15min answered 5xx"
assert_out_contains "'status'=20%;1;5;0;100"
run "$OPSHEALTH" log access.log --status 5xx --warn 10% --crit 20
assert_rc 1
run "$OPSHEALTH" log access.log --status 503 --warn 10% --crit 20%
assert_rc 0
assert_out_contains "2 of 20 requests"
run "$OPSHEALTH" log access.log --status 6xx
assert_rc 3
assert_err_contains "'6xx' is not an HTTP status or class"

# --- a [health.NAME] section ------------------------------------------------
cat > ops.conf <<CONF
[health.applog]
check = log
target = $SCRATCH/app.log
window = 1h
pattern = CRITICAL
crit = 0
CONF
run "$OPSHEALTH" -c ops.conf
assert_rc 2
assert_out_contains "applog"
assert_out_contains "1 match"

# --- twin run against check_log ---------------------------------------------
# check_log counts the matches in what was appended since its previous run
# (kept in -O OLDLOG); opshealth counts those in the window. Lines written
# before the window (and before check_log's first run) count for neither.
printf '2026-12-06 08:00:00 ERROR before both\n' > twin.log
run "$CHECK_LOG" -F twin.log -O twin.old -q ERROR
assert_rc 0
printf '2026-12-06 09:20:00 INFO fine\n' >> twin.log
run "$CHECK_LOG" -F twin.log -O twin.old -q ERROR
assert_rc 0
run "$OPSHEALTH" log twin.log --pattern ERROR
assert_rc 0
printf '2026-12-06 09:25:00 ERROR new\n' >> twin.log
run "$CHECK_LOG" -F twin.log -O twin.old -q ERROR
assert_rc 2
run "$OPSHEALTH" log twin.log --pattern ERROR --crit 0
assert_rc 2
# Deliberate difference: check_log is CRITICAL at the first match,
# opshealth WARNING at the first and CRITICAL at ten (man page).
run "$OPSHEALTH" log twin.log --pattern ERROR
assert_rc 1
# The same missing file: UNKNOWN from both.
run "$CHECK_LOG" -F gone.log -O gone.old -q ERROR
assert_rc 3
run "$OPSHEALTH" log gone.log
assert_rc 3
