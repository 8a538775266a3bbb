#!/usr/bin/env bash
# Runs the same redis-benchmark load against the ledger server and against a real Redis, and prints both
# throughputs and their ratio.
#
# The load is a transfer of 1 between two random accounts out of 100 000:
#   ledger: TRANSFER a__rand_int__ b__rand_int__ 1
#   Redis:  EVALSHA <sha> 2 a__rand_int__ b__rand_int__ 1, a Lua script that does the same: if GET from >= amount
#           then DECRBY from, INCRBY to, +OK, else -FAILED insufficient funds.
# Sources a000000000000..a000000049999 and destinations b000000000000..b000000049999 (redis-benchmark -r 50000
# writes __rand_int__ as 12 digits) never coincide: the bank refuses a transfer to the same account, and
# redis-benchmark exits on the first error reply. Both servers hold the same 100 000 keys at 1 000 000 each.
#
# Needs: java 17+, redis-server, redis-cli and redis-benchmark (Debian: apt-get install -y redis-server
# redis-tools), and examples/target/ledger.jar (mvn -pl ledger-core,ledger-net,examples -am package -DskipTests).
#
# Environment: JAVA (default: java), JAVA_OPTS, REPEATS (runs per load, the median is shown; default 3),
# REQUESTS_C1, REQUESTS_C50, REQUESTS_P16 (requests per run).
set -euo pipefail
cd "$(dirname "$0")/../.."

JAVA="${JAVA:-java}"
JAR=examples/target/ledger.jar
REPEATS="${REPEATS:-3}"
REQUESTS_C1="${REQUESTS_C1:-100000}"
REQUESTS_C50="${REQUESTS_C50:-500000}"
REQUESTS_P16="${REQUESTS_P16:-3000000}"
HALF=50000
BALANCE=1000000
LUA="local b = tonumber(redis.call('GET', KEYS[1]))
if b and b >= tonumber(ARGV[1]) then
  redis.call('DECRBY', KEYS[1], ARGV[1])
  redis.call('INCRBY', KEYS[2], ARGV[1])
  return redis.status_reply('OK')
end
return redis.error_reply('FAILED insufficient funds')"

for tool in "$JAVA" redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "missing $tool (Debian: apt-get install -y redis-server redis-tools)" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "missing $JAR: mvn -pl ledger-core,ledger-net,examples -am package -DskipTests" >&2; exit 1; }

