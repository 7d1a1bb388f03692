#!/bin/bash
# Bring up a whole Stratus cloud on this machine, devstack style:
# dependencies, RabbitMQ + libvirtd, the six daemons, the guest image and a
# demo server. Run it from a checkout; running it again restarts the daemons
# on the current code and keeps the database, images and servers.
#
#   ./stack.sh                      then: source ./openrc; openstack server list
#
# Environment:
#   STRATUS_VIRT_DRIVER  libvirt (default) or fake
#   STRATUS_VENV         Python venv (default ./.venv)
#   STRATUS_HOST         this node's host name (default: hostname)
#   STRATUS_DEMO_SERVER  0 to skip booting the demo server
#   STRATUS_READY_TIMEOUT seconds to wait for the daemons (default 120)
#
# Multi-node on one machine (see README "Multi-node"): set in .stack/local.conf
# (KEY=VALUE lines; STRATUS_LOCAL_CONF names another file) or as STRATUS_KEY
# in the environment, which wins:
#   COMPUTE_HOSTS=N        N extra compute hosts, each a network namespace
#                          (ip netns stratus-cI) with a veth to the bridge
#                          strmn0 (MULTINODE_PREFIX.1/24, default 10.78.0.1)
#   CONTROLLER_COMPUTE=0   the controller runs no compute of its own
#   DATABASE=sqlite|postgresql  postgresql: a cluster of the stack's own in
#                          .stack/state/postgres (unix socket only)
#   SCHEDULER_DRIVER=filter|simple|chance
#   NETWORK_MODE=flat_dhcp|vlan|noop
#   VIRT_DRIVER=libvirt|fake
set -euo pipefail

TOP=$(cd "$(dirname "$0")" && pwd)
cd "$TOP"
export STRATUS_VENV=${STRATUS_VENV:-$TOP/.venv}
export PBR_VERSION=${PBR_VERSION:-0.1.0}
VENV=$STRATUS_VENV
STACK=$TOP/.stack
LOCAL_CONF=${STRATUS_LOCAL_CONF:-$STACK/local.conf}
if [ -f "$LOCAL_CONF" ]; then
  # shellcheck disable=SC1090
  . "$LOCAL_CONF"
fi
DRIVER=${STRATUS_VIRT_DRIVER:-${VIRT_DRIVER:-libvirt}}
HOST=${STRATUS_HOST:-$(hostname)}
READY_TIMEOUT=${STRATUS_READY_TIMEOUT:-120}
COMPUTE_HOSTS=${STRATUS_COMPUTE_HOSTS:-${COMPUTE_HOSTS:-0}}
CONTROLLER_COMPUTE=${STRATUS_CONTROLLER_COMPUTE:-${CONTROLLER_COMPUTE:-1}}
DATABASE=${STRATUS_DATABASE:-${DATABASE:-sqlite}}
SCHEDULER_DRIVER=${STRATUS_SCHEDULER_DRIVER:-${SCHEDULER_DRIVER:-filter}}
NETWORK_MODE=${STRATUS_NETWORK_MODE:-${NETWORK_MODE:-flat_dhcp}}
MULTINODE_PREFIX=${STRATUS_MULTINODE_PREFIX:-${MULTINODE_PREFIX:-10.78.0}}
MULTINODE_BRIDGE=strmn0
STATE=$STACK/state
LOGS=$STACK/logs
PIDS=$STACK/pids
GUEST=$STACK/guest
CONF=$STACK/stratus.conf
DB=$STATE/stratus.sqlite
PGDIR=$STATE/postgres
DAEMONS="api conductor scheduler compute network volume"
RPC_DAEMONS="conductor scheduler compute network volume"
IDENTITY_URL=http://127.0.0.1:5000/v3
# Our own address ranges and bridges (unstack.sh removes the bridges).
# Checked free against this machine's routes before use.
FIXED_RANGE=${STRATUS_FIXED_RANGE:-10.77.0.0/24}
FIXED_BRIDGE=strbr0
FLOATING_RANGE=${STRATUS_FLOATING_RANGE:-172.31.77.0/24}
FLOATING_BRIDGE=strpub0

T_START=$SECONDS
say() { echo "stack.sh [$((SECONDS - T_START))s]: $*"; }

case $COMPUTE_HOSTS in
  ''|*[!0-9]*) echo "stack.sh: COMPUTE_HOSTS must be a number" >&2; exit 2 ;;
