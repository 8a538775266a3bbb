#!/usr/bin/env bash
# Makes a JRE 17 base image without an image registry: a Debian bookworm root filesystem (debootstrap, minbase)
# with Debian's openjdk-17-jre-headless, imported into the container engine as localhost/ledger-jre:17.
# For machines that reach Debian's package mirror but no image registry; elsewhere use eclipse-temurin:17-jre.
#
#   container/make-base-image.sh [podman|docker]    # as root; about 2 minutes, about 250 MB
#
# Then: container/test.sh finds it, or build with --build-arg BASE=localhost/ledger-jre:17.
# Environment: LEDGER_BASE_TAG (default localhost/ledger-jre:17), DEBIAN_MIRROR (default the apt sources'
# Debian mirror, else deb.debian.org), DEBIAN_SUITE (default bookworm).
set -euo pipefail

engine=${1:-}
if [ -z "$engine" ]; then
    for candidate in podman docker; do
        if command -v "$candidate" >/dev/null 2>&1 && timeout 20 "$candidate" info >/dev/null 2>&1; then
            engine=$candidate
            break
        fi
    done
fi
[ -n "$engine" ] || { echo "no container engine answers (podman or docker)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null 2>&1 || { echo "no debootstrap: apt-get install debootstrap" >&2; exit 1; }

tag=${LEDGER_BASE_TAG:-localhost/ledger-jre:17}
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(grep -rhoE '^(deb|URIs:) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ \
        2>/dev/null | grep -oE 'https?://[^ ]+' | head -n 1 || true)
    mirror=${mirror:-http://deb.debian.org/debian}
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

echo "== debootstrap --variant=minbase $suite from $mirror, with openjdk-17-jre-headless"
timeout 900 debootstrap --variant=minbase --include=openjdk-17-jre-headless "$suite" "$root" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log"; exit 1; }

# What a runtime image does not need: package caches and lists, documentation, other languages' messages.
# Files only: the directories stay, since update-alternatives in a later apt-get install links into man1.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log \
    "$root"/var/cache/debconf/*-old
find "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" ! -type d -delete
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'C.*' ! -name locale.alias -exec rm -rf {} +

java_home=$(cd "$root" && ls -d usr/lib/jvm/java-17-openjdk-* | head -n 1)
[ -x "$root/$java_home/bin/java" ] || { echo "no JRE 17 in the root filesystem" >&2; exit 1; }

echo "== $engine import as $tag"
tar --numeric-owner -C "$root" -cf "$work/rootfs.tar" .
timeout 600 "$engine" import -q \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV JAVA_HOME=/$java_home" \
    --change 'CMD ["/bin/bash"]' \
    "$work/rootfs.tar" "$tag" >/dev/null
if version=$(timeout 120 "$engine" run --rm --network none "$tag" java -version 2>&1); then
    echo "$version" | head -n 1
else
    # In a sandbox that cannot raise rlimits, or with a cgroup v1/v2 hybrid that crun refuses, a plain run
    # fails here; container/test.sh retries with a containers.conf that avoids both.
    echo "(imported, but a plain '$engine run' of it failed here: $(echo "$version" | tail -n 1))"
fi
echo "== $tag is ready: container/test.sh uses it, or --build-arg BASE=$tag"