work="$(mktemp -d)"
ledger_pid=""
redis_pid=""
cleanup() {
  set +e # a killed server's exit status must not stop the cleanup
  for pid in $ledger_pid $redis_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Waits up to 30 s for a command to succeed.
await() {
  for _ in $(seq 300); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "gave up waiting for: $*" >&2
  exit 1
}

# A port nothing listens on, from a random start (Redis cannot pick its own and report it).
free_port() {
  local port=$((20000 + RANDOM % 20000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# One line of RESP per account, as COMMAND id balance.
accounts() {
  awk -v cmd="$1" -v half="$HALF" -v balance="$BALANCE" 'BEGIN {
    for (p = 0; p < 2; p++) {
      prefix = p == 0 ? "a" : "b"
      for (i = 0; i < half; i++) {
        id = sprintf("%s%012d", prefix, i)
        printf "*3\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(cmd), cmd, length(id), id, length(balance), balance
      }
    }
  }'
}

echo "starting the ledger server and Redis ..."
"$JAVA" ${JAVA_OPTS:-} -jar "$JAR" server --port 0 --accounts 0 --max-connections 10000 >"$work/ledger.log" 2>&1 &
ledger_pid=$!
await grep -q '^listening on ' "$work/ledger.log"
ledger_port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/ledger.log")"

redis_port="$(free_port)"
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no >"$work/redis.log" 2>&1 &
redis_pid=$!
await redis-cli -p "$redis_port" ping

accounts OPEN | redis-cli -p "$ledger_port" --pipe >"$work/load-ledger.log"
accounts SET | redis-cli -p "$redis_port" --pipe >"$work/load-redis.log"
grep -q 'errors: 0, replies: 100000' "$work/load-ledger.log" || { cat "$work/load-ledger.log" >&2; exit 1; }
grep -q 'errors: 0, replies: 100000' "$work/load-redis.log" || { cat "$work/load-redis.log" >&2; exit 1; }
sha="$(redis-cli -p "$redis_port" SCRIPT LOAD "$LUA")"

# Prints the requests per second of one redis-benchmark run. (Against the ledger it warns that it cannot read
# Redis's CONFIG; its messages are shown only if the run fails, for example on an error reply.)
rps() {
  local port="$1" requests="$2" clients="$3" pipeline="$4" out
  shift 4
  if ! out="$(redis-benchmark -h 127.0.0.1 -p "$port" -n "$requests" -c "$clients" -P "$pipeline" -r "$HALF" \
      --csv "$@" 2>"$work/benchmark.err")"; then
    cat "$work/benchmark.err" >&2
    exit 1
  fi
  awk -F'"' 'NR == 2 { printf "%d\n", $4 }' <<<"$out"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "warming up (the JIT compiles the server's hot path) ..."
rps "$ledger_port" 1000000 50 16 TRANSFER a__rand_int__ b__rand_int__ 1 >/dev/null
rps "$redis_port" 1000000 50 16 EVALSHA "$sha" 2 a__rand_int__ b__rand_int__ 1 >/dev/null

results="$work/results"
: >"$results"
for load in "1 1 $REQUESTS_C1" "50 1 $REQUESTS_C50" "50 16 $REQUESTS_P16"; do
  read -r clients pipeline requests <<<"$load"
  label="-c $clients"
  [ "$pipeline" -gt 1 ] && label="$label -P $pipeline"
  echo "running $label, $REPEATS x $requests requests each ..."
  : >"$work/ledger.rps"
  : >"$work/redis.rps"
  for _ in $(seq "$REPEATS"); do
    rps "$ledger_port" "$requests" "$clients" "$pipeline" TRANSFER a__rand_int__ b__rand_int__ 1 >>"$work/ledger.rps"
    rps "$redis_port" "$requests" "$clients" "$pipeline" EVALSHA "$sha" 2 a__rand_int__ b__rand_int__ 1 \
      >>"$work/redis.rps"
  done
  echo "$label|$(median <"$work/ledger.rps")|$(median <"$work/redis.rps")" >>"$results"
done

# Money is conserved on both sides: every transfer moved 1 from one account to another.
expected=$((2 * HALF * BALANCE))
ledger_total="$(redis-cli -p "$ledger_port" TOTAL)"
redis_total="$(redis-cli -p "$redis_port" EVAL "local s = 0
for _, k in ipairs(redis.call('KEYS', '*')) do s = s + tonumber(redis.call('GET', k)) end
return s" 0)"
[ "$ledger_total" = "$expected" ] || { echo "ledger total $ledger_total, expected $expected" >&2; exit 1; }
[ "$redis_total" = "$expected" ] || { echo "Redis total $redis_total, expected $expected" >&2; exit 1; }

echo
echo "$("$JAVA" -version 2>&1 | head -n 1), $(redis-server --version | cut -d' ' -f1-3), $(nproc) cores"
echo "$(sed -n 's/^listening on [^(]*(\(.*\));.*/\1/p' "$work/ledger.log"); median of $REPEATS runs; totals conserved"
echo
printf '| %-13s | %15s | %22s | %5s |\n' "load" "ledger TRANSFER" "Redis EVALSHA transfer" "ratio"
printf '|%s|%s|%s|%s|\n' "---------------" "----------------:" "-----------------------:" "------:"
while IFS='|' read -r label ours theirs; do
  printf '| %-13s | %9d req/s | %16d req/s | %5.2f |\n' "$label" "$ours" "$theirs" \
    "$(awk -v a="$ours" -v b="$theirs" 'BEGIN { print a / b }')"
done <"$results"
