#!/usr/bin/env bash
# opshealth process, systemd, tcp and updates on this machine: a process
# counted by its exact name (never opshealth, its shell or a zombie), side by
# side with check_procs -C; systemd where systemd is not init (UNKNOWN, said
# plainly) and through a fake systemctl printing known states; a TCP listener
# up, refused, silent, over IPv6 and a name that does not resolve, beside
# check_tcp; pending updates beside check_apt on this machine's apt state, and
# the parser on fixed `apt-get -s` output from a fake apt-get.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
while read -r var; do unset "$var"; done < <(compgen -e | grep '^OPS_HEALTH_' || true)
PLUGINS=/usr/lib/nagios/plugins
for p in check_procs check_tcp check_apt; do
  [[ -x $PLUGINS/$p ]] || fail "$PLUGINS/$p is missing: scripts/bootstrap installs monitoring-plugins"
done

# tsv_field COLUMN: a column of the first row of the last run's --format tsv.
tsv_field() {
  awk -F'\t' -v col="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next } NR == 2 { print $c }' "$OUT_FILE"
}
# promtool_ok: the last run's stdout passes `promtool check metrics` (names, units, labels).
promtool_ok() {
  cp "$OUT_FILE" "$SCRATCH/metrics.prom"
  run sh -c 'promtool check metrics <"$1"' sh "$SCRATCH/metrics.prom"
  assert_rc 0
}
# twin OURS_RC PEER...: the peer reaches the state opshealth reached.
twin() {
  local ours=$1
  shift
  run "$@"
  assert_rc "$ours"
}

BIN=$SCRATCH/bin
mkdir "$BIN"
KIDS=()
stop_kids() { local k; for k in "${KIDS[@]}"; do kill "$k" 2>/dev/null || true; done; }
at_exit stop_kids

# ===== process ===========================================================================
# Programs with names of their own, so nothing else on the machine counts.
cp "$(command -v sleep)" "$BIN/ohsleeper"
cp "$(command -v sleep)" "$BIN/ohs_long_sleeper_name"   # longer than comm's 15 bytes
cp "$(command -v sh)" "$BIN/ohshell"

run "$OPSHEALTH" --format tsv process ohsleeper
assert_rc 2
assert_eq "$(tsv_field value)" 0 "nothing named ohsleeper yet"
assert_eq "$(tsv_field message)" "no process named ohsleeper is running"
twin 2 "$PLUGINS/check_procs" -C ohsleeper -c 1:

"$BIN/ohsleeper" 300 >/dev/null 2>&1 &
KIDS+=($!)
"$BIN/ohsleeper" 300 >/dev/null 2>&1 &
KIDS+=($!)

# Run from `sh -c` whose own command line holds the name: the shell is not
# an ohsleeper (its comm is sh), so only the two sleepers count.
run sh -c "\"$OPSHEALTH\" --format tsv process ohsleeper; exit \$?"
assert_rc 0
assert_eq "$(tsv_field value)" 2 "two sleepers, not the shell whose command line names them"
assert_eq "$(tsv_field message)" "2 processes named ohsleeper running"
twin 0 sh -c "\"$PLUGINS/check_procs\" -C ohsleeper -c 1:; exit \$?"
assert_out_contains "2 processes with command name 'ohsleeper'"

# Thresholds on the count: ranges as check_procs -w/-c read them.
run "$OPSHEALTH" process ohsleeper --warn 3: --crit 1:
assert_rc 1
twin 1 "$PLUGINS/check_procs" -C ohsleeper -w 3: -c 1:
run "$OPSHEALTH" process ohsleeper --crit 0:1
assert_rc 2
twin 2 "$PLUGINS/check_procs" -C ohsleeper -c 0:1
run "$OPSHEALTH" --format nagios process ohsleeper --warn 1:5
assert_rc 0
assert_out_contains "'processes'=2;1:5;1:;0"
run "$OPSHEALTH" --format prometheus process ohsleeper
assert_out_contains 'ops_health_processes{check="process ohsleeper",name="ohsleeper"} 2'
promtool_ok

