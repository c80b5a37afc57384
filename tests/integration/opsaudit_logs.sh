#!/usr/bin/env bash
# opsaudit logs FILE...: counts of each pattern per hour and the top message
# groups, on real-format logs (Django with tracebacks and its rotated .1 and
# .2.gz, PHP's error_log with stack traces and Xdebug frames, PHP-FPM's log
# relaying a worker's trace, nginx and Apache error logs); the same per-hour
# and per-pattern counts from the guides' `grep | awk | sort | uniq -c`
# pipeline written here, each difference named (a trace is one event to us,
# several lines to grep); findings per group; hostile input (binary lines,
# a 1 MB line, a truncated gzip, lines without a timestamp, a missing file).
. "$(dirname "$0")/lib.sh"

export OPS_NOW=2026-12-06T12:00:00Z TZ=UTC
cp -r "$FIXTURES/audit/logs" logs

# The report's parts as lines: "hour pattern count", "count message", "severity kind subject".
hours() { jq -r '.audits[0].details.hours[] | "\(.hour) \(.pattern) \(.count)"' "$OUT_FILE"; }
groups() { jq -r '.audits[0].details.messages[] | "\(.count) \(.message)"' "$OUT_FILE"; }
findings() { jq -r '.audits[0].findings[] | "\(.severity) \(.kind) \(.subject)"' "$OUT_FILE"; }
notes() { jq -r '.audits[0].notes[]' "$OUT_FILE"; }
# Events of one pattern, all hours.
total() { jq -r --arg p "$1" '[.audits[0].details.hours[] | select(.pattern == $p) | .count] | add // 0' "$OUT_FILE"; }

# --- Django: django.log, .1 and .2.gz; since the default 7d (2026-11-29 12:00) ---
run "$OPSAUDIT" --format json logs logs/django.log --warn-count 3
assert_rc 2  # a critical finding
assert_eq "$(hours)" "2026-11-30 08:00 ERROR 2
2026-11-30 08:00 Failed to 2
2026-12-03 10:00 ERROR 2
2026-12-04 16:00 ERROR 1
2026-12-04 16:00 Exception 1
2026-12-05 09:00 ERROR 1
2026-12-05 09:00 CRITICAL 2
2026-12-05 09:00 Failed to 2
2026-12-06 11:00 ERROR 2
2026-12-06 11:00 Failed to 2" "Django: events per hour and pattern, the three files read, the line of 11-29 11:59 left out"
assert_eq "$(groups)" "4 ERROR mail <n> <n> Failed to send reminder to <email>: SMTP <n>
2 CRITICAL db <n> <n> Failed to connect to database \"<q>\" at <ip>: connection refused
2 ERROR log <n> <n> Internal Server Error: <path> | ValueError: invalid literal for int() with base <n>: '<q>'
1 ERROR log <n> <n> Internal Server Error: <path> | django.db.utils.OperationalError: connection to server at \"<q>\", port <n> failed: Connection refused
1 ERROR log <n> <n> Internal Server Error: <path> | reports.errors.ExportException: export of report <n> failed" \
  "Django: groups, a traceback's exception in its key"
assert_eq "$(findings)" "critical critical_error CRITICAL db <n> <n> Failed to connect to database \"<q>\" at <ip>: connection refused
warning frequent_error ERROR mail <n> <n> Failed to send reminder to <email>: SMTP <n>" \
  "one finding per group: the CRITICAL lines critical, 4 >= --warn-count 3 a warning"
assert_eq "$(jq -r '.audits[0].details.messages[0] | "\(.first) \(.last) \(.example)"' "$OUT_FILE")" \
  "2026-11-30 08:15:02 2026-12-06 11:30:00 ERROR 2026-12-06 11:30:00,000 mail 3200 140202 Failed to send reminder to a.b@example.org: SMTP 451" \
  "a group's first and last time across the files, and its newest line"

# The guides' pipeline on the same lines: each line gets the time of the
# timestamped line above it (a traceback's lines too), those before --since
# are left out, then grep | awk | sort | uniq -c.
django_window() {
  zcat -f logs/django.log.2.gz logs/django.log.1 logs/django.log |
    awk '/^[A-Z]+ [0-9]{4}-[0-9]{2}-[0-9]{2} / { t = $2 " " $3 } t >= "2026-11-29 12:00:00"'
}
per_hour() {  # PATTERN: "hour pattern count" from grep, for lines with their own timestamp
  django_window | grep -- "$1" | awk '/^[A-Z]+ [0-9]{4}-/ { print $2 " " substr($3, 1, 2) ":00" }' | sort | uniq -c |
    awk -v p="$1" '{ print $2 " " $3 " " p " " $1 }'
}
for p in ERROR CRITICAL "Failed to"; do
  assert_eq "$(hours | grep -F " $p " | sort)" "$(per_hour "$p" | sort)" "Django: '$p' per hour as grep | awk | sort | uniq -c"
  assert_eq "$(total "$p")" "$(django_window | grep -c -- "$p")" "Django: '$p' in all as grep -c"
