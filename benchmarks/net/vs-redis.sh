#!/usr/bin/env bash
# Runs the same redis-benchmark load against the ledger server and against a real Redis, and prints both
# throughputs and their ratio. With DURABLE=1, both keep every acknowledged transfer on disk, and PostgreSQL
# runs the same transfer under pgbench as a third column.
#
# The load is a transfer of 1 between two random accounts out of 100 000:
#   ledger: TRANSFER a__rand_int__ b__rand_int__ 1
#   Redis:  EVALSHA <sha> 2 a__rand_int__ b__rand_int__ 1, a Lua script that does the same: if GET from >= amount
#           then DECRBY from, INCRBY to, +OK, else -FAILED insufficient funds.
# Sources a000000000000..a000000049999 and destinations b000000000000..b000000049999 (redis-benchmark -r 50000
# writes __rand_int__ as 12 digits) never coincide: the bank refuses a transfer to the same account, and
# redis-benchmark exits on the first error reply. Both servers hold the same 100 000 keys at 1 000 000 each.
# Loads: -c 1, -c 50 and -c 50 -P 16 (clients, pipelined requests per client), PING at -c 50 as a reference:
# a command with no work behind it, which measures the network path alone (the protocol, the threads, the system
# calls), and -c 50 -P 16 again on RESP3 connections (redis-benchmark -3, which opens each with HELLO 3).
#
# DURABLE=1: the ledger server journals to a directory (--data-dir, --sync batch: group commit), Redis runs with
# appendonly yes and appendfsync always, and a private PostgreSQL cluster (synchronous_commit=on, fsync=on, on
# 127.0.0.1) holds accounts(id int primary key, balance bigint not null), ids 1..100 000 at 1 000 000 each.
# pgbench -M prepared runs one statement per transaction, which debits a random source in 1..50 000 if its
# balance covers 1 and credits a random destination in 50 001..100 000 only if the debit happened:
#   WITH debit AS (UPDATE accounts SET balance = balance - 1 WHERE id = :a AND balance >= 1 RETURNING id)
#   UPDATE accounts SET balance = balance + 1 WHERE id = :b AND EXISTS (SELECT FROM debit);
# Only the -c 1 and -c 50 loads run (pgbench -j 1 and -j 2). A second ledger server, in memory, runs the same
# loads as a reference: no durable server can outrun it, so it bounds what the durable ratios can reach here. Everything lives in a temporary directory,
# which must be on a disk (not tmpfs, where fsync costs nothing): set TMPDIR to choose where. PostgreSQL refuses
# to run as root, so under root its cluster is run as the user postgres (created by Debian's package).
#
# Needs: java 17+, redis-server, redis-cli and redis-benchmark (Debian: apt-get install -y redis-server
# redis-tools), and examples/target/ledger.jar (mvn -pl ledger-core,ledger-net,examples -am package -DskipTests).
# DURABLE=1 also needs PostgreSQL's initdb, pg_ctl, psql and pgbench (Debian: apt-get install -y postgresql
# postgresql-contrib; found in the newest /usr/lib/postgresql/*/bin) and, under root, runuser.
#
# Environment: JAVA (default: java), JAVA_OPTS, JAR (the ledger jar; default examples/target/ledger.jar),
# REPEATS (runs per load, the median is shown; default 3),
# RESP3 (0 leaves out the RESP3 row, for a server without HELLO), REQUESTS_C1, REQUESTS_C50, REQUESTS_P16
# (redis-benchmark requests per run; defaults 100 000, 500 000 and 3 000 000, or 20 000 and 200 000 with
# DURABLE=1), WARMUP (redis-benchmark -c 50 -P 16 requests sent to each server before measuring; default
# 1 000 000, or 200 000 with DURABLE=1), DURABLE (1 for the durable comparison),
# PG_SECONDS (seconds per pgbench run, and of its warm-up; default 10), PG_BIN (PostgreSQL's bin directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib.sh
. benchmarks/net/lib.sh

JAVA="${JAVA:-java}"
JAR="${JAR:-examples/target/ledger.jar}"
DURABLE="${DURABLE:-0}"
REPEATS="${REPEATS:-3}"
if [ "$DURABLE" = 1 ]; then
  REQUESTS_C1="${REQUESTS_C1:-20000}"
  REQUESTS_C50="${REQUESTS_C50:-200000}"
  WARMUP="${WARMUP:-200000}"
  PG_SECONDS="${PG_SECONDS:-10}"
  LOADS=("1 1 ${REQUESTS_C1}" "50 1 ${REQUESTS_C50}")
else
  REQUESTS_C1="${REQUESTS_C1:-100000}"
  REQUESTS_C50="${REQUESTS_C50:-500000}"
  REQUESTS_P16="${REQUESTS_P16:-3000000}"
  WARMUP="${WARMUP:-1000000}"
  LOADS=("1 1 ${REQUESTS_C1}" "50 1 ${REQUESTS_C50}" "50 16 ${REQUESTS_P16}" "50 1 ${REQUESTS_C50} PING")
  if [ "${RESP3:-1}" = 1 ]; then LOADS+=("50 16 ${REQUESTS_P16} RESP3"); fi
