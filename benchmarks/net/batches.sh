#!/usr/bin/env bash
# Transfers per second through ONE connection: batches of transfers (TRANSFERS) at sizes 1, 16, 256 and 8 189,
# against single TRANSFERs on the same server, one at a time through the same Java client (the request a batch of 1
# replaces) and pipelined 16 deep by redis-benchmark (-c 1 -P 16), and Redis running the same transfer as a Lua
# script (EVALSHA, -c 1 -P 16). Each ledger row runs on a server in memory and on a durable
# one (--data-dir, --sync batch: every batch is forced to disk before its reply). 200 000 accounts: sources
# a000000000000..a000000099999, destinations b000000000000..b000000099999, random pairs, 1 moved each time.
#
# Needs: java 17+, redis-server, redis-cli and redis-benchmark (Debian: apt-get install -y redis-server redis-tools),
# examples/target/ledger.jar and benchmarks/target/benchmarks.jar (mvn -pl benchmarks,examples -am package
# -DskipTests). The durable server's directory must be on a disk, not tmpfs: set TMPDIR to choose.
#
# Environment: JAVA (default: java), JAVA_OPTS (the servers'), JAR (default examples/target/ledger.jar), BENCH_JAR
# (default benchmarks/target/benchmarks.jar), REPEATS (runs per row, the median is shown; default 3), TRANSFERS
# (transfers per run at batch size 8 189; smaller batches send fewer, see below; default 2 000 000), CHART (the PNG
# to draw; default benchmarks/batch-throughput.png).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=lib.sh
. benchmarks/net/lib.sh

JAVA="${JAVA:-java}"
JAR="${JAR:-examples/target/ledger.jar}"
BENCH_JAR="${BENCH_JAR:-benchmarks/target/benchmarks.jar}"
REPEATS="${REPEATS:-3}"
TRANSFERS="${TRANSFERS:-2000000}"
CHART="${CHART:-benchmarks/batch-throughput.png}"
HALF=100000
BALANCE=1000000000

command -v "$JAVA" >/dev/null || missing "$JAVA"
for tool in redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null || missing "$tool" "redis-server redis-tools"
done
for jar in "$JAR" "$BENCH_JAR"; do
  [ -f "$jar" ] || { echo "missing $jar: mvn -pl benchmarks,examples -am package -DskipTests" >&2; exit 1; }
done

work="$(mktemp -d)"
memory_pid=""
durable_pid=""
redis_pid=""
cleanup() {
  set +e # a killed server's exit status must not stop the cleanup
  for pid in $memory_pid $durable_pid $redis_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
case "$(df --output=fstype "$work" | tail -n 1)" in
  tmpfs | ramfs)
    echo "$work is in memory, where fsync costs nothing: set TMPDIR to a directory on a disk" >&2
    exit 1
    ;;
esac

echo "starting the ledger servers (in memory, durable) and Redis, each with $((2 * HALF)) accounts ..."
start_ledger memory
start_ledger durable --data-dir "$work/durable-data" --sync batch
start_redis --appendonly no

# Prints the transfers per second of one BatchLoad run: port, batch size, transfers.
batched() {
  local out
  out="$("$JAVA" -cp "$BENCH_JAR" dev.ledger.benchmarks.net.BatchLoad "$1" "$2" "$3" "$HALF")"
  sed -n 's/.* per_second=\([0-9]*\) .*/\1/p' <<<"$out"
}

# The transfers one run sends at a batch size: fewer for small batches, whose round trips make them slow.
transfers_for() {
  case "$1" in
    1) echo $((TRANSFERS / 100)) ;;
    16) echo $((TRANSFERS / 10)) ;;
    *) echo "$TRANSFERS" ;;
  esac
}

echo "warming up (the JIT compiles the servers' hot paths) ..."
for port in "$memory_port" "$durable_port"; do
  batched "$port" 8189 "$TRANSFERS" >/dev/null
  batched "$port" 16 $((TRANSFERS / 10)) >/dev/null
  rps "$port" 200000 1 16 TRANSFER a__rand_int__ b__rand_int__ 1 >/dev/null
