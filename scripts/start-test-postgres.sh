#!/usr/bin/env bash
# Starts one throwaway PostgreSQL for a whole test run and prints its admin URL (for PAPERBOY_TEST_PG_URL).
#   url=$(scripts/start-test-postgres.sh)          # data folder and stop command go to stderr
#   scripts/start-test-postgres.sh stop <dir>      # stops it and removes the folder
# Needs initdb and pg_ctl (PostgreSQL 15+) on PATH or under /usr/lib/postgresql/<version>/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-start}" = "stop" ]; then
  exec node --import tsx test/helpers/postgres.ts stop "${2:?usage: $0 stop <dir>}"
fi
exec node --import tsx test/helpers/postgres.ts start