# Its own shell is never counted. check_procs skips its direct parent too
# (same state), but not a shell further up: from ohshell -c "sh -c …" it
# counts the ohshell (OK), while opshealth skips its whole parent chain
# (CRITICAL) — a deliberate difference.
run "$BIN/ohshell" -c "\"$OPSHEALTH\" --format tsv process ohshell; exit \$?"
assert_rc 2
assert_eq "$(tsv_field value)" 0 "its own shell is not counted"
twin 2 "$BIN/ohshell" -c "\"$PLUGINS/check_procs\" -C ohshell -c 1:; exit \$?"
run "$BIN/ohshell" -c "sh -c '\"$OPSHEALTH\" --format tsv process ohshell; exit \$?'; exit \$?"
assert_rc 2
assert_eq "$(tsv_field value)" 0 "nor the shell above that"
run "$BIN/ohshell" -c "sh -c '\"$PLUGINS/check_procs\" -C ohshell -c 1:; exit \$?'; exit \$?"
assert_rc 0  # the peer counts the shell that started its own shell
# …and never itself: a copy under a name of its own (other opshealth runs
# of other tests may be on this machine) does not find itself.
cp "$OPSHEALTH" "$BIN/ohhealth"
run "$BIN/ohhealth" --format tsv process ohhealth
assert_rc 2
assert_eq "$(tsv_field value)" 0 "opshealth does not count itself"

# Deliberate difference: a zombie has ended and is not counted (check_procs counts it).
cp "$(command -v sleep)" "$BIN/ohzombie"
sh -c "\"$BIN/ohzombie\" 0 & exec \"$BIN/ohzombie\" 300" >/dev/null 2>&1 &
KIDS+=($!)
for _ in $(seq 100); do
  grep -qs '^[0-9]* (ohzombie) Z' /proc/[0-9]*/stat && break
  sleep 0.1
done
grep -qs '^[0-9]* (ohzombie) Z' /proc/[0-9]*/stat || fail "no zombie ohzombie appeared"
run "$OPSHEALTH" --format tsv process ohzombie --crit 2:
assert_rc 2
assert_eq "$(tsv_field value)" 1 "the live one only"
assert_eq "$(tsv_field message)" "1 process named ohzombie running (1 defunct not counted)"
run "$PLUGINS/check_procs" -C ohzombie -c 2:
assert_rc 0  # the peer counts the zombie too
assert_out_contains "2 processes"

# Deliberate difference: a name longer than comm's 15 bytes is found by its
# argv[0]; check_procs -C compares the cut comm and finds none.
"$BIN/ohs_long_sleeper_name" 300 >/dev/null 2>&1 &
KIDS+=($!)
run "$OPSHEALTH" --format tsv process ohs_long_sleeper_name
assert_rc 0
assert_eq "$(tsv_field value)" 1 "found by its whole name"
run "$PLUGINS/check_procs" -C ohs_long_sleeper_name -c 1:
assert_rc 2

# A name with a space and parentheses: /proc/PID/stat's comm ends at the last ')'.
cp "$(command -v sleep)" "$BIN/oh) (odd"
"$BIN/oh) (odd" 300 >/dev/null 2>&1 &
KIDS+=($!)
run "$OPSHEALTH" --format tsv process "oh) (odd"
assert_rc 0
assert_eq "$(tsv_field value)" 1 "comm with ') (' in it"

run "$OPSHEALTH" process /usr/bin/sleep
assert_rc 3
assert_out_contains "invalid process name '/usr/bin/sleep': give the program's name, without a path"

# ===== systemd ===========================================================================
# What a user sees on this machine: where systemd is not init, UNKNOWN, saying so.
if [[ -d /run/systemd/system ]]; then
  run "$OPSHEALTH" --format tsv systemd systemd-journald.service
  assert_rc 0
  assert_eq "$(tsv_field value)" "active (running)"
else
  run "$OPSHEALTH" --format tsv systemd cron.service
  assert_rc 3
  assert_eq "$(tsv_field status)" UNKNOWN
  assert_out_contains "systemd is not running on this host (no /run/systemd/system): "
fi

# A fake systemctl earlier in PATH prints known states, and records how it was run.
FAKE=$SCRATCH/fake-systemd
mkdir "$FAKE"
cat >"$FAKE/systemctl" <<'EOF'
#!/bin/sh
printf '%s\n' "$*" >>"$(dirname "$0")/calls"
unit=$(eval echo "\${$#}")
case $unit in
  good.service)     printf 'LoadState=loaded\nActiveState=active\nSubState=running\n' ;;
  bad.service)      printf 'ActiveState=failed\nSubState=failed\nLoadState=loaded\n' ;;
  stopped.service)  printf 'LoadState=loaded\nActiveState=inactive\nSubState=dead\n' ;;
  starting.service) printf 'LoadState=loaded\nActiveState=activating\nSubState=start\n' ;;
  missing.service)  printf 'LoadState=not-found\nActiveState=inactive\nSubState=dead\n' ;;
  hang.service)     exec sleep 300 ;;
  *) echo "Failed to get properties: Access denied" >&2; exit 1 ;;
esac
EOF
chmod +x "$FAKE/systemctl"
sysd() { run env PATH="$FAKE:$PATH" "$OPSHEALTH" --format tsv systemd "$@"; }