esac
case $DATABASE in
  sqlite) DB_URL=sqlite:///$DB ;;
  postgresql) DB_URL=$(tools/postgres.sh url "$PGDIR") ;;
  *) echo "stack.sh: DATABASE must be sqlite or postgresql" >&2; exit 2 ;;
esac
if [ "$COMPUTE_HOSTS" = 0 ] && [ "$CONTROLLER_COMPUTE" = 0 ]; then
  echo "stack.sh: no compute host at all (CONTROLLER_COMPUTE=0, COMPUTE_HOSTS=0)" >&2
  exit 2
fi
# Names of the extra compute hosts: c1 .. cN.
EXTRA_HOSTS=
for i in $(seq "$COMPUTE_HOSTS"); do EXTRA_HOSTS="$EXTRA_HOSTS c$i"; done
API_BIND=127.0.0.1
# Compute hosts in namespaces reach the APIs on the bridge address.
[ "$COMPUTE_HOSTS" -gt 0 ] && API_BIND=0.0.0.0

# The last lines of a daemon's logs, for error messages.
daemon_tail() {
  local d=$1
  echo "---- $LOGS/$d.out"; tail -n 10 "$LOGS/$d.out" 2>/dev/null || true
  echo "---- $LOGS/$d.log"; tail -n 30 "$LOGS/$d.log" 2>/dev/null || true
}

die() {
  echo "stack.sh: FAILED: $*" >&2
  local d
  for d in ${FAILED_DAEMON:-}; do daemon_tail "$d" >&2; done
  exit 1
}
trap 'die "command failed at line $LINENO: $BASH_COMMAND"' ERR

# --- 1. packages, venv, services ---------------------------------------------
say "installing dependencies"
tools/install-deps.sh
say "starting RabbitMQ and libvirtd"
tools/start-services.sh

# --- 2. folders ----------------------------------------------------------------
mkdir -p "$STATE/instances" "$STATE/images" "$LOGS" "$PIDS"
chmod 755 "$STACK" "$STATE" "$STATE/instances"
# QEMU runs as libvirt-qemu: it must traverse every folder down to the
# instance disks, including the checkout's parents.
dir=$TOP
while [ "$dir" != / ]; do
  if ! su -s /bin/sh libvirt-qemu -c "test -x '$dir'" 2>/dev/null; then
    say "making $dir traversable for libvirt-qemu (chmod o+x)"
    chmod o+x "$dir"
  fi
  dir=$(dirname "$dir")
done

# --- 3. passwords and config ---------------------------------------------------
if [ ! -f "$STACK/passwords" ]; then
  umask 077
  rand() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
  {
    echo "ADMIN_PASSWORD=$(rand)"
    echo "DEMO_PASSWORD=$(rand)"
  } >"$STACK/passwords"
  umask 022
fi
if ! grep -q '^RABBIT_PASSWORD=' "$STACK/passwords"; then
  echo "RABBIT_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    >>"$STACK/passwords"
fi
# shellcheck disable=SC1091
. "$STACK/passwords"

cat >"$CONF" <<EOF
# Written by stack.sh; rewritten on every run.
[DEFAULT]
host = $HOST
state_path = $STATE
transport_url = rabbit://guest:guest@127.0.0.1:5672/
debug = true

[database]
connection = $DB_URL

[api]
bind_host = $API_BIND
public_host = 127.0.0.1

[scheduler]
driver = $SCHEDULER_DRIVER

[network]
manager = $NETWORK_MODE

[compute]
driver = $DRIVER
instances_path = $STATE/instances
image_api_endpoint = http://127.0.0.1:9292

[libvirt]
connection_uri = qemu:///system

[image]
store_path = $STATE/images
EOF

cat >"$TOP/openrc" <<EOF
# Credentials for the stock clients, written by stack.sh.
#   source ./openrc               demo user in the demo project
#   source ./openrc admin admin   admin user in the admin project
_stratus_user=\${1:-demo}
_stratus_project=\${2:-\$_stratus_user}
case \$_stratus_user in
  admin) export OS_PASSWORD=$ADMIN_PASSWORD ;;
  demo) export OS_PASSWORD=$DEMO_PASSWORD ;;
  *) echo "openrc: no password known for \$_stratus_user; set OS_PASSWORD" >&2 ;;
