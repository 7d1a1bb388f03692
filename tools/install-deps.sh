#!/bin/bash
# Install everything Stratus needs on a fresh Debian/Ubuntu machine:
# the system packages (RabbitMQ, libvirt, QEMU, ...) and a Python venv with
# Stratus installed in development mode plus the test requirements.
#
# Idempotent and fast on reruns: apt-get runs only when a package is missing
# (and `apt-get update` only then), pip only when requirements changed.
#
#   STRATUS_VENV   venv folder (default ./.venv)
#   STRATUS_PYTHON interpreter that creates the venv (default python3)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
VENV=${STRATUS_VENV:-$TOP/.venv}
PYTHON=${STRATUS_PYTHON:-python3}
export PBR_VERSION=${PBR_VERSION:-0.1.0}

log() { echo "install-deps: $*"; }

# --- system packages -------------------------------------------------------
PACKAGES=(
  rabbitmq-server
  libvirt-daemon-system libvirt-clients libvirt-dev pkg-config
  qemu-system-x86 qemu-utils
  busybox-static dnsmasq-base iproute2 iptables
  gcc python3-dev python3-venv
  sqlite3 postgresql curl procps ca-certificates systemd
  chromium chromium-driver  # the dashboard's browser test (headless)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The stock postinst scripts try to start services; on a machine without
  # systemd they fail harmlessly, and tools/start-services.sh starts them.
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "system packages present"
fi

# RabbitMQ holds a file per connection, one connection per daemon and per
# compute host. Started without systemd (whose unit sets LimitNOFILE=65536)
# it runs through `su rabbitmq`, whose pam_limits gives it a soft limit of
# 1024 files: ~800 connections, fewer than a 1,000-host cloud needs.
LIMITS=/etc/security/limits.d/stratus-rabbitmq.conf
if [ -d /etc/security/limits.d ] && [ ! -f "$LIMITS" ] &&
   [ "$(id -u)" -eq 0 ]; then
  log "raising RabbitMQ's open files limit ($LIMITS)"
  printf 'rabbitmq soft nofile 16384\nrabbitmq hard nofile 16384\n' \
    >"$LIMITS"
fi

# --- Python venv -------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv $VENV"
  "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.stratus-deps"
want=$(cat requirements.txt test-requirements.txt setup.cfg setup.py \
         2>/dev/null | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   [ -x "$VENV/bin/stratus-api" ]; then
  log "python requirements up to date"
else
  log "pip installing requirements (log: $VENV/pip.log)"
  {
    "$VENV/bin/python" -m pip install -q -r requirements.txt \
        -r test-requirements.txt &&
    "$VENV/bin/python" -m pip install -q --no-deps -e .
  } >"$VENV/pip.log" 2>&1 || {
    tail -20 "$VENV/pip.log" >&2
    log "pip install failed" >&2
    exit 1
  }
  echo "$want" >"$stamp"
fi
log "done"
