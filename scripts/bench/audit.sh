#!/usr/bin/env bash
# audit.sh — opsaudit logins on a generated 1 GB auth log, against the
# maintenance guide's `grep 'Failed password' | awk | sort | uniq -c` pipeline
# and fail2ban-regex with Debian's sshd filter, medians of RUNS runs; ratios and peak
# memory (/usr/bin/time -v) printed. Then scripts/bench/audit_changes.sh
# (opsaudit changes against aide --check) when it is there.
#
#   scripts/bench/audit.sh
#
# Environment:
#   OPSAUDIT   the opsaudit binary to measure (default: a Release build made in
#              build-bench/ at the repository root, without the tests)
#   SIZE_MB    the size of the generated log (default 1024)
#   RUNS       runs of opsaudit and of the pipeline, the median quoted (default 3)
#   F2B_RUNS   runs of fail2ban-regex on its slice (default 1: it is slow)
#   F2B_MB     the slice fail2ban-regex reads (default 32): it reads about a
#              megabyte a second, so its time on the whole log is its time on
#              the slice scaled by SIZE_MB / F2B_MB, and is reported as such
#
# The log is what an Internet-facing host's auth.log is made of: scanners'
# connections (Invalid user, PAM failures, Failed password, the closing
# lines), a few accepted logins, cron's PAM sessions, under sshd and
# sshd-session, from 50,000 addresses of which a few hundred do most of the
# work. The pipeline counts only the Failed password lines; opsaudit does the
# whole analysis (every shape, one attempt once, successes, root, new
# addresses, invalid users). The file is read once before timing, so every
# side reads it from the page cache.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
SIZE_MB=${SIZE_MB:-1024}
F2B_MB=${F2B_MB:-32}
RUNS=${RUNS:-3}
F2B_RUNS=${F2B_RUNS:-1}
FILTER=/etc/fail2ban/filter.d/sshd.conf

die() { echo "audit.sh: error: $*" >&2; exit 1; }
command -v fail2ban-regex >/dev/null || die "fail2ban-regex is not installed (package fail2ban: scripts/bootstrap)"
[[ -f $FILTER ]] || die "$FILTER is missing (package fail2ban)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is not installed (package time)"

if [[ -z ${OPSAUDIT:-} ]]; then
  echo "audit.sh: building opsaudit (Release) in $repo/build-bench ..." >&2
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$repo" -B "$repo/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
  cmake --build "$repo/build-bench" -j2 --target opsaudit >/dev/null
  OPSAUDIT=$repo/build-bench/tools/opsaudit/opsaudit
fi
[[ -x $OPSAUDIT ]] || die "no opsaudit binary at $OPSAUDIT"

