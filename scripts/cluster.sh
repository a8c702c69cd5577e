#!/usr/bin/env bash
# The whole several-process topology on one machine, for a trial (README, "Several processes"):
#   bash scripts/cluster.sh [--port P] [--processes N] [--dir D] [--scale S] [--detach]
#   bash scripts/cluster.sh stop [--dir D]
# Starts, under D (default instance/cluster): Redis (deploy/redis/tthc.conf), a PostgreSQL
# primary and a streaming replica (pg_basebackup), the city-scope demo when the database is
# empty (TTHC_SCOPE=31, --scale of a year's 1,5 million dossiers, default 0.05), a trial office
# account, two `tthc worker`, one `tthc scheduler` (inbox D/hop-thu, reports D/bao-cao), N app
# processes (default 4) and nginx on port P (default 8080,
# deploy/nginx). Prints the URL; stops everything on Ctrl-C, or at `stop` with --detach.
# D/env holds the settings every process shares (source it to run `tthc` beside them).
set -Eeuo pipefail  # -E: the ERR trap below also fires inside functions
cd "$(dirname "$0")/.."
ROOT=$(pwd)

action=start
port=8080
processes=4
dir=instance/cluster
scale=0.05
detach=0
while [ $# -gt 0 ]; do
  case "$1" in
    stop) action=stop ;;
    --port) port=$2; shift ;;
    --processes) processes=$2; shift ;;
    --dir) dir=$2; shift ;;
    --scale) scale=$2; shift ;;
    --detach) detach=1 ;;
    *) echo "Không hiểu tham số (unknown argument): $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$dir"
DIR=$(cd "$dir" && pwd)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

as_postgres() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_all() {
  trap - ERR
  set +e
  [ -f "$DIR/nginx/nginx.pid" ] && /usr/sbin/nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -s quit 2>/dev/null
  for pidfile in "$DIR"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    kill -TERM "$(cat "$pidfile")" 2>/dev/null
  done
  for pidfile in "$DIR"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
    rm -f "$pidfile"
  done
  if [ -f "$DIR/ports" ]; then
    # shellcheck disable=SC1091
    . "$DIR/ports"
    redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1
  fi
  for pg in replica primary; do
    [ -f "$DIR/pg/$pg/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$DIR/pg/$pg" -m fast -w stop >/dev/null 2>&1
  done
  set -e
}

if [ "$action" = stop ]; then
  stop_all
  echo "Đã dừng cụm máy chủ trong $DIR."
  exit 0
fi

# What the trial needs: Debian's servers, and the project's venv with the PostgreSQL driver.
EXTRAS="${EXTRAS:-postgres}" source scripts/_venv.sh
need=()
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/sbin/nginx ] || need+=(nginx)
[ -n "$PGBIN" ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then apt_install "${need[@]}"; PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); fi
.venv/bin/python -c 'import psycopg' 2>/dev/null || .venv/bin/python -m pip install -q -c constraints.txt "psycopg[binary]"

free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
if [ ! -f "$DIR/ports" ]; then
  {
    echo "REDIS_PORT=$(free_port)"
    echo "PG_PORT=$(free_port)"
    echo "REPLICA_PORT=$(free_port)"
  } > "$DIR/ports"
fi
# shellcheck disable=SC1091
. "$DIR/ports"
mkdir -p "$DIR/run" "$DIR/log" "$DIR/redis" "$DIR/app" "$DIR/pg"
trap 'echo "Lỗi khi khởi động: dừng tất cả (xem $DIR/log)." >&2; stop_all' ERR

# Redis, with the deployment's settings: append-only persistence, nothing evicted.
redis-server "$ROOT/deploy/redis/tthc.conf" --port "$REDIS_PORT" --dir "$DIR/redis" \
  --daemonize yes --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/log/redis.log"

# PostgreSQL: a primary, and a streaming replica made from it.
if [ "$(id -u)" = 0 ]; then
  chown postgres "$DIR/pg"
  runuser -u postgres -- test -x "$DIR/pg" || {
    echo "Người dùng postgres không vào được $DIR (PostgreSQL's user cannot reach it): chọn thư mục khác bằng --dir" >&2
    stop_all
    exit 1
  }
fi
PG_OPTS="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR/pg -c hot_standby_feedback=on"
if [ ! -d "$DIR/pg/primary" ]; then
  as_postgres "$PGBIN/initdb" -D "$DIR/pg/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
as_postgres "$PGBIN/pg_ctl" -D "$DIR/pg/primary" -o "-p $PG_PORT $PG_OPTS" -l "$DIR/pg/primary.log" -w start >/dev/null
if ! as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='tthc'" | grep -q 1; then
  as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres tthc
fi
if [ ! -d "$DIR/pg/replica" ]; then
  as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$DIR/pg/replica" -R -X stream --checkpoint=fast
