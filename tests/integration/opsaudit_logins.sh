#!/usr/bin/env bash
# opsaudit logins FILE: failures per address, a success after failures,
# root logins, new addresses, invalid users, from syslog files of both
# timestamp styles, rotated and compressed, OpenSSH 9.8's sshd-session, PAM
# + sshd pairs and an injected user name; hostile input passed over and
# named. The simple cases are counted again by the grep | awk | sort | uniq -c
# pipeline of the maintenance guides and by fail2ban-regex with Debian's
# sshd filter, and every deliberate difference is named here and in the man
# page.
. "$(dirname "$0")/lib.sh"

export OPS_NOW=2026-12-06T12:00:00Z TZ=UTC
L=$FIXTURES/audit/logins
SSHD_FILTER=/etc/fail2ban/filter.d/sshd.conf
command -v fail2ban-regex >/dev/null || fail "fail2ban-regex (package fail2ban) is not installed"
[ -f "$SSHD_FILTER" ] || fail "$SSHD_FILTER (package fail2ban) is missing"

# "COUNT ADDRESS" per line, sorted, from our addresses table (every address: --threshold 1).
# (opsaudit exits 1 or 2 when it has findings: only 3 and above are errors here.)
our_counts() {
  local rc=0
  "$OPSAUDIT" logins --threshold 1 --format json "$@" > counts.json || rc=$?
  [ "$rc" -le 2 ] || fail "opsaudit logins $* exited $rc"
  jq -r '.audits[0].details.addresses[] | "\(.failures) \(.address)"' counts.json | sort -k2
}
# The same from `uniq -c` output.
uniq_counts() { awk '{print $1, $2}' | sort -k2; }

# --- the simple case: Failed password lines, three addresses over 5 ------------
run "$OPSAUDIT" logins "$L/simple.log"
assert_rc 2
assert_out_contains "logins since 2026-11-29 12:00 from $L/simple.log: 20 failures, 4 successes (threshold 5)"
assert_out_matches '^  CRITICAL +failed_logins +203\.0\.113\.12 +7 failures from 12-05 22:00 to 12-05 22:00, users root, from sshd; then a login as root at 12-05 22:05$'
assert_out_matches '^  WARNING +failed_logins +203\.0\.113\.10 +6 failures'
assert_out_matches '^  WARNING +failed_logins +203\.0\.113\.11 +5 failures .*users admin oracle www-data'
assert_out_matches '^  WARNING +success_after_failures +198\.51\.100\.20 +login as bob at 12-03 09:00 after 2 failures'
assert_out_matches '^  WARNING +root_login +192\.0\.2\.31 '
assert_out_matches '^  INFO +new_address +192\.0\.2\.31 +login as root'
# alice logged in from 192.0.2.30 in the week before too: not new.
assert_out_not_contains "new_address   192.0.2.30"
assert_out_not_contains "192.0.2.30     login"
assert_out_matches '^    203\.0\.113\.12 +7 +2026-12-05 22:00:00 +2026-12-05 22:00:12 +root +sshd$'
assert_out_contains "9 findings: 1 critical, 5 warning, 3 info"

# The maintenance guide's pipeline on the same file gives the same counts.
expected=$(grep 'Failed password' "$L/simple.log" | awk '{print $(NF-3)}' | sort | uniq -c | uniq_counts)
assert_eq "$(our_counts "$L/simple.log")" "$expected" "simple.log: our counts are the grep pipeline's"
# And so does fail2ban-regex with Debian's sshd filter.
f2b=$(fail2ban-regex -o ip "$L/simple.log" "$SSHD_FILTER" | sort | uniq -c | uniq_counts)
assert_eq "$(our_counts "$L/simple.log")" "$f2b" "simple.log: our counts are fail2ban-regex's"

# --fail-on critical still exits 2 here; threshold 8 leaves no address over it.
run "$OPSAUDIT" logins --threshold 8 --fail-on critical "$L/simple.log"
assert_rc 0
assert_out_not_contains "failed_logins"
assert_out_matches '^  WARNING +success_after_failures +203\.0\.113\.12 +login as root at 12-05 22:05 after 7 failures'

run "$OPSAUDIT" --format tsv logins "$L/simple.log"
assert_out_matches $'^logins\tcritical\tfailed_logins\t203\\.0\\.113\\.12\t7 failures'

# --- rotated and compressed: read oldest first, the previous period known ------
cp "$L"/rotated.log* .
gzip rotated.log.2 rotated.log-20261122
run "$OPSAUDIT" logins --threshold 3 rotated.log
assert_rc 2
assert_out_contains "from rotated.log (4 files): 5 failures, 2 successes (threshold 3)"
# Nov 30 (.2.gz), Dec 2 (.1), Dec 4 (rotated.log); Nov 21 (-20261122.gz) is before the previous period.
assert_out_matches '^  CRITICAL +failed_logins +203\.0\.113\.50 +5 failures from 11-30 01:00 to 12-04 01:00, users root, from sshd; then a login as root at 12-04 01:05$'
assert_out_matches '^  INFO +new_address +203\.0\.113\.50 '
# carol logged in from 192.0.2.40 on Nov 23 (in the dated file, the week before): not new.
assert_out_not_contains "new_address             192.0.2.40"
# Over 30 days every line is in the period: the pipeline over all four files agrees.
expected=$(zcat -f rotated.log-20261122.gz rotated.log.2.gz rotated.log.1 rotated.log | grep 'Failed password' |
  awk '{print $(NF-3)}' | sort | uniq -c | uniq_counts)