done
# Difference: the ExportException traceback holds two lines with "Exception"
# (the raise and the exception line): grep counts 2, we count 1 event.
assert_eq "$(django_window | grep -c Exception)" 2 "grep counts each line of the traceback"
assert_eq "$(total Exception)" 1 "a traceback is one event"

# Text: the same report for mail.
run "$OPSAUDIT" logs logs/django.log --warn-count 3
assert_rc 2
assert_out_contains "logs since 2026-11-29 12:00 in logs/django.log (3 files read): 10 events matching ERROR, CRITICAL, Exception, Failed to"
assert_out_matches "^  CRITICAL +critical_error +CRITICAL db <n> <n> Failed to connect to database \"<q>\" at <ip>: connection refused +2 events from 12-05 09:30 to 12-05 09:30 in logs/django.log$"
assert_out_matches "^  WARNING +frequent_error +ERROR mail <n> <n> Failed to send reminder to <email>: SMTP <n> +4 events from 11-30 08:15 to 12-06 11:30 in logs/django.log$"
assert_out_matches "^    2026-12-05 09:00 +CRITICAL +2$"

# The default --warn-count (20): the group of 4 is no finding; --top 1: one
# group shown, at most one finding of each kind.
run "$OPSAUDIT" --format json logs logs/django.log --top 1
assert_rc 2
assert_eq "$(findings)" "critical critical_error CRITICAL db <n> <n> Failed to connect to database \"<q>\" at <ip>: connection refused"
assert_eq "$(groups)" "4 ERROR mail <n> <n> Failed to send reminder to <email>: SMTP <n>"
# --fail-on critical with no critical: exit 0; --since 2d reads back to 12-04 12:00 only.
run "$OPSAUDIT" --format json logs logs/django.log --since 2d --pattern 'Failed to send' --fail-on critical
assert_rc 0
assert_eq "$(hours)" "2026-12-06 11:00 Failed to send 2"
assert_eq "$(jq -r '.audits[0].title' "$OUT_FILE")" \
  "logs since 2026-12-04 12:00 in logs/django.log (2 files read): 2 events matching Failed to send"

# --- PHP: error_log with a stack trace and Xdebug frames; PHP-FPM relaying one --
run "$OPSAUDIT" --format json logs logs/php_errors.log logs/php-fpm.log
assert_rc 0
assert_eq "$(hours)" "2026-12-05 09:00 Exception 2
2026-12-05 09:00 Failed to 1
2026-12-05 10:00 Failed to 1
2026-12-05 11:00 Exception 2
2026-12-05 12:00 ERROR 1" "PHP: events per hour and pattern"
# Equal counts: the group seen last comes first.
assert_eq "$(groups)" "2 WARNING: [pool www] child said into stderr: NOTICE: PHP message: PHP Fatal error: Uncaught Exception: Case <n> not found in <path>:<n>
2 PHP Warning: include(<path>): Failed to open stream: No such file or directory in <path> on line <n>
1 ERROR: unable to read what child say: Bad file descriptor (<n>)
1 PHP Fatal error: Uncaught PDOException: SQLSTATE[HY000] [<n>] Connection refused in <path>:<n>" \
  "PHP: two include() warnings one group, the two uncaught exceptions one group, child pids and paths masked"
assert_eq "$(notes)" "" "PHP-FPM's own timestamps ([05-Dec-2026 11:00:00], no zone) are read"
for p in ERROR "Failed to"; do
  assert_eq "$(total "$p")" "$(cat logs/php_errors.log logs/php-fpm.log | grep -c -- "$p")" "PHP: '$p' as grep -c"
done
# Difference: grep counts the "Exception" lines of the traces — the
# PDOException line, two Xdebug frames of App\ExceptionHandler, and in
# PHP-FPM's log each relayed trace's first line and its ExceptionMiddleware
# frame: 7 lines; we count 4 events (each trace once, with its line).
assert_eq "$(cat logs/php_errors.log logs/php-fpm.log | grep -c Exception)" 7 "grep counts every frame"
assert_eq "$(total Exception)" 4 "a stack trace is one event with its line"
# Difference: PHP-FPM's "ALERT:" line matches none of the default patterns
# (grep's neither): it is not counted, so not critical.
assert_eq "$(grep ALERT logs/php-fpm.log | grep -cE 'ERROR|CRITICAL|Exception|Failed to' || true)" 0
assert_out_not_contains "SIGSEGV"

