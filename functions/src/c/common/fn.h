/* The contract between a function's kernel and the adapter that serves it (WAGI on wasm32-wasi,
 * libmicrohttpd natively). A function sees only this request and fills only this response, so
 * the same source answers byte for byte the same on both targets. */
#ifndef FN_H
#define FN_H

#include <stddef.h>

/* Largest request body any function accepts; the adapters refuse longer ones with 413. */
#define FN_MAX_BODY (1024 * 1024)

typedef struct {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* decoded path after the route: "/" for the functions' catalog requests */
    const char *query;  /* raw query string without '?', "" when absent */
    const unsigned char *body;
    size_t body_len;
} fn_request;

/* A growing buffer with a hard cap: appends beyond the cap are dropped and remembered, so a
 * response can never grow without bound. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
    int overflow;
} buf;

#define BUF_LIMIT (4 * 1024 * 1024)

void buf_init(buf *b);
void buf_free(buf *b);
void buf_append(buf *b, const void *data, size_t n);
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Length of the well-formed UTF-8 sequence at s[0..n), 0 when it is not one. */
size_t utf8_sequence(const unsigned char *s, size_t n);
/* Appends s as a JSON string literal (quotes included), escaping what JSON requires and writing
 * each byte that is not well-formed UTF-8 as \ufffd. */
void buf_json_string(buf *b, const char *s, size_t n);

typedef struct {
    int status; /* HTTP status: 200, 400, 413, 500, 502 */
    buf body;   /* always a JSON document */
} fn_response;

/* Implemented once per function. Must never crash on any request. */
void fn_handle(const fn_request *req, fn_response *resp);

/* Sets a JSON error answer: {"error":MESSAGE} plus "parameter":PARAM when a parameter is at fault. */
void fn_error(fn_response *resp, int status, const char *parameter, const char *message);

/* Query parameters. Each returns 0 when the value is absent (the default is stored) or valid,
 * -1 otherwise (and has already set a 400 naming the parameter in resp). */
int param_long(const char *query, const char *name, long def, long min, long max, long *out, fn_response *resp);
/* allowed: the characters a value may hold (NULL: any), described to the client as allowed_desc. */
int param_string(const char *query, const char *name, const char *def, char *out, size_t cap,
                 const char *allowed, const char *allowed_desc, fn_response *resp);

/* Finds NAME in a raw query and decodes its value (%XX, '+') into out. Returns 1 when found,
 * 0 when absent, -1 when the value is malformed or longer than cap-1 bytes. */
int query_get(const char *query, const char *name, char *out, size_t cap);

#endif
