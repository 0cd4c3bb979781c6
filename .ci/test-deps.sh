#!/bin/sh
# Debian's chromium and fonts-noto-cjk for the browser tests (make test-setup). Installs them with apt-get
# when this is a Debian-like machine and we are root; otherwise says in one line what to install.
# APT and ID_U can be set to test the two refusals.
command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk" && exit 0
APT=${APT:-apt-get}
ID_U=${ID_U:-$(id -u)}
if ! command -v "$APT" >/dev/null 2>&1; then
    echo "make test needs chromium and the Noto CJK fonts, and this machine has no apt-get: install chromium and fonts-noto-cjk (or your system's packages for them), then run make test again" >&2
    exit 1
fi
if [ "$ID_U" != 0 ]; then
    echo "make test needs Debian's chromium and fonts-noto-cjk: run 'sudo apt-get install chromium fonts-noto-cjk' (or make test as root), then run make test again" >&2
    exit 1
fi
echo "installing Debian's chromium and fonts-noto-cjk"
"$APT" update -qq && DEBIAN_FRONTEND=noninteractive "$APT" install -y -qq chromium fonts-noto-cjk >/dev/null