# --- nginx and Apache error logs: their levels are lower case -----------------
# The default patterns are case-sensitive, as the guides' grep: an nginx
# "[error]" is not an ERROR. Only Apache's "Uncaught Exception" line counts,
# for us as for grep.
run "$OPSAUDIT" --format json logs logs/nginx-error.log logs/apache-error.log
assert_rc 0
assert_eq "$(jq -r '.audits[0].title' "$OUT_FILE")" \
  "logs since 2026-11-29 12:00 in logs/nginx-error.log, logs/apache-error.log (2 files read): 1 event matching ERROR, CRITICAL, Exception, Failed to"
for p in ERROR CRITICAL Exception "Failed to"; do
  assert_eq "$(total "$p")" "$(cat logs/nginx-error.log logs/apache-error.log | grep -c -- "$p" || true)" \
    "nginx and Apache: '$p' as grep -c"
done
assert_eq "$(total ERROR)" 0 "[error] is not ERROR"
# With a pattern of their level words:
LEVELS='\[[a-z_]*:?(error|crit|alert|emerg)\]'
run "$OPSAUDIT" --format json logs logs/nginx-error.log logs/apache-error.log --pattern "$LEVELS"
assert_rc 2
assert_eq "$(hours)" "2026-12-05 14:00 $LEVELS 2
2026-12-05 15:00 $LEVELS 1
2026-12-05 16:00 $LEVELS 1
2026-12-05 17:00 $LEVELS 2
2026-12-05 18:00 $LEVELS 1" "nginx and Apache: level lines per hour"
assert_eq "$(total "$LEVELS")" "$(cat logs/nginx-error.log logs/apache-error.log | grep -cE "$LEVELS")" "nginx and Apache as grep -cE"
assert_eq "$(findings)" "critical critical_error [core:alert] [client <ip>] <path>: Invalid command '<q>', perhaps misspelled or defined by a module not included in the server configuration
critical critical_error [crit] SSL_do_handshake() failed (SSL: error:<hex>:SSL routines::bad key share) while SSL handshaking, client: <ip>, server: <ip>" \
  "nginx [crit] and Apache [core:alert] are critical; [error] and [proxy_fcgi:error] are not"
assert_eq "$(groups | head -1)" "2 [error] connect() failed (<n>: Connection refused) while connecting to upstream, client: <ip>, server: cases.example.org, request: \"GET <path> HTTP/<n>\", upstream: \"<q>\", host: \"<q>\"" \
  "nginx: two clients, two requests, one group"
# Two patterns: each counted for the events it matches; an event matching both counts once for each.
run "$OPSAUDIT" --format json logs logs/apache-error.log --pattern 'PHP Fatal' --pattern 'Uncaught'
assert_eq "$(total 'PHP Fatal') $(total Uncaught)" "2 2"
assert_eq "$(jq -r '.audits[0].title' "$OUT_FILE" | grep -o '[0-9]* events')" "2 events"

# --quiet: nothing when there is no finding; --verbose: the files read, on stderr.
run "$OPSAUDIT" -q logs logs/php_errors.log
assert_rc 0
assert_out_eq ""
assert_err_not_contains "read"
run "$OPSAUDIT" -v logs logs/django.log
assert_err_contains "opsaudit: logs: read logs/django.log.2.gz"
assert_out_not_contains "read logs/django.log.2.gz"

# --- bad usage, bad patterns and unreadable files -----------------------------
run "$OPSAUDIT" logs
assert_rc 3
assert_err_contains "missing argument FILE"
run "$OPSAUDIT" logs logs/django.log --top 0
assert_rc 3
run "$OPSAUDIT" logs logs/django.log --warn-count many
assert_rc 3
assert_err_contains "'many'"
run "$OPSAUDIT" logs logs/django.log --pattern '(ERROR'
assert_rc 3
assert_err_contains "bad pattern '(ERROR'"
run "$OPSAUDIT" logs missing.log
assert_rc 2
assert_err_contains "cannot open missing.log"
# One FILE that cannot be opened does not hold the others hostage.
run "$OPSAUDIT" --format json logs missing.log logs/php-fpm.log
assert_rc 2
assert_eq "$(findings)" "critical not_audited missing.log"
assert_eq "$(total ERROR)" 1

# --- hostile input -------------------------------------------------------------
mkdir hostile
{
  echo "continued from the file before"
  echo "  more of it"
  echo "ERROR 2026-12-06 09:00:00,000 app 1 2 Failed to charge card 4242"
  printf 'garbage \000\001\002\377 binary ERROR\n'
  printf '\177ELF\002\001\001\000\000\n'
  printf 'ERROR 2026-12-06 10:00:00,000 app 1 2 huge '
  head -c 1200000 /dev/zero | tr '\0' 'x'
  echo
  echo "ERROR 2026-12-06 11:00:00,000 app 1 2 Failed to charge card 4243"
} > hostile/app.log
for i in $(seq 0 199); do
  printf 'ERROR 2026-12-05 09:%02d:%02d,000 app 1 2 Failed to charge card %d\n' $((i / 60)) $((i % 60)) "$i"
