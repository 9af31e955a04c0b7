/* user-manager: creates a user record from the request body ({"name": ..., "email": ...}) by an
 * HTTP POST to the database service ($DB_URL, pRest's API: POST /DATABASE/SCHEMA/TABLE) and
 * answers the created row as the service returned it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"
#include "../common/http.h"
#include "../common/json.h"

#define TABLE_PATH "/wasmorch_fn/public/users"
#define MAX_ROW (64 * 1024)

static const json_member *member(const json_member *m, int count, const char *key) {
    for (int i = 0; i < count; i++)
        if (strcmp(m[i].key, key) == 0) return &m[i];
    return NULL;
}

/* Checks one required string field; sets a 400 naming it when absent or not fit. */
static const char *field(const json_member *m, int count, const char *key, size_t max, const char *must_hold,
                         fn_response *resp) {
    const json_member *f = member(m, count, key);
    char message[128];
    snprintf(message, sizeof message, "%s must be a string of 1 to %zu bytes%s%s", key, max,
             must_hold ? " holding " : "", must_hold ? must_hold : "");
    if (!f || f->kind != JSON_STRING || f->value[0] == '\0' || strlen(f->value) > max ||
        (must_hold && !strstr(f->value, must_hold))) {
        fn_error(resp, 400, key, message);
        return NULL;
    }
    return f->value;
}

void fn_handle(const fn_request *req, fn_response *resp) {
    json_member *m = malloc(8 * sizeof *m);
    char err[1200];
    if (!m) {
        fn_error(resp, 500, NULL, "out of memory");
        return;
    }
    int count = json_flat_object((const char *)req->body, req->body_len, m, 8, err, sizeof err);
    const char *name = NULL, *email = NULL;
    if (count < 0) {
        char message[1300];
        snprintf(message, sizeof message, "the body must be a JSON object of strings: %s", err);
        fn_error(resp, 400, "body", message);
    } else if ((name = field(m, count, "name", 100, NULL, resp)) && (email = field(m, count, "email", 254, "@", resp))) {
        const char *base = getenv("DB_URL");
        if (!base || !*base || strlen(base) > 900) {
            fn_error(resp, 500, NULL, "DB_URL is not set (or longer than 900 bytes)");
        } else {
            buf row, out;
            buf_init(&row);
            buf_init(&out);
            buf_puts(&out, "{\"name\":");
            buf_json_string(&out, name, strlen(name));
            buf_puts(&out, ",\"email\":");
            buf_json_string(&out, email, strlen(email));
            buf_puts(&out, "}");
            char url[1024];
            snprintf(url, sizeof url, "%s%s", base, TABLE_PATH);
            int status = http_request("POST", url, "application/json", (const unsigned char *)out.data, out.len,
                                      MAX_ROW, &row, err, sizeof err);
            if (status < 0) {
                fn_error(resp, 502, NULL, err);
            } else if (status < 200 || status > 299) {
                snprintf(err, sizeof err, "%s: the database service answered %d", url, status);
                fn_error(resp, 502, NULL, err);
            } else if (!json_valid(row.data ? row.data : "", row.len)) {
                fn_error(resp, 502, NULL, "the database service's answer is not JSON");
            } else {
                buf_puts(&resp->body, "{\"created\":");
                buf_append(&resp->body, row.data, row.len);
                buf_puts(&resp->body, "}");
            }
            buf_free(&row);
            buf_free(&out);
        }
    }
    free(m);
}
