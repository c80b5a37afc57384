#!/usr/bin/env bash
# opsrotate killed (SIGKILL) at 100 random moments while 50 logs are being
# written to, each run rotating all of them (create, compress): after every
# kill the state file still parses; at the end, after one clean run, every
# line the writer wrote is in exactly one file — none lost, none duplicated,
# no rotation overwritten.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

export TZ=UTC
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf
LOGDIR=$SCRATCH/logs
NLOGS=50
# A tree: one directory per application, as under /var/log.
for ((k = 1; k <= NLOGS; k++)); do mkdir -p "$LOGDIR/app$k"; done
RUNS=${OPS_ROTATE_KILL_RUNS:-100}

cat >"$SCRATCH/rotate.conf" <<CONF
$LOGDIR/*/app.log {
  size 1
  rotate 100000
  # Dated names (to the second; a name taken gets .1, .2): numbered ones would
  # make every run rename every earlier rotation, 100 runs x 50 logs of them.
  dateext
  dateformat -%s
  compress
  create 0640
  sharedscripts
  postrotate
    true
  endscript
}
CONF

# The application: appends numbered lines, opening the log by its path for
# each line as PHP's file_put_contents(FILE_APPEND) does, so a line goes to
# whatever file has the name at that moment.
perl -e '
  my ($dir, $n, $stop) = @ARGV;
  my $i = 0;
  until (-e $stop) {
    for my $k (1 .. $n) {
      open(my $fh, ">>", "$dir/app$k/app.log") or die "open: $!";
      printf $fh "%09d log%d %s\n", $i, $k, "x" x 60;
      close($fh) or die "close: $!";
    }
    $i++;
    select(undef, undef, undef, 0.01);   # a busy application, not a second CPU hog
  }
  open(my $out, ">", "$stop.count") or die; print $out "$i\n"; close($out);
' "$LOGDIR" "$NLOGS" "$SCRATCH/stop" &
writer=$!
at_exit kill "$writer"
sleep 0.5

state_ok() {  # every line of the state file is one logrotate (and opsrotate) reads
  [[ ! -e $SCRATCH/state ]] && return 0
  head -n 1 "$SCRATCH/state" | grep -qx 'logrotate state -- version 2' || return 1
  tail -n +2 "$SCRATCH/state" | grep -vqE '^"[^"]+" [0-9]+-[0-9]+-[0-9]+-[0-9]+:[0-9]+:[0-9]+$' && return 1
  return 0
}

# How long a whole run takes here (sanitizers, load): the kills are spread
# over twice that, so some runs finish and most die somewhere inside.
t0=$(date +%s%3N)
"$OPSROTATE" -q -s "$SCRATCH/state" "$SCRATCH/rotate.conf"
span=$((2 * ($(date +%s%3N) - t0) + 20))

kills=0
for ((run = 1; run <= RUNS; run++)); do
  "$OPSROTATE" -q -s "$SCRATCH/state" "$SCRATCH/rotate.conf" 2>>"$SCRATCH/runs.err" &
  pid=$!
  delay=$((RANDOM * 32768 + RANDOM))
  delay=$((delay % span))
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  if kill -KILL "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
  state_ok || fail "run $run: the state file does not parse after the kill: $(cat "$SCRATCH/state")"
done

touch "$SCRATCH/stop"
wait "$writer" || fail "the writer failed"
count=$(cat "$SCRATCH/stop.count")
run "$OPSROTATE" -s "$SCRATCH/state" "$SCRATCH/rotate.conf"
assert_rc 0
assert_eq "$(find "$LOGDIR" -name '.*' | wc -l)" 0 "no temporary file left after a clean run"
assert_eq "$(find "$LOGDIR" -name 'app.log-*' ! -name '*.gz' | wc -l)" 0 "every rotation compressed after a clean run"

# Every line of every log, from the live log and all rotations.
for f in "$LOGDIR"/*/*; do
  if gzip -t "$f" 2>/dev/null; then gzip -dc "$f"; else cat "$f"; fi
done | awk '{print $2, $1}' | LC_ALL=C sort >"$SCRATCH/lines"
total=$(wc -l <"$SCRATCH/lines")
dups=$(uniq -d "$SCRATCH/lines" | wc -l)
assert_eq "$dups" 0 "no line twice"
assert_eq "$total" "$((count * NLOGS))" "every line written is somewhere ($count per log)"
rotations=$(find "$LOGDIR" -name 'app.log?*' | wc -l)
((kills >= RUNS / 3)) || fail "only $kills of $RUNS runs were killed mid-way: the test did not test"
((rotations >= 2 * NLOGS)) || fail "only $rotations rotations in $RUNS runs: the runs made no progress"
echo "opsrotate_kill: $RUNS runs, $kills killed mid-run, $rotations rotations, $count lines per log, none lost or duplicated"
finish