done
rps "$redis_port" 200000 1 16 EVALSHA "$sha" 2 a__rand_int__ b__rand_int__ 1 >/dev/null

results="$work/results"
: >"$results"
for batch in 1 16 256 8189; do
  n="$(transfers_for "$batch")"
  echo "running TRANSFERS batches of $batch, $REPEATS x $n transfers on each server ..."
  : >"$work/memory.tps"
  : >"$work/durable.tps"
  for _ in $(seq "$REPEATS"); do
    batched "$memory_port" "$batch" "$n" >>"$work/memory.tps"
    batched "$durable_port" "$batch" "$n" >>"$work/durable.tps"
  done
  echo "TRANSFERS, batches of $batch|$(median <"$work/memory.tps")|$(median <"$work/durable.tps")" >>"$results"
done
echo "running TRANSFER one at a time through the same client, $REPEATS x each: the request a batch of 1 replaces ..."
: >"$work/memory.tps"
: >"$work/durable.tps"
for _ in $(seq "$REPEATS"); do
  batched "$memory_port" 0 "$(transfers_for 1)" >>"$work/memory.tps"
  batched "$durable_port" 0 "$(transfers_for 1)" >>"$work/durable.tps"
done
echo "TRANSFER, one at a time|$(median <"$work/memory.tps")|$(median <"$work/durable.tps")" >>"$results"
echo "running TRANSFER -c 1 -P 16 on each server and EVALSHA -c 1 -P 16 on Redis, $REPEATS x each ..."
: >"$work/memory.tps"
: >"$work/durable.tps"
: >"$work/redis.tps"
for _ in $(seq "$REPEATS"); do
  rps "$memory_port" 500000 1 16 TRANSFER a__rand_int__ b__rand_int__ 1 >>"$work/memory.tps"
  rps "$durable_port" 200000 1 16 TRANSFER a__rand_int__ b__rand_int__ 1 >>"$work/durable.tps"
  rps "$redis_port" 500000 1 16 EVALSHA "$sha" 2 a__rand_int__ b__rand_int__ 1 >>"$work/redis.tps"
done
single_memory="$(median <"$work/memory.tps")"
single_durable="$(median <"$work/durable.tps")"
redis="$(median <"$work/redis.tps")"
echo "TRANSFER, -P 16|$single_memory|$single_durable" >>"$results"

check_ledger_total "$memory_port"
check_ledger_total "$durable_port"
check_redis_total

echo
echo "$("$JAVA" -version 2>&1 | head -n 1), $(redis-server --version | awk '{print $3}' | sed 's/v=/Redis /'), $(nproc) cores"
echo "one connection, $((2 * HALF)) accounts, median of $REPEATS runs; totals conserved"
echo
printf '| %-27s | %15s | %15s | %17s | %17s |\n' "load" "in memory" "durable (batch)" "memory / Redis" \
  "memory / TRANSFER"
printf '|%s|%s:|%s:|%s:|%s:|\n' "-----------------------------" "-----------------" "-----------------" \
  "-------------------" "-------------------"
while IFS='|' read -r label memory durable; do
  printf '| %-27s | %11s tr/s | %11s tr/s | %17s | %17s |\n' "$label" "$memory" "$durable" \
    "$(awk -v a="$memory" -v b="$redis" 'BEGIN { printf "%.2f", a / b }')" \
    "$(awk -v a="$memory" -v b="$single_memory" 'BEGIN { printf "%.2f", a / b }')"
done <"$results"
printf '| %-27s | %11s tr/s | %15s | %17s | %17s |\n' "Redis EVALSHA, -P 16" "$redis" "" "1.00" \
  "$(awk -v a="$redis" -v b="$single_memory" 'BEGIN { printf "%.2f", a / b }')"
echo "Redis EVALSHA, -P 16|$redis|" >>"$results"
"$JAVA" -cp "$BENCH_JAR" dev.ledger.benchmarks.report.BatchChart "$results" "$CHART"
echo
echo "chart: $CHART"