work=$(mktemp -d "${TMPDIR:-/tmp}/audit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/auth.log
export OPS_NOW=2026-12-06T12:00:00Z TZ=UTC

echo "audit.sh: generating a ${SIZE_MB} MB auth log ..." >&2
python3 - "$log" "$SIZE_MB" <<'PY'
import random, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(16)
addrs = [f"{rnd.randint(1,223)}.{rnd.randint(0,255)}.{rnd.randint(0,255)}.{rnd.randint(1,254)}" for _ in range(50000)]
heavy = addrs[:300]
names = ["root", "admin", "test", "user", "oracle", "ubuntu", "postgres", "git", "deploy", "ftpuser", "guest", "pi"]
valid = ["root", "deploy", "alice", "bob"]
months = ["Nov"] * 2 + ["Dec"] * 6
days = [29, 30, 1, 2, 3, 4, 5, 6]
target = size_mb * 1024 * 1024
out = open(path, "w", buffering=8 << 20)
written, pid, t = 0, 10000, 0
span = 7 * 86400 - 7200
per_conn = 420  # bytes a connection writes, about: the clock advances by size
step = span / (target / per_conn)
while written < target:
    t += step
    d, rem = divmod(int(t), 86400)
    stamp = f"{months[d]} {days[d]:2d} {rem // 3600:02d}:{rem // 60 % 60:02d}:{rem % 60:02d} web"
    pid += 1
    prog = f"sshd[{pid}]" if pid % 3 else f"sshd-session[{pid}]"
    ip = rnd.choice(heavy) if rnd.random() < 0.7 else rnd.choice(addrs)
    port = rnd.randint(1024, 65535)
    r = rnd.random()
    lines = []
    if r < 0.45:
        u = rnd.choice(names) + (str(rnd.randint(0, 99)) if rnd.random() < 0.3 else "")
        lines.append(f"{stamp} {prog}: Invalid user {u} from {ip} port {port}")
        for _ in range(rnd.randint(1, 3)):
            lines.append(f"{stamp} {prog}: pam_unix(sshd:auth): check pass; user unknown")
            lines.append(f"{stamp} {prog}: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}")
            lines.append(f"{stamp} {prog}: Failed password for invalid user {u} from {ip} port {port} ssh2")
        lines.append(f"{stamp} {prog}: Connection closed by invalid user {u} {ip} port {port} [preauth]")
    elif r < 0.80:
        u = rnd.choice(valid)
        for _ in range(rnd.randint(1, 6)):
            lines.append(f"{stamp} {prog}: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={u}")
            lines.append(f"{stamp} {prog}: Failed password for {u} from {ip} port {port} ssh2")
        if rnd.random() < 0.2:
            lines.append(f"{stamp} {prog}: error: maximum authentication attempts exceeded for {u} from {ip} port {port} ssh2 [preauth]")
            lines.append(f"{stamp} {prog}: Disconnecting authenticating user {u} {ip} port {port}: Too many authentication failures [preauth]")
        else:
            lines.append(f"{stamp} {prog}: Connection closed by authenticating user {u} {ip} port {port} [preauth]")
    elif r < 0.90:
        lines.append(f"{stamp} {prog}: Connection closed by {ip} port {port} [preauth]")
        lines.append(f"{stamp} {prog}: Received disconnect from {ip} port {port}:11: Bye Bye [preauth]")
    elif r < 0.97:
        lines.append(f"{stamp} CRON[{pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
        lines.append(f"{stamp} CRON[{pid}]: pam_unix(cron:session): session closed for user root")
    else:
        u = rnd.choice(valid)
        lines.append(f"{stamp} {prog}: Accepted publickey for {u} from {ip} port {port} ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4")
        lines.append(f"{stamp} {prog}: pam_unix(sshd:session): session opened for user {u}(uid=1000) by (uid=0)")
        lines.append(f"{stamp} systemd-logind[400]: New session {pid} of user {u}.")
    block = "\n".join(lines) + "\n"
    out.write(block)
    written += len(block)
out.close()
PY
lines=$(wc -l <"$log")
size=$(stat -c %s "$log")
cat "$log" >/dev/null
f2b_slice=$work/slice.log
head -c $((F2B_MB * 1024 * 1024)) "$log" | sed '$d' >"$f2b_slice"

# measure NAME CMD...: RUNS runs under /usr/bin/time; sets SECS (the median
# wall time: these machines are shared and noisy), CPU (user + sys of that
# run) and KB (the largest peak resident set of the runs).
measure() {
  local name=$1 run walls=() cpus=() kb=0
  shift
  for ((run = 0; run < RUNS; run++)); do
    /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
      local rc=$?
      [[ $name == opsaudit && $rc -le 2 ]] || die "$name failed ($rc): $(tail -3 "$work/$name.err")"
    }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/$name.time")")
    cpus+=("$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$work/$name.time")")
    local k
    k=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
    ((k > kb)) && kb=$k
  done
  local mid
  mid=$(for i in "${!walls[@]}"; do echo "${walls[i]} $i"; done | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2) {print $2}')
  SECS=${walls[mid]} CPU=${cpus[mid]} KB=$kb
}

# As a person runs it (the text report that cron mails).
measure opsaudit "$OPSAUDIT" logins "$log"
ops_s=$SECS ops_kb=$KB ops_cpu=$CPU
measure pipeline bash -c "grep 'Failed password' '$log' | awk '{print \$(NF-3)}' | sort | uniq -c"
grep_s=$SECS grep_kb=$KB grep_cpu=$CPU
RUNS=$F2B_RUNS measure fail2ban fail2ban-regex "$f2b_slice" "$FILTER"
f2b_slice_s=$SECS f2b_kb=$KB f2b_cpu=$CPU
f2b_s=$(awk -v s="$f2b_slice_s" -v a="$size" -v b="$(stat -c %s "$f2b_slice")" 'BEGIN {printf "%.1f", s * a / b}')

failures=$(head -1 "$work/opsaudit.out")
grep_lines=$(awk '{s += $1} END {print s}' "$work/pipeline.out")
printf '\nopsaudit logins on %s MB (%s lines), median of %s runs (fail2ban-regex: %s), Release build\n' "$((size / 1024 / 1024))" "$lines" "$RUNS" "$F2B_RUNS"
printf '  opsaudit: %s\n' "$failures"
printf '  pipeline: %s Failed password lines, %s addresses\n' "$grep_lines" "$(wc -l <"$work/pipeline.out")"
printf '%-34s %10s %10s %12s\n' "command" "seconds" "cpu s" "peak MiB"
printf '%-34s %10s %10s %12s\n' "opsaudit logins" "$ops_s" "$ops_cpu" "$((ops_kb / 1024))"
printf '%-34s %10s %10s %12s\n' "grep | awk | sort | uniq -c" "$grep_s" "$grep_cpu" "$((grep_kb / 1024))"
printf '%-34s %10s %10s %12s\n' "fail2ban-regex (${F2B_MB} MB slice)" "$f2b_slice_s" "$f2b_cpu" "$((f2b_kb / 1024))"
printf '%-34s %10s %10s %12s\n' "fail2ban-regex (scaled to the log)" "$f2b_s" "-" "-"
awk -v o="$ops_s" -v g="$grep_s" -v f="$f2b_s" 'BEGIN {
  printf "ratios: pipeline / opsaudit = %.2f (target >= 1), fail2ban-regex / opsaudit = %.1f (target > 10)\n", g / o, f / o }'

if [[ -x $here/audit_changes.sh ]]; then
  echo
  OPSAUDIT=$OPSAUDIT "$here/audit_changes.sh"
fi
