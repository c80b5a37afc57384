#!/usr/bin/env bash
# backup.sh — opsbackup against what people run today, in one run: opsbackup db
# against pg_dump | gzip, pg_dump | pigz (when pigz is installed), mariadb-dump |
# gzip and mydumper on the same generated databases, and opsbackup files against
# tar czf on the same generated file tree.
#
#   scripts/bench/backup.sh
#
# The defaults took 12 minutes on a busy 2-CPU machine (load average about 4),
# with new throwaway servers and the file tree made anew. For figures worth
# quoting, give PostgreSQL at least 1 GB of tables:
#
#   BENCH_ROWS=300000 scripts/bench/backup.sh
#
# Environment:
#   OPSBACKUP         the opsbackup binary to measure (default: a Release build
#                     made in build-bench/ at the repository root, without the tests)
#   BENCH_ROWS        the size knob: rows of the PostgreSQL cases table; notes get
#                     as many rows, audit_log 12 times as many. Default 150000:
#                     371 MB of plain SQL and 533 MB of tables as measured by
#                     pg_total_relation_size (heap, TOAST and indexes; 401 MB
#                     without the indexes). Both grow in proportion (3.55 KB of
#                     tables a case), so BENCH_ROWS=300000 gives about 1065 MB,
#                     1 GB or more. Every run prints the size it measured.
#   BENCH_MYSQL_ROWS  the same for MariaDB (default BENCH_ROWS / 3, about 135 MB of
#                     SQL: loading InnoDB on the test server is slow)
#   BENCH_FILES       regular files in the tree for opsbackup files (default 20000:
#                     one in 200 a log file of a few MB, the rest text files of
#                     200 bytes to 80 KB)
#   BENCH_FILES_MB    the tree's total size in MB (default 500; the small files
#                     take about 8 KB each, the log files share the rest, 1 MB each
#                     at least)
#   BENCH_FILES_DIR   where the tree is made, or reused when it has the same
#                     BENCH_FILES and BENCH_FILES_MB (default
#                     ${TMPDIR:-/tmp}/ops-bench-backup-files)
#   BENCH_ENGINES     what to measure (default "postgresql mariadb files"; files
#                     alone needs no database servers)
#   RUNS              timed runs per command (default 5; the median is reported)
#   OPS_TEST_PG_DSN, OPS_TEST_PG_PASSWORD_FILE, OPS_TEST_MYSQL_DSN,
#   OPS_TEST_MYSQL_PASSWORD_FILE
#                     servers to use (as scripts/test-servers prints them); when
#                     unset, throwaway servers are started for the run and stopped
#                     after it. The data goes into a database ops_test_bench next to
#                     ops_test, and is reused by the next run when it has the same
#                     size.
#
# Each engine's database is dumped, gzip at its default level, by
#   opsbackup   opsbackup db --dir DIR --name bench --password-file FILE DSN
#               (default threads: one per CPU)
#   gzip        pg_dump DSN | gzip > FILE   (the password in a PGPASSFILE), or
#               mariadb-dump --single-transaction ... DB | gzip > FILE with the
#               options opsbackup gives mariadb-dump, so the SQL is the same
#   pigz        pg_dump DSN | pigz -p NCPU > FILE   (PostgreSQL only; skipped,
#               and said so, without pigz)
#   mydumper    mydumper --defaults-file=FILE ... --threads 2 --compress
#               --triggers --events --routines --database DB --outputdir DIR
#               (MariaDB only): a directory of gzipped files, one per table
#               (no --rows), plus a metadata file
# and the tree BENCH_FILES_DIR/tree is archived, gzip at its default level, by
#   opsbackup   opsbackup files bench --source TREE --dir DIR (default threads)
#   tar         tar czf FILE -C BENCH_FILES_DIR tree
# Times are hyperfine's medians, warm cache (everything is dumped once before
# timing). Before timing, every SQL output must decompress to the same SQL as
# opsbackup's, apart from the lines that differ from run to run (pg_dump's
# \restrict and \unrestrict keys, the dump dates), and both archives must list
# the same entries: a benchmark of a wrong backup is worthless. mydumper writes
# another format (a directory of files, its own SQL), so it is only checked to
# have finished: exit 0, a metadata file that says so, and a .sql.gz of every
# table's rows. Sizes are of what is
# on disk: the .gz file, or for mydumper the directory (du -sb).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
RUNS=${RUNS:-5}
BENCH_ROWS=${BENCH_ROWS:-150000}
BENCH_MYSQL_ROWS=${BENCH_MYSQL_ROWS:-$((BENCH_ROWS / 3))}
BENCH_ENGINES=${BENCH_ENGINES:-postgresql mariadb files}
BENCH_FILES=${BENCH_FILES:-20000}
BENCH_FILES_MB=${BENCH_FILES_MB:-500}
BENCH_FILES_DIR=${BENCH_FILES_DIR:-${TMPDIR:-/tmp}/ops-bench-backup-files}
BENCH_DB=ops_test_bench

