#!/bin/bash
# The image's HEALTHCHECK: the bank answers PING on its RESP address (its line of the consortium file)
# and, when the web panel is on, GET /api/bank answers 200. Bash's /dev/tcp only: the base image needs
# no curl, wget or redis-cli. Exits 0 when healthy, 1 otherwise; each check times out after 3 seconds.
set -u

name="${LEDGER_BANK_NAME:-}"
file="${LEDGER_CONSORTIUM_FILE:-/etc/ledger/consortium.txt}"
[ -n "$name" ] || { echo "LEDGER_BANK_NAME is not set"; exit 1; }

address=""
while read -r bank addr _; do
    if [ "$bank" = "$name" ]; then address="$addr"; break; fi
done < "$file"
[ -n "$address" ] || { echo "no line for $name in $file"; exit 1; }
host="${address%:*}"
port="${address##*:}"
host="${host#[}"
host="${host%]}"

ping_reply=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r line <&3 && printf "%s" "${line%$'"'"'\r'"'"'}"' _ "$host" "$port" 2>/dev/null)
if [ "$ping_reply" != "+PONG" ]; then
    echo "RESP $host:$port: no +PONG (got '${ping_reply}')"
    exit 1
fi

if [ -e /opt/ledger/has-http ] && [ -n "${LEDGER_HTTP_PORT:-}" ]; then
    http_host="${LEDGER_HTTP_HOST:-0.0.0.0}"
    case "$http_host" in
        0.0.0.0) http_host=127.0.0.1 ;;
        "::" | "[::]") http_host=::1 ;;
    esac
    status=$(timeout 3 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "GET /api/bank HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3
        IFS= read -r line <&3 && printf "%s" "${line%$'"'"'\r'"'"'}"' _ "$http_host" "$LEDGER_HTTP_PORT" 2>/dev/null)
    case "$status" in
        "HTTP/1."[01]" 200"*) ;;
        *) echo "HTTP $http_host:$LEDGER_HTTP_PORT/api/bank: ${status:-no answer}"; exit 1 ;;
    esac
fi
echo "healthy: $name PING +PONG on $host:$port${status:+, /api/bank $status}"
exit 0
