#!/usr/bin/env bash
# The container packaging, end to end: builds the image from examples/target/ledger.jar, starts the three-bank
# consortium of container/compose.yaml, and checks from the host, on 127.0.0.1 only:
#   - every bank answers PING on its published RESP port (7001, 7002, 7003);
#   - every bank answers GET /api/bank with 200 and its name on its published HTTP port (8081, 8082, 8083),
#     when the jar has the web panel (`ledger bank --http-port`);
#   - the banks reach each other by their compose names: a transfer from beta to alpha, coordinated by alpha;
#   - the data directories are volumes: after compose down and up, the accounts are the same;
#   - the image's HEALTHCHECK passes;
# then removes the containers, their volumes and network, and the image it built.
#
# Uses Docker (with `docker compose` or docker-compose) if its daemon answers, else Podman (with
# `podman compose` or podman-compose). Builds on an image already present: $LEDGER_BASE_IMAGE, else
# eclipse-temurin:17-jre, else localhost/ledger-jre:17 (container/make-base-image.sh makes it from Debian's
# packages). It pulls nothing unless LEDGER_CONTAINER_PULL=1.
#
# Exit 0 when every check passed, or with a line "SKIPPED: <reason>" when no engine can run containers here
# (no engine, no daemon, no compose, no base image, or a container cannot start); 1 when a check failed.
# Every wait has a time limit. A run takes 40 to 90 s (Podman 4.3 and podman-compose on 2 cores); a skip about 1 s.
#
# Environment: LEDGER_CONTAINER_ENGINE=docker|podman to choose; LEDGER_BASE_IMAGE; LEDGER_CONTAINER_PULL=1;
# LEDGER_CONTAINER_KEEP=1 to leave the consortium running (and print how to take it down).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "== container test: $*"; }
skip() {
    echo "SKIPPED: container test: $*"
    exit 0
}
fail() {
    echo "FAILED: container test: $*" >&2
    exit 1
}

jar=examples/target/ledger.jar
image=localhost/ledger:containertest
project="ledgertest$$"
work=$(mktemp -d)
engine=""
compose=()
up=no

cleanup() {
    local status=$?
    set +e
    if [ "$up" = yes ]; then
        if [ "${LEDGER_CONTAINER_KEEP:-}" = 1 ]; then
            log "left running; take it down with: LEDGER_IMAGE=$image LEDGER_ENV_FILE=$work/consortium.env" \
                "${compose[*]} -p $project -f container/compose.yaml down -v"
            exit "$status"
        fi
        if [ "$status" != 0 ]; then
            log "logs of the banks:"
            timeout 30 "${compose[@]}" -p "$project" -f container/compose.yaml logs 2>&1 | tail -n 60
        fi
        log "taking the consortium down"
        LEDGER_IMAGE=$image LEDGER_ENV_FILE=$work/consortium.env \
            timeout 120 "${compose[@]}" -p "$project" -f container/compose.yaml down -v -t 10 >"$work/down.log" 2>&1 \
            || { echo "compose down failed:"; tail -n 20 "$work/down.log"; }
    fi
    if [ -n "$engine" ]; then
        # podman-compose 1.0 leaves the project's network behind.
        for network in $(timeout 30 "$engine" network ls -q --filter "label=com.docker.compose.project=$project" \
            2>/dev/null); do
            timeout 30 "$engine" network rm "$network" >/dev/null 2>&1
        done
        timeout 60 "$engine" image rm "$image" >/dev/null 2>&1
        # The build's intermediate images (Podman keeps the jar stage's): the dangling ones that it made.
        for id in $(timeout 30 "$engine" images -q --no-trunc --filter dangling=true 2>/dev/null); do
            grep -qx "$id" "$work/dangling-before" 2>/dev/null || timeout 30 "$engine" image rm "$id" >/dev/null 2>&1
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

# --- an engine that can run containers, and compose -------------------------------------------------------

engine_answers() { # engine
    command -v "$1" >/dev/null 2>&1 && timeout 20 "$1" info >/dev/null 2>&1
}

find_compose() { # engine
    if [ "$1" = docker ]; then
        if timeout 20 docker compose version >/dev/null 2>&1; then compose=(docker compose); return 0; fi
        if command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose); return 0; fi
    else
        # podman compose (podman 4.7+) runs an external provider; podman-compose is the one Debian packages.
        if command -v podman-compose >/dev/null 2>&1; then compose=(podman-compose); return 0; fi
        if timeout 20 podman compose version >/dev/null 2>&1; then compose=(podman compose); return 0; fi
    fi
    return 1
}

