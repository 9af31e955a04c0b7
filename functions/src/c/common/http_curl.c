#include <curl/curl.h>
#include <stdio.h>

#include "http.h"

typedef struct {
    buf *out;
    size_t max_len;
    int too_long;
} sink;

static size_t on_data(char *data, size_t size, size_t count, void *user) {
    sink *s = user;
    size_t n = size * count;
    if (n > s->max_len - s->out->len) {
        s->too_long = 1;
        return 0; /* a short count makes curl abort the transfer */
    }
    buf_append(s->out, data, n);
    return s->out->overflow ? 0 : n;
}

int http_request(const char *method, const char *url, const char *content_type, const unsigned char *body,
                 size_t body_len, size_t max_len, buf *out, char *err, size_t errlen) {
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(err, errlen, "curl_easy_init failed");
        return -1;
    }
    sink s = {out, max_len, 0};
    struct curl_slist *headers = NULL;
    char content_header[128];
    if (content_type) {
        snprintf(content_header, sizeof content_header, "Content-Type: %s", content_type);
        headers = curl_slist_append(headers, content_header);
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)HTTP_TIMEOUT_MS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* timeouts without SIGALRM: the server is threaded */
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s);
    if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, (const char *)body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    CURLcode rc = curl_easy_perform(curl);
    long status = -1;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    } else if (s.too_long) {
        snprintf(err, errlen, "%s: response longer than %zu bytes", url, max_len);
    } else {
        snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(rc));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return (int)status;
}
