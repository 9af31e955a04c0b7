/* WASM adapter: one WAGI (CGI) request per instance. The request is in the environment and on
 * stdin, the answer goes to stdout as CGI headers, an empty line and the JSON body. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"

static void reply(const fn_response *resp) {
    const char *text = resp->status == 200 ? "OK"
                       : resp->status == 400 ? "Bad Request"
                       : resp->status == 413 ? "Payload Too Large"
                       : resp->status == 502 ? "Bad Gateway"
                                             : "Internal Server Error";
    printf("Content-Type: application/json\nStatus: %d %s\n\n", resp->status, text);
    fwrite(resp->body.data, 1, resp->body.len, stdout);
    fflush(stdout);
}

int main(void) {
    fn_response resp = {200, {0}};
    buf_init(&resp.body);
    const char *method = getenv("REQUEST_METHOD");
    const char *query = getenv("QUERY_STRING");
    const char *path = getenv("PATH_INFO");
    const char *length_text = getenv("CONTENT_LENGTH");
    char *end = NULL;
    errno = 0;
    long long length = length_text && *length_text ? strtoll(length_text, &end, 10) : 0;
    if (length_text && *length_text && (errno || *end != '\0' || length < 0)) {
        fn_error(&resp, 400, NULL, "CONTENT_LENGTH is not a length");
        reply(&resp);
        return 0;
    }
    if (length > FN_MAX_BODY) {
        fn_error(&resp, 413, NULL, "request body longer than 1 MiB");
        reply(&resp);
        return 0;
    }
    unsigned char *body = malloc((size_t)length + 1);
    size_t got = 0;
    if (!body) {
        fn_error(&resp, 500, NULL, "out of memory");
        reply(&resp);
        return 0;
    }
    while (got < (size_t)length) {
        size_t n = fread(body + got, 1, (size_t)length - got, stdin);
        if (n == 0) break;
        got += n;
    }
    fn_request req = {method ? method : "GET", path && *path ? path : "/", query ? query : "", body, got};
    fn_handle(&req, &resp);
    if (resp.body.overflow) fn_error(&resp, 500, NULL, "answer too long");
    reply(&resp);
    free(body);
    buf_free(&resp.body);
    return 0;
}