fi
as_postgres "$PGBIN/pg_ctl" -D "$DIR/pg/replica" -o "-p $REPLICA_PORT $PG_OPTS -c hot_standby=on" -l "$DIR/pg/replica.log" -w start >/dev/null

# The settings every process shares.
[ -f "$DIR/secret_key" ] || .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > "$DIR/secret_key"
chmod 600 "$DIR/secret_key"
cat > "$DIR/env" <<ENV
export DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/tthc
export TTHC_DATABASE_REPLICAS=postgresql+psycopg://postgres@127.0.0.1:$REPLICA_PORT/tthc
export TTHC_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export TTHC_SECRET_KEY=$(cat "$DIR/secret_key")
export TTHC_SCOPE=31
export TTHC_TRUSTED_PROXIES=1
export TTHC_INSTANCE_DIR=$DIR/app
export TTHC_DEMO_ON_EMPTY=0
export TTHC_WARM_CACHE=1
ENV
# shellcheck disable=SC1091
. "$DIR/env"
tthc=.venv/bin/tthc

# The city's communes and wards, and their demo dossiers when the database has none.
$tthc init-db >/dev/null
$tthc load-reference --province 31 >/dev/null
if [ "$(.venv/bin/python -c 'import os; from sqlalchemy import create_engine, text; print(create_engine(os.environ["DATABASE_URL"]).connect().execute(text("SELECT count(*) FROM (SELECT 1 FROM dossiers LIMIT 1) d")).scalar())')" = 0 ]; then
  echo "Tạo dữ liệu mẫu cho Thành phố Hải Phòng (--scale $scale)…"
  $tthc demo-data --scope 31 --scale "$scale" >/dev/null
fi
if [ ! -f "$DIR/trial-password" ]; then
  .venv/bin/python -c 'import secrets; print("thu-" + secrets.token_urlsafe(12))' > "$DIR/trial-password"
  chmod 600 "$DIR/trial-password"
  TTHC_NEW_PASSWORD=$(cat "$DIR/trial-password") $tthc users add thu.vp --role van_phong --name "Tài khoản dùng thử" >/dev/null
fi

# Workers and app processes, each with its pid file and log.
for i in 1 2; do
  nohup $tthc worker > "$DIR/log/worker-$i.log" 2>&1 &
  echo $! > "$DIR/run/worker-$i.pid"
done
# The one scheduler: the inbox folder, the digest, the 17:00 report, the monthly pack.
mkdir -p "$DIR/hop-thu"
TTHC_INBOX="$DIR/hop-thu" TTHC_REPORTS_DIR="$DIR/bao-cao" nohup $tthc scheduler > "$DIR/log/scheduler.log" 2>&1 &
echo $! > "$DIR/run/scheduler.pid"
upstreams=""
: > "$DIR/app-ports"
for i in $(seq 1 "$processes"); do
  p=$(free_port)
  nohup $tthc serve --production --host 127.0.0.1 --port "$p" --threads 8 > "$DIR/log/app-$i.log" 2>&1 &
  echo $! > "$DIR/run/app-$i.pid"
  echo "$p" >> "$DIR/app-ports"
  upstreams="${upstreams}server 127.0.0.1:$p max_fails=1 fail_timeout=5s; "
done
wait_for() {  # URL, what for
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "Không chờ được $2 ($1)" >&2
  return 1
}
while read -r p; do wait_for "http://127.0.0.1:$p/healthz" "app process on $p"; done < "$DIR/app-ports"

# nginx in front, from deploy/nginx, under the folder.
mkdir -p "$DIR/nginx/tmp"
chmod 1777 "$DIR/nginx/tmp"  # nginx's workers (user nobody when started as root) write there
sed "s#@PREFIX@#$DIR/nginx#g" deploy/nginx/nginx.conf > "$DIR/nginx/nginx.conf"
sed -e "s#@UPSTREAMS@#$upstreams#" -e "s#@PORT@#$port#" -e "s#@LISTEN@#127.0.0.1#" \
  deploy/nginx/tthc-site.conf > "$DIR/nginx/tthc-site.conf"
/usr/sbin/nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -t -q
/usr/sbin/nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
wait_for "http://127.0.0.1:$port/healthz" "nginx"
trap - ERR

echo "Sẵn sàng: http://127.0.0.1:$port  (tài khoản thu.vp, mật khẩu $(cat "$DIR/trial-password"))"
echo "$processes tiến trình ứng dụng, 2 tiến trình nền, Redis :$REDIS_PORT, PostgreSQL :$PG_PORT (bản sao :$REPLICA_PORT); nhật ký: $DIR/log"
if [ "$detach" = 1 ]; then
  exit 0
fi
trap 'stop_all; echo "Đã dừng."; exit 0' INT TERM
echo "Ctrl-C để dừng tất cả."
while true; do sleep 3600 & wait $!; done