esac
export OS_AUTH_URL=$IDENTITY_URL
export OS_USERNAME=\$_stratus_user
export OS_PROJECT_NAME=\$_stratus_project
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_IDENTITY_API_VERSION=3
export OS_REGION_NAME=RegionOne
export OS_INTERFACE=public
unset OS_CLOUD OS_TOKEN OS_PROJECT_ID OS_TENANT_NAME OS_TENANT_ID
# The venv's bin goes last: clients already on PATH keep precedence.
case ":\$PATH:" in
  *":$VENV/bin:"*) ;;
  *) export PATH=\$PATH:$VENV/bin ;;
esac
unset _stratus_user _stratus_project
EOF

# Never put a range of ours over one this machine already routes: traffic
# for it must stay on our bridges.
ranges="$FIXED_RANGE $FLOATING_RANGE"
[ "$COMPUTE_HOSTS" -gt 0 ] && ranges="$ranges $MULTINODE_PREFIX.0/24"
for range in $ranges; do
  if ip -o route show to match "${range%/*}" | grep -v " dev str" |
      grep -qv '^default'; then
    die "$range overlaps a route of this machine; set STRATUS_FIXED_RANGE/STRATUS_FLOATING_RANGE"
  fi
done

# --- 4. database -----------------------------------------------------------------
say "stopping daemons of a previous run (if any)"
"$TOP/unstack.sh" --daemons-only
if [ "$DATABASE" = postgresql ]; then
  say "starting PostgreSQL in $PGDIR"
  tools/postgres.sh start "$PGDIR"
fi
say "db sync and bootstrap"
"$VENV/bin/stratus-manage" --config-file "$CONF" db sync
"$VENV/bin/stratus-manage" --config-file "$CONF" bootstrap \
  --admin-password "$ADMIN_PASSWORD" --demo-password "$DEMO_PASSWORD"
# The project's own networks: a shared tenant network and a floating pool,
# each on a bridge of ours with the gateway address (on-link, never routed
# off the machine). Both commands are idempotent.
"$VENV/bin/stratus-manage" --config-file "$CONF" network create \
  --label private --fixed-range "$FIXED_RANGE" --bridge "$FIXED_BRIDGE"
"$VENV/bin/stratus-manage" --config-file "$CONF" floating create \
  --pool public --ip-range "$FLOATING_RANGE" --bridge "$FLOATING_BRIDGE"

# --- 5. daemons ------------------------------------------------------------------
start_daemon() {
  # setsid: each daemon leads its own process group, so that unstack.sh can
  # signal it together with the workers it forks.
  setsid nohup "$VENV/bin/stratus-$1" --config-file "$CONF" \
    --log-file "$LOGS/$1.log" </dev/null >>"$LOGS/$1.out" 2>&1 &
  echo $! >"$PIDS/$1.pid"
}

# --- multi-node: one namespace per extra compute host ----------------------
write_compute_conf() {
  local name=$1 index=$2
  mkdir -p "$STATE/$name/instances"
  chmod 755 "$STATE/$name" "$STATE/$name/instances"
  cat >"$STACK/compute-$name.conf" <<EOC
# Compute host $name (network namespace stratus-$name), written by stack.sh.
[DEFAULT]
host = $HOST-$name
my_ip = $MULTINODE_PREFIX.$((10 + index))
state_path = $STATE/$name
transport_url = rabbit://stratus:$RABBIT_PASSWORD@$MULTINODE_PREFIX.1:5672/
instance_name_template = $name-%08x
debug = true

[compute]
driver = $DRIVER
instances_path = $STATE/$name/instances
image_api_endpoint = http://$MULTINODE_PREFIX.1:9292

[libvirt]
connection_uri = qemu:///system
EOC
}

setup_multinode() {
  local i=0 name
  # guest may log in from loopback only: the namespaces use a user of ours.
  if rabbitmqctl -q list_users --no-table-headers | awk '{print $1}' |
      grep -qx stratus; then
    rabbitmqctl -q change_password stratus "$RABBIT_PASSWORD" >/dev/null
  else
    rabbitmqctl -q add_user stratus "$RABBIT_PASSWORD" >/dev/null
  fi
  rabbitmqctl -q set_permissions -p / stratus '.*' '.*' '.*' >/dev/null
  tools/multinode.sh bridge-up "$MULTINODE_BRIDGE" "$MULTINODE_PREFIX.1/24"
  for name in $EXTRA_HOSTS; do
    i=$((i + 1))
    tools/multinode.sh host-up "$MULTINODE_BRIDGE" "stratus-$name" \
      "strmn-$name" "$MULTINODE_PREFIX.$((10 + i))/24"
    write_compute_conf "$name" "$i"
  done
}

