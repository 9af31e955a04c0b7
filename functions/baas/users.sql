-- user-manager's table, created by start.sh (local PostgreSQL) and by docker-compose.yml's
-- functions-db on its first start.
CREATE TABLE IF NOT EXISTS public.users (id serial PRIMARY KEY, name text NOT NULL, email text NOT NULL);
