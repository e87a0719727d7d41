#!/bin/bash
# What the load test's PostgreSQL backends are waiting for: every 0.5 s, each backend of the database that is active
# or idle in a transaction, as "wait_event_type:wait_event|its (last) statement", into the file given (default
# /tmp/waits.log), with a "--" line per sample. Start it after run.py has started, stop it with kill; then e.g.
#   grep -v '^--' /tmp/waits.log | cut -d'|' -f1 | sort | uniq -c | sort -rn
# ("Client:ClientRead" of a backend in a transaction: the application is computing, or waiting for a core, between
# two statements of an open transaction; "CPU:-": the backend is running).
OUT="${1:-/tmp/waits.log}"
DB="${LOKET_LOAD_DB:-loket_load}"
while true; do
  psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') || '|' || regexp_replace(left(query, 70), '\s+', ' ', 'g') FROM pg_stat_activity WHERE datname = '$DB' AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()" >> "$OUT"
  echo "--" >> "$OUT"
  sleep 0.5
done
