/* Calls out through the wasi_experimental_http host interface (the wasi-experimental-http crate's ABI) to the URL in the query string
 * and reports every error code, status, header and body byte it gets. Options come from the
 * environment: OUT_METHOD (default GET), OUT_BODY (request body), OUT_HEADERS (request header lines,
 * "\n"-separated), OUT_CHUNK (body_read buffer size), OUT_HEADER (a response header to look up),
 * OUT_HEADER_BUF (its buffer size), OUT_QUIET (print only the body's length), OUT_KEEP (this many
 * requests without closing, for the session limit), OUT_BADPTR (pass pointers outside memory). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WASI_HTTP(name) __attribute__((import_module("wasi_experimental_http"), import_name(name)))

WASI_HTTP("req")
uint32_t http_req(const char *url, size_t url_len, const char *method, size_t method_len, const char *headers,
                  size_t headers_len, const char *body, size_t body_len, uint16_t *status, uint32_t *handle);
WASI_HTTP("body_read")
uint32_t http_body_read(uint32_t handle, unsigned char *buf, size_t buf_len, size_t *written);
WASI_HTTP("header_get")
uint32_t http_header_get(uint32_t handle, const char *name, size_t name_len, char *buf, size_t buf_len,
                         size_t *written);
WASI_HTTP("headers_get_all")
uint32_t http_headers_get_all(uint32_t handle, char *buf, size_t buf_len, size_t *written);
WASI_HTTP("close")
uint32_t http_close(uint32_t handle);

static const char *env(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v ? v : fallback;
}

static unsigned char chunk[1 << 16];
static char headers[1 << 14];

int main(void) {
    const char *url = env("QUERY_STRING", "");
    const char *method = env("OUT_METHOD", "GET");
    const char *req_headers = env("OUT_HEADERS", "");
    const char *body = env("OUT_BODY", "");
    size_t chunk_len = (size_t)atoi(env("OUT_CHUNK", "4096"));
    if (chunk_len > sizeof chunk) chunk_len = sizeof chunk;
    printf("Content-Type: text/plain\n\n");

    if (getenv("OUT_BADPTR")) {
        uint16_t status = 0;
        uint32_t handle = 0;
        printf("url_outside=%u\n", (unsigned)http_req((const char *)0xFFFFFF00u, 512, method, strlen(method), "", 0,
                                                      "", 0, &status, &handle));
        printf("status_outside=%u\n", (unsigned)http_req(url, strlen(url), method, strlen(method), "", 0, "", 0,
                                                         (uint16_t *)0xFFFFFFFFu, &handle));
        return 0;
    }

    int keep = atoi(env("OUT_KEEP", "0"));
    for (int i = 0; i < keep; i++) {
        uint16_t status = 0;
        uint32_t handle = 0;
        printf("keep%d=%u\n", i, (unsigned)http_req(url, strlen(url), method, strlen(method), "", 0, "", 0, &status,
                                                    &handle));
    }

    uint16_t status = 0;
    uint32_t handle = 0;
    uint32_t rc = http_req(url, strlen(url), method, strlen(method), req_headers, strlen(req_headers), body,
                           strlen(body), &status, &handle);
    printf("req=%u status=%u\n", (unsigned)rc, (unsigned)status);
    if (rc != 0) {
        printf("read_unopened=%u\n", (unsigned)http_body_read(handle + 1000, chunk, chunk_len, &(size_t){0}));
        printf("close_unopened=%u\n", (unsigned)http_close(handle + 1000));
        return 0;
    }

    const char *header = getenv("OUT_HEADER");
    if (header) {
        size_t written = 0;
        size_t buf_len = (size_t)atoi(env("OUT_HEADER_BUF", "256"));
        if (buf_len > sizeof headers) buf_len = sizeof headers;
        rc = http_header_get(handle, header, strlen(header), headers, buf_len, &written);
        printf("header=%u %.*s\n", (unsigned)rc, rc == 0 ? (int)written : 0, headers);
    }
    size_t all_len = 0;
    rc = http_headers_get_all(handle, headers, sizeof headers, &all_len);
    printf("all=%u\n%.*s", (unsigned)rc, rc == 0 ? (int)all_len : 0, headers);

    size_t total = 0;
    for (;;) {
        size_t written = 0;
        rc = http_body_read(handle, chunk, chunk_len, &written);
        if (rc != 0 || written == 0) break;
        if (!getenv("OUT_QUIET")) fwrite(chunk, 1, written, stdout);
        total += written;
    }
    printf("\nbody=%u bytes=%zu\n", (unsigned)rc, total);
    printf("read_other=%u\n", (unsigned)http_body_read(handle + 1, chunk, chunk_len, &(size_t){0}));
    printf("close=%u\n", (unsigned)http_close(handle));
    printf("read_closed=%u\n", (unsigned)http_body_read(handle, chunk, chunk_len, &(size_t){0}));
    printf("close_again=%u\n", (unsigned)http_close(handle));
    return 0;
}
