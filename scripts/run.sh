#!/usr/bin/env bash
# Install what the dashboard needs (first time only) and start it on http://127.0.0.1:8050.
# Extra arguments go to `tthc run` (e.g. --port 8080).
set -euo pipefail
EXTRAS="" source "$(dirname "$0")/_venv.sh"
exec .venv/bin/tthc run "$@"