reasons=()
for candidate in ${LEDGER_CONTAINER_ENGINE:-docker podman}; do
    if ! command -v "$candidate" >/dev/null 2>&1; then
        reasons+=("no $candidate")
    elif ! engine_answers "$candidate"; then
        reasons+=("$candidate does not answer ($candidate info failed: no daemon or no runtime)")
    elif ! find_compose "$candidate"; then
        reasons+=("$candidate has no compose")
    else
        engine=$candidate
        break
    fi
done
[ -n "$engine" ] || skip "no container engine with compose here: $(IFS=';'; echo "${reasons[*]}")"
version=$(timeout 20 "$engine" --version 2>/dev/null || true)
log "engine ${version:-$engine}, compose: ${compose[*]}"

image_present() { timeout 30 "$engine" image inspect "$1" >/dev/null 2>&1; }

base=""
for candidate in ${LEDGER_BASE_IMAGE:-eclipse-temurin:17-jre localhost/ledger-jre:17}; do
    if image_present "$candidate"; then base=$candidate; break; fi
    if [ "${LEDGER_CONTAINER_PULL:-}" = 1 ] && timeout 300 "$engine" pull "$candidate" >/dev/null 2>&1; then
        base=$candidate
        break
    fi
done
[ -n "$base" ] || skip "no JRE base image in $engine (tried ${LEDGER_BASE_IMAGE:-eclipse-temurin:17-jre localhost/ledger-jre:17}; pull one, set LEDGER_CONTAINER_PULL=1, or run container/make-base-image.sh)"

# A sandbox without CAP_SYS_RESOURCE cannot give a container Podman's default rlimits (nofile 1048576, ...), and
# crun refuses a cgroup v1 hierarchy whose cgroup v2 part has controllers ("cgroups in hybrid mode not
# supported"): then retry with a containers.conf of our own that pins the rlimits and prefers runc.
podman_workaround() {
    local nofile nproc
    nofile=$(ulimit -Hn)
    nproc=$(ulimit -Hu)
    if [ "$nofile" = unlimited ] || [ "$nofile" -gt 16384 ]; then nofile=16384; fi
    if [ "$nproc" = unlimited ] || [ "$nproc" -gt 16384 ]; then nproc=16384; fi
    {
        echo '[containers]'
        echo "default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]"
        if command -v runc >/dev/null 2>&1; then printf '[engine]\nruntime = "runc"\n'; fi
    } >"$work/containers.conf"
    export CONTAINERS_CONF="$work/containers.conf"
}

run_probe() { timeout 120 "$engine" run --rm --network none --entrypoint java "$base" -version 2>&1; }
if ! probe=$(run_probe); then
    if [ "$engine" = podman ] && [ -z "${CONTAINERS_CONF:-}" ]; then
        log "a plain podman run failed ($(echo "$probe" | tail -n 1)); retrying with pinned rlimits$(
            command -v runc >/dev/null 2>&1 && echo ' and runc')"
        podman_workaround
        probe=$(run_probe) || skip "$engine cannot run a container of $base here: $(echo "$probe" | tail -n 3 | tr '\n' ' ')"
    else
        skip "$engine cannot run a container of $base here: $(echo "$probe" | tail -n 3 | tr '\n' ' ')"
    fi
fi
log "base $base runs: ${probe%%$'\n'*}"

# --- the jar, the image -----------------------------------------------------------------------------------

