#include "json.h"

#include "fn.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t n, i;
} reader;

static void ws(reader *r) {
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' || r->s[r->i] == '\r'))
        r->i++;
}

static int lit(reader *r, const char *word) {
    size_t len = strlen(word);
    if (r->n - r->i < len || memcmp(r->s + r->i, word, len) != 0) return 0;
    r->i += len;
    return 1;
}

static int hex4(reader *r, unsigned *out) {
    if (r->n - r->i < 4) return 0;
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = r->s[r->i++];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static int put(char *out, size_t cap, size_t *o, unsigned char c) {
    if (!out) return 1;
    if (*o + 1 >= cap) return 0;
    out[(*o)++] = (char)c;
    return 1;
}

/* Reads a string at r (opening quote included); decodes into out (NULL: only check). */
static int string(reader *r, char *out, size_t cap) {
    size_t o = 0;
    if (r->i >= r->n || r->s[r->i] != '"') return 0;
    r->i++;
    while (r->i < r->n) {
        unsigned char c = (unsigned char)r->s[r->i++];
        if (c == '"') {
            if (out) out[o] = '\0';
            return 1;
        }
        if (c < 0x20) return 0;
        if (c != '\\') {
            /* a string must be well-formed UTF-8: what is decoded here is passed on as such */
            size_t len = utf8_sequence((const unsigned char *)r->s + r->i - 1, r->n - r->i + 1);
            if (len == 0) return 0;
            for (size_t k = 0; k < len; k++)
                if (!put(out, cap, &o, (unsigned char)r->s[r->i - 1 + k])) return 0;
            r->i += len - 1;
            continue;
        }
        if (r->i >= r->n) return 0;
        char e = r->s[r->i++];
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *hit = strchr(from, e);
        if (e != 'u') {
            if (!hit || e == '\0' || !put(out, cap, &o, (unsigned char)to[hit - from])) return 0;
            continue;
        }
        unsigned cp;
        if (!hex4(r, &cp)) return 0;
        if (cp >= 0xD800 && cp < 0xDC00) {
            unsigned lo;
            if (!lit(r, "\\u") || !hex4(r, &lo) || lo < 0xDC00 || lo >= 0xE000) return 0;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp < 0xE000) {
            return 0;
        }
        if (cp == 0) return 0; /* a NUL would cut the decoded C string short */
        unsigned char u[4];
        int len;
        if (cp < 0x80) {
            u[0] = (unsigned char)cp;
            len = 1;
        } else if (cp < 0x800) {
            u[0] = (unsigned char)(0xC0 | cp >> 6);
            u[1] = (unsigned char)(0x80 | (cp & 0x3F));
            len = 2;
        } else if (cp < 0x10000) {
            u[0] = (unsigned char)(0xE0 | cp >> 12);
            u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (unsigned char)(0x80 | (cp & 0x3F));
            len = 3;
        } else {
            u[0] = (unsigned char)(0xF0 | cp >> 18);
            u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            u[3] = (unsigned char)(0x80 | (cp & 0x3F));
            len = 4;
        }
        for (int k = 0; k < len; k++)
            if (!put(out, cap, &o, u[k])) return 0;
    }
    return 0;
}

static int digits(reader *r) {
    size_t start = r->i;
    while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9') r->i++;
    return r->i > start;
}

static int number(reader *r) {
    if (r->i < r->n && r->s[r->i] == '-') r->i++;
    if (r->i < r->n && r->s[r->i] == '0') {
        r->i++;
    } else if (!digits(r)) {
        return 0;
    }
    if (r->i < r->n && r->s[r->i] == '.') {
        r->i++;
        if (!digits(r)) return 0;
    }
    if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
        r->i++;
        if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-')) r->i++;
        if (!digits(r)) return 0;
    }
    return 1;
}

static int value(reader *r, int depth) {
    if (depth > JSON_MAX_DEPTH) return 0;
    ws(r);
    if (r->i >= r->n) return 0;
    char c = r->s[r->i];
    if (c == '"') return string(r, NULL, 0);
    if (c == 't') return lit(r, "true");
    if (c == 'f') return lit(r, "false");
    if (c == 'n') return lit(r, "null");
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        r->i++;
        ws(r);
        if (r->i < r->n && r->s[r->i] == close) {
            r->i++;
            return 1;
        }
        for (;;) {
            if (c == '{') {
                ws(r);
                if (!string(r, NULL, 0)) return 0;
                ws(r);
                if (!lit(r, ":")) return 0;
            }
            if (!value(r, depth + 1)) return 0;
            ws(r);
            if (lit(r, ",")) continue;
            return lit(r, close == '}' ? "}" : "]");
        }
    }
    return number(r);
}

int json_valid(const char *s, size_t n) {
    reader r = {s, n, 0};
    if (!value(&r, 0)) return 0;
    ws(&r);
    return r.i == r.n;
}

int json_flat_object(const char *s, size_t n, json_member *members, int max, char *err, size_t errlen) {
    reader r = {s, n, 0};
    int count = 0;
    ws(&r);
    if (!lit(&r, "{")) {
        snprintf(err, errlen, "not a JSON object");
        return -1;
    }
    ws(&r);
    if (!lit(&r, "}")) {
        for (;;) {
            if (count == max) {
                snprintf(err, errlen, "more than %d members", max);
                return -1;
            }
            json_member *m = &members[count];
            ws(&r);
            if (!string(&r, m->key, sizeof m->key)) {
                snprintf(err, errlen, "bad member name at byte %zu (a string of at most %zu bytes)", r.i,
                         sizeof m->key - 1);
                return -1;
            }
            for (int k = 0; k < count; k++)
                if (strcmp(members[k].key, m->key) == 0) {
                    snprintf(err, errlen, "duplicate member %.64s", m->key);
                    return -1;
                }
            ws(&r);
            if (!lit(&r, ":")) {
                snprintf(err, errlen, "':' expected at byte %zu", r.i);
                return -1;
            }
            ws(&r);
            size_t start = r.i;
            int ok;
            char c = r.i < r.n ? r.s[r.i] : '\0';
            if (c == '"') {
                m->kind = JSON_STRING;
                ok = string(&r, m->value, sizeof m->value);
            } else if (c == '{' || c == '[') {
                snprintf(err, errlen, "member %.64s: nested objects and arrays are not accepted", m->key);
                return -1;
            } else {
                ok = c == 't' ? lit(&r, "true") : c == 'f' ? lit(&r, "false") : c == 'n' ? lit(&r, "null") : number(&r);
                m->kind = c == 't' ? JSON_TRUE : c == 'f' ? JSON_FALSE : c == 'n' ? JSON_NULL : JSON_NUMBER;
                if (ok && r.i - start < sizeof m->value) {
                    memcpy(m->value, r.s + start, r.i - start);
                    m->value[r.i - start] = '\0';
                } else {
                    ok = 0;
                }
            }
            if (!ok) {
                snprintf(err, errlen, "member %.64s: bad value (at most %zu bytes)", m->key, sizeof m->value - 1);
                return -1;
            }
            count++;
            ws(&r);
            if (lit(&r, ",")) continue;
            if (lit(&r, "}")) break;
            snprintf(err, errlen, "',' or '}' expected at byte %zu", r.i);
            return -1;
        }
    }
    ws(&r);
    if (r.i != r.n) {
        snprintf(err, errlen, "bytes after the object");
        return -1;
    }
    return count;
}
