#!/usr/bin/env bash
# Create the project's virtualenv with Python >= 3.11; on Debian, install python3-venv if it is missing.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "coprodkg needs Python 3.11 or newer: '$python' is $("$python" --version 2>&1 || echo missing)" >&2
    exit 2
fi
if [ -x "$venv/bin/python" ]; then
    exit 0
fi
if ! "$python" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    if command -v apt-get >/dev/null 2>&1; then
        minor=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        echo "installing python${minor}-venv (Debian) so that a virtualenv can be made" >&2
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "python${minor}-venv" || \
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv
    fi
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
