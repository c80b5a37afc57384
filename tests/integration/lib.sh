# shellcheck shell=bash
# lib.sh — helpers for the integration test scripts (tests/integration/*.sh).
#
# Source it first:   . "$(dirname "$0")/lib.sh"
#
# It turns on `set -euo pipefail`, makes a scratch directory $SCRATCH and cd's into it,
# and at exit prints "ok N assertions" (success: the scratch is removed) or keeps the
# scratch directory and prints its path (failure). A script that makes no assertion fails.
# Never skip: a missing server or tool is a failure.
#
#   run CMD...               run CMD (stdin /dev/null) without aborting: $OUT, $ERR, $RC
#                            ($OUT/$ERR lose trailing newlines; raw bytes in $OUT_FILE/$ERR_FILE)
#   run_with_input STR CMD...   the same with STR on stdin
#   assert_rc N              exit status of the last run
#   assert_out_contains STR  / assert_out_not_contains STR / assert_out_eq STR
#   assert_out_matches ERE   an extended regex matched against each line (grep -E)
#   assert_err_contains STR  / assert_err_not_contains STR / assert_err_matches ERE
#   assert_eq ACTUAL EXPECTED [MSG]
#   assert_file_exists PATH  / assert_no_file PATH
#   fail MSG                 fail now, with the last command's output
#   at_exit CMD...           run CMD when the script ends (last registered runs first)
#   finish                   end the script successfully (optional: reaching the end does it)
#
# Proving that a command changed nothing on disk:
#   tree_state [--mtime] [--below] DIR
#                            print the state of the tree DIR as text: a header line with
#                            the options, then one line per entry, sorted: path (shell-
#                            quoted when needed; DIR itself is "."), type (find's %y), mode
#                            (octal), size (not a directory's: it grows with entries made
#                            and removed), then a symlink's target ("-> T") or a regular
#                            file's SHA-256. FIFOs and devices are never opened. Times are
#                            left out (a read changes atime) unless --mtime: every entry's
#                            mtime (a symlink's own). --below: DIR itself left out (for a
#                            DIR in which the test itself makes and removes entries).
#                            One find and one sha256sum over all regular files.
#   assert_tree_unchanged BEFORE DIR [MSG]
#                            the tree_state of DIR, with BEFORE's options, is BEFORE;
#                            on failure, shows the lines that differ:
#                              before=$(tree_state --mtime "$D"); run ...
#                              assert_tree_unchanged "$before" "$D" "a dry run changes nothing"
#
# Databases (servers from scripts/test-servers, env from tests/integration/run-with-servers):
#   require_servers          fail unless OPS_TEST_PG_DSN and OPS_TEST_MYSQL_DSN are set
#   pg_sql SQL [DB]          psql as ops_test (password via PGPASSFILE), unaligned, tuples only
#   mysql_sql SQL [DB]       mariadb as ops_test (password via --defaults-file), batch, no names
#   pg_passfile / mysql_cnf  print the path of a 0600 pgpass / [client] file for ops_test
#   new_pg_db VAR / new_mysql_db VAR   create a fresh database ops_test_<test>_<random> owned by
#                            ops_test, store its name in VAR, drop it at exit
#   pg_dsn DB / mysql_dsn DB print the DSN of the test server for database DB
#   pg_admin SQL [DB]        psql as the PostgreSQL test server's superuser (the system user that
#                            started it, or postgres when that is root: peer authentication on its
#                            socket); DB defaults to postgres
#
# Environment set by ctest: OPS_SOURCE_DIR, OPS_BIN_DIR (the tool directories, also on PATH),
# OPSDF=/path/to/opsdf (one per tool), OPS_TEST_SCRATCH (this test's scratch root).

set -euo pipefail
set -o errtrace

