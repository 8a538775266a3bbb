# Shell functions the network benchmarks share; sourced, not run. The caller sets JAVA, JAR, HALF, BALANCE and work
# (a temporary directory), and PROTOCOL if redis-benchmark is to speak RESP3.

# The Redis side of a transfer: the same check and moves as the bank's TRANSFER, in one Lua script.
LUA="local b = tonumber(redis.call('GET', KEYS[1]))
if b and b >= tonumber(ARGV[1]) then
  redis.call('DECRBY', KEYS[1], ARGV[1])
  redis.call('INCRBY', KEYS[2], ARGV[1])
  return redis.status_reply('OK')
end
return redis.error_reply('FAILED insufficient funds')"

missing() {
  echo "missing $1${2:+ (Debian: apt-get install -y $2)}" >&2
  exit 1
}

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

# One line of RESP per account, as COMMAND id balance: sources a000000000000 onwards and destinations
# b000000000000 onwards, HALF of each (redis-benchmark -r HALF writes __rand_int__ as those 12 digits).
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

# Loads the accounts into a server through redis-cli --pipe with COMMAND (OPEN or SET), failing on any error.
load_accounts() {
  local command="$1" port="$2" log="$work/load-$2.log"
  accounts "$command" | redis-cli -p "$port" --pipe >"$log"
  grep -q "errors: 0, replies: $((2 * HALF))" "$log" || { cat "$log" >&2; exit 1; }
}

# Starts a ledger server named $1 with the extra arguments that follow, loads the accounts, and sets ${1}_pid
# and ${1}_port.
start_ledger() {
  local name="$1" port
  shift
  "$JAVA" ${JAVA_OPTS:-} -jar "$JAR" server --port 0 --accounts 0 --max-connections 10000 "$@" \
    >"$work/$name.log" 2>&1 &
  printf -v "${name}_pid" '%s' "$!"
  await grep -q '^listening on ' "$work/$name.log"
  port="$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/$name.log")"
  printf -v "${name}_port" '%s' "$port"
  load_accounts OPEN "$port"
}

# Starts Redis with the extra arguments that follow, loads the accounts and the transfer script, and sets
# redis_pid, redis_port and sha.
start_redis() {
  redis_port="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' "$@" >"$work/redis.log" 2>&1 &
  redis_pid=$!
  await redis-cli -p "$redis_port" ping
  load_accounts SET "$redis_port"
  sha="$(redis-cli -p "$redis_port" SCRIPT LOAD "$LUA")"
}

# Prints the requests per second of one redis-benchmark run. (Against the ledger it warns that it cannot read
# Redis's CONFIG; its messages are shown only if the run fails, for example on an error reply.)
rps() {
  local port="$1" requests="$2" clients="$3" pipeline="$4" out
  shift 4
  if ! out="$(redis-benchmark -h 127.0.0.1 -p "$port" -n "$requests" -c "$clients" -P "$pipeline" -r "$HALF" \
      ${PROTOCOL:-} --csv "$@" 2>"$work/benchmark.err")"; then
    cat "$work/benchmark.err" >&2
    exit 1
  fi
  awk -F'"' 'NR == 2 { printf "%d\n", $4 }' <<<"$out"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Fails unless the ledger server on port $1 holds exactly the money it opened with.
check_ledger_total() {
  local total expected=$((2 * HALF * BALANCE))
  total="$(redis-cli -p "$1" TOTAL)"
  [ "$total" = "$expected" ] || { echo "ledger total $total on port $1, expected $expected" >&2; exit 1; }
}

# Fails unless Redis holds exactly the money it opened with.
check_redis_total() {
  local total expected=$((2 * HALF * BALANCE))
  total="$(redis-cli -p "$redis_port" EVAL "local s = 0
for _, k in ipairs(redis.call('KEYS', '*')) do s = s + tonumber(redis.call('GET', k)) end
return s" 0)"
  [ "$total" = "$expected" ] || { echo "Redis total $total, expected $expected" >&2; exit 1; }
}
