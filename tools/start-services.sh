#!/bin/bash
# Start the services Stratus depends on: RabbitMQ, virtlogd and libvirtd.
# Idempotent: what already runs is left alone. Under systemd it uses
# systemctl; elsewhere (containers, CI) it starts the daemons directly.
#
#   tools/start-services.sh          start what is not running
#   tools/start-services.sh --stop   stop RabbitMQ, libvirtd and virtlogd
set -euo pipefail

LIBVIRT_URI=qemu:///system
LIBVIRTD_CONF=/etc/libvirt/libvirtd.conf
SOCK=/run/libvirt/libvirt-sock

log() { echo "start-services: $*"; }
die() { echo "start-services: $*" >&2; exit 1; }

have_systemd() { [ -d /run/systemd/system ]; }

# key = value in libvirtd.conf, replacing a commented or older setting.
set_libvirtd_opt() {
  local key=$1 value=$2
  [ -f "$LIBVIRTD_CONF" ] || return 0
  if grep -qE "^${key}[[:space:]]*=[[:space:]]*${value}\$" "$LIBVIRTD_CONF"; then
    return 1   # already set: no change
  fi
  if grep -qE "^${key}[[:space:]]*=" "$LIBVIRTD_CONF"; then
    sed -i -E "s/^${key}[[:space:]]*=.*/${key} = ${value}/" "$LIBVIRTD_CONF"
  else
    echo "${key} = ${value}" >>"$LIBVIRTD_CONF"
  fi
  return 0
}

# The machine's own node (its home is rabbitmq's), not a test's private one.
rabbit_running() { pgrep -f 'beam.*-home /var/lib/rabbitmq' >/dev/null 2>&1; }

start_rabbitmq() {
  local t0=$SECONDS
  if have_systemd; then
    systemctl is-active -q rabbitmq-server || systemctl start rabbitmq-server
  elif ! rabbit_running; then
    log "starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
  fi
  # await_startup fails at once while the Erlang node is not registered
  # yet, so retry it until a deadline.
  local deadline=$((SECONDS + 120))
  until timeout 60 rabbitmqctl -q await_startup >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] ||
      die "RabbitMQ did not start (see /var/log/rabbitmq/)"
    sleep 1
  done
  log "RabbitMQ up ($((SECONDS - t0))s)"
}

libvirt_ok() { virsh -c "$LIBVIRT_URI" version >/dev/null 2>&1; }

start_libvirt() {
  local t0=$SECONDS changed=0
  # One connection shared by many threads queues behind the default limit of
  # 5 requests per client: raise it before libvirtd starts.
  set_libvirtd_opt max_client_requests 50 && changed=1
  set_libvirtd_opt max_workers 40 && changed=1
  if have_systemd; then
    systemctl start virtlogd.socket virtlogd 2>/dev/null || true
    if [ $changed = 1 ] && systemctl is-active -q libvirtd; then
      systemctl restart libvirtd
    else
      systemctl start libvirtd
    fi
  else
    pgrep -x virtlogd >/dev/null || { log "starting virtlogd"; virtlogd -d; }
    if ! pgrep -x libvirtd >/dev/null; then
      # A socket left behind by a killed libvirtd blocks nothing but
      # confuses the check below.
      rm -f "$SOCK"
      log "starting libvirtd"
      libvirtd -d
    elif [ $changed = 1 ]; then
      log "libvirtd.conf changed; restart libvirtd to apply it"
    fi
  fi
  local i
  for i in $(seq 120); do
    libvirt_ok && break
    sleep 0.5
  done
  libvirt_ok || die "libvirtd does not answer on $LIBVIRT_URI"
  log "libvirtd up ($((SECONDS - t0))s)"
}

stop_all() {
  if have_systemd; then
    systemctl stop libvirtd virtlogd rabbitmq-server || true
    return
  fi
  if rabbit_running; then
    log "stopping RabbitMQ"
    rabbitmqctl -q stop >/dev/null 2>&1 || true
  fi
  local p
  for p in libvirtd virtlogd; do
    if pgrep -x "$p" >/dev/null; then
      log "stopping $p"
      kill "$(pgrep -x "$p")" 2>/dev/null || true
    fi
  done
}

case "${1:-}" in
  --stop) stop_all ;;
  '') start_rabbitmq; start_libvirt ;;
  *) die "usage: $0 [--stop]" ;;
esac
