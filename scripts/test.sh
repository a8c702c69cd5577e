#!/usr/bin/env bash
# Install everything the tests need (Debian chromium, chromium-driver, postgresql, redis-server,
# nginx; Python packages in .venv), then run ruff, import-linter, mypy and the whole pytest
# suite. Extra arguments go to pytest.
set -euo pipefail
EXTRAS="test" source "$(dirname "$0")/_venv.sh"

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
command -v redis-server >/dev/null || need+=(redis-server)  # several processes (issue 27)
[ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache  # the layers (.importlinter)
.venv/bin/mypy  # types, on the files [tool.mypy] lists
# Two workers, a file each at a time: half the suite waits on browsers, servers and child
# processes (every server a test starts takes a free port).
exec .venv/bin/pytest -n 2 --dist loadfile "$@"
