#!/usr/bin/env bash
# Runs once, when the PostgreSQL container initializes its data directory: creates the pipeline's
# writer role (owner of the wasmorch database, which the job migrates) and Grafana's read-only role.
# Passwords come from the container environment (.env), never from this file.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" \
  -v writer="$WASMORCH_JDBC_USER" -v writer_pw="$WASMORCH_JDBC_PASSWORD" \
  -v reader="$WASMORCH_GRAFANA_DB_USER" -v reader_pw="$WASMORCH_GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE :"writer" LOGIN PASSWORD :'writer_pw';
CREATE DATABASE wasmorch OWNER :"writer";
CREATE ROLE :"reader" LOGIN PASSWORD :'reader_pw';
\connect wasmorch
GRANT CONNECT ON DATABASE wasmorch TO :"reader";
GRANT USAGE ON SCHEMA public TO :"reader";
-- tables the job creates later are readable too
ALTER DEFAULT PRIVILEGES FOR ROLE :"writer" IN SCHEMA public GRANT SELECT ON TABLES TO :"reader";
SQL
