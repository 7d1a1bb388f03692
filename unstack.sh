#!/bin/bash
# Stop what ./stack.sh started.
#
#   ./unstack.sh                 stop the daemons, destroy the stack's guests
#   ./unstack.sh --clean         ... and delete the database, images, logs
#   ./unstack.sh --all           ... and stop RabbitMQ, libvirtd, virtlogd
#   ./unstack.sh --daemons-only  only stop the daemons (guests keep running)
#
# Guests of other stacks or test runs (other name prefixes, disks elsewhere)
# are never touched. ./stack.sh works again afterwards.
set -euo pipefail

TOP=$(cd "$(dirname "$0")" && pwd)
cd "$TOP"
STACK=$TOP/.stack
STATE=$STACK/state
PIDS=$STACK/pids
CONF=$STACK/stratus.conf
DB=$STATE/stratus.sqlite
# DATABASE=postgresql: the stack's own cluster (tools/postgres.sh).
PGDIR=$STATE/postgres
URI=qemu:///system
DAEMONS="api conductor scheduler compute network volume"
STOP_TIMEOUT=15
BRIDGES="strbr0 strpub0"
# Multi-node (stack.sh COMPUTE_HOSTS=N): namespaces stratus-cI, veths
# strmn-cI on the bridge strmn0, RabbitMQ user stratus.
MULTINODE_BRIDGE=strmn0

CLEAN=0 ALL=0 DAEMONS_ONLY=0
for arg in "$@"; do
  case $arg in
    --clean) CLEAN=1 ;;
    --all) ALL=1 ;;
    --daemons-only) DAEMONS_ONLY=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unstack.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

say() { echo "unstack.sh: $*"; }

