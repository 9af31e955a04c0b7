/* A pRest-compatible endpoint in front of PostgreSQL, for user-manager's database service where
 * pRest itself is not packaged: POST /DATABASE/SCHEMA/TABLE with a JSON object inserts one row
 * (one prepared INSERT, the members as parameters) and answers it as JSON (201). A body that is
 * not a flat JSON object, an unknown column or a value the column refuses is a 400, an unknown
 * table a 404. Served by the functions' libmicrohttpd adapter; PostgreSQL is reached through
 * $PG_CONNINFO (default: host=127.0.0.1 port=5432 user=postgres) with dbname from the path. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"
#include "../common/json.h"

#define MAX_COLUMNS 64
#define IDENT "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

/* Splits "/db/schema/table" into three identifiers of [A-Za-z0-9_]{1,63}; 0 when it is not one. */
static int split_path(const char *path, char parts[3][64]) {
    const char *p = path;
    for (int i = 0; i < 3; i++) {
        if (*p != '/') return 0;
        p++;
        size_t len = strspn(p, IDENT);
        if (len == 0 || len > 63) return 0;
        memcpy(parts[i], p, len);
        parts[i][len] = '\0';
        p += len;
    }
    return *p == '\0' || (p[0] == '/' && p[1] == '\0');
}

static void pg_error(fn_response *resp, PGresult *res, PGconn *conn) {
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *message = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(conn);
    /* classes 22 (data exception) and 23 (integrity violation): the client's values were refused */
    int client = state && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0);
    fn_error(resp, client ? 400 : 500, NULL, message ? message : "database error");
}

static int known_column(PGresult *columns, const char *name) {
    for (int r = 0; r < PQntuples(columns); r++)
        if (strcmp(PQgetvalue(columns, r, 0), name) == 0) return 1;
    return 0;
}

static void insert(PGconn *conn, const char *schema, const char *table, const json_member *m, int count,
                   fn_response *resp) {
    const char *lookup_params[2] = {schema, table};
    PGresult *columns = PQexecParams(conn,
                                     "SELECT column_name FROM information_schema.columns"
                                     " WHERE table_schema = $1 AND table_name = $2",
                                     2, NULL, lookup_params, NULL, NULL, 0);
    if (PQresultStatus(columns) != PGRES_TUPLES_OK) {
        pg_error(resp, columns, conn);
    } else if (PQntuples(columns) == 0) {
        fn_error(resp, 404, NULL, "no such table");
    } else {
        buf sql;
        buf_init(&sql);
        const char *values[MAX_COLUMNS];
        int unknown = -1;
        /* The identifiers are [A-Za-z0-9_] only (the path's and the columns' checks) and quoted. */
        buf_printf(&sql, "INSERT INTO \"%s\".\"%s\" AS t (", schema, table);
        for (int i = 0; i < count; i++) {
            if (!known_column(columns, m[i].key)) unknown = i;
            buf_printf(&sql, "%s\"%s\"", i ? "," : "", m[i].key);
            values[i] = m[i].kind == JSON_NULL ? NULL : m[i].value;
        }
        buf_puts(&sql, count ? ") VALUES (" : ") DEFAULT VALUES");
        for (int i = 0; i < count; i++) buf_printf(&sql, "%s$%d", i ? "," : "", i + 1);
        buf_puts(&sql, count ? ") RETURNING row_to_json(t)" : " RETURNING row_to_json(t)");
        if (unknown >= 0) {
            char message[128];
            snprintf(message, sizeof message, "unknown column %s", m[unknown].key);
            fn_error(resp, 400, m[unknown].key, message);
        } else {
            PGresult *row = PQexecParams(conn, sql.data, count, NULL, values, NULL, NULL, 0);
            if (PQresultStatus(row) == PGRES_TUPLES_OK && PQntuples(row) == 1) {
                resp->status = 201;
                buf_puts(&resp->body, PQgetvalue(row, 0, 0));
            } else {
                pg_error(resp, row, conn);
            }
            PQclear(row);
        }
        buf_free(&sql);
    }
    PQclear(columns);
}

void fn_handle(const fn_request *req, fn_response *resp) {
    char parts[3][64];
    if (!split_path(req->path, parts)) {
        fn_error(resp, 404, NULL, "the path must be /DATABASE/SCHEMA/TABLE");
        return;
    }
    if (strcmp(req->method, "POST") != 0) {
        fn_error(resp, 405, NULL, "only POST (insert one row) is served");
        return;
    }
    /* A member name must be a column name, which the path's identifier rule also bounds. */
    json_member *m = malloc(MAX_COLUMNS * sizeof *m);
    char err[256];
    int count = m ? json_flat_object((const char *)req->body, req->body_len, m, MAX_COLUMNS, err, sizeof err) : -1;
    if (!m) {
        fn_error(resp, 500, NULL, "out of memory");
    } else if (count < 0) {
        fn_error(resp, 400, "body", err);
    } else {
        int bad = -1;
        for (int i = 0; i < count; i++)
            if (strspn(m[i].key, IDENT) != strlen(m[i].key) || !m[i].key[0]) bad = i;
        if (bad >= 0) {
            fn_error(resp, 400, m[bad].key, "unknown column");
        } else {
            const char *conninfo = getenv("PG_CONNINFO");
            char dsn[512];
            snprintf(dsn, sizeof dsn, "%s dbname=%s",
                     conninfo && *conninfo ? conninfo : "host=127.0.0.1 port=5432 user=postgres", parts[0]);
            PGconn *conn = PQconnectdb(dsn);
            if (PQstatus(conn) != CONNECTION_OK) {
                /* pRest answers an unknown database like an unknown table */
                fn_error(resp, strstr(PQerrorMessage(conn), "does not exist") ? 404 : 502, NULL, PQerrorMessage(conn));
            } else {
                insert(conn, parts[1], parts[2], m, count, resp);
            }
            PQfinish(conn);
        }
    }
    free(m);
}