die() { echo "backup.sh: error: $*" >&2; exit 1; }
note() { echo "backup.sh: $*" >&2; }
[[ $BENCH_ROWS =~ ^[1-9][0-9]*$ && $BENCH_MYSQL_ROWS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROWS and BENCH_MYSQL_ROWS must be positive integers"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ $BENCH_FILES =~ ^[1-9][0-9]*$ && $BENCH_FILES_MB =~ ^[1-9][0-9]*$ ]] \
  || die "BENCH_FILES and BENCH_FILES_MB must be positive integers"
do_pg=0 do_my=0 do_files=0
for e in $BENCH_ENGINES; do
  case $e in
    postgresql) do_pg=1 ;;
    mariadb) do_my=1 ;;
    files) do_files=1 ;;
    *) die "unknown engine '$e' in BENCH_ENGINES (postgresql, mariadb, files)" ;;
  esac
done
((do_pg || do_my || do_files)) || die "BENCH_ENGINES names nothing to measure"

need=(hyperfine gzip zcat awk cmp)
((do_pg || do_my)) && need+=(psql pg_dump)
((do_my)) && need+=(mariadb mariadb-dump mydumper)
((do_files)) && need+=(tar du find sort)
for tool in "${need[@]}"; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/bootstrap bench installs it)"
done
have_pigz=0
command -v pigz >/dev/null && have_pigz=1
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

if [[ -z ${OPSBACKUP:-} ]]; then
  note "building opsbackup (Release) in $repo/build-bench ..."
  cmake -S "$repo" -B "$repo/build-bench" -DCMAKE_BUILD_TYPE=Release -DOPS_BUILD_TESTS=OFF >/dev/null
  cmake --build "$repo/build-bench" -j"$(nproc)" --target opsbackup >/dev/null
  OPSBACKUP=$repo/build-bench/tools/opsbackup/opsbackup
fi
[[ -x $OPSBACKUP ]] || die "no opsbackup binary at $OPSBACKUP"