sysd good.service
assert_rc 0
assert_eq "$(tsv_field value)" "active (running)"
assert_eq "$(tail -n 1 "$FAKE/calls")" "show --no-pager -p ActiveState,SubState,LoadState -- good.service" \
  "systemctl show with the three properties, the unit after --"
run env PATH="$FAKE:$PATH" "$OPSHEALTH" --format prometheus systemd good.service
assert_out_contains 'ops_health_systemd_unit_active{check="systemd good.service",unit="good.service"} 1'
promtool_ok
sysd bad.service
assert_rc 2
assert_eq "$(tsv_field value)" "failed (failed)"
sysd stopped.service
assert_rc 2
assert_eq "$(tsv_field message)" "stopped.service is inactive (dead)"
sysd starting.service
assert_rc 1
sysd missing.service
assert_rc 2
assert_eq "$(tsv_field message)" "no such unit"
sysd other.service
assert_rc 3
assert_out_contains "Failed to get properties: Access denied"
# A systemctl that never answers: the check ends at its deadline and says so.
run timeout 60 env PATH="$FAKE:$PATH" "$OPSHEALTH" --format tsv systemd hang.service --timeout 2s
assert_rc 2
assert_out_contains "did not answer in time"
run env PATH="$FAKE:$PATH" "$OPSHEALTH" systemd -- -x.service
assert_rc 3
assert_out_contains "invalid unit name '-x.service'"

# ===== tcp ===============================================================================
# A listener (accepts), a closed port, and a listener whose queue is full (silent).
cat >"$SCRATCH/listen.py" <<'EOF'
import socket, sys, time
family = socket.AF_INET6 if sys.argv[1] == "::1" else socket.AF_INET
s = socket.socket(family)
s.bind((sys.argv[1], 0))
s.listen(0 if sys.argv[2] == "full" else 16)
fill = []
if sys.argv[2] == "full":  # fill the accept queue: the kernel then drops new SYNs
    for _ in range(4):
        c = socket.socket(family); c.setblocking(False); c.connect_ex(s.getsockname()[:2]); fill.append(c)
    time.sleep(0.5)
print(s.getsockname()[1], flush=True)
while True:
    if sys.argv[2] == "accept":
        c, _ = s.accept(); c.close()
    else:
        time.sleep(1)
EOF
listener() {  # listener ADDR MODE: starts it, sets PORT
  local file=$SCRATCH/port.$((++LISTENERS))
  python3 "$SCRATCH/listen.py" "$1" "$2" >"$file" 2>/dev/null &
  KIDS+=($!)
  for _ in $(seq 100); do
    grep -qs '^[0-9][0-9]*$' "$file" && break
    sleep 0.1
  done
  PORT=$(cat "$file")
  [[ -n $PORT ]] || fail "the listener on $1 did not start"
}
LISTENERS=0
listener 127.0.0.1 accept
OPEN=$PORT
run "$OPSHEALTH" --format tsv tcp "127.0.0.1:$OPEN"
assert_rc 0
assert_out_matches "^tcp 127\.0\.0\.1:$OPEN	OK	[0-9.]+ ms	"
assert_eq "$(tsv_field message | sed 's/ in .*//')" "connected to 127.0.0.1 port $OPEN"
twin 0 "$PLUGINS/check_tcp" -H 127.0.0.1 -p "$OPEN"
run "$OPSHEALTH" --format nagios tcp "localhost:$OPEN" --warn-time 0
assert_rc 1  # any time above 0 s
assert_out_matches "'time'=[0-9.]+s;0;;0$"
run "$OPSHEALTH" --format prometheus tcp "127.0.0.1:$OPEN"
assert_out_matches '^ops_health_tcp_connect_seconds\{check="tcp 127\.0\.0\.1:[0-9]+"\} [0-9.e-]+$'
promtool_ok

CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run "$OPSHEALTH" --format tsv tcp "127.0.0.1:$CLOSED"
assert_rc 2
assert_eq "$(tsv_field message)" "cannot connect to 127.0.0.1 port $CLOSED: Connection refused"
twin 2 "$PLUGINS/check_tcp" -H 127.0.0.1 -p "$CLOSED"

listener ::1 accept
run "$OPSHEALTH" --format tsv tcp "[::1]:$PORT"
assert_rc 0
assert_out_contains "connected to ::1 port $PORT"
twin 0 "$PLUGINS/check_tcp" -H ::1 -p "$PORT"

run "$OPSHEALTH" --format tsv tcp no-such-host.invalid:80
assert_rc 2
assert_out_contains "cannot resolve no-such-host.invalid: "
twin 2 "$PLUGINS/check_tcp" -H no-such-host.invalid -p 80

