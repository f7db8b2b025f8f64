#!/usr/bin/env bash
# Runs the web server and a background task worker together; Ctrl+C (or SIGTERM)
# stops both, and with them the embedded PostgreSQL once its last user has gone.
set -euo pipefail
PY=.venv/bin/python
# Exported: settings make SITE_URL (email links) from it when SITE_URL is unset.
export PORT="${PORT:-8000}"

stop() {
  trap - EXIT INT TERM
  # shellcheck disable=SC2046
  kill -TERM $(jobs -p) 2>/dev/null || true
  wait || true
}
trap stop EXIT INT TERM

"$PY" manage.py run_worker &
"$PY" manage.py print_demo_logins
echo "CommsNet is at http://127.0.0.1:$PORT/ (emails are printed here and listed at http://127.0.0.1:$PORT/dev/emails/)"
"$PY" manage.py runserver "127.0.0.1:$PORT" &
wait -n || true