fi
HALF=50000
BALANCE=1000000
PROTOCOL=""  # redis-benchmark -3 for the RESP3 row: every connection opens with HELLO 3
durable() { [ "$DURABLE" = 1 ]; }
as_root() { [ "$(id -u)" = 0 ]; }

command -v "$JAVA" >/dev/null || missing "$JAVA"
for tool in redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null || missing "$tool" "redis-server redis-tools"
done
[ -f "$JAR" ] || { echo "missing $JAR: mvn -pl ledger-core,ledger-net,examples -am package -DskipTests" >&2; exit 1; }
if durable; then
  PG_BIN="${PG_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}"
  for tool in initdb pg_ctl psql pgbench; do
    [ -x "$PG_BIN/$tool" ] || missing "PostgreSQL's $tool in $PG_BIN" "postgresql postgresql-contrib"
  done
  if as_root; then
    command -v runuser >/dev/null || missing runuser util-linux
    id postgres >/dev/null 2>&1 || missing "user postgres, to run PostgreSQL as (it refuses root)" postgresql
  fi
fi

work="$(mktemp -d)"
ledger_pid=""
memory_pid=""
redis_pid=""
pg_data=""
cleanup() {
  set +e # a killed server's exit status must not stop the cleanup
  for pid in $ledger_pid $memory_pid $redis_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Runs a command as the owner of the PostgreSQL cluster: the user postgres under root, else the current user.
as_pg() {
  if as_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

redis_args=(--appendonly no)
if durable; then
  case "$(df --output=fstype "$work" | tail -n 1)" in
    tmpfs | ramfs)
      echo "$work is in memory, where fsync costs nothing: set TMPDIR to a directory on a disk" >&2
      exit 1
      ;;
  esac
  mkdir "$work/redis-data"
  redis_args=(--appendonly yes --appendfsync always --dir "$work/redis-data")
fi

echo "starting the ledger server and Redis ..."
if durable; then
  start_ledger ledger --data-dir "$work/ledger-data" --sync batch # a pipe's requests share an fsync per read
  start_ledger memory
else
  start_ledger ledger
fi

start_redis "${redis_args[@]}"

# psql on the private cluster, stopping at the first error.
pg_sql() {
  "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"
}

# Starts a private PostgreSQL cluster in the work directory and loads the accounts.
start_postgres() {
  pg_data="$work/pg-data"
  local run="$work/pg-run" # its Unix socket and log
  mkdir -m 700 "$pg_data"
  mkdir "$run"
  if as_root; then
    chmod 711 "$work"
    chown postgres: "$pg_data" "$run"
  fi
  as_pg test -w "$run" ||
    { echo "the user postgres cannot reach $work: set TMPDIR to a directory it can" >&2; exit 1; }
  as_pg "$PG_BIN/initdb" -D "$pg_data" -A trust -U postgres -E UTF8 --no-locale >"$work/initdb.log" 2>&1 ||
    { cat "$work/initdb.log" >&2; exit 1; }
  pg_port="$(free_port)"
  cat >>"$pg_data/postgresql.conf" <<EOF
port = $pg_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$run'
fsync = on
synchronous_commit = on
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$pg_data" -l "$run/postgres.log" -w -t 60 start >/dev/null ||
    { cat "$run/postgres.log" >&2; exit 1; }
  pg_sql <<EOF
CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL);
INSERT INTO accounts SELECT id, $BALANCE FROM generate_series(1, 2 * $HALF) AS id;
VACUUM ANALYZE accounts;
CHECKPOINT;
EOF
  cat >"$work/transfer.sql" <<EOF
\\set a random(1, $HALF)
\\set b random($((HALF + 1)), $((2 * HALF)))
WITH debit AS (UPDATE accounts SET balance = balance - 1 WHERE id = :a AND balance >= 1 RETURNING id)
UPDATE accounts SET balance = balance + 1 WHERE id = :b AND EXISTS (SELECT FROM debit);
EOF
}

if durable; then
  echo "starting PostgreSQL ..."
  start_postgres
fi

# Prints the transactions per second (without connection time) of one pgbench run of the transfer script.
tps() {
  local clients="$1" seconds="$2" out
  if ! out="$("$PG_BIN/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -M prepared -f "$work/transfer.sql" \
      -c "$clients" -j "$((clients < 2 ? clients : 2))" -T "$seconds" postgres 2>"$work/pgbench.err")"; then
    cat "$work/pgbench.err" >&2
    exit 1
  fi
  awk '/^tps = .*without initial connection time/ { printf "%d\n", $3 }' <<<"$out"
}

