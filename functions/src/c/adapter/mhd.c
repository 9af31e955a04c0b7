/* Native adapter: a long-running HTTP server (the OpenFaaS model: one process serves every
 * request, keep-alive) on libmicrohttpd. Listens on $HOST:$PORT (0.0.0.0:8080 by default) until
 * SIGTERM or SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"

/* Per request: the raw URI (libmicrohttpd splits and decodes the query; the kernel parses the
 * raw one, as on WASM, so both targets read parameters identically) and the body so far. */
typedef struct {
    char *uri;
    unsigned char *body;
    size_t len;
    int too_long;
    int headers_seen;
} pending;

/* Keeps the first URI_MAX bytes; a longer URI's query is cut there and parsed as such. */
#define URI_MAX 8192

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
    (void)cls;
    (void)c;
    pending *p = calloc(1, sizeof *p);
    if (p) p->uri = strndup(uri, URI_MAX);
    return p;
}

static void on_done(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode code) {
    (void)cls;
    (void)c;
    (void)code;
    pending *p = *state;
    if (!p) return;
    free(p->uri);
    free(p->body);
    free(p);
    *state = NULL;
}

static enum MHD_Result send_json(struct MHD_Connection *c, int status, const char *data, size_t len) {
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *data, size_t *data_size, void **state) {
    (void)cls;
    (void)version;
    pending *p = *state;
    if (!p || !p->uri) return MHD_NO; /* out of memory: drop the connection */
    /* The first call brings only the headers; the body follows in further calls, and a call
     * without data after that means the request is complete. */
    if (!p->headers_seen) {
        p->headers_seen = 1;
        return MHD_YES;
    }
    if (*data_size) {
        if (p->too_long || *data_size > FN_MAX_BODY - p->len) {
            p->too_long = 1;
        } else {
            unsigned char *grown = realloc(p->body, p->len + *data_size + 1);
            if (!grown) return MHD_NO;
            p->body = grown;
            memcpy(p->body + p->len, data, *data_size);
            p->len += *data_size;
        }
        *data_size = 0;
        return MHD_YES;
    }
    fn_response resp = {200, {0}};
    buf_init(&resp.body);
    if (p->too_long) {
        fn_error(&resp, 413, NULL, "request body longer than 1 MiB");
    } else {
        const char *q = strchr(p->uri, '?');
        fn_request req = {method, url, q ? q + 1 : "", p->body ? p->body : (const unsigned char *)"", p->len};
        fn_handle(&req, &resp);
        if (resp.body.overflow) fn_error(&resp, 500, NULL, "answer too long");
    }
    enum MHD_Result ok = send_json(c, resp.status, resp.body.data ? resp.body.data : "", resp.body.len);
    buf_free(&resp.body);
    return ok;
}

int main(void) {
    const char *port_text = getenv("PORT");
    const char *host = getenv("HOST");
    char *end = NULL;
    long port = port_text && *port_text ? strtol(port_text, &end, 10) : 8080;
    if ((port_text && *port_text && *end != '\0') || port < 1 || port > 65535) {
        fprintf(stderr, "PORT must be a port number (1-65535), got \"%s\"\n", port_text);
        return 2;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host && *host ? host : "0.0.0.0", &addr.sin_addr) != 1) {
        fprintf(stderr, "HOST must be an IPv4 address, got \"%s\"\n", host);
        return 2;
    }
    /* Block the stop signals before any thread starts, so only sigwait below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL,
        NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
        NULL, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_CONNECTION_LIMIT, 256u,
        MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "cannot listen on %s:%ld: %s\n", host && *host ? host : "0.0.0.0", port, strerror(errno));
        return 1;
    }
    printf("listening on %s:%ld\n", host && *host ? host : "0.0.0.0", port);
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    return 0;
}
