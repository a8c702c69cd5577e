#!/usr/bin/env bash
# Install what the dashboard needs (first time only) and start it on http://127.0.0.1:8050.
# Extra arguments go to `tthc run` (e.g. --port 8080).
set -euo pipefail
EXTRAS="" source "$(dirname "$0")/_venv.sh"
# Chart images and the PDF of the briefing pack are drawn by the system Chromium, with DejaVu
# for the Vietnamese letters: installed when missing (as root), otherwise only said.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt_install "${missing[@]}"
  else
    echo "Thiếu ${missing[*]}: bảng theo dõi vẫn chạy, nhưng xuất ảnh/PDF cần các gói này." >&2
  fi
fi
exec .venv/bin/tthc run "$@"