if [ ! -f "$jar" ]; then
    log "building $jar"
    timeout 900 mvn -q -B package -DskipTests -pl examples -am || fail "could not build $jar"
fi
http=no
help=$(timeout 60 java -jar "$jar" bank --help 2>&1) || fail "java -jar $jar bank --help: $help"
case "$help" in *--http-port*) http=yes ;; esac
log "the jar's web panel (--http-port): $http"

for port in 7001 7002 7003 8081 8082 8083; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        fail "127.0.0.1:$port is taken: compose.yaml publishes the banks there"
    fi
done

build=("$engine" build -f container/Containerfile --build-arg "BASE=$base" --build-arg JAR_FROM=prebuilt
    --build-arg "JAR=$jar" -t "$image")
if [ "$engine" = podman ]; then
    build+=(--format docker --pull=never) # docker format keeps the HEALTHCHECK; OCI drops it
fi
timeout 30 "$engine" images -q --no-trunc --filter dangling=true >"$work/dangling-before" 2>/dev/null || true
log "${build[*]} ."
started=$SECONDS
timeout 600 "${build[@]}" . >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "the image did not build"; }
log "image built in $((SECONDS - started)) s"

# --- the consortium ---------------------------------------------------------------------------------------

secret=$(od -An -N 24 -tx1 /dev/urandom | tr -d ' \n')
printf 'LEDGER_CONSORTIUM_SECRET=%s\n' "$secret" >"$work/consortium.env"
export LEDGER_IMAGE=$image LEDGER_ENV_FILE=$work/consortium.env
up=yes
started=$SECONDS
timeout 180 "${compose[@]}" -p "$project" -f container/compose.yaml up -d >"$work/up.log" 2>&1 \
    || { tail -n 40 "$work/up.log"; fail "compose up failed"; }
log "compose up in $((SECONDS - started)) s"

resp_ping() { # port: prints the first reply line to PING
    timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1; printf "PING\r\n" >&3;
        IFS= read -r line <&3 && printf "%s" "${line%$'"'"'\r'"'"'}"' _ "$1" 2>/dev/null || true
}

http_get() { # port path: prints the whole response, headers and body
    timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n" "$2" "$1" >&3
        cat <&3' _ "$1" "$2" 2>/dev/null | tr -d '\r' || true
}

wait_for_bank() { # name resp-port http-port
    local deadline=$((SECONDS + 90)) reply="" response=""
    while [ "$SECONDS" -lt "$deadline" ]; do
        reply=$(resp_ping "$2")
        if [ "$reply" = "+PONG" ]; then
            if [ "$http" = no ]; then break; fi
            response=$(http_get "$3" /api/bank)
            case "${response%%$'\n'*}" in "HTTP/1."[01]" 200"*) break ;; esac
        fi
        sleep 1
    done
    [ "$reply" = "+PONG" ] || fail "$1: no +PONG on 127.0.0.1:$2 within 90 s (got '$reply')"
    log "$1: PING on 127.0.0.1:$2 answered +PONG"
    [ "$http" = yes ] || return 0
    local status body
    status=${response%%$'\n'*}
    body=${response#*$'\n\n'}
    case "$status" in "HTTP/1."[01]" 200"*) ;; *) fail "$1: GET /api/bank on 127.0.0.1:$3: '${status:-no answer}'" ;; esac
    [[ "$body" =~ \"name\"\ *:\ *\"$1\" ]] || fail "$1: /api/bank does not name $1: $body"
    for other in alpha beta gamma; do
        [[ "$body" == *"\"$other\""* ]] || fail "$1: /api/bank does not list $other: $body"
    done
    log "$1: GET http://127.0.0.1:$3/api/bank: $status $body"
}

wait_for_bank alpha 7001 8081
wait_for_bank beta 7002 8082
wait_for_bank gamma 7003 8083

# --- the banks reach each other, and keep their data ------------------------------------------------------

# The host reaches each bank on its published port; inside, the banks use their compose names.
printf 'alpha 127.0.0.1:7001\nbeta 127.0.0.1:7002\ngamma 127.0.0.1:7003\n' >"$work/host-consortium.txt"
export LEDGER_PASSWORD="container-test-$secret"
owner=52998224725
client() { # bank command args...
    local bank=$1 command=$2
    shift 2
    timeout 60 java -jar "$jar" consortium "$command" --consortium "$work/host-consortium.txt" --bank "$bank" \
        --tax-id "$owner" "$@" </dev/null
}

client alpha register >/dev/null || fail "register at alpha"
client beta register >/dev/null || fail "register at beta"
client alpha open home individual >/dev/null || fail "open alpha/home"
client beta open savings individual >/dev/null || fail "open beta/savings"
client beta deposit savings 1000 >/dev/null || fail "deposit at beta"
transfer=$(client alpha transfer alpha/home beta/savings 300 2>&1) \
    || fail "transfer beta/savings -> alpha/home, coordinated by alpha: $transfer"
log "alpha coordinated a transfer from beta: $transfer"
accounts=$(client alpha accounts 2>&1) || fail "accounts at alpha: $accounts"
echo "$accounts" | sed 's/^/   /'
case "$accounts" in *[Uu]nreachable* | *UNREACHABLE*) fail "a bank is unreachable from alpha" ;; esac

