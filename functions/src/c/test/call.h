/* Calls the linked function's fn_handle as an adapter would. */
#ifndef CALL_H
#define CALL_H

#include <stdio.h>
#include <string.h>

#include "../common/fn.h"

static fn_response call(const char *method, const char *query, const char *body) {
    fn_response resp = {200, {0}};
    buf_init(&resp.body);
    fn_request req = {method, "/", query, (const unsigned char *)body, strlen(body)};
    fn_handle(&req, &resp);
    return resp;
}

/* 1 when the answer is a 400 whose JSON names the parameter. */
static int rejects(const char *method, const char *query, const char *body, const char *parameter) {
    fn_response r = call(method, query, body);
    char want[96];
    snprintf(want, sizeof want, "\"parameter\":\"%s\"", parameter);
    int ok = r.status == 400 && r.body.data && strstr(r.body.data, want) != NULL;
    if (!ok) fprintf(stderr, "query %s: status %d, body %s\n", query, r.status, r.body.data ? r.body.data : "");
    buf_free(&r.body);
    return ok;
}

#endif
