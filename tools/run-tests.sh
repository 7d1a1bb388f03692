#!/bin/bash
# The one test command (README and .ci/run): installs what is missing,
# then runs every tier, unit to integration. Extra arguments go to pytest
# (e.g. tests/unit -k name).
#
# A full run (no arguments) runs unit and functional tests, then the
# integration tier and, beside it, the functional tier and the database
# tests a second time against a PostgreSQL cluster the run starts itself
# (STRATUS_TEST_DATABASE=postgresql, tests/fixtures/postgres.py).
# STRATUS_PG_TESTS overrides that list (empty: no second pass).
#
# Fails on test failures and also when nothing was collected (pytest's
# exit 5). Runs under a time limit (STRATUS_TEST_TIMEOUT seconds, default
# 2400, for the whole run): SIGINT first, so that fixtures stop their
# daemons and guests. The limit is a guard against hangs, not the budget:
# a full run takes about 16 minutes on two cores (see the issue notes).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
VENV=${STRATUS_VENV:-$TOP/.venv}
export PBR_VERSION=${PBR_VERSION:-0.1.0}
LIMIT=${STRATUS_TEST_TIMEOUT:-2400}
# The PostgreSQL pass leaves out the EC2 and OpenAPI fuzz tests: they
# drive the same database layer through more API surface, and the run must
# stay well under 20 minutes on two cores (the regression tests of the
# PostgreSQL-only bugs the fuzz found run in both passes).
PG_TESTS=${STRATUS_PG_TESTS-tests/functional tests/unit/db
  tests/unit/network/test_fixed_ip_allocation.py
  tests/unit/compute/test_compute_api.py
  tests/unit/api/test_fuzz_regressions.py
  tests/unit/api/compute/test_compute_servers.py
  --ignore=tests/functional/test_openapi_fuzz.py
  --ignore-glob=tests/functional/test_ec2_*.py}

# A fresh machine has nothing: install first (0.2 s when all is there).
"$TOP/tools/install-deps.sh" || exit 1

run_pytest() {
  local left=$((LIMIT - SECONDS)) rc
  [ "$left" -gt 0 ] || left=1
  # The slowest tests are listed so that the suite's time stays visible.
  timeout -s INT -k 60 "$left" "$VENV/bin/python" -m pytest -q \
    --durations=15 "$@"
  rc=$?
  case $rc in
    0) ;;
    5) echo "run-tests: no tests were collected" >&2; rc=1 ;;
    124|137) echo "run-tests: time limit of ${LIMIT}s reached" >&2 ;;
  esac
  return $rc
}

if [ $# -gt 0 ]; then
  run_pytest "$@"
  exit $?
fi

run_pytest tests/unit tests/functional
rc=$?
# The integration tier mostly waits (on guests, daemons and timeouts) and
# leaves a core idle: the PostgreSQL pass runs beside it, its output shown
# after.
pg_pid=
if [ -n "${PG_TESTS// /}" ]; then
  pg_log=$(mktemp)
  # shellcheck disable=SC2086
  (STRATUS_TEST_DATABASE=postgresql run_pytest $PG_TESTS >"$pg_log" 2>&1) &
  pg_pid=$!
fi
run_pytest tests/integration || rc=$?
if [ -n "$pg_pid" ]; then
  wait "$pg_pid"
  pg_rc=$?
  echo "run-tests: functional and database tests against PostgreSQL"
  cat "$pg_log"
  rm -f "$pg_log"
  [ "$pg_rc" -eq 0 ] || rc=$pg_rc
fi
exit $rc
