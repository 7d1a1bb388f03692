#!/bin/bash
# Install Stratus as operators run it: one systemd unit per daemon.
#
#   tools/install-systemd.sh [--enable]
#
# Creates the `stratus` system user and group, a venv in /opt/stratus with
# Stratus installed, /etc/stratus/stratus.conf (from the sample, only if
# missing), /var/lib/stratus and /var/log/stratus, and copies
# etc/systemd/stratus-*.service to /etc/systemd/system. With --enable (and
# systemd running) it enables and starts them. Set in stratus.conf what the
# host runs (transport_url, [database] connection, host) before --enable.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${STRATUS_PREFIX:-/opt/stratus}
UNIT_DIR=${STRATUS_UNIT_DIR:-/etc/systemd/system}

getent group stratus >/dev/null || groupadd --system stratus
getent passwd stratus >/dev/null ||
  useradd --system --gid stratus --home-dir /var/lib/stratus \
          --shell /usr/sbin/nologin stratus
# The api, conductor and scheduler daemons read guests' images and talk to
# libvirt only through compute, so stratus needs no libvirt group.

install -d -o root -g stratus -m 0750 /etc/stratus
install -d -o stratus -g stratus -m 0770 /var/lib/stratus /var/log/stratus
if [ ! -e /etc/stratus/stratus.conf ]; then
  install -o root -g stratus -m 0640 "$TOP/etc/stratus/stratus.conf.sample" \
          /etc/stratus/stratus.conf
fi

if [ ! -x "$PREFIX/bin/python" ]; then
  python3 -m venv "$PREFIX"
fi
PBR_VERSION=${PBR_VERSION:-0.1.0} "$PREFIX/bin/pip" install -q "$TOP"

for unit in "$TOP"/etc/systemd/stratus-*.service; do
  install -m 0644 "$unit" "$UNIT_DIR/"
done
echo "installed $(ls "$TOP"/etc/systemd/stratus-*.service | wc -l) units into $UNIT_DIR"

if [ "${1:-}" = --enable ]; then
  if [ "$(ps -p 1 -o comm=)" = systemd ]; then
    systemctl daemon-reload
    systemctl enable --now stratus-api stratus-conductor stratus-scheduler \
      stratus-network stratus-volume stratus-compute
  else
    echo "systemd is not PID 1 here: units installed, not started" >&2
  fi
fi