log "compose down (keeping the volumes) and up again: the banks' data must come back from their volumes"
started=$SECONDS
timeout 120 "${compose[@]}" -p "$project" -f container/compose.yaml down -t 10 >"$work/down1.log" 2>&1 \
    || { tail -n 20 "$work/down1.log"; fail "compose down failed"; }
timeout 180 "${compose[@]}" -p "$project" -f container/compose.yaml up -d >"$work/up2.log" 2>&1 \
    || { tail -n 20 "$work/up2.log"; fail "compose up (again) failed"; }
wait_for_bank alpha 7001 8081
wait_for_bank beta 7002 8082
wait_for_bank gamma 7003 8083
log "down and up again in $((SECONDS - started)) s"
after=$(client alpha accounts 2>&1) || fail "accounts at alpha after the restart: $after"
[ "$after" = "$accounts" ] || fail "the accounts changed across the restart: before
$accounts
after
$after"
log "every bank came back from its volume with the same accounts"

container=$(timeout 30 "$engine" ps -q --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=beta")
container=${container%%$'\n'*}
[ -n "$container" ] || fail "cannot find beta's container"

inside=$(timeout 30 "$engine" exec "$container" sh -c 'id -un; stat -c "%a %U" /var/lib/ledger; ls /var/lib/ledger' \
    2>&1 | tr '\n' ' ') || fail "exec in beta's container: $inside"
case "$inside" in
    "ledger 700 ledger "*bank*customers.log*decisions*) log "beta runs as ledger, data in /var/lib/ledger (0700): $inside" ;;
    *) fail "beta's user or data directory: $inside" ;;
esac
ports=$(timeout 30 "$engine" port "$container" 2>&1 | tr '\n' ' ')
for port in $ports; do
    case "$port" in
        */tcp | "->") ;;
        127.0.0.1:*) ;;
        *) fail "beta publishes a port beyond the loopback: $ports" ;;
    esac
done
log "beta's published ports: $ports"

# The image's HEALTHCHECK, run once by hand (Docker runs it on its own; Podman needs systemd timers for that).
if [ "$engine" = podman ]; then
    health=$(timeout 30 podman healthcheck run "$container" 2>&1) || fail "beta's health check failed: $health"
    log "beta's health check: ${health:-healthy}"
else
    deadline=$((SECONDS + 60))
    health=""
    while [ "$SECONDS" -lt "$deadline" ]; do
        health=$(timeout 10 docker inspect -f '{{.State.Health.Status}}' "$container" 2>/dev/null || true)
        [ "$health" = healthy ] && break
        sleep 2
    done
    [ "$health" = healthy ] || fail "beta is not healthy after 60 s: '$health'"
    log "beta's health: $health"
fi

echo "PASSED: container test ($engine, ${compose[*]}, base $base, web panel checked: $http) in $SECONDS s"
