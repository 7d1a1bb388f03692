#!/bin/bash
# The one test command (README and .ci/run): installs what is missing,
# then runs every tier, unit to integration. Extra arguments go to pytest
# (e.g. tests/unit -k name).
#
# Fails on test failures and also when nothing was collected (pytest's
# exit 5). Runs under a time limit (STRATUS_TEST_TIMEOUT seconds, default
# 1140): SIGINT first, so that fixtures stop their daemons and guests.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
VENV=${STRATUS_VENV:-$TOP/.venv}
export PBR_VERSION=${PBR_VERSION:-0.1.0}

# A fresh machine has nothing: install first (0.2 s when all is there).
"$TOP/tools/install-deps.sh" || exit 1

timeout -s INT -k 60 "${STRATUS_TEST_TIMEOUT:-1140}" \
  "$VENV/bin/python" -m pytest -q "${@:-tests}"
rc=$?
case $rc in
  0) ;;
  5) echo "run-tests: no tests were collected" >&2; rc=1 ;;
  124|137) echo "run-tests: time limit of ${STRATUS_TEST_TIMEOUT:-1140}s reached" >&2 ;;
esac
exit $rc