T_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
OPS_SOURCE_DIR=${OPS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FIXTURES=$OPS_SOURCE_DIR/tests/fixtures
export OPS_SOURCE_DIR FIXTURES

_t_root=${OPS_TEST_SCRATCH:-${TMPDIR:-/tmp}}
mkdir -p "$_t_root"
_T_DIR=$(mktemp -d "$_t_root/$T_NAME.XXXXXX")
SCRATCH=$_T_DIR/work
_T_LIB=$_T_DIR/lib
mkdir "$SCRATCH" "$_T_LIB"
OUT_FILE=$_T_LIB/stdout
ERR_FILE=$_T_LIB/stderr
: >"$OUT_FILE"
: >"$ERR_FILE"

ASSERTIONS=0
OUT=
ERR=
RC=
LAST_CMD=
_t_cleanups=()

_t_quote() {  # the command as one would type it: args in single quotes when needed
  local a s='' q="'"
  for a in "$@"; do
    if [[ $a =~ ^[-A-Za-z0-9_./:=@%+,]+$ ]]; then s+="$a "; else s+="$q${a//$q/$q\\$q$q}$q "; fi
  done
  printf '%s' "${s% }"
}

_t_show() {  # LABEL FILE: print a captured stream, at most 100 lines
  local n
  n=$(wc -l <"$2")
  echo "  --- $1 ---"
  if [[ ! -s $2 ]]; then
    echo "  (empty)"
  else
    head -n 100 "$2"
    ((n <= 100)) || echo "  ... ($n lines, all in $2)"
  fi
}

# Report a failure at the caller of the public helper (two frames up), then exit 1.
_t_fail() {
  local where="${BASH_SOURCE[2]:-?}:${BASH_LINENO[1]:-?}"
  {
    echo "FAIL: ${where##*/}: $1"
    if [[ -n $LAST_CMD ]]; then
      echo "  last command: $LAST_CMD"
      echo "  exit status: $RC"
      _t_show stdout "$OUT_FILE"
      _t_show stderr "$ERR_FILE"
    fi
  } >&2
  exit 1
}

_t_on_err() {
  local rc=$1 cmd=$2 where=$3
  echo "FAIL: ${where##*/}: command failed with exit status $rc: $cmd" >&2
}
trap '_t_on_err $? "$BASH_COMMAND" "${BASH_SOURCE[0]:-?}:$LINENO"' ERR

_t_on_exit() {
  local rc=$? i
  trap - ERR
  set +e
  for ((i = ${#_t_cleanups[@]} - 1; i >= 0; i--)); do
    eval "${_t_cleanups[i]}" >/dev/null 2>&1
  done
  cd / || true
  if ((rc == 0 && ASSERTIONS == 0)); then
    echo "FAIL: $T_NAME made no assertions" >&2
    rc=1
  fi
  if ((rc == 0)); then
    echo "ok $ASSERTIONS assertions"
    rm -rf -- "$_T_DIR"
  else
    echo "$T_NAME: failed (exit status $rc); scratch directory kept: $SCRATCH" >&2
  fi
  exit "$rc"
}
trap _t_on_exit EXIT

cd "$SCRATCH"

# --- running commands ----------------------------------------------------------
run() {
  LAST_CMD=$(_t_quote "$@")
  RC=0
  "$@" </dev/null >"$OUT_FILE" 2>"$ERR_FILE" || RC=$?
  OUT=$(cat "$OUT_FILE")
  ERR=$(cat "$ERR_FILE")
}

run_with_input() {
  local input=$1; shift
  printf '%s' "$input" >"$_T_LIB/stdin"
  LAST_CMD="$(_t_quote "$@") <<< $(printf '%q' "$input")"
  RC=0
  "$@" <"$_T_LIB/stdin" >"$OUT_FILE" 2>"$ERR_FILE" || RC=$?
  OUT=$(cat "$OUT_FILE")
  ERR=$(cat "$ERR_FILE")
}

at_exit() { _t_cleanups+=("$(_t_quote "$@")"); }

finish() { exit 0; }

fail() { _t_fail "$*"; }

# --- assertions ----------------------------------------------------------------
assert_rc() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ $RC == "$1" ]] || _t_fail "expected exit status $1, got $RC"
}

assert_out_contains() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ $OUT == *"$1"* ]] || _t_fail "stdout does not contain: $1"
}

assert_out_not_contains() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ $OUT != *"$1"* ]] || _t_fail "stdout contains: $1"
}

assert_out_eq() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ $OUT == "$1" ]] || _t_fail "stdout is not exactly: $1"
}

assert_out_matches() {
  ASSERTIONS=$((ASSERTIONS + 1))
  grep -Eq -- "$1" "$OUT_FILE" || _t_fail "no line of stdout matches /$1/"
}

assert_err_contains() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ $ERR == *"$1"* ]] || _t_fail "stderr does not contain: $1"
}

assert_err_not_contains() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ $ERR != *"$1"* ]] || _t_fail "stderr contains: $1"
}

assert_err_matches() {
  ASSERTIONS=$((ASSERTIONS + 1))
  grep -Eq -- "$1" "$ERR_FILE" || _t_fail "no line of stderr matches /$1/"
}

