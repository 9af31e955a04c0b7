#include "fn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->overflow = 0;
}

void buf_free(buf *b) {
    free(b->data);
    buf_init(b);
}

void buf_append(buf *b, const void *data, size_t n) {
    if (b->overflow || n > BUF_LIMIT - b->len) {
        b->overflow = 1;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        if (cap > BUF_LIMIT + 1) cap = BUF_LIMIT + 1;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->overflow = 1;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_printf(buf *b, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->overflow = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        buf_append(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->overflow = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf_append(b, big, (size_t)n);
    free(big);
}

size_t utf8_sequence(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    /* overlong three- and four-byte forms, UTF-16 surrogates and code points above U+10FFFF */
    if (len == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))) return 0;
    if (len == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))) return 0;
    return len;
}

void buf_json_string(buf *b, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    buf_append(b, "\"", 1);
    for (size_t i = 0; i < n;) {
        unsigned char c = u[i];
        size_t len = utf8_sequence(u + i, n - i);
        if (len == 0) {
            buf_puts(b, "\\ufffd"); /* JSON is UTF-8: a byte that is not stands for U+FFFD */
            i++;
            continue;
        }
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            buf_append(b, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            buf_printf(b, "\\u%04x", c);
        } else {
            buf_append(b, s + i, len);
        }
        i += len;
    }
    buf_append(b, "\"", 1);
}

void fn_error(fn_response *resp, int status, const char *parameter, const char *message) {
    buf_free(&resp->body);
    resp->status = status;
    buf_puts(&resp->body, "{\"error\":");
    buf_json_string(&resp->body, message, strlen(message));
    if (parameter) {
        buf_puts(&resp->body, ",\"parameter\":");
        buf_json_string(&resp->body, parameter, strlen(parameter));
    }
    buf_puts(&resp->body, "}");
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int query_get(const char *query, const char *name, char *out, size_t cap) {
    size_t name_len = strlen(name);
    const char *p = query ? query : "";
    while (*p) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len >= name_len && strncmp(p, name, name_len) == 0 &&
            (len == name_len || p[name_len] == '=')) {
            const char *v = len == name_len ? p + len : p + name_len + 1;
            const char *v_end = p + len;
            size_t o = 0;
            while (v < v_end) {
                char c = *v;
                if (c == '%') {
                    if (v_end - v < 3) return -1;
                    int hi = hexval(v[1]), lo = hexval(v[2]);
                    if (hi < 0 || lo < 0) return -1;
                    c = (char)(hi * 16 + lo);
                    v += 3;
                } else {
                    if (c == '+') c = ' ';
                    v++;
                }
                if (c == '\0' || o + 1 >= cap) return -1;
                out[o++] = c;
            }
            out[o] = '\0';
            return 1;
        }
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

int param_long(const char *query, const char *name, long def, long min, long max, long *out, fn_response *resp) {
    char value[32];
    int found = query_get(query, name, value, sizeof value);
    char message[160];
    snprintf(message, sizeof message, "%s must be an integer from %ld to %ld", name, min, max);
    if (found == 0) {
        *out = def;
        return 0;
    }
    if (found < 0 || value[0] == '\0') {
        fn_error(resp, 400, name, message);
        return -1;
    }
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || *end != '\0' || v < min || v > max) {
        fn_error(resp, 400, name, message);
        return -1;
    }
    *out = v;
    return 0;
}

int param_string(const char *query, const char *name, const char *def, char *out, size_t cap,
                 const char *allowed, const char *allowed_desc, fn_response *resp) {
    int found = query_get(query, name, out, cap);
    char message[200];
    snprintf(message, sizeof message, "%s must be 1 to %zu characters%s%s", name, cap - 1,
             allowed ? " of " : "", allowed ? allowed_desc : "");
    if (found == 0) {
        snprintf(out, cap, "%s", def);
        return 0;
    }
    if (found < 0 || out[0] == '\0' || (allowed && strspn(out, allowed) != strlen(out))) {
        fn_error(resp, 400, name, message);
        return -1;
    }
    return 0;
}
