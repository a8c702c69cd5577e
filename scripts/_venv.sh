# Shared by run.sh and test.sh: make sure .venv exists and holds the project with EXTRAS.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Cần Python 3.11 trở lên (Python 3.11+ is required): $("$PY" --version 2>&1)" >&2
  exit 1
fi

apt_install() {  # Debian packages, only when running as root (CI, a fresh server)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    [ -n "${TTHC_APT_UPDATED:-}" ] || { apt-get update -qq; export TTHC_APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "Hãy cài các gói Debian (please install): $*" >&2
    exit 1
  fi
}

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; "$PY" -m venv .venv; }
fi

# Installs within the pins of constraints.txt (refreshed by scripts/lock.sh).
stamp=".venv/.installed-${EXTRAS:-base}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ -n "${EXTRAS:-}" ]; then
    .venv/bin/python -m pip install -q -c constraints.txt -e ".[${EXTRAS}]"
  else
    .venv/bin/python -m pip install -q -c constraints.txt -e .
  fi
  touch "$stamp"
fi