assert_eq() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ $1 == "$2" ]] || _t_fail "${3:-values differ}: got [$1], expected [$2]"
}

assert_file_exists() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ -e $1 ]] || _t_fail "file does not exist: $1"
}

assert_no_file() {
  ASSERTIONS=$((ASSERTIONS + 1))
  [[ ! -e $1 && ! -L $1 ]] || _t_fail "file exists but should not: $1"
}

# --- databases -----------------------------------------------------------------
require_servers() {
  local v
  for v in OPS_TEST_PG_DSN OPS_TEST_PG_PASSWORD_FILE OPS_TEST_MYSQL_DSN OPS_TEST_MYSQL_PASSWORD_FILE; do
    [[ -n ${!v:-} ]] || _t_fail "$v is not set: run this test through ctest or tests/integration/run-with-servers"
  done
}

# Split a DSN scheme://user@host:port/db into _t_user _t_host _t_port _t_db.
_t_split_dsn() {
  [[ $1 =~ ^[a-z]+://([^@/]+)@([^:/]+):([0-9]+)/([^?]*) ]] || _t_fail "cannot parse DSN: $1"
  _t_user=${BASH_REMATCH[1]} _t_host=${BASH_REMATCH[2]} _t_port=${BASH_REMATCH[3]} _t_db=${BASH_REMATCH[4]}
}

_t_make_pgpass() {
  local f=$_T_LIB/pgpass
  if [[ ! -f $f ]]; then
    _t_split_dsn "$OPS_TEST_PG_DSN"
    (umask 077 && printf '%s:%s:*:%s:%s\n' "$_t_host" "$_t_port" "$_t_user" \
      "$(cat "$OPS_TEST_PG_PASSWORD_FILE")" >"$f")
  fi
}
pg_passfile() { _t_make_pgpass; printf "%s\n" "$_T_LIB/pgpass"; }

_t_make_mycnf() {
  local f=$_T_LIB/my.cnf
  if [[ ! -f $f ]]; then
    _t_split_dsn "$OPS_TEST_MYSQL_DSN"
    (umask 077 && printf '[client]\nuser=%s\npassword=%s\nhost=%s\nport=%s\nprotocol=tcp\ndefault-character-set=utf8mb4\n' \
      "$_t_user" "$(cat "$OPS_TEST_MYSQL_PASSWORD_FILE")" "$_t_host" "$_t_port" >"$f")
  fi
}
mysql_cnf() { _t_make_mycnf; printf "%s\n" "$_T_LIB/my.cnf"; }

pg_dsn() { printf '%s\n' "${OPS_TEST_PG_DSN%/*}/$1"; }
mysql_dsn() { printf '%s\n' "${OPS_TEST_MYSQL_DSN%/*}/$1"; }

pg_admin() {
  local run super
  [[ -n ${OPS_TEST_SERVERS_DIR:-} && -n ${OPS_TEST_PG_PORT:-} ]] || _t_fail "pg_admin: OPS_TEST_SERVERS_DIR or OPS_TEST_PG_PORT is not set"
  run=$(readlink -f "$OPS_TEST_SERVERS_DIR/run")
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 -h "$run/pg" -p "$OPS_TEST_PG_PORT" -U postgres -d "${2:-postgres}" -c "$1")
  else
    super=$(id -un)
    psql -X -q -At -v ON_ERROR_STOP=1 -h "$run/pg" -p "$OPS_TEST_PG_PORT" -U "$super" -d "${2:-postgres}" -c "$1"
  fi
}

pg_sql() {
  local db
  _t_make_pgpass
  _t_split_dsn "$OPS_TEST_PG_DSN"
  db=${2:-$_t_db}
  PGPASSFILE=$_T_LIB/pgpass PGCONNECT_TIMEOUT=10 psql -X -q -At -w -v ON_ERROR_STOP=1 \
    -h "$_t_host" -p "$_t_port" -U "$_t_user" -d "$db" -c "$1"
}

# mysql_sql SQL [DB]: DB defaults to the DSN's database; an empty DB means none.
mysql_sql() {
  local args=()
  _t_make_mycnf
  _t_split_dsn "$OPS_TEST_MYSQL_DSN"
  if (($# < 2)); then args=("$_t_db"); elif [[ -n $2 ]]; then args=("$2"); fi
  mariadb --defaults-file="$_T_LIB/my.cnf" --connect-timeout=10 -N -B -e "$1" "${args[@]}"
}

_t_db_name() {
  local n
  n=$(printf '%s' "$T_NAME" | tr -c 'A-Za-z0-9_' '_' | tr '[:upper:]' '[:lower:]' | cut -c1-30)
  printf 'ops_test_%s_%s\n' "$n" "$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
}

new_pg_db() {
  local name
  name=$(_t_db_name)
  pg_sql "CREATE DATABASE \"$name\"" postgres >/dev/null || _t_fail "cannot create PostgreSQL database $name"
  at_exit pg_sql "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" postgres
  printf -v "$1" '%s' "$name"
}

new_mysql_db() {
  local name
  name=$(_t_db_name)
  mysql_sql "CREATE DATABASE \`$name\`" "" >/dev/null || _t_fail "cannot create MariaDB database $name"
  at_exit mysql_sql "DROP DATABASE IF EXISTS \`$name\`" ""
  printf -v "$1" '%s' "$name"
}

# One database of this test's own on each server, with what a tool needs to
# reach it: PGDB MYDB (names), PG MY (DSNs), PGPW MYPW (--password-file options).
new_server_dbs() {
  new_pg_db PGDB
  new_mysql_db MYDB
  PG=$(pg_dsn "$PGDB")
  MY=$(mysql_dsn "$MYDB")
  PGPW=(--password-file "$OPS_TEST_PG_PASSWORD_FILE")
  MYPW=(--password-file "$OPS_TEST_MYSQL_PASSWORD_FILE")
}

# --- trees: nothing changed on disk ----------------------------------------------
tree_state() {
  local mtime=0 mindepth=0 header='# tree_state' rec path kind mode size mt target line lines=()
  while (($#)); do
    case $1 in
      --mtime) mtime=1 header+=' --mtime' ;;
      --below) mindepth=1 header+=' --below' ;;
      -*) _t_fail "tree_state: unknown option $1" ;;
      *) break ;;
    esac
    shift
  done
  (($# == 1)) || _t_fail "usage: tree_state [--mtime] [--below] DIR"
  [[ -d $1 ]] || _t_fail "tree_state: not a directory: $1"
  local -A sum=()
  # The contents: one sha256sum over every regular file (-z: names unescaped).
  while IFS= read -r -d '' rec; do
    sum[${rec:66}]=${rec:0:64}
  done < <(cd "$1" && find . -type f -print0 | xargs -0r sha256sum -z -- 2>/dev/null)
  # Every entry, its fields NUL-separated: path, type, mode, size, mtime, symlink target.
  while IFS= read -r -d '' path && IFS= read -r -d '' kind && IFS= read -r -d '' mode &&
    IFS= read -r -d '' size && IFS= read -r -d '' mt && IFS= read -r -d '' target; do
    if [[ $path == . ]]; then line=.; else printf -v line '%q' "${path#./}"; fi
    # A directory's size is left out: it grows with entries made and removed.
    [[ $kind == d ]] && size=-
    line+=" $kind $mode $size"
    ((mtime)) && line+=" $mt"
    case $kind in
      l) printf -v target '%q' "$target" && line+=" -> $target" ;;
      f) line+=" ${sum[$path]:-unreadable}" ;;
    esac
    lines+=("$line")
  done < <(cd "$1" && find . -mindepth "$mindepth" -printf '%p\0%y\0%m\0%s\0%T@\0%l\0')
  printf '%s\n' "$header"
  ((${#lines[@]} == 0)) || printf '%s\n' "${lines[@]}" | LC_ALL=C sort
}

assert_tree_unchanged() {
  local before=$1 dir=$2 now header diffs opts=()
  ASSERTIONS=$((ASSERTIONS + 1))
  header=${before%%$'\n'*}
  [[ $header == '# tree_state'* ]] || _t_fail "assert_tree_unchanged: BEFORE is not the output of tree_state"
  read -ra opts <<<"${header#'# tree_state'}"
  [[ -d $dir ]] || _t_fail "${3:-the tree changed}: $dir is no longer a directory"
  now=$(tree_state "${opts[@]}" "$dir")
  if [[ $now != "$before" ]]; then
    diffs=$(diff <(printf '%s\n' "$before") <(printf '%s\n' "$now") | grep '^[<>]' | head -n 40 || true)
    _t_fail "${3:-the tree changed}: $dir differs (< before, > now):"$'\n'"$diffs"
  fi
}
