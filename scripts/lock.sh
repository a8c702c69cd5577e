#!/usr/bin/env bash
# Refresh constraints.txt: resolve the project with its test extras in a fresh environment and
# pin every package. The two README commands install within these pins.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${PYTHON:-python3}" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip
"$tmp/venv/bin/python" -m pip install -q -e ".[test,postgres]"
{
  echo "# Pinned versions for scripts/run.sh and scripts/test.sh; refresh: bash scripts/lock.sh"
  "$tmp/venv/bin/python" -m pip freeze --exclude-editable | grep -v '^-e ' | sort -f
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"