start_netns_compute() {
  local name=$1
  setsid nohup ip netns exec "stratus-$name" "$VENV/bin/stratus-compute" \
    --config-file "$STACK/compute-$name.conf" \
    --log-file "$LOGS/compute-$name.log" </dev/null \
    >>"$LOGS/compute-$name.out" 2>&1 &
  echo $! >"$PIDS/compute-$name.pid"
}

# One query on the stack's database, values only.
db_query() {
  if [ "$DATABASE" = postgresql ]; then
    tools/postgres.sh sql "$PGDIR" "$1" 2>/dev/null
  else
    sqlite3 -readonly -cmd '.timeout 5000' "$DB" "$1" 2>/dev/null
  fi
}

db_count() {
  db_query "$1" || echo 0
}

check_daemons() {
  local d
  for d in $DAEMONS $(for n in $EXTRA_HOSTS; do echo "compute-$n"; done); do
    [ -f "$PIDS/$d.pid" ] || continue
    if ! kill -0 "$(cat "$PIDS/$d.pid")" 2>/dev/null; then
      FAILED_DAEMON=$d
      die "stratus-$d exited"
    fi
  done
}

wait_heartbeat() {
  local host=${2:-$HOST}
  until [ "$(db_count "SELECT count(*) FROM services WHERE host = '$host'
             AND \"binary\" = 'stratus-$1' AND deleted = 0
             AND last_seen_up >= '$started_at'")" -gt 0 ]; do
    check_daemons
    [ $SECONDS -lt $deadline ] ||
      { FAILED_DAEMON=$1; die "no heartbeat from stratus-$1"; }
    sleep 0.5
  done
}

started_at=$(date -u '+%Y-%m-%d %H:%M:%S')
deadline=$((SECONDS + READY_TIMEOUT))
for d in $DAEMONS; do
  [ "$d" = compute ] || start_daemon "$d"
done
# Compute reaches its records through the conductor: a call sent before the
# conductor's queue exists is lost and only times out a minute later.
wait_heartbeat conductor
[ "$CONTROLLER_COMPUTE" = 0 ] || start_daemon compute
if [ "$COMPUTE_HOSTS" -gt 0 ]; then
  say "multi-node: $COMPUTE_HOSTS compute host(s) in network namespaces"
  setup_multinode
  for name in $EXTRA_HOSTS; do start_netns_compute "$name"; done
fi
say "started $DAEMONS$EXTRA_HOSTS; logs in $LOGS"

waiting="the identity API at $IDENTITY_URL"
until curl -sf -o /dev/null "$IDENTITY_URL"; do
  check_daemons
  [ $SECONDS -lt $deadline ] || { FAILED_DAEMON=api; die "$waiting does not answer"; }
  sleep 0.5
done
for d in $RPC_DAEMONS; do
  [ "$d" = compute ] && [ "$CONTROLLER_COMPUTE" = 0 ] && continue
  wait_heartbeat "$d"
done
compute_hosts=
[ "$CONTROLLER_COMPUTE" = 0 ] || compute_hosts=$HOST
for name in $EXTRA_HOSTS; do compute_hosts="$compute_hosts $HOST-$name"; done
for h in $compute_hosts; do
  case $h in "$HOST"-c*) FAILED_DAEMON="compute-${h#"$HOST"-}" ;;
             *) FAILED_DAEMON=compute ;; esac
  wait_heartbeat compute "$h"
  until [ "$(db_count "SELECT count(*) FROM compute_nodes
             WHERE host = '$h' AND deleted = 0")" -gt 0 ]; do
    check_daemons
    [ $SECONDS -lt $deadline ] ||
      { FAILED_DAEMON="$FAILED_DAEMON conductor"; die "compute node $h never reported"; }
    sleep 0.5
  done
done
FAILED_DAEMON=
say "all daemons up; compute hosts:$(printf ' %s' $compute_hosts)"

