/* Spin 0.6's outbound HTTP host interface, module "wasi_experimental_http" (the ABI of the
 * wasi-experimental-http crate that Spin 0.6 links): strings and buffers are (pointer, length)
 * pairs in the module's memory, results come back through out-pointers, and every call returns
 * an error code (0 = success). Headers travel as "name:value\n" lines. */
#include <stdint.h>
#include <stdio.h>

#include "http.h"

enum {
    HTTP_ERR_SUCCESS = 0,
    HTTP_ERR_INVALID_HANDLE = 1,
    HTTP_ERR_MEMORY_NOT_FOUND = 2,
    HTTP_ERR_MEMORY_ACCESS = 3,
    HTTP_ERR_BUFFER_TOO_SMALL = 4,
    HTTP_ERR_HEADER_NOT_FOUND = 5,
    HTTP_ERR_UTF8 = 6,
    HTTP_ERR_DESTINATION_NOT_ALLOWED = 7,
    HTTP_ERR_INVALID_METHOD = 8,
    HTTP_ERR_INVALID_ENCODING = 9,
    HTTP_ERR_INVALID_URL = 10,
    HTTP_ERR_REQUEST = 11,
    HTTP_ERR_RUNTIME = 12,
    HTTP_ERR_TOO_MANY_SESSIONS = 13,
};

#define WASI_HTTP(name) __attribute__((import_module("wasi_experimental_http"), import_name(name)))

WASI_HTTP("req")
uint32_t wasi_http_req(const char *url, size_t url_len, const char *method, size_t method_len, const char *headers,
                       size_t headers_len, const unsigned char *body, size_t body_len, uint16_t *status,
                       uint32_t *handle);
WASI_HTTP("body_read")
uint32_t wasi_http_body_read(uint32_t handle, unsigned char *buf, size_t buf_len, size_t *written);
WASI_HTTP("close")
uint32_t wasi_http_close(uint32_t handle);

static const char *reason(uint32_t code) {
    switch (code) {
    case HTTP_ERR_INVALID_HANDLE: return "invalid handle";
    case HTTP_ERR_MEMORY_NOT_FOUND: return "memory not found";
    case HTTP_ERR_MEMORY_ACCESS: return "memory access error";
    case HTTP_ERR_BUFFER_TOO_SMALL: return "buffer too small";
    case HTTP_ERR_HEADER_NOT_FOUND: return "header not found";
    case HTTP_ERR_UTF8: return "UTF-8 error";
    case HTTP_ERR_DESTINATION_NOT_ALLOWED: return "destination not allowed";
    case HTTP_ERR_INVALID_METHOD: return "invalid method";
    case HTTP_ERR_INVALID_ENCODING: return "invalid encoding";
    case HTTP_ERR_INVALID_URL: return "invalid URL";
    case HTTP_ERR_REQUEST: return "request error";
    case HTTP_ERR_RUNTIME: return "runtime error";
    case HTTP_ERR_TOO_MANY_SESSIONS: return "too many sessions";
    default: return "unknown error";
    }
}

static size_t length(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int http_request(const char *method, const char *url, const char *content_type, const unsigned char *body,
                 size_t body_len, size_t max_len, buf *out, char *err, size_t errlen) {
    char headers[160] = "";
    if (content_type) snprintf(headers, sizeof headers, "Content-Type:%s\n", content_type);
    uint16_t status = 0;
    uint32_t handle = 0;
    uint32_t rc = wasi_http_req(url, length(url), method, length(method), headers, length(headers), body,
                                body ? body_len : 0, &status, &handle);
    if (rc != HTTP_ERR_SUCCESS) {
        snprintf(err, errlen, "%s: %s (wasi_experimental_http error %u)", url, reason(rc), (unsigned)rc);
        return -1;
    }
    unsigned char chunk[16384];
    int result = status;
    /* Each read returns at least one byte until the body ends, and a body longer than max_len
     * stops the loop, so it runs at most max_len + 1 times. */
    for (;;) {
        size_t written = 0;
        rc = wasi_http_body_read(handle, chunk, sizeof chunk, &written);
        if (rc != HTTP_ERR_SUCCESS) {
            snprintf(err, errlen, "%s: reading the body: %s (wasi_experimental_http error %u)", url, reason(rc),
                     (unsigned)rc);
            result = -1;
            break;
        }
        if (written == 0) break;
        if (written > sizeof chunk || written > max_len - out->len) {
            snprintf(err, errlen, "%s: response longer than %zu bytes", url, max_len);
            result = -1;
            break;
        }
        buf_append(out, chunk, written);
    }
    wasi_http_close(handle);
    return result;
}
