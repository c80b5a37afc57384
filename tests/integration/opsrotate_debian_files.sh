#!/usr/bin/env bash
# The /etc/logrotate.d files Debian 12's own packages ship, read and rotated by
# opsrotate beside logrotate. The files come from the packages themselves
# (apt-get download, dpkg-deb -x; the .debs are cached in the build directory,
# so a second run needs no network, and never kept in this repository), with
# Debian's own /etc/logrotate.conf including them. Each is rewritten for a
# scratch tree: its paths moved under the tree, its scripts replaced by `true`,
# and an account this machine does not have (munin, zabbix) replaced by root.
# Then
#   - every file parses in opsrotate alone (-d: no error, exit 0), and
#   - twin trees, one rotated by logrotate (under faketime), one by opsrotate
#     (OPS_NOW), over a first run, a run five weeks later and a forced run,
#     end with the same files (names, modes, contents) and the same state.
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

command -v logrotate >/dev/null || PATH=$PATH:/usr/sbin
command -v logrotate >/dev/null || fail "logrotate is not installed (scripts/bootstrap installs it)"
command -v faketime >/dev/null || fail "faketime is not installed (scripts/bootstrap installs it)"
export TZ=UTC
: >"$SCRATCH/empty.conf"
export OPS_CONFIG=$SCRATCH/empty.conf

# Packages of Debian 12 (bookworm) that ship a file in /etc/logrotate.d.
PACKAGES="logrotate dpkg apt aptitude rsyslog nginx-common apache2 lighttpd php8.2-fpm postgresql-common
  mariadb-server redis-server fail2ban ufw unattended-upgrades exim4-base cups-daemon samba squid haproxy
  varnish mosquitto libvirt-daemon-system ppp speech-dispatcher sssd-common munin zabbix-agent"

cache=$(dirname "$OPSROTATE")/../../debian-logrotate
mkdir -p "$cache"
missing=()
for pkg in $PACKAGES; do
  compgen -G "$cache/${pkg}_*.deb" >/dev/null || missing+=("$pkg")