# --- 6. guest image -------------------------------------------------------------
# shellcheck disable=SC1091
. "$TOP/openrc" admin admin
image_ids() { openstack image list --name "$1" -f value -c ID; }
if [ -z "$(image_ids stratus-tiny)" ]; then
  if [ ! -s "$GUEST/vmlinuz" ] || [ ! -s "$GUEST/initrd.img" ] ||
     [ ! -s "$GUEST/disk.qcow2" ]; then
    say "building the guest image into $GUEST"
    tools/build-guest-image.sh "$GUEST"
  fi
  # Leftovers of an interrupted upload.
  for n in stratus-tiny-kernel stratus-tiny-ramdisk; do
    for id in $(image_ids $n); do openstack image delete "$id"; done
  done
  say "uploading stratus-tiny"
  kid=$(openstack image create --public --disk-format aki \
        --container-format aki --file "$GUEST/vmlinuz" \
        -f value -c id stratus-tiny-kernel)
  rid=$(openstack image create --public --disk-format ari \
        --container-format ari --file "$GUEST/initrd.img" \
        -f value -c id stratus-tiny-ramdisk)
  openstack image create --public --disk-format qcow2 \
    --container-format bare --file "$GUEST/disk.qcow2" \
    --property kernel_id="$kid" --property ramdisk_id="$rid" \
    -f value -c id stratus-tiny >/dev/null
fi
openstack image list

# --- 7. demo server --------------------------------------------------------------
# shellcheck disable=SC1091
. "$TOP/openrc" demo demo
if [ "${STRATUS_DEMO_SERVER:-1}" != 0 ]; then
  # A demo server that unstack.sh or a failure left behind is replaced.
  status=$(openstack server show stratus-demo -f value -c status 2>/dev/null || true)
  # A demo server on a compute host this run does not start (an earlier
  # multi-node run) cannot be deleted from here: the API casts the delete
  # to that host.
  demo_host=$(db_query "SELECT host FROM instances
    WHERE display_name = 'stratus-demo' AND deleted = 0 LIMIT 1" || true)
  if [ -n "$status" ] && [ -n "$demo_host" ] &&
     ! tr ' ' '\n' <<<"$compute_hosts" | grep -qxF -- "$demo_host"; then
    die "stratus-demo is on $demo_host, which this run does not start: run
  again with the same COMPUTE_HOSTS and delete it, or ./unstack.sh --clean"
  fi
  case $status in
    ''|ACTIVE|BUILD) ;;
    *) say "replacing stratus-demo (status $status)"
       openstack server delete --wait stratus-demo ;;
  esac
  if ! openstack server show stratus-demo >/dev/null 2>&1; then
    say "booting stratus-demo"
    openstack server create --flavor m1.tiny --image stratus-tiny --wait \
      stratus-demo >/dev/null ||
      { FAILED_DAEMON="conductor compute"; die "could not boot stratus-demo"; }
  fi
  openstack server show stratus-demo -c name -c status -c addresses -c id
  status=$(openstack server show stratus-demo -f value -c status)
  [ "$status" = ACTIVE ] ||
    { FAILED_DAEMON="conductor compute"; die "stratus-demo is $status"; }
  if [ "$DRIVER" = libvirt ]; then
    # Wait for the guest's own /init to speak (tools/build-guest-image.sh).
    console=
    for _ in $(seq 30); do
      console=$(openstack console log show stratus-demo 2>/dev/null || true)
      grep -q STRATUS-GUEST-BOOTED <<<"$console" && break
      sleep 2
    done
    [ "$(wc -l <<<"$console")" -gt 3 ] ||
      { FAILED_DAEMON=compute; die "no console output from stratus-demo in 60s"; }
    grep -q STRATUS-GUEST-BOOTED <<<"$console" ||
      say "WARNING: the guest's console shows no STRATUS-GUEST-BOOTED yet"
    echo "---- console of stratus-demo (last 15 lines)"
    tail -n 15 <<<"$console"
    echo "----"
  fi
fi

trap - ERR
say "done. Stratus is up on $HOST (driver $DRIVER)."
cat <<EOF
  source ./openrc              # demo user; ./openrc admin admin for admin
  openstack server list
  logs: $LOGS   config: $CONF   stop: ./unstack.sh
  dashboard: http://127.0.0.1:8000/dashboard/ (users admin and demo,
             passwords in $STACK/passwords)
EOF
