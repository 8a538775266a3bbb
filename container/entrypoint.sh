#!/bin/sh
# The image's entrypoint: runs `java $JAVA_OPTS -jar /opt/ledger/ledger.jar ARGS...` as PID 1.
#
# `bank` without --name (the image's CMD) is completed from the environment:
#   --name $LEDGER_BANK_NAME --consortium $LEDGER_CONSORTIUM_FILE
#   [--data-dir $LEDGER_DATA_DIR] [--secret-file $LEDGER_SECRET_FILE]
#   [--http-host $LEDGER_HTTP_HOST --http-port $LEDGER_HTTP_PORT]   (when the jar has the web panel)
# followed by any further arguments given after `bank`. Anything else is passed to the jar unchanged
# (`consortium demo`, `bank --name alpha ...`, `--help`).
set -eu

jar=/opt/ledger/ledger.jar

if [ "${1:-}" = bank ]; then
    named=no
    for arg in "$@"; do
        case "$arg" in
            --name | --name=*) named=yes ;;
            -h | --help | -V | --version) named=yes ;;
        esac
    done
    if [ "$named" = no ]; then
        if [ -z "${LEDGER_BANK_NAME:-}" ]; then
            echo "entrypoint: set LEDGER_BANK_NAME to this bank's name in $LEDGER_CONSORTIUM_FILE," \
                "or give 'bank --name NAME ...'" >&2
            exit 2
        fi
        shift
        set -- --name "$LEDGER_BANK_NAME" --consortium "${LEDGER_CONSORTIUM_FILE:-/etc/ledger/consortium.txt}" "$@"
        if [ -n "${LEDGER_DATA_DIR:-}" ]; then
            set -- --data-dir "$LEDGER_DATA_DIR" "$@"
        fi
        if [ -n "${LEDGER_SECRET_FILE:-}" ]; then
            set -- --secret-file "$LEDGER_SECRET_FILE" "$@"
        fi
        if [ -n "${LEDGER_HTTP_PORT:-}" ]; then
            if [ -e /opt/ledger/has-http ]; then
                set -- --http-host "${LEDGER_HTTP_HOST:-0.0.0.0}" --http-port "$LEDGER_HTTP_PORT" "$@"
            else
                echo "entrypoint: this ledger.jar has no --http-port; no web panel on $LEDGER_HTTP_PORT" >&2
            fi
        fi
        set -- bank "$@"
    fi
fi

# JAVA_OPTS is split into words on purpose: -Xmx512m -XX:+UseSerialGC ...
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