work=$(mktemp -d "${TMPDIR:-/tmp}/ops-bench-backup.XXXXXX")
servers=
sampler=
cleanup() {
  if [[ -n $sampler ]]; then kill "$sampler" 2>/dev/null || true; fi
  if [[ -n $servers ]]; then "$repo/scripts/test-servers" stop --state-dir "$servers" || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

# --- servers -------------------------------------------------------------------------
if ((do_pg || do_my)) && { [[ -z ${OPS_TEST_PG_DSN:-} ]] || { ((do_my)) && [[ -z ${OPS_TEST_MYSQL_DSN:-} ]]; }; }; then
  servers=$work/servers
  note "starting throwaway PostgreSQL and MariaDB servers in $servers ..."
  "$repo/scripts/test-servers" start --state-dir "$servers" >/dev/null
  set -a
  # shellcheck disable=SC1091
  . "$servers/env"
  set +a
fi

# A DSN for database $BENCH_DB on the same server as DSN.
bench_dsn() { local d=${1%%\?*}; echo "${d%/*}/$BENCH_DB"; }
q() { printf '%q' "$1"; }
out=$work/out
fresh_out="rm -rf -- $(q "$out") && mkdir -m 700 $(q "$out")"

# --- PostgreSQL data -----------------------------------------------------------------
# Three tables of a plausible shape: cases (names, dates, numbers, codes), notes
# (a paragraph of clinical prose each, about 1.2 KB) and audit_log (short rows, many),
# plus a small wards table; indexes as an application would have them. Text is
# made of real words so that it compresses like text does (about 4:1 with gzip).
# setseed makes the same BENCH_ROWS give the same data.
pg_generate() {
  local cases=$1
  psql -X -q -v ON_ERROR_STOP=1 -d "$PG_DSN" -v cases="$cases" -v notes="$cases" -v audit=$((cases * 12)) \
    -v words="{$(tr ' ' ',' <<<"$WORDS")}" -v lastnames="{$(tr ' ' ',' <<<"$LAST_NAMES")}" \
    -v firstnames="{$(tr ' ' ',' <<<"$FIRST_NAMES")}" -v stamp="$1" <<'EOF'
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_meta, audit_log, notes, cases, wards;
SELECT setseed(0.42) AS seeded \gset
CREATE TABLE wards (
  id integer PRIMARY KEY,
  name text NOT NULL,
  building text NOT NULL,
  beds integer NOT NULL
);
INSERT INTO wards SELECT g, 'Ward ' || chr(65 + g % 26) || (g / 26 + 1), 'Building ' || (1 + g % 7), 10 + g % 30
FROM generate_series(0, 199) g;

CREATE TABLE cases (
  id bigint PRIMARY KEY,
  case_ref text NOT NULL UNIQUE,
  last_name text NOT NULL,
  first_name text NOT NULL,
  birth_date date NOT NULL,
  sex char(1) NOT NULL,
  ward_id integer NOT NULL REFERENCES wards,
  admitted_at timestamp with time zone NOT NULL,
  discharged_at timestamp with time zone,
  status text NOT NULL,
  priority smallint NOT NULL,
  weight_kg numeric(5,1),
  risk_score double precision NOT NULL,
  diagnosis_code text
);
INSERT INTO cases
SELECT g,
  'C' || (2020 + g % 5) || '-' || to_char(g, 'FM00000000'),
  n.last[1 + floor(random() * array_length(n.last, 1))::int],
  n.first[1 + floor(random() * array_length(n.first, 1))::int],
  date '1930-01-01' + floor(random() * 32000)::int,
  CASE WHEN random() < 0.5 THEN 'F' ELSE 'M' END,
  floor(random() * 200)::int,
  a.t,
  CASE WHEN random() < 0.85 THEN a.t + random() * interval '20 days' END,
  (ARRAY['admitted', 'in treatment', 'discharged', 'transferred', 'deceased'])[1 + floor(random() * 5)::int],
  1 + floor(random() * 5)::int,
  round((40 + random() * 80)::numeric, 1),
  random(),
  CASE WHEN random() < 0.9 THEN chr(65 + floor(random() * 26)::int) || floor(random() * 99)::int || '.' || floor(random() * 9)::int END
FROM generate_series(1, :cases) g,
  (SELECT :'lastnames'::text[] AS last, :'firstnames'::text[] AS first) n,
  LATERAL (SELECT timestamptz '2020-01-01 00:00:00+00' + (g::double precision / :cases) * interval '1800 days'
                  + random() * interval '1 day' AS t) a;

CREATE TABLE notes (
  id bigint PRIMARY KEY,
  case_id bigint NOT NULL REFERENCES cases,
  written_at timestamp with time zone NOT NULL,
  author text NOT NULL,
  kind text NOT NULL,
  body text NOT NULL
);
-- 30 to 279 words a note, in sentences of 8 to 16 words.
INSERT INTO notes
SELECT g, 1 + (g * 7919) % :cases,
  timestamptz '2020-01-01 00:00:00+00' + (g::double precision / :notes) * interval '1800 days',
  'dr.' || lower((:'lastnames'::text[])[1 + floor(random() * array_length(:'lastnames'::text[], 1))::int]),
  (ARRAY['progress', 'nursing', 'discharge summary', 'consult', 'medication'])[1 + floor(random() * 5)::int],
  (SELECT string_agg(CASE WHEN i % (8 + g % 9) = 1 THEN initcap(x) ELSE x END
                     || CASE WHEN i % (8 + g % 9) = 0 OR i = 30 + (g * 37) % 250 THEN '.' ELSE '' END, ' ' ORDER BY i)
     FROM (SELECT i, (:'words'::text[])[1 + floor(random() * array_length(:'words'::text[], 1))::int] AS x
             FROM generate_series(1, 30 + (g * 37) % 250) i) w)
FROM generate_series(1, :notes) g;

CREATE TABLE audit_log (
  id bigint PRIMARY KEY,
  at timestamp with time zone NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  table_name text NOT NULL,
  row_id bigint NOT NULL,
  client_addr inet,
  detail text
);
INSERT INTO audit_log
SELECT g,
  timestamptz '2020-01-01 00:00:00+00' + (g::double precision / :audit) * interval '1800 days',
  'user' || floor(random() * 500)::int,
  (ARRAY['select', 'insert', 'update', 'update', 'update', 'delete', 'login', 'export'])[1 + floor(random() * 8)::int],
  (ARRAY['cases', 'notes', 'wards', 'prescriptions'])[1 + floor(random() * 4)::int],
  1 + floor(random() * :cases)::bigint,
  ('10.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int || '.' || floor(random() * 256)::int)::inet,
  CASE WHEN random() < 0.7 THEN 'changed ' || (:'words'::text[])[1 + floor(random() * array_length(:'words'::text[], 1))::int]
       || ' from ' || floor(random() * 1000)::int || ' to ' || floor(random() * 1000)::int END
FROM generate_series(1, :audit) g;
CREATE INDEX ON notes (case_id);
CREATE INDEX ON audit_log (at);
CREATE INDEX ON audit_log (table_name, row_id);
CREATE TABLE bench_meta (generated text NOT NULL);
INSERT INTO bench_meta VALUES (:'stamp');
EOF
}

# --- MariaDB data --------------------------------------------------------------------
# The first BENCH_MYSQL_ROWS cases (and as many notes, 12 times as many audit rows)
# of the PostgreSQL data, copied through TSV files with LOAD DATA: the same shape,
# and faster than making it again in MariaDB's SQL.
my_generate() {
  local rows=$1 stamp=$2 t
  mkdir -p "$work/tsv"
  psql -X -q -v ON_ERROR_STOP=1 -d "$PG_DSN" <<EOF
SET timezone = 'UTC';
\copy (SELECT * FROM wards ORDER BY id) TO '$work/tsv/wards'
\copy (SELECT id, case_ref, last_name, first_name, birth_date, sex, ward_id, admitted_at::timestamp, discharged_at::timestamp, status, priority, weight_kg, risk_score, diagnosis_code FROM cases WHERE id <= $rows ORDER BY id) TO '$work/tsv/cases'
\copy (SELECT id, 1 + (id * 7919) % $rows, written_at::timestamp, author, kind, body FROM notes WHERE id <= $rows ORDER BY id) TO '$work/tsv/notes'
\copy (SELECT id, at::timestamp, actor, action, table_name, 1 + row_id % $rows, client_addr, detail FROM audit_log WHERE id <= $((rows * 12)) ORDER BY id) TO '$work/tsv/audit_log'
EOF
  {
    cat <<'EOF'
SET foreign_key_checks = 0, unique_checks = 0;
DROP TABLE IF EXISTS bench_meta, audit_log, notes, cases, wards;
CREATE TABLE wards (
  id int PRIMARY KEY,
  name varchar(50) NOT NULL,
  building varchar(50) NOT NULL,
  beds int NOT NULL
) ENGINE = InnoDB;
CREATE TABLE cases (
  id bigint PRIMARY KEY,
  case_ref varchar(20) NOT NULL UNIQUE,
  last_name varchar(100) NOT NULL,
  first_name varchar(100) NOT NULL,
  birth_date date NOT NULL,
  sex char(1) NOT NULL,
  ward_id int NOT NULL,
  admitted_at datetime(6) NOT NULL,
  discharged_at datetime(6),
  status varchar(20) NOT NULL,
  priority smallint NOT NULL,
  weight_kg decimal(5,1),
  risk_score double NOT NULL,
  diagnosis_code varchar(10),
  FOREIGN KEY (ward_id) REFERENCES wards (id)
) ENGINE = InnoDB;
CREATE TABLE notes (
  id bigint PRIMARY KEY,
  case_id bigint NOT NULL,
  written_at datetime(6) NOT NULL,
  author varchar(100) NOT NULL,
  kind varchar(30) NOT NULL,
  body text NOT NULL,
  KEY (case_id),
  FOREIGN KEY (case_id) REFERENCES cases (id)
) ENGINE = InnoDB;
CREATE TABLE audit_log (
  id bigint PRIMARY KEY,
  at datetime(6) NOT NULL,
  actor varchar(50) NOT NULL,
  action varchar(20) NOT NULL,
  table_name varchar(64) NOT NULL,
  row_id bigint NOT NULL,
  client_addr varchar(45),
  detail varchar(255),
  KEY (at),
  KEY (table_name, row_id)
) ENGINE = InnoDB;
EOF
    for t in wards cases notes audit_log; do
      printf "LOAD DATA LOCAL INFILE '%s' INTO TABLE %s CHARACTER SET utf8mb4;\n" "$work/tsv/$t" "$t"
    done
    printf "CREATE TABLE bench_meta (generated varchar(100) NOT NULL) ENGINE = InnoDB;\n"
    printf "INSERT INTO bench_meta VALUES ('%s');\n" "$stamp"
  } | mariadb --defaults-extra-file="$MY_CNF" --local-infile=1 "${MY_ARGS[@]}" "$BENCH_DB"
  rm -rf -- "$work/tsv"
}

WORDS='patient reported mild moderate severe pain in the left right lower upper abdomen chest back since yesterday
morning evening night after before meal medication was given administered orally intravenously dose increased
reduced stopped blood pressure stable elevated normal low heart rate temperature fever no signs of infection wound
dressing changed clean dry healing well discharge planned tomorrow family informed discussed with consultant follow
up appointment scheduled weeks referral physiotherapy occupational therapy nutrition fluids oral intake improved poor
nausea vomiting dizziness headache sleep mobility assisted independent walking frame bed rest observation hourly four
every hours results pending lab test x-ray scan ultrasound CT MRI shows no acute changes unchanged compared previous
review ward round plan continue current treatment monitor closely escalate if deteriorates and the of to a is
on at for'
LAST_NAMES='Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts
Green Hall Wood Jackson Clarke Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Martin
Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau García Fernández González Rodríguez López Martínez
Sánchez Pérez Rossi Russo Ferrari Esposito Bianchi Romano Colombo Nowak Kowalski Novák Svoboda Nielsen Hansen Jensen
Andersson Johansson Virtanen Korhonen'
FIRST_NAMES='James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth Anna Emma Olivia Sophia Lukas Leon
Maximilian Paul Marie Sofia Hugo Louis Jules Chloé Léa Lucía Martina Mateo Giulia Alessandro Francesca Jan Piotr
Zofia Eva Lars Ingrid Mikko Aino Noah Liam Mia Ella'
WORDS=$(tr -s '\n ' '  ' <<<"$WORDS")
LAST_NAMES=$(tr -s '\n ' '  ' <<<"$LAST_NAMES")
FIRST_NAMES=$(tr -s '\n ' '  ' <<<"$FIRST_NAMES")
WORDS=${WORDS% } LAST_NAMES=${LAST_NAMES% } FIRST_NAMES=${FIRST_NAMES% }

# --- credentials, and the databases --------------------------------------------------
if ((do_pg || do_my)); then
  # The baselines get the password the way their users give it: a PGPASSFILE, a
  # [client] option file for mariadb-dump. Both 0600, never on a command line.
  (umask 077 && mkdir "$work/secrets")
  # PostgreSQL is needed even for MariaDB alone: MariaDB's data is copied from it.
  [[ -r ${OPS_TEST_PG_PASSWORD_FILE:-} ]] || die "OPS_TEST_PG_PASSWORD_FILE is not a readable file"
  PG_PW_FILE=$OPS_TEST_PG_PASSWORD_FILE
  pw=$(head -n 1 "$PG_PW_FILE")
  pw=${pw//\\/\\\\}
  (umask 077 && printf '*:*:*:*:%s\n' "${pw//:/\\:}" >"$work/secrets/pgpass")
  export PGPASSFILE=$work/secrets/pgpass
  unset PGPASSWORD
  PG_DSN=$(bench_dsn "$OPS_TEST_PG_DSN")
  if ((do_my)); then
    [[ -r ${OPS_TEST_MYSQL_PASSWORD_FILE:-} ]] || die "OPS_TEST_MYSQL_PASSWORD_FILE is not a readable file"
    MY_PW_FILE=$OPS_TEST_MYSQL_PASSWORD_FILE
    [[ ${OPS_TEST_MYSQL_DSN:-} =~ ^(mysql|mariadb)://([^@/:]+)@([^/:]+)(:([0-9]+))?/[^/?]+$ ]] \
      || die "OPS_TEST_MYSQL_DSN is not of the form mysql://USER@HOST[:PORT]/DB: ${OPS_TEST_MYSQL_DSN:-}"
    MY_ARGS=(--host="${BASH_REMATCH[3]}" --user="${BASH_REMATCH[2]}" --protocol=tcp)
    [[ -n ${BASH_REMATCH[5]} ]] && MY_ARGS+=(--port="${BASH_REMATCH[5]}")
    pw=$(head -n 1 "$MY_PW_FILE")
    pw=${pw//\\/\\\\}
    (umask 077 && printf '[client]\npassword="%s"\n' "${pw//\"/\\\"}" >"$work/secrets/my.cnf")
    MY_CNF=$work/secrets/my.cnf
    MY_DSN=$(bench_dsn "$OPS_TEST_MYSQL_DSN")
  fi

  if [[ $(psql -X -At -d "$OPS_TEST_PG_DSN" -c "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'") != 1 ]]; then
    psql -X -q -d "$OPS_TEST_PG_DSN" -c "CREATE DATABASE $BENCH_DB"
  fi
  have=$(psql -X -At -d "$PG_DSN" -c "SELECT generated FROM bench_meta" 2>/dev/null || true)
  pg_generated=$BENCH_ROWS
  if ((do_pg)); then
    ((do_my && BENCH_MYSQL_ROWS > BENCH_ROWS)) && die "BENCH_MYSQL_ROWS ($BENCH_MYSQL_ROWS) is more than BENCH_ROWS ($BENCH_ROWS)"
  elif [[ $have =~ ^[0-9]+$ ]] && ((have >= BENCH_MYSQL_ROWS)); then
    pg_generated=$have            # MariaDB alone: any PostgreSQL data large enough will do
  else
    pg_generated=$BENCH_MYSQL_ROWS
  fi
  if [[ $have == "$pg_generated" ]]; then
    note "reusing the PostgreSQL data of $pg_generated cases in $BENCH_DB"
  else
    note "generating $pg_generated cases, notes and $((pg_generated * 12)) audit rows in PostgreSQL ..."
    t0=$SECONDS
    pg_generate "$pg_generated"
    note "... $((SECONDS - t0)) s"
  fi
  if ((do_my)); then
    mariadb --defaults-extra-file="$MY_CNF" "${MY_ARGS[@]}" -e "CREATE DATABASE IF NOT EXISTS $BENCH_DB CHARACTER SET utf8mb4"
    have=$(mariadb --defaults-extra-file="$MY_CNF" "${MY_ARGS[@]}" -N -B -e "SELECT generated FROM bench_meta" "$BENCH_DB" 2>/dev/null || true)
    want="$BENCH_MYSQL_ROWS of $pg_generated"
    if [[ $have == "$want" ]]; then
      note "reusing the MariaDB data of $BENCH_MYSQL_ROWS cases in $BENCH_DB"
    else
      note "copying $BENCH_MYSQL_ROWS cases, notes and $((BENCH_MYSQL_ROWS * 12)) audit rows to MariaDB ..."
      t0=$SECONDS
      my_generate "$BENCH_MYSQL_ROWS" "$want"
      note "... $((SECONDS - t0)) s"
    fi
  fi
fi
# What the tables take on the server: PostgreSQL's pg_total_relation_size (heap,
# TOAST and indexes) and pg_table_size (without the indexes); for MariaDB, InnoDB's
# data_length + index_length (estimates, after ANALYZE TABLE).
if ((do_pg)); then
  read -r pg_total pg_tables < <(psql -X -At -F ' ' -d "$PG_DSN" -c "SELECT sum(pg_total_relation_size(c.oid)),
      sum(pg_table_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'bench_meta'")
  note "PostgreSQL tables: $pg_total bytes with indexes, $pg_tables without"
fi
if ((do_my)); then
  mariadb --defaults-extra-file="$MY_CNF" "${MY_ARGS[@]}" -N -B -e "ANALYZE TABLE wards, cases, notes, audit_log" "$BENCH_DB" >/dev/null
  my_total=$(mariadb --defaults-extra-file="$MY_CNF" "${MY_ARGS[@]}" -N -B -e "SELECT sum(data_length + index_length)
      FROM information_schema.tables WHERE table_schema = '$BENCH_DB' AND table_name <> 'bench_meta'")
fi

# --- the file tree -------------------------------------------------------------------
# BENCH_FILES_DIR/tree: src/pNN/mNNN/fNNNNN.txt, text files of 200 bytes to 80 KB
# (60% under 4 KB), 100 to a directory; logs/app-NNN.log, one for every 200 files,
# timestamped log lines sharing the rest of BENCH_FILES_MB; two symlinks and an
# empty directory. The text is sentences of the same words as the notes (gzip
# makes about a quarter of it). One awk process writes every file; srand(42) makes
# the same settings give the same tree, which is reused when it is complete.
files_generate() {  # files_generate DIR FILES MB
  local dir=$1 files=$2 mb=$3 want
  want="ops backup bench tree v1 files=$files mb=$mb"
  if [[ -f $dir/complete && $(cat "$dir/complete") == "$want" ]]; then
    note "reusing the tree of $files files, $mb MB in $dir/tree"
    return 0
  fi
  note "making a tree of $files files, $mb MB in $dir/tree ..."
  t0=$SECONDS
  rm -rf -- "$dir/tree" "$dir/complete"
  mkdir -p -- "$dir/tree/src" "$dir/tree/logs" "$dir/tree/empty"
  awk -v root="$dir/tree" -v files="$files" -v big=$(((files + 199) / 200)) -v total=$((mb * 1000000)) \
    -v words="$WORDS" 'BEGIN {
    srand(42)
    nw = split(words, w, " ")
    for (i = 0; i < 8192; i++) {   # the sentences every file is made of
      x = w[1 + int(rand() * nw)]
      s = toupper(substr(x, 1, 1)) substr(x, 2)
      n = 6 + int(rand() * 12)
      for (j = 1; j < n; j++) s = s " " w[1 + int(rand() * nw)]
      if (rand() < 0.3) s = s " " int(rand() * 10000)
      pool[i] = s "."
    }
    split("INFO INFO INFO DEBUG WARN ERROR", level, " ")
    small = files - big
    written = 0
    for (k = 0; k < small; k++) {
      d = sprintf("%s/src/p%02d/m%03d", root, int(k / 100) % 20, int(k / 100))
      if (!(d in made)) { made[d] = 1; if (system("mkdir -p \"" d "\"")) exit 1 }
      f = sprintf("%s/f%05d.txt", d, k)
      r = rand()
      size = r < 0.6 ? 200 + int(rand() * 3800) : r < 0.95 ? 4000 + int(rand() * 16000) : 20000 + int(rand() * 60000)
      for (out = 0; out < size; out += length(line) + 1) { line = pool[int(rand() * 8192)]; print line > f }
      close(f)
      written += out
    }
    each = (total - written) / big
    if (each < 1000000) each = 1000000
    t = 1700000000
    for (k = 0; k < big; k++) {
      f = sprintf("%s/logs/app-%03d.log", root, k)
      for (out = 0; out < each; out += length(line) + 1) {
        t += rand() * 0.5
        line = sprintf("%s.%03dZ %-5s [worker-%d] req=%08x %s", strftime("%Y-%m-%dT%H:%M:%S", int(t), 1),
                       int((t - int(t)) * 1000), level[1 + int(rand() * 6)], int(rand() * 16), int(rand() * 4294967295),
                       pool[int(rand() * 8192)])
        print line > f
      }
      close(f)
    }
  }' || die "making the tree in $dir failed"
  ln -s ../logs "$dir/tree/src/logs"
  ln -s nowhere "$dir/tree/src/dangling"
  echo "$want" >"$dir/complete"
  note "... $((SECONDS - t0)) s"
}
if ((do_files)); then
  files_generate "$BENCH_FILES_DIR" "$BENCH_FILES" "$BENCH_FILES_MB"
  tree=$BENCH_FILES_DIR/tree
fi

# --- one engine: check, then time ----------------------------------------------------
# Lines that differ from one dump to the next of the same data.
volatile='^(\\restrict |\\unrestrict |-- Dumped on |-- Dump completed on )'
same_sql() {  # same_sql A.gz B.gz: the same SQL apart from the volatile lines
  cmp -s <(zcat -- "$1" | grep -Ev "$volatile") <(zcat -- "$2" | grep -Ev "$volatile")
}
declare -A median low high size plain label server loads
results=()

check_sql() {  # check_sql ENGINE NAME...: every dump the same SQL as opsbackup's
  local engine=$1 ours name f t
  shift
  ours=$(find "$out/opsbackup" -name '*.sql.gz' -type f)
  [[ -n $ours && $(wc -l <<<"$ours") == 1 ]] || die "$engine: opsbackup made no single .sql.gz in $out/opsbackup"
  plain[$engine]=$(zcat -- "$ours" | wc -c)
  size[$engine/opsbackup]=$(stat -c %s "$ours")
  for name in "$@"; do
    case $name in
      opsbackup) ;;
      mydumper)   # its own format: only check that it finished, and dumped every table compressed
        f=$out/mydumper
        grep -q '^Finished dump at' "$f/metadata" 2>/dev/null || die "$engine: mydumper wrote no finished metadata file in $f"
        for t in wards cases notes audit_log; do
          compgen -G "$f/$BENCH_DB.$t.*sql.gz" >/dev/null || die "$engine: mydumper wrote no $BENCH_DB.$t*.sql.gz in $f"
        done
        size[$engine/$name]=$(du -sb -- "$f" | cut -f1)
        ;;
      *)
        f=$out/$name.sql.gz
        same_sql "$ours" "$f" || die "$engine: $name's output is not the same SQL as opsbackup's ($ours vs $f)"
        size[$engine/$name]=$(stat -c %s "$f")
        ;;
    esac
  done
  # The check must not pass on two empty or cut-short dumps.
  zcat -- "$ours" | grep -Eq '^-- (PostgreSQL database dump complete|Dump completed)' \
    || die "$engine: opsbackup's dump has no completion line"
  ((plain[$engine] > 1000000)) || die "$engine: the dump is only ${plain[$engine]} bytes"
}

# The names a .tar.gz lists, sorted, without a leading ./ or a directory's trailing /.
entries() { tar -tzf "$1" | sed -e 's|^\./||' -e 's|/$||' | LC_ALL=C sort; }
check_files() {  # both archives list the same entries, and all of the tree
  local ours n
  ours=$(find "$out/opsbackup" -name '*.tar.gz' -type f)
  [[ -n $ours && $(wc -l <<<"$ours") == 1 ]] || die "files: opsbackup made no single .tar.gz in $out/opsbackup"
  entries "$ours" >"$work/entries.opsbackup" || die "files: tar -tzf cannot read opsbackup's $ours"
  entries "$out/tar.tar.gz" >"$work/entries.tar" || die "files: tar -tzf cannot read tar's archive"
  if ! cmp -s "$work/entries.opsbackup" "$work/entries.tar"; then
    diff "$work/entries.opsbackup" "$work/entries.tar" | head -n 20 >&2
    die "files: opsbackup's archive and tar's do not list the same entries (< opsbackup, > tar)"
  fi
  n=$(wc -l <"$work/entries.tar")
  ((n == tree_entries)) || die "files: the archives list $n entries, the tree has $tree_entries"
  size[files/opsbackup]=$(stat -c %s "$ours")
  size[files/tar]=$(stat -c %s "$out/tar.tar.gz")
}

bench_engine() {  # bench_engine ENGINE NAME=COMMAND...
  local engine=$1 names=() cmds=() a i json hf=()
  shift
  for a in "$@"; do names+=("${a%%=*}"); cmds+=("${a#*=}"); done

  note "$engine: one run of each, and a check of what they wrote ..."
  bash -c "$fresh_out"
  for i in "${!cmds[@]}"; do
    bash -c "set -o pipefail; ${cmds[i]}" >/dev/null || die "$engine: ${names[i]} failed: ${cmds[i]}"
  done
  if [[ $engine == files ]]; then check_files; else check_sql "$engine" "${names[@]}"; fi

  json=$work/$engine.json
  for i in "${!cmds[@]}"; do hf+=(-n "${names[i]}" "set -o pipefail; ${cmds[i]}"); done
  # The 1-minute load average every 5 s while timing, to show what else ran.
  (while cut -d' ' -f1 /proc/loadavg; do sleep 5; done >"$work/$engine.load") &
  sampler=$!
  hyperfine --style basic --shell=bash --runs "$RUNS" --prepare "$fresh_out" --export-json "$json" "${hf[@]}" >&2
  kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=
  loads[$engine]=$(awk '{ s += $1; if ($1 > m) m = $1; n++ } END { if (n) printf "%.2f mean, %.2f max", s / n, m; else print "-" }' \
    "$work/$engine.load")
  while read -r name med lo hi; do
    median[$engine/$name]=$med low[$engine/$name]=$lo high[$engine/$name]=$hi
  done < <(awk '/"command":/ { gsub(/[",]/, "", $2); c = $2 }
                /"median":/ { gsub(/,/, "", $2); m = $2 }
                /"min":/ { gsub(/,/, "", $2); lo = $2 }
                /"max":/ { gsub(/,/, "", $2); print c, m, lo, $2 }' "$json")
  results+=("$engine:${names[*]}")
  bash -c "$fresh_out"
}

ob=$(q "$OPSBACKUP")
if ((do_pg)); then
  server[postgresql]="PostgreSQL $(psql -X -At -d "$PG_DSN" -c 'SHOW server_version' | awk '{print $1}'), pg_dump $(pg_dump --version | awk '{print $3}')"
  label[postgresql/opsbackup]="opsbackup db"
  label[postgresql/gzip]="pg_dump | gzip"
  label[postgresql/pigz]="pg_dump | pigz -p$(nproc)"
  pg=(
    "opsbackup=$ob db --dir $(q "$out/opsbackup") --name bench --password-file $(q "$PG_PW_FILE") $(q "$PG_DSN")"
    "gzip=pg_dump $(q "$PG_DSN") | gzip > $(q "$out/gzip.sql.gz")"
  )
  ((have_pigz)) && pg+=("pigz=pg_dump $(q "$PG_DSN") | pigz -p $(nproc) > $(q "$out/pigz.sql.gz")")
  bench_engine postgresql "${pg[@]}"
fi
if ((do_my)); then
  server[mariadb]="MariaDB $(mariadb --defaults-extra-file="$MY_CNF" "${MY_ARGS[@]}" -N -B -e 'SELECT VERSION()' | cut -d- -f1), $(mariadb-dump --version | sed -n 's/.*Distrib \([0-9.]*\).*/mariadb-dump \1/p'), $(mydumper --version | awk '{print $1, $2}' | tr -d ,)"
  label[mariadb/opsbackup]="opsbackup db"
  label[mariadb/gzip]="mariadb-dump | gzip"
  label[mariadb/mydumper]="mydumper -t 2 -c"
  args="--defaults-extra-file=$(q "$MY_CNF")"
  for a in "${MY_ARGS[@]}"; do args+=" $(q "$a")"; done
  # mydumper has no --protocol; it reads the password from the same [client] file.
  md_args="--defaults-file=$(q "$MY_CNF")"
  for a in "${MY_ARGS[@]}"; do [[ $a == --protocol=* ]] || md_args+=" $(q "$a")"; done
  my=(
    "opsbackup=$ob db --dir $(q "$out/opsbackup") --name bench --password-file $(q "$MY_PW_FILE") $(q "$MY_DSN")"
    "gzip=mariadb-dump $args --single-transaction --routines --triggers --events --hex-blob --default-character-set=utf8mb4 $BENCH_DB | gzip > $(q "$out/gzip.sql.gz")"
    "mydumper=mydumper $md_args --threads 2 --compress --triggers --events --routines --database $BENCH_DB --outputdir $(q "$out/mydumper")"
  )
  bench_engine mariadb "${my[@]}"
fi
if ((do_files)); then
  server[files]="$(tar --version | head -n 1), $(gzip --version | head -n 1)"
  label[files/opsbackup]="opsbackup files"
  label[files/tar]="tar czf"
  plain[files]=$(du -sb -- "$tree" | cut -f1)
  tree_entries=$(find "$tree" | wc -l)
  tree_files=$(find "$tree" -type f | wc -l)
  tree_dirs=$(find "$tree" -type d | wc -l)
  fl=(
    "opsbackup=$ob files bench --source $(q "$tree") --dir $(q "$out/opsbackup")"
    "tar=tar czf $(q "$out/tar.tar.gz") -C $(q "$BENCH_FILES_DIR") tree"
  )
  bench_engine files "${fl[@]}"
fi

# --- report --------------------------------------------------------------------------
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
echo
echo "opsbackup against the usual tools: $(nproc) CPUs, median of $RUNS runs, warm cache"
echo "load average: $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (1, 5, 15 min)"
for r in "${results[@]}"; do
  engine=${r%%:*}
  read -ra names <<<"${r#*:}"
  echo
  case $engine in
    postgresql)
      echo "${server[$engine]}: $pg_generated cases, notes; $((pg_generated * 12)) audit rows"
      echo "tables $(mb "$pg_total") MB (pg_total_relation_size; $(mb "$pg_tables") MB without indexes); plain SQL $(mb "${plain[$engine]}") MB, the same from every command"
      ;;
    mariadb)
      echo "${server[$engine]}: $BENCH_MYSQL_ROWS cases, notes; $((BENCH_MYSQL_ROWS * 12)) audit rows"
      echo "tables about $(mb "$my_total") MB (InnoDB data_length + index_length); plain SQL $(mb "${plain[$engine]}") MB, the same from opsbackup and mariadb-dump; mydumper finished"
      ;;
    files)
      echo "${server[$engine]}: $tree_files files, $tree_dirs directories, $(mb "${plain[$engine]}") MB (du -sb) in $tree"
      echo "both archives list the same $tree_entries entries"
      ;;
  esac
  echo "1-min load while timing: ${loads[$engine]}"
  printf '%-22s %9s %8s %8s %12s %20s\n' command "median s" "min s" "max s" "output MB" "time / opsbackup"
  for name in "${names[@]}"; do
    k=$engine/$name
    ratio=$(awk -v t="${median[$k]}" -v o="${median[$engine/opsbackup]}" 'BEGIN { printf "%.2fx", t / o }')
    printf '%-22s %9.2f %8.2f %8.2f %12s %20s\n' "${label[$k]}" "${median[$k]}" "${low[$k]}" "${high[$k]}" "$(mb "${size[$k]}")" "$ratio"
  done
done
((do_pg && !have_pigz)) && echo && echo "pigz is not installed: pg_dump | pigz was not measured (apt-get install pigz)"
echo
echo "time / opsbackup above 1: opsbackup is faster by that factor; output MB: the .gz file (mydumper: its directory, du -sb)"