listener 127.0.0.1 full
run timeout 60 "$OPSHEALTH" --format tsv tcp "127.0.0.1:$PORT" --timeout 2s
assert_rc 2
assert_eq "$(tsv_field message)" "no answer from 127.0.0.1 port $PORT in time"

for bad in "::1:80" "db1" "db1:0" "db1:99999" "[::1]" "[::1:80"; do
  run "$OPSHEALTH" tcp "$bad"
  assert_rc 3
  assert_out_contains "invalid target '$bad'"
done

# ===== updates ===========================================================================
# Side by side with check_apt on this machine's own apt state (no network).
# apt-get -s reads every package list: on a loaded machine it takes longer
# than either tool's default 10 s (check_apt then says only "Plugin timed
# out"), so both are given time; what is compared is the counts.
run "$OPSHEALTH" --format tsv updates --timeout 300s
OURS=$RC
read -r total security < <(tsv_field value | sed -E 's/^([0-9]+) \(([0-9]+) security\)$/\1 \2/')
run "$PLUGINS/check_apt" -t 300
assert_rc "$OURS"
read -r peer_total peer_security < <(sed -nE 's/.* ([0-9]+) packages? available for (dist-)?upgrade \(([0-9]+) critical updates?\).*/\1 \3/p' <<<"$OUT")
assert_eq "$total" "$peer_total" "pending updates, as check_apt counts them"
assert_eq "$security" "$peer_security" "security updates, check_apt's critical ones"
run "$OPSHEALTH" --format tsv updates --dist-upgrade --timeout 300s
OURS=$RC
run "$PLUGINS/check_apt" -d -t 300
assert_rc "$OURS"

# The parser on fixed output: a fake apt-get earlier in PATH.
APT=$SCRATCH/fake-apt
mkdir "$APT"
cat >"$APT/apt-get" <<'EOF'
#!/bin/sh
printf '%s\n' "$*" >>"$(dirname "$0")/calls"
case $FAKE_APT in
  mixed) cat <<'OUT' ;;
NOTE: This is only a simulation!
Reading package lists...
The following packages will be upgraded:
  bash libgcrypt20 libssl3
Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])
Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])
Inst libssl3 [3.0.2-0ubuntu1.10] (3.0.2-0ubuntu1.12 Ubuntu:22.04/jammy-security [amd64]) []
Conf bash (5.2.15-2+b13 Debian:12.15/oldstable [amd64])
Conf libgcrypt20 (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])
Conf libssl3 (3.0.2-0ubuntu1.12 Ubuntu:22.04/jammy-security [amd64])
OUT
  plain) printf 'Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\nInst tzdata [2024a-0] (2025b-0 Debian:12.15/oldstable-updates [all])\n' ;;
  none) printf 'Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n' ;;
  locked) echo 'E: Could not open lock file /var/lib/dpkg/lock-frontend' >&2; exit 100 ;;
esac
EOF
chmod +x "$APT/apt-get"
upd() { run env PATH="$APT:$PATH" FAKE_APT="$1" "$OPSHEALTH" --format tsv updates "${@:2}"; }

upd mixed
assert_rc 2
assert_eq "$(tsv_field value)" "3 (2 security)" "Debian-Security and Ubuntu *-security origins; Conf lines not counted"
assert_eq "$(tsv_field message)" "3 updates pending, 2 of them security: libgcrypt20, libssl3"
assert_eq "$(tail -n 1 "$APT/calls")" "-s -q -o Debug::NoLocking=1 upgrade" "a simulation, without the lock"
upd mixed --dist-upgrade
assert_eq "$(tail -n 1 "$APT/calls")" "-s -q -o Debug::NoLocking=1 dist-upgrade"
upd mixed --security-crit 5 --security-warn 1
assert_rc 1
upd plain
assert_rc 1
assert_eq "$(tsv_field value)" "2 (0 security)" "an -updates suite is not a security one"
upd plain --warn 5
assert_rc 0
upd plain --crit 1
assert_rc 2
upd none
assert_rc 0
assert_eq "$(tsv_field message)" "no updates pending"
run env PATH="$APT:$PATH" FAKE_APT=mixed "$OPSHEALTH" --format nagios updates
assert_out_contains "'updates'=3;0;;0 'security'=2;;0;0"
run env PATH="$APT:$PATH" FAKE_APT=mixed "$OPSHEALTH" --format prometheus updates
assert_out_contains 'ops_health_updates_security_pending{check="updates"} 2'
promtool_ok
upd locked
assert_rc 3
assert_out_contains "E: Could not open lock file /var/lib/dpkg/lock-frontend"

finish