done | gzip -c > full.gz
head -c $(($(stat -c %s full.gz) / 2)) full.gz > hostile/app.log.1.gz  # cut short in the middle
echo 'ERROR 2026-12-04 09:00:00,000 app 1 2 Failed to charge card 3' | gzip > hostile/app.log.2.gz
seq 1 20000 | sed 's/^/no timestamp ERROR /' > hostile/nostamp.log
head -c 300000 /dev/urandom > hostile/random.log
run "$OPSAUDIT" --format json logs hostile/app.log hostile/nostamp.log hostile/random.log
assert_rc 1  # the card failures are a frequent_error
# The whole lines before the cut in app.log.1.gz are counted: how many
# depends on the compressor, so they are checked against the file itself.
cut=$(zcat hostile/app.log.1.gz 2>/dev/null | grep -c 'charge card [0-9]*$' || true)
[ "$cut" -gt 10 ] && [ "$cut" -lt 200 ] || fail "app.log.1.gz should hold part of its lines, not $cut"
assert_eq "$(hours)" "2026-12-04 09:00 ERROR 1
2026-12-04 09:00 Failed to 1
2026-12-05 09:00 ERROR $cut
2026-12-05 09:00 Failed to $cut
2026-12-06 09:00 ERROR 1
2026-12-06 09:00 Failed to 1
2026-12-06 10:00 ERROR 1
2026-12-06 11:00 ERROR 1
2026-12-06 11:00 Failed to 1" "hostile: what can be read is counted; the binary ERROR line is not; .2.gz after the broken .1.gz is read"
assert_eq "$(groups | head -1)" "$((cut + 3)) ERROR app <n> <n> Failed to charge card <n>"
assert_eq "$(groups | sed -n 2p | cut -c1-30)" "1 ERROR app <n> <n> huge xxxxx"
assert_eq "$(($(groups | sed -n 2p | wc -c) < 400))" 1 "the 1 MB line makes a short group"
assert_eq "$(notes | head -5)" "hostile/app.log: 2 lines before its first timestamp not counted (no time to place them in)
hostile/app.log: 2 lines of binary data passed over
hostile/app.log: 1 line of 64K or more: only the first 64K of each read
hostile/app.log.1.gz: unexpected end of compressed data: its events before the damage counted
hostile/nostamp.log: no timestamp ops reads in its last 5000 lines: not audited" \
  "each passed-over part named in one note"
# random.log: binary data without a timestamp, its line count depending on the bytes drawn.
assert_eq "$(jq -r '.audits[0].notes | length' "$OUT_FILE")" 6
assert_out_matches "random.log: no timestamp ops reads in its [0-9]+ lines \\([0-9]+ of them binary data\\): not audited"

# A log of ever new messages: 10000 groups kept, the others' events counted per hour and said in a note.
awk 'function word(n,  w) { w = ""; do { w = w sprintf("%c", 97 + n % 26); n = int(n / 26) } while (n); return w }
     BEGIN { for (i = 0; i < 10050; i++) printf "ERROR 2026-12-06 10:%02d:%02d,000 app 1 2 unknown column %s\n", i % 3600 / 60, i % 60, word(i) }' > hostile/many.log
run "$OPSAUDIT" --format json logs hostile/many.log
assert_rc 0
assert_eq "$(hours)" "2026-12-06 10:00 ERROR 10050"
assert_eq "$(notes)" "10000 message groups kept: 50 events of further messages counted per hour, not grouped"
assert_eq "$(groups | wc -l)" 10

# --- run: [audit] logs = FILE, and --metrics-dir figures -----------------------
cat > ops.conf <<'CONF'
[audit]
auth_log = none
logs = logs/php-fpm.log
CONF
mkdir metrics
run "$OPSAUDIT" -c ops.conf --metrics-dir metrics run
assert_out_contains "logs since 2026-11-29 12:00 in logs/php-fpm.log (1 file read): 3 events matching ERROR, CRITICAL, Exception, Failed to"
assert_eq "$(grep -E '^ops_audit_logs_(events|groups|pattern_events)' metrics/opsaudit.prom | sort)" 'ops_audit_logs_events 3
ops_audit_logs_groups 2
ops_audit_logs_pattern_events{pattern="CRITICAL"} 0
ops_audit_logs_pattern_events{pattern="ERROR"} 1
ops_audit_logs_pattern_events{pattern="Exception"} 2
ops_audit_logs_pattern_events{pattern="Failed to"} 0'
