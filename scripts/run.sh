#!/usr/bin/env bash
# Runs the web server and a background task worker together; Ctrl+C stops both.
set -euo pipefail
PY=.venv/bin/python
trap 'kill 0' EXIT INT TERM
"$PY" manage.py db_worker &
"$PY" manage.py print_demo_logins
echo "CommsNet is at http://127.0.0.1:8000 (emails are printed here and saved in sent-emails/)"
"$PY" manage.py runserver 127.0.0.1:8000