assert_eq "$(our_counts --since 30d rotated.log)" "$expected" "rotated files: our counts are the grep pipeline's"

# --- sshd-session, PAM + sshd pairs, RFC 3339 times, an injected user name -----
run "$OPSAUDIT" logins --threshold 1 "$L/sessions.log"
assert_rc 1
# One attempt counts once: Invalid user + PAM failure + Failed password, twice, then the close: 2.
assert_out_matches '^  WARNING +failed_logins +203\.0\.113\.60 +2 failures from 12-01 09:00 to 12-01 09:00, users admin'
# MaxAuthTries: three Failed lines; "maximum … exceeded" and "Too many authentication failures" add none.
assert_out_matches '^  WARNING +failed_logins +203\.0\.113\.61 +3 failures'
# The name "x from 203.0.113.99 port 1" cannot frame 203.0.113.99: the last "from IP port N" is the address.
assert_out_matches '^  WARNING +failed_logins +192\.0\.2\.77 +1 failure '
assert_eq "$(grep -Ec '(failed_logins +|^    )203\.0\.113\.99 ' <<<"$OUT" || true)" "0" "203.0.113.99 is not an address here"
# sudo and su failures have no address.
assert_out_matches '^  WARNING +failed_logins +\(no address\) +2 failures .*users dave root, from sudo, su'
assert_out_matches '^  INFO +invalid_users +2 names +3 attempts at user names that do not exist, most tried: admin \(2\)'

# fail2ban-regex on the same lines. Deliberate differences, each asserted:
# (1) Debian 12's filter (fail2ban 1.0.2) knows no sshd-session tag: it finds nothing
#     in an OpenSSH 9.8+ log. We read both tags.
assert_eq "$(fail2ban-regex -o ip "$L/sessions.log" "$SSHD_FILTER" | wc -l)" "0" "fail2ban misses sshd-session lines"
# With the tag renamed to sshd, fail2ban counts matching LINES, we count ATTEMPTS:
# (2) 203.0.113.60: "Invalid user admin" and the "Failed password for invalid user admin"
#     lines of one attempt are 2 lines for fail2ban, 1 attempt for us (3 vs 2);
# (3) 203.0.113.61: the "maximum authentication attempts exceeded" line that ends a
#     connection of 3 failed passwords is a 4th failure for fail2ban, none for us;
# (4) 192.0.2.77: Invalid user, Failed password and Connection closed of the one
#     attempt under the injected name are 3 lines for fail2ban, 1 attempt for us.
sed 's/sshd-session\[/sshd[/' "$L/sessions.log" > sessions-as-sshd.log
f2b=$(fail2ban-regex -o ip sessions-as-sshd.log "$SSHD_FILTER" | sort | uniq -c | uniq_counts)
assert_eq "$f2b" "3 192.0.2.77
3 203.0.113.60
4 203.0.113.61" "fail2ban's line counts"
assert_eq "$(our_counts sessions-as-sshd.log | grep -v 'no address')" "1 192.0.2.77
2 203.0.113.60
3 203.0.113.61" "our attempt counts"

# --- a year end read on January 2nd ---------------------------------------------
OPS_NOW=2027-01-02T08:00:00Z run "$OPSAUDIT" logins "$L/newyear.log"
assert_rc 1
assert_out_matches '^    203\.0\.113\.70 +5 +2026-12-31 23:59:50 +2027-01-01 00:00:09 +root +sshd$'

# --- hostile input: garbage, a 2 MB line, a truncated gzip ---------------------
{
  head -c 65536 /dev/urandom
  printf '\nDec  5 10:00:00 web sshd[1]: Failed password for root from 203.0.113.81 port 1 ssh2\n'
  printf 'Dec  5 10:00:01 web sshd[2]: Failed password for '
  head -c 2097152 /dev/zero | tr '\0' a
  printf ' from 203.0.113.82 port 1 ssh2\n'
  printf 'Dec  5 10:00:02 web sshd[3]: Failed password for root from 203.0.113.81 port 2 ssh2\n'
} > hostile.log
for i in $(seq 1 3000); do echo "Dec  4 10:00:00 web sshd[9]: Failed password for root from 203.0.113.83 port $i ssh2"; done |
  gzip > full.gz
head -c $(($(stat -c %s full.gz) / 2)) full.gz > hostile.log.1.gz
run "$OPSAUDIT" logins --threshold 2 hostile.log
assert_rc 1
assert_out_matches '^  WARNING +failed_logins +203\.0\.113\.81 +2 failures'
assert_out_not_contains "203.0.113.82"
assert_out_matches '^  note: hostile\.log: [0-9]+ lines? not understood \(no syslog time and program, or 1 longer than 1 MiB\), the first at line 1$'
assert_out_matches '^  note: .*hostile\.log\.1\.gz: .*; the lines before it were read$'
# The lines of the truncated gzip before its cut are counted.
assert_out_matches '^  WARNING +failed_logins +203\.0\.113\.83 +[0-9]+ failures'

# --- usage and unreadable sources ------------------------------------------------
run "$OPSAUDIT" logins --threshold 0 "$L/simple.log"
assert_rc 3
run "$OPSAUDIT" logins --db app "$L/simple.log"
assert_rc 3
assert_err_contains "--db needs --sql"
run "$OPSAUDIT" logins missing.log
assert_rc 2
assert_err_contains "missing.log"
# One unreadable source of two: not_audited, the other still read.
run "$OPSAUDIT" logins missing.log "$L/simple.log"
assert_rc 2
assert_out_matches '^  CRITICAL +not_audited +missing\.log +cannot open'
assert_out_contains "203.0.113.12"
