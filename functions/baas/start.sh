#!/usr/bin/env bash
# start.sh STATE_DIR: starts the functions' backing services on free 127.0.0.1 ports and prints
#   OBJECTS_URL=http://127.0.0.1:PORT   nginx serving functions/baas/objects/ (GET and HEAD only)
#   DB_URL=http://127.0.0.1:PORT        the pRest-compatible endpoint (../src/c/baas/prest.c) in
#                                       front of PostgreSQL ($PG_CONNINFO, default the local one)
# after creating user-manager's database wasmorch_fn and its table public.users when missing.
# Installs missing Debian packages with apt-get (as root). STATE_DIR keeps the configuration, logs
# and pid files; stop.sh STATE_DIR stops both.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${1:?usage: start.sh STATE_DIR}
mkdir -p "$state"
state=$(cd "$state" && pwd)
conninfo=${PG_CONNINFO:-host=127.0.0.1 port=5432 user=postgres}
src=$here/../src/c
# shellcheck source=../lib/apt.sh
. "$here/../lib/apt.sh"
ensure_packages nginx-light postgresql-client gcc libc6-dev libmicrohttpd-dev libpq-dev

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # a random unprivileged port nothing listens on; bounded tries
  local p
  for _ in $(seq 1 100); do
    # Below Linux's ephemeral range (32768-60999 by default): a client socket may hold a port
    # there without listening, which the probe cannot see and bind() then refuses (seen in CI).
    p=$((20000 + RANDOM % 12000))
    port_taken "$p" || { echo "$p"; return 0; }
  done
  echo "start.sh: no free port found" >&2
  return 1
}
wait_port() { # wait_port PORT WHAT: up to 10 s for PORT to accept connections
  for _ in $(seq 1 100); do
    port_taken "$1" && return 0
    sleep 0.1
  done
  echo "start.sh: $2 did not listen on 127.0.0.1:$1 within 10 s; see $state" >&2
  return 1
}

# object storage
objects_port=$(free_port)
mkdir -p "$state/nginx-tmp"
user_line=""
# As root nginx would drop its workers to nobody, who may not reach a checkout under /root.
[[ $(id -u) == 0 ]] && user_line="user $(stat -c '%U %G' "$here/objects");"
cat >"$state/nginx.conf" <<CONF
$user_line
daemon on;
worker_processes 1;
pid $state/nginx.pid;
error_log $state/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $state/nginx-tmp/body;
  proxy_temp_path $state/nginx-tmp/proxy;
  fastcgi_temp_path $state/nginx-tmp/fastcgi;
  uwsgi_temp_path $state/nginx-tmp/uwsgi;
  scgi_temp_path $state/nginx-tmp/scgi;
  types { text/plain txt; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$objects_port;
    root $here/objects;
    location / { limit_except GET { deny all; } }
  }
}
CONF
nginx -q -c "$state/nginx.conf" -p "$state/"
wait_port "$objects_port" nginx

# database as a service
psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql "$conninfo dbname=$1" -v ON_ERROR_STOP=1 -qAt "${@:2}"; }
if [[ -z $(psql_admin postgres -c "SELECT 1 FROM pg_database WHERE datname = 'wasmorch_fn'") ]]; then
  psql_admin postgres -c "CREATE DATABASE wasmorch_fn" >/dev/null
fi
psql_admin wasmorch_fn -f "$here/users.sql" >/dev/null
gcc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I/usr/include/postgresql -o "$state/prest-lite" \
  "$src/baas/prest.c" "$src/common/fn.c" "$src/common/json.c" "$src/adapter/mhd.c" -lmicrohttpd -lpq
db_port=$(free_port)
HOST=127.0.0.1 PORT=$db_port PG_CONNINFO=$conninfo nohup "$state/prest-lite" >"$state/prest.log" 2>&1 &
echo $! >"$state/prest.pid"
wait_port "$db_port" prest-lite

echo "OBJECTS_URL=http://127.0.0.1:$objects_port"
echo "DB_URL=http://127.0.0.1:$db_port"