# Processes of this stack: the recorded pids, plus any daemon still running
# on this stack's config file (a lost pid file must not leave strays).
stack_pids() {
  local d pid
  for d in $DAEMONS; do
    pid=$(cat "$PIDS/$d.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
  done
  pgrep -f -- "bin/stratus-[a-z]+ --config-file $CONF( |\$)" || true
}

# Signal a daemon's process group (stack.sh starts each with setsid) and the
# process itself.
signal_pid() {
  kill -"$1" -- "-$2" 2>/dev/null || true
  kill -"$1" "$2" 2>/dev/null || true
}

# Stop the given pids: SIGTERM, then SIGKILL after STOP_TIMEOUT.
stop_pids() {
  local pids=$1 pid alive
  [ -n "$pids" ] || return 0
  say "stopping (SIGTERM): $(echo $pids)"
  for pid in $pids; do signal_pid TERM "$pid"; done
  for _ in $(seq $((STOP_TIMEOUT * 4))); do
    alive=
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
    [ -z "$alive" ] && break
    sleep 0.25
  done
  if [ -n "$alive" ]; then
    say "still running after ${STOP_TIMEOUT}s, SIGKILL:$alive"
  fi
  # Also reaps workers that a launcher forked and left in the group.
  for pid in $pids; do signal_pid KILL "$pid"; done
}

compute_pids() {
  local pid f
  for f in "$PIDS"/compute.pid "$PIDS"/compute-c*.pid; do
    pid=$(cat "$f" 2>/dev/null || true)
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
  done
  pgrep -f -- "bin/stratus-compute --config-file $CONF( |\$)" || true
  # The compute hosts in network namespaces (multi-node).
  pgrep -f -- "bin/stratus-compute --config-file $STACK/compute-c[0-9]+\.conf( |\$)" ||
    true
}

stop_daemons() {
  # Compute first: it deregisters through the conductor, which must still
  # be there to answer.
  stop_pids "$(compute_pids | sort -u)"
  stop_pids "$(stack_pids | sort -u)"
  rm -f "$PIDS"/*.pid
}

# Domains created by this stack: their uuid is an instance of the stack's
# database, or their disks live under the stack's state folder.
stack_domains() {
  local uuids="" dom uuid
  if [ -f "$DB" ]; then
    uuids=$(sqlite3 -readonly -cmd '.timeout 5000' "$DB" \
            'SELECT uuid FROM instances' 2>/dev/null || true)
  fi
  if [ -f "$PGDIR/data/postmaster.pid" ]; then
    uuids="$uuids
$(tools/postgres.sh sql "$PGDIR" 'SELECT uuid FROM instances' 2>/dev/null ||
  true)"
  fi
  virsh -c "$URI" list --all --name 2>/dev/null | while read -r dom; do
    [ -n "$dom" ] || continue
    uuid=$(virsh -c "$URI" domuuid "$dom" 2>/dev/null | head -1)
    if { [ -n "$uuid" ] && grep -qx "$uuid" <<<"$uuids"; } ||
       virsh -c "$URI" dumpxml "$dom" 2>/dev/null | grep -qF "$STATE/"; then
      echo "$dom"
    fi
  done
}

destroy_domains() {
  command -v virsh >/dev/null || return 0
  virsh -c "$URI" version >/dev/null 2>&1 || return 0
  local dom
  for dom in $(stack_domains); do
    say "destroying libvirt domain $dom"
    virsh -c "$URI" destroy "$dom" >/dev/null 2>&1 || true
    virsh -c "$URI" undefine "$dom" >/dev/null 2>&1 ||
      virsh -c "$URI" undefine --nvram "$dom" >/dev/null 2>&1 || true
  done
}

# The network daemon's host state: dnsmasq, our bridges, our iptables
# chains (and only the jumps into them in the built-in chains).
cleanup_network() {
  local pidfile table rule chain br
  for pidfile in "$STATE"/networks/*/pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  for br in $BRIDGES; do
    if ip link show "$br" >/dev/null 2>&1; then
      say "removing bridge $br"
      ip link del "$br" 2>/dev/null || true
    fi
  done
  command -v iptables >/dev/null || return 0
  for table in nat filter; do
    iptables -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j stratus-' |
      sed 's/^-A/-D/' | while read -r rule; do
        # shellcheck disable=SC2086
        iptables -t "$table" $rule 2>/dev/null || true
      done
    # Flush all first: compute's dispatch chain jumps to the per-instance
    # chains, which can't be deleted while referenced.
    chains=$(iptables -t "$table" -S 2>/dev/null |
             awk '/^-N stratus-/{print $2}')
    for chain in $chains; do
      iptables -t "$table" -F "$chain" 2>/dev/null || true
    done
    for chain in $chains; do
      iptables -t "$table" -X "$chain" 2>/dev/null || true
    done
  done
}

# Multi-node: the compute namespaces (and whatever still runs in them),
# their veths, the bridge and the RabbitMQ user they logged in as.
cleanup_multinode() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' |
              grep -E '^stratus-c[0-9]+$' || true); do
    say "removing network namespace $ns"
    tools/multinode.sh host-down "$ns" "strmn-${ns#stratus-}" || true
  done
  for ns in $(ip -o link show 2>/dev/null |
              sed -nE 's/^[0-9]+: (strmn-c[0-9]+)[@:].*/\1/p'); do
    ip link del "$ns" 2>/dev/null || true
  done
  if ip link show "$MULTINODE_BRIDGE" >/dev/null 2>&1; then
    say "removing bridge $MULTINODE_BRIDGE"
    tools/multinode.sh bridge-down "$MULTINODE_BRIDGE" || true
  fi
  if command -v rabbitmqctl >/dev/null &&
     timeout 20 rabbitmqctl -q list_users --no-table-headers 2>/dev/null |
       awk '{print $1}' | grep -qx stratus; then
    rabbitmqctl -q delete_user stratus >/dev/null 2>&1 || true
  fi
}

stop_daemons
[ "$DAEMONS_ONLY" = 1 ] && exit 0

destroy_domains
cleanup_multinode
cleanup_network
if [ -f "$PGDIR/data/postmaster.pid" ]; then
  say "stopping PostgreSQL in $PGDIR"
  tools/postgres.sh stop "$PGDIR" || true
fi

if [ "$CLEAN" = 1 ]; then
  say "removing the database, images, instances and logs"
  rm -rf "$STATE" "$STACK/logs"
fi

if [ "$ALL" = 1 ]; then
  tools/start-services.sh --stop
fi
say "done"
