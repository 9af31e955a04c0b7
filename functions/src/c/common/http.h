/* Outbound HTTP for the functions that call a service (fuzzysearch, whatlang, user-manager).
 * Natively libcurl does the work (http_curl.c); on wasm32-wasi the host does it through Spin
 * 0.6's wasi_experimental_http imports (http_wasi.c). */
#ifndef HTTP_H
#define HTTP_H

#include "fn.h"

/* Every outbound call gives up after this long (natively; the WASM host sets its own limit). */
#define HTTP_TIMEOUT_MS 10000

/* Sends one request. body may be NULL for none; content_type NULL for no Content-Type header.
 * The response body goes into out (at most max_len bytes: a longer one is an error). Returns
 * the HTTP status, or -1 with a reason in err when no complete response arrived. */
int http_request(const char *method, const char *url, const char *content_type, const unsigned char *body,
                 size_t body_len, size_t max_len, buf *out, char *err, size_t errlen);

#endif
