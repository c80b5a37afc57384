#!/usr/bin/env bash
# The integration harness itself: lib.sh's run and assertions, and the `servers` fixture
# (both test servers answer, with password authentication, as ops_test).
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

LIB=$OPS_SOURCE_DIR/tests/integration/lib.sh
export OPS_TEST_SCRATCH=$SCRATCH/children   # the deliberately failing children keep theirs here

# --- run and the assertions ---
run printf 'hello\nworld\n'
assert_rc 0
assert_out_eq $'hello\nworld'
assert_out_contains world
assert_out_not_contains planet
assert_out_matches '^wor.d$'
assert_eq "$(cat "$OUT_FILE")" $'hello\nworld' "raw stdout"

run sh -c 'echo "to stdout"; echo "oops: it broke" >&2; exit 3'
assert_rc 3
assert_err_contains 'oops'
assert_err_not_contains 'fine'
assert_err_matches '^oops: .*broke$'

run_with_input $'a\nb\n' wc -l
assert_rc 0
assert_out_matches '^ *2$'

# scratch directory: exists, is the cwd, is private to this test
assert_file_exists "$SCRATCH"
assert_eq "$(pwd -P)" "$(cd "$SCRATCH" && pwd -P)" "cwd is the scratch directory"
touch made-here
assert_file_exists "$SCRATCH/made-here"
assert_no_file "$SCRATCH/not-made"

# A failing assertion ends the script with status 1 and says what failed, with the
# command, its status, stdout and stderr; the scratch directory is kept.
run bash -c '. "$1"; run sh -c "echo OUT-TEXT; echo ERR-TEXT >&2; exit 4"; assert_rc 0; echo NOT-REACHED' child "$LIB"
assert_rc 1
assert_err_contains 'expected exit status 0, got 4'
assert_err_contains 'last command: sh -c'
assert_err_contains 'OUT-TEXT'
assert_err_contains 'ERR-TEXT'
assert_err_contains 'scratch directory kept'
assert_out_not_contains 'NOT-REACHED'

run bash -c '. "$1"; fail "a reason"' child "$LIB"
assert_rc 1
assert_err_contains 'a reason'

# A failing command outside run fails the script (set -e), naming the command.
run bash -c '. "$1"; run true; assert_rc 0; false; echo NOT-REACHED' child "$LIB"
assert_rc 1
assert_err_matches 'command failed with exit status 1: false'
assert_out_not_contains 'NOT-REACHED'

# A script that asserts nothing does not pass.
run bash -c '. "$1"; true' child "$LIB"
assert_rc 1
assert_err_contains 'made no assertions'

# Success removes the scratch directory and says how many assertions held.
run bash -c '. "$1"; echo "$SCRATCH" >"$2"; run true; assert_rc 0; assert_eq a a' child "$LIB" "$SCRATCH/child-scratch"
assert_rc 0
assert_out_contains 'ok 2 assertions'
assert_no_file "$(cat "$SCRATCH/child-scratch")"

# --- the servers ---
require_servers

# PostgreSQL, with psql: the password only in a 0600 PGPASSFILE built from the password file.
passfile=$(pg_passfile)
assert_eq "$(stat -c %a "$passfile")" 600 "pgpass mode"
run env PGPASSFILE="$passfile" psql -X -At -w -c 'select 1' "$OPS_TEST_PG_DSN"
assert_rc 0
assert_out_eq 1
run pg_sql 'select current_user, current_database()'
assert_rc 0
assert_out_eq 'ops_test|ops_test'

# MariaDB, with mariadb: the password only in a 0600 --defaults-extra-file.
cnf=$(mysql_cnf)
assert_eq "$(stat -c %a "$cnf")" 600 "my.cnf mode"
[[ $OPS_TEST_MYSQL_DSN =~ /([^/?]+)$ ]] || fail "cannot parse OPS_TEST_MYSQL_DSN=$OPS_TEST_MYSQL_DSN"
run mariadb --defaults-extra-file="$cnf" -N -B -e 'select 1' "${BASH_REMATCH[1]}"
assert_rc 0
assert_out_eq 1
run mysql_sql 'select current_user(), database()'
assert_rc 0
assert_out_eq $'ops_test@%\tops_test'

# Text is UTF-8 end to end.
run pg_sql "select 'grüße ✓', length('grüße ✓')"
assert_out_eq 'grüße ✓|7'
run mysql_sql "select 'grüße ✓', char_length('grüße ✓')"
assert_out_eq $'grüße ✓\t7'

# Authentication is real: a wrong password is refused by both.
printf '*:*:*:*:wrong-password\n' >bad.pgpass
chmod 600 bad.pgpass
run env PGPASSFILE="$SCRATCH/bad.pgpass" psql -X -At -w -c 'select 1' "$OPS_TEST_PG_DSN"
assert_rc 2
assert_err_contains 'password authentication failed'
sed 's/^password=.*/password=wrong-password/' "$cnf" >bad.cnf
run mariadb --defaults-extra-file="$SCRATCH/bad.cnf" -N -B -e 'select 1'
assert_rc 1
assert_err_contains 'Access denied'

# ops_test may create its own databases (ops_test_*) on both; they go away at exit.
pgdb='' mydb=''
new_pg_db pgdb
# shellcheck disable=SC2016 # $$x$$ is SQL dollar quoting
run pg_sql 'create table t (id int primary key, v text); insert into t values (1, $$x$$); select count(*) from t' "$pgdb"
assert_rc 0
assert_out_eq 1
new_mysql_db mydb
run mysql_sql 'create table t (id int primary key, v text); insert into t values (1, "x"); select count(*) from t' "$mydb"
assert_rc 0
assert_out_eq 1
assert_eq "$(pg_dsn "$pgdb")" "${OPS_TEST_PG_DSN%/*}/$pgdb" "pg_dsn"

finish
