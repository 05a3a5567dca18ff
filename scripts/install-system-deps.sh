#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing:
#   chromium            — the real browser the HTML explorer is tested in (driven by Playwright)
#   virtuoso-opensource — a real triple store for the remote-endpoint tests (its own test instance;
#                         the system service is never started: a policy-rc.d denies it)
#   raptor2-utils       — rapper, an independent Turtle parser that checks every bundled file
set -euo pipefail
need=()
command -v chromium   >/dev/null 2>&1 || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
command -v rapper     >/dev/null 2>&1 || need+=(raptor2-utils)
[ ${#need[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing ${need[*]} and no apt-get to install them: install them by hand" >&2
    exit 2
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "installing ${need[*]} needs root (or sudo)" >&2; exit 2; }
    sudo="sudo"
fi
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
    # keep the packages' system services (Virtuoso on ports 1111/8890) from starting
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    made_policy=1
fi
trap '[ -n "$made_policy" ] && $sudo rm -f "$policy"' EXIT
echo "installing Debian packages: ${need[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
