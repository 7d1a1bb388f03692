#!/bin/bash
# Compute hosts as network namespaces on one machine (multi-node stacks).
#
# Every extra compute host is a network namespace (`ip netns`) whose only
# interface is one end of a veth pair; the other end is enslaved to a bridge
# of ours on the controller that carries the gateway address of a private
# range (e.g. 10.78.0.1/24). The namespace gets no default route: it reaches
# the controller's RabbitMQ and APIs on the bridge address and nothing else.
#
#   tools/multinode.sh bridge-up BRIDGE GATEWAY/PREFIX
#   tools/multinode.sh host-up BRIDGE NETNS VETH ADDRESS/PREFIX
#   tools/multinode.sh host-down NETNS VETH     (kills what runs in NETNS)
#   tools/multinode.sh bridge-down BRIDGE
#   tools/multinode.sh check-free CIDR          (fails if a route covers it)
#
# Interface names are at most 15 characters; the namespace end of VETH is
# created as VETH plus "p" and renamed eth0 inside the namespace. All
# commands are idempotent.
set -euo pipefail

die() { echo "multinode: $*" >&2; exit 1; }

check_name() {
  [ ${#1} -le "$2" ] || die "interface name $1 longer than $2 characters"
}

# A range of ours must not overlap anything this machine already routes,
# except through our own bridge.
check_free() {
  local cidr=$1 bridge=${2:-}
  local net=${cidr%/*}
  local routes
  routes=$(ip -o route show to match "$net" | grep -v '^default' || true)
  if [ -n "$bridge" ]; then
    routes=$(grep -v " dev $bridge " <<<"$routes" || true)
  fi
  [ -z "$routes" ] || die "$cidr overlaps a route of this machine: $routes"
}

bridge_up() {
  local br=$1 gw=$2
  check_name "$br" 15
  if ! ip link show "$br" >/dev/null 2>&1; then
    check_free "$gw"
    ip link add "$br" type bridge
  fi
  ip addr show dev "$br" | grep -qF " $gw " || ip addr add "$gw" dev "$br"
  ip link set "$br" up
}

host_up() {
  local br=$1 ns=$2 veth=$3 addr=$4
  check_name "$veth" 14
  ip link show "$br" >/dev/null 2>&1 || die "no bridge $br"
  ip netns list | grep -qE "^$ns( |\$)" || ip netns add "$ns"
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip link add "$veth" type veth peer name "${veth}p"
    ip link set "${veth}p" netns "$ns"
    ip -n "$ns" link set "${veth}p" name eth0
  fi
  ip link set "$veth" master "$br"
  ip link set "$veth" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr show dev eth0 | grep -qF " $addr " ||
    ip -n "$ns" addr add "$addr" dev eth0
  ip -n "$ns" link set eth0 up
  # On-link subnet only: no default route out of the namespace.
  if ip -n "$ns" route show default | grep -q .; then
    die "namespace $ns has a default route"
  fi
}

host_down() {
  local ns=$1 veth=$2 pids
  if ip netns list | grep -qE "^$ns( |\$)"; then
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [ -n "$pids" ]; then
      # shellcheck disable=SC2086
      kill -TERM $pids 2>/dev/null || true
      for _ in $(seq 40); do
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        [ -z "$pids" ] && break
        sleep 0.25
      done
      # shellcheck disable=SC2086
      [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
    fi
    ip netns del "$ns"
  fi
  # Deleting the namespace deletes its end of the pair, and so the pair.
  if ip link show "$veth" >/dev/null 2>&1; then
    ip link del "$veth"
  fi
}

bridge_down() {
  local br=$1
  if ip link show "$br" >/dev/null 2>&1; then
    ip link del "$br"
  fi
}

cmd=${1:-}
shift || true
case $cmd in
  bridge-up) [ $# -eq 2 ] || die "usage: bridge-up BRIDGE GATEWAY/PREFIX"
             bridge_up "$@" ;;
  host-up) [ $# -eq 4 ] || die "usage: host-up BRIDGE NETNS VETH ADDR/PREFIX"
           host_up "$@" ;;
  host-down) [ $# -eq 2 ] || die "usage: host-down NETNS VETH"
             host_down "$@" ;;
  bridge-down) [ $# -eq 1 ] || die "usage: bridge-down BRIDGE"
               bridge_down "$@" ;;
  check-free) [ $# -ge 1 ] || die "usage: check-free CIDR [BRIDGE]"
              check_free "$@" ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
