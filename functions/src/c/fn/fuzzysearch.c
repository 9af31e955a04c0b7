/* fuzzysearch: fetches the text `text` from object storage ($OBJECTS_URL/texts/NAME.txt) and
 * finds every approximate occurrence of `phrase` within edit distance `k` with Sellers'
 * algorithm (edit distance where a match may start anywhere in the text); answers the end
 * offsets of the matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"
#include "../common/http.h"

#define MAX_PHRASE 64
#define MAX_TEXT (2 * 1024 * 1024)
#define MAX_REPORTED 1000

/* Calls found(end, distance) for each text offset `end` (exclusive) at which some substring
 * ending there is within k edits of the phrase. Returns the number of such offsets. */
long sellers(const char *phrase, size_t m, const char *text, size_t n, long k, void (*found)(void *, size_t, long),
             void *ctx) {
    long col[MAX_PHRASE + 1];
    for (size_t i = 0; i <= m; i++) col[i] = (long)i;
    long count = 0;
    for (size_t j = 0; j < n; j++) {
        long diag = col[0]; /* D[i-1][j-1] */
        col[0] = 0;         /* a match may start at any offset: D[0][j] = 0 */
        for (size_t i = 1; i <= m; i++) {
            long up = col[i]; /* D[i][j-1] */
            long best = diag + (phrase[i - 1] != text[j]);
            if (up + 1 < best) best = up + 1;
            if (col[i - 1] + 1 < best) best = col[i - 1] + 1;
            diag = up;
            col[i] = best;
        }
        if (col[m] <= k) {
            count++;
            if (found) found(ctx, j + 1, col[m]);
        }
    }
    return count;
}

typedef struct {
    buf *out;
    long reported;
} report;

static void add_match(void *ctx, size_t end, long distance) {
    report *r = ctx;
    if (r->reported == MAX_REPORTED) return;
    buf_printf(r->out, "%s{\"end\":%zu,\"distance\":%ld}", r->reported ? "," : "", end, distance);
    r->reported++;
}

void fn_handle(const fn_request *req, fn_response *resp) {
    char text_name[33], phrase[MAX_PHRASE + 1];
    long k;
    if (param_string(req->query, "text", "sample", text_name, sizeof text_name, "abcdefghijklmnopqrstuvwxyz0123456789-",
                     "a-z, 0-9 and -", resp))
        return;
    if (param_string(req->query, "phrase", "wonderful", phrase, sizeof phrase, NULL, NULL, resp)) return;
    size_t m = strlen(phrase);
    if (param_long(req->query, "k", m > 1 ? 1 : 0, 0, (long)m - 1, &k, resp)) return;
    const char *base = getenv("OBJECTS_URL");
    if (!base || !*base || strlen(base) > 900) {
        fn_error(resp, 500, NULL, "OBJECTS_URL is not set (or longer than 900 bytes)");
        return;
    }
    char url[1024], err[1200];
    snprintf(url, sizeof url, "%s/texts/%s.txt", base, text_name);
    buf text;
    buf_init(&text);
    int status = http_request("GET", url, NULL, NULL, 0, MAX_TEXT, &text, err, sizeof err);
    if (status == 404) {
        fn_error(resp, 400, "text", "no such text in object storage");
    } else if (status != 200) {
        if (status > 0) snprintf(err, sizeof err, "%s: object storage answered %d", url, status);
        fn_error(resp, 502, NULL, err);
    } else {
        buf_printf(&resp->body, "{\"text\":\"%s\",\"phrase\":", text_name);
        buf_json_string(&resp->body, phrase, m);
        buf_printf(&resp->body, ",\"k\":%ld,\"length\":%zu,\"matches\":[", k, text.len);
        report r = {&resp->body, 0};
        long count = sellers(phrase, m, text.data ? text.data : "", text.len, k, add_match, &r);
        buf_printf(&resp->body, "],\"count\":%ld}", count);
    }
    buf_free(&text);
}