echo "warming up (the JIT compiles the server's hot path) ..."
rps "$ledger_port" "$WARMUP" 50 16 TRANSFER a__rand_int__ b__rand_int__ 1 >/dev/null
if durable; then rps "$memory_port" "$WARMUP" 50 16 TRANSFER a__rand_int__ b__rand_int__ 1 >/dev/null; fi
rps "$redis_port" "$WARMUP" 50 16 EVALSHA "$sha" 2 a__rand_int__ b__rand_int__ 1 >/dev/null
if durable; then tps 50 "$PG_SECONDS" >/dev/null; fi

results="$work/results"
: >"$results"
for load in "${LOADS[@]}"; do
  read -r clients pipeline requests mode <<<"$load"
  label="-c $clients"
  [ "$pipeline" -gt 1 ] && label="$label -P $pipeline"
  PROTOCOL=""
  if [ "$mode" = RESP3 ]; then
    label="RESP3 $label"
    PROTOCOL="-3"
  fi
  if [ "$mode" = PING ]; then
    label="PING $label"
    ours=(PING)
    theirs=(PING)
  else
    ours=(TRANSFER a__rand_int__ b__rand_int__ 1)
    theirs=(EVALSHA "$sha" 2 a__rand_int__ b__rand_int__ 1)
  fi
  pgbench_runs=""
  if durable; then pgbench_runs=", $REPEATS x $PG_SECONDS s of pgbench"; fi
  echo "running $label, $REPEATS x $requests requests each$pgbench_runs ..."
  : >"$work/ledger.rps"
  : >"$work/redis.rps"
  : >"$work/postgres.tps"
  : >"$work/memory.rps"
  for _ in $(seq "$REPEATS"); do
    rps "$ledger_port" "$requests" "$clients" "$pipeline" "${ours[@]}" >>"$work/ledger.rps"
    rps "$redis_port" "$requests" "$clients" "$pipeline" "${theirs[@]}" >>"$work/redis.rps"
    if durable; then
      tps "$clients" "$PG_SECONDS" >>"$work/postgres.tps"
      rps "$memory_port" "$requests" "$clients" "$pipeline" "${ours[@]}" >>"$work/memory.rps"
    fi
  done
  echo "$label|$(median <"$work/ledger.rps")|$(median <"$work/redis.rps")|$(median <"$work/postgres.tps")|$(
    median <"$work/memory.rps")" >>"$results"
done

# Money is conserved on every side: every transfer moved 1 from one account to another.
check_ledger_total "$ledger_port"
if durable; then check_ledger_total "$memory_port"; fi
check_redis_total
if durable; then
  expected=$((2 * HALF * BALANCE))
  pg_total="$(pg_sql -c 'SELECT sum(balance) FROM accounts')"
  [ "$pg_total" = "$expected" ] || { echo "PostgreSQL total $pg_total, expected $expected" >&2; exit 1; }
fi

echo
echo "$("$JAVA" -version 2>&1 | head -n 1), $(redis-server --version | cut -d' ' -f1-3), $(nproc) cores"
if durable; then
  echo "durable: ledger --sync batch; Redis appendonly yes, appendfsync always;" \
    "PostgreSQL $(pg_sql -c 'SHOW server_version'), synchronous_commit $(pg_sql -c 'SHOW synchronous_commit')," \
    "fsync $(pg_sql -c 'SHOW fsync'), wal_sync_method $(pg_sql -c 'SHOW wal_sync_method');" \
    "all on $(df --output=fstype "$work" | tail -n 1)"
fi
echo "$(sed -n 's/^listening on [^(]*(\(.*\));.*/\1/p' "$work/ledger.log"); median of $REPEATS runs; totals conserved"
echo

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { print (b > 0 ? a / b : 0) }'
}
if durable; then
  printf '| %-13s | %15s | %22s | %19s | %12s | %17s | %16s | %20s |\n' "load" "ledger TRANSFER" \
    "Redis EVALSHA transfer" "PostgreSQL transfer" "ledger/Redis" "ledger/PostgreSQL" "ledger in memory" \
    "in memory/PostgreSQL"
  printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "---------------" "----------------:" "-----------------------:" \
    "--------------------:" "-------------:" "------------------:" "-----------------:" "---------------------:"
else
  printf '| %-17s | %15s | %22s | %5s |\n' "load" "ledger TRANSFER" "Redis EVALSHA transfer" "ratio"
  printf '|%s|%s|%s|%s|\n' "-------------------" "----------------:" "-----------------------:" "------:"
fi
while IFS='|' read -r label ours theirs postgres memory; do
  if durable; then
    printf '| %-13s | %9d req/s | %16d req/s | %15d tps | %12.2f | %17.2f | %10d req/s | %20.2f |\n' "$label" \
      "$ours" "$theirs" "$postgres" "$(ratio "$ours" "$theirs")" "$(ratio "$ours" "$postgres")" "$memory" \
      "$(ratio "$memory" "$postgres")"
  else
    printf '| %-17s | %9d req/s | %16d req/s | %5.2f |\n' "$label" "$ours" "$theirs" "$(ratio "$ours" "$theirs")"
  fi
done <"$results"
