#!/bin/sh
# Installs the Debian packages awaitlab needs when they are missing: with apt-get when we are
# root, else it names the exact command to run.  Quiet when everything is there.
PKGS="build-essential pkg-config libcjson-dev check libsubunit-dev libncurses-dev libsdl2-dev \
libsdl2-ttf-dev fonts-dejavu-core valgrind tmux xvfb xauth python3 nodejs npm"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "awaitlab: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || { echo "awaitlab: apt-get update failed" >&2; exit 1; }
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "awaitlab: apt-get install failed for:$missing" >&2; exit 1; }
    exit 0
fi
echo "awaitlab: missing Debian packages:$missing" >&2
echo "awaitlab: install them with:  sudo apt-get install -y --no-install-recommends$missing" >&2
exit 1