done
if ((${#missing[@]})); then
  (cd "$cache" && apt-get download -q "${missing[@]}" >"$cache/apt.log" 2>&1) ||
    { tail -n 5 "$cache/apt.log" >&2; fail "apt-get download of ${missing[*]} failed (the Debian archive must be reachable once)"; }
fi

# Each package's files, unpacked once.
pkgs=$SCRATCH/pkgs
mkdir -p "$pkgs/logrotate.d"
for pkg in $PACKAGES; do
  debs=("$cache/${pkg}"_*.deb)
  assert_eq "${#debs[@]}" 1 "one cached .deb of $pkg"
  mkdir -p "$pkgs/$pkg"
  dpkg-deb -x "${debs[0]}" "$pkgs/$pkg"
  found=$(find "$pkgs/$pkg/etc/logrotate.d" -type f 2>/dev/null | wc -l)
  ((found > 0)) || fail "$pkg ships no /etc/logrotate.d file"
  cp "$pkgs/$pkg"/etc/logrotate.d/* "$pkgs/logrotate.d/"
done
cp "$pkgs/logrotate/etc/logrotate.conf" "$pkgs/logrotate.conf"
files=$(ls "$pkgs/logrotate.d")

# Accounts the files name that this machine lacks become root.
accounts=$(awk '$1 == "create" { print $3; print $4 } $1 == "su" { print $2; print $3 }' "$pkgs"/logrotate.d/* | sort -u)
account_map=""
for a in $accounts; do
  getent passwd "$a" >/dev/null || getent group "$a" >/dev/null || account_map+="$a=root "
done

# rewrite FILE ROOT: the file for a tree at ROOT.
rewrite() {
  sed "s|/etc/logrotate.d|$2/etc/logrotate.d|; s|\([[:space:]]\)/var/|\1$2/var/|g; s|^/var/|$2/var/|" "$1" |
    awk -v map="$account_map" '
      BEGIN { n = split(map, pairs, " "); for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); to[kv[1]] = kv[2] } }
      in_script && $1 == "endscript" { in_script = 0; print; next }
      in_script { next }
      $1 ~ /^(prerotate|postrotate|firstaction|lastaction|preremove)$/ { in_script = 1; print; print "\ttrue"; next }
      $1 == "create" || $1 == "su" {
        for (i = 2; i <= NF; i++) if ($i in to) $i = to[$i]
      }
      { print }'
}

# The log paths the files name, with a glob's * made "main" and "error", each
# with the form its block leaves an earlier rotation in: gz (compress, not
# delaycompress) or plain. Debian's logrotate.conf says neither.
logs_with_kind() {
  awk '/^[[:space:]]*#/ { next }
       depth == 0 { for (i = 1; i <= NF; i++) if ($i ~ /^\//) { sub(/[{]$/, "", $i); pats[++n] = $i } }
       depth == 1 && $1 ~ /^(no)?(delay)?compress$/ { flag[$1] = 1 }
       /[{]/ { depth++ }
       /[}]/ { depth--
             kind = ("compress" in flag) && !("delaycompress" in flag) ? "gz" : "plain"
             for (i = 1; i <= n; i++) print pats[i], kind
             n = 0; delete flag }' "$@" |
    while read -r p kind; do
      if [[ $p == *'*'* ]]; then echo "${p/\*/main} $kind"; echo "${p/\*/error} $kind"; else echo "$p $kind"; fi
    done | LC_ALL=C sort -u
}
log_paths() { logs_with_kind "$@" | cut -d' ' -f1; }

for tool in ops lr; do
  root=$SCRATCH/$tool
  mkdir -p "$root/etc/logrotate.d"
  rewrite "$pkgs/logrotate.conf" "$root" >"$root/etc/logrotate.conf"
  for f in $files; do rewrite "$pkgs/logrotate.d/$f" "$root" >"$root/etc/logrotate.d/$f"; done
  n=0
  while read -r rel kind; do
    p=$root$rel
    mkdir -p "$(dirname "$p")"
    n=$((n + 1))
    # Every third log starts empty (notifempty), every second has an earlier
    # rotation (delaycompress compresses it, the shift moves it).
    if ((n % 3 == 0)); then : >"$p"; else echo "first line of $rel" >"$p"; fi
    ((n % 2 == 0)) || continue
    # The deliberate difference: apt's history.log has an earlier rotation
    # left plain though its block compresses at once (compress turned on
    # later). logrotate's rotation renames the log over it (app.log.1 is
    # lost); opsrotate never renames over a file: it shifts it to .2.gz.
    [[ $rel == /var/log/apt/history.log ]] && kind=plain
    if [[ $kind == gz ]]; then echo "older rotation of $rel" | gzip >"$p.1.gz"
    else echo "older rotation of $rel" >"$p.1"; fi
  done < <(logs_with_kind "$pkgs"/logrotate.d/*)
done
assert_eq "$(grep -c "$SCRATCH/ops/var" "$SCRATCH/ops/etc/logrotate.d/rsyslog")" 6 "rsyslog's six logs are moved into the tree"
assert_eq "$(grep -c '^[[:space:]]*true$' "$SCRATCH/ops/etc/logrotate.d/nginx")" 2 "nginx's two scripts are replaced by true"

# Every file parses in opsrotate alone, logs present: no error, exit 0.
for f in $files; do
  run "$OPSROTATE" -d -s "$SCRATCH/parse.state" "$SCRATCH/ops/etc/logrotate.d/$f"
  assert_rc 0
  assert_err_not_contains "error"
done

# listing DIR: one line per file under DIR/var, sorted: PATH MODE KIND CONTENT.
listing() {
  (cd "$1" && find var -type f -printf '%P\n' | LC_ALL=C sort) | while IFS= read -r f; do
    local kind=plain content
    if gzip -t "$1/var/$f" 2>/dev/null; then kind=gz; content=$(gzip -dc "$1/var/$f" | tr '\n' '|')
    else content=$(tr '\n' '|' <"$1/var/$f"); fi
    printf '%s %s %s %s\n' "$f" "$(stat -c %a "$1/var/$f")" "$kind" "$content"
  done
}
state_of() {
  tail -n +2 "$1" | sed "s|$2|@DIR@|g" | sed -E 's/(-[0-9]+:[0-9]+):[0-9]+$/\1/' | LC_ALL=C sort
}

for d in 2027-01-01 2027-02-05 -f:2027-02-06; do
  force=""
  [[ $d == -f:* ]] && force=-f d=${d#-f:}
  for tool in ops lr; do
    root=$SCRATCH/$tool
    for rel in $(log_paths "$pkgs"/logrotate.d/*); do
      [[ $d == 2027-01-01 ]] || echo "line of $d" >>"$root$rel"
      touch -d "$d 03:00:00" "$root$rel"
    done
  done
  root=$SCRATCH/ops
  # shellcheck disable=SC2086
  run env OPS_NOW="${d}T03:00:00Z" "$OPSROTATE" $force -s "$root/status" "$root/etc/logrotate.conf"
  assert_rc 0
  root=$SCRATCH/lr
  # shellcheck disable=SC2086
  faketime "$d 03:00:00" logrotate $force -s "$root/status" "$root/etc/logrotate.conf" >"$SCRATCH/lr.out" 2>&1 ||
    { cat "$SCRATCH/lr.out" >&2; fail "logrotate failed on $d"; }
  ops_listing=$(listing "$SCRATCH/ops")
  kept='^log/apt/history\.log\.[0-9]+\.gz [0-9]+ gz older rotation'
  if [[ $d != 2027-01-01 ]]; then
    grep -Eq "$kept" <<<"$ops_listing" || fail "opsrotate lost apt's earlier plain rotation on $d: $ops_listing"
  fi
  assert_eq "$(listing "$SCRATCH/lr")" "$(grep -Ev "$kept" <<<"$ops_listing")" \
    "logrotate and opsrotate left the same files on $d $force, but for apt's earlier rotation logrotate renamed over"
  assert_eq "$(state_of "$SCRATCH/lr/status" "$SCRATCH/lr")" "$(state_of "$SCRATCH/ops/status" "$SCRATCH/ops")" \
    "the same state on $d $force"
done
# The runs did rotate: daily, weekly and monthly logs, compressed a run later.
assert_err_not_contains "error"
[[ $ops_listing == *"nginx/main.log.1 "* && $ops_listing == *"nginx/main.log.2.gz "* ]] ||
  fail "nginx's logs were not rotated and compressed: $ops_listing"
[[ $ops_listing == *"dpkg.log.1 "* ]] || fail "dpkg's monthly log was not rotated"
echo "opsrotate_debian_files: $(wc -w <<<"$files") files of $(wc -w <<<"$PACKAGES") packages, $(log_paths "$pkgs"/logrotate.d/* | wc -l) logs"
finish
