/* whatlang: detects the language of the request body by comparing its trigram profile with the
 * profiles in object storage ($OBJECTS_URL/whatlang/profiles.txt), by the out-of-place measure of
 * Cavnar and Trenkle; answers the closest language (ISO 639-3) and a confidence in [0, 1]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"
#include "../common/http.h"
#include "whatlang.h"

#define MAX_PROFILES_FILE (1024 * 1024)
#define MAX_LANGUAGES 32
#define MAX_TEXT (64 * 1024)

/* Decodes one UTF-8 code point at s[*i]; returns 0 (and skips a byte) for a malformed one. */
static uint32_t next_codepoint(const unsigned char *s, size_t n, size_t *i) {
    unsigned char c = s[*i];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || *i + (size_t)len > n) {
        (*i)++;
        return 0;
    }
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
    for (int k = 1; k < len; k++) {
        if ((s[*i + (size_t)k] & 0xC0) != 0x80) {
            (*i)++;
            return 0;
        }
        cp = cp << 6 | (s[*i + (size_t)k] & 0x3Fu);
    }
    *i += (size_t)len;
    return cp;
}

/* Lower-cases the letters the profiled languages use; anything else becomes 0 (a separator). */
static uint32_t fold(uint32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= 'a' && cp <= 'z') return cp;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
    if (cp >= 0xDF && cp <= 0x24F && cp != 0xF7) return cp;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
    if (cp >= 0x430 && cp <= 0x45F) return cp;
    return 0;
}

#define SPACE 0x20u
#define PACK(a, b, c) ((uint64_t)(a) << 42 | (uint64_t)(b) << 21 | (uint64_t)(c))

typedef struct {
    uint64_t key;
    long count;
} slot;

static int by_count(const void *x, const void *y) {
    const slot *a = x, *b = y;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

int wl_profile(const unsigned char *text, size_t n, wl_trigrams *out) {
    out->count = 0;
    /* Every code point starts at most one trigram, so a table twice that size never fills. */
    size_t size = 64;
    while (size < 2 * n + 2) size *= 2;
    slot *table = calloc(size, sizeof *table);
    if (!table) return -1;
    uint32_t prev2 = 0, prev1 = SPACE; /* each word is padded with a space on both sides */
    size_t used = 0;
    for (size_t i = 0; i <= n;) {
        uint32_t cp = i < n ? fold(next_codepoint(text, n, &i)) : (i++, 0);
        uint32_t cur = cp ? cp : SPACE;
        if (cur == SPACE && prev1 == SPACE) continue;
        if (prev2 && prev1 != SPACE) {
            uint64_t key = PACK(prev2, prev1, cur);
            size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (size - 1);
            while (table[h].count && table[h].key != key) h = (h + 1) & (size - 1);
            if (!table[h].count) {
                table[h].key = key;
                used++;
            }
            table[h].count++;
        }
        prev2 = prev1;
        prev1 = cur;
    }
    size_t o = 0;
    for (size_t h = 0; h < size; h++)
        if (table[h].count) table[o++] = table[h];
    qsort(table, used, sizeof *table, by_count);
    out->count = used < WL_PROFILE_SIZE ? (int)used : WL_PROFILE_SIZE;
    for (int r = 0; r < out->count; r++) out->keys[r] = table[r].key;
    free(table);
    return 0;
}

static int put_utf8(char *out, uint32_t cp) {
    if (cp == SPACE) {
        out[0] = '_';
        return 1;
    }
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    out[0] = (char)(0xC0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2; /* fold() keeps only code points below 0x800 */
}

void wl_trigram_text(uint64_t key, char out[WL_TRIGRAM_TEXT]) {
    int o = 0;
    for (int part = 2; part >= 0; part--) o += put_utf8(out + o, (uint32_t)(key >> (21 * part)) & 0x1FFFFF);
    out[o] = '\0';
}

/* Parses one trigram written by wl_trigram_text; returns 0 when it is not one. */
static int parse_trigram(const char *s, size_t n, uint64_t *key) {
    uint32_t cps[3];
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
        if (i >= n) return 0;
        if (s[i] == '_') {
            cps[k] = SPACE;
            i++;
        } else {
            cps[k] = fold(next_codepoint((const unsigned char *)s, n, &i));
            if (!cps[k]) return 0;
        }
    }
    if (i != n) return 0;
    *key = PACK(cps[0], cps[1], cps[2]);
    return 1;
}

int wl_parse_profiles(const char *s, size_t n, wl_language *langs, int max, char *err, size_t errlen) {
    int count = 0;
    size_t i = 0;
    int line = 0;
    while (i < n) {
        line++;
        size_t end = i;
        while (end < n && s[end] != '\n') end++;
        if (end > i) {
            if (count == max) {
                snprintf(err, errlen, "line %d: more than %d languages", line, max);
                return -1;
            }
            wl_language *l = &langs[count];
            size_t j = i;
            while (j < end && s[j] != ' ') j++;
            if (j - i == 0 || j - i >= sizeof l->code) {
                snprintf(err, errlen, "line %d: no language code", line);
                return -1;
            }
            memcpy(l->code, s + i, j - i);
            l->code[j - i] = '\0';
            l->profile.count = 0;
            while (j < end) {
                j++;
                size_t t = j;
                while (t < end && s[t] != ' ') t++;
                uint64_t key;
                if (l->profile.count == WL_PROFILE_SIZE || !parse_trigram(s + j, t - j, &key)) {
                    snprintf(err, errlen, "line %d: bad trigram or more than %d", line, WL_PROFILE_SIZE);
                    return -1;
                }
                l->profile.keys[l->profile.count++] = key;
                j = t;
            }
            if (l->profile.count == 0) {
                snprintf(err, errlen, "line %d: no trigrams", line);
                return -1;
            }
            count++;
        }
        i = end + 1;
    }
    return count;
}

long wl_distance(const wl_trigrams *doc, const wl_trigrams *lang) {
    long d = 0;
    for (int r = 0; r < doc->count; r++) {
        long penalty = WL_PROFILE_SIZE;
        for (int p = 0; p < lang->count; p++)
            if (lang->keys[p] == doc->keys[r]) {
                penalty = r > p ? r - p : p - r;
                break;
            }
        d += penalty;
    }
    return d;
}

int wl_detect(const wl_trigrams *doc, const wl_language *langs, int count, double *confidence) {
    int best = -1;
    long best_d = 0, second_d = -1;
    for (int i = 0; i < count; i++) {
        long d = wl_distance(doc, &langs[i].profile);
        if (best < 0 || d < best_d) {
            if (best >= 0) second_d = best_d;
            best = i;
            best_d = d;
        } else if (second_d < 0 || d < second_d) {
            second_d = d;
        }
    }
    /* How much closer the winner is than the runner-up: 0 for a tie, 1 for a perfect match. */
    *confidence = second_d > 0 ? (double)(second_d - best_d) / (double)second_d : 1.0;
    return best;
}

void fn_handle(const fn_request *req, fn_response *resp) {
    wl_trigrams *d = malloc(sizeof *d);
    wl_language *langs = malloc(MAX_LANGUAGES * sizeof *langs);
    buf file;
    buf_init(&file);
    char url[1024], err[1200];
    const char *base = getenv("OBJECTS_URL");
    if (req->body_len > MAX_TEXT) {
        fn_error(resp, 400, "body", "the text is longer than 64 KiB");
    } else if (!d || !langs || wl_profile(req->body, req->body_len, d)) {
        fn_error(resp, 500, NULL, "out of memory");
    } else if (d->count == 0) {
        fn_error(resp, 400, "body", "the body holds no letters");
    } else if (!base || !*base || strlen(base) > 900) {
        fn_error(resp, 500, NULL, "OBJECTS_URL is not set (or longer than 900 bytes)");
    } else {
        snprintf(url, sizeof url, "%s/whatlang/profiles.txt", base);
        int status = http_request("GET", url, NULL, NULL, 0, MAX_PROFILES_FILE, &file, err, sizeof err);
        int count;
        if (status != 200) {
            if (status > 0) snprintf(err, sizeof err, "%s: object storage answered %d", url, status);
            fn_error(resp, 502, NULL, err);
        } else if ((count = wl_parse_profiles(file.data ? file.data : "", file.len, langs, MAX_LANGUAGES, err,
                                              sizeof err)) <= 0) {
            fn_error(resp, 502, NULL, count == 0 ? "the profiles file holds no language" : err);
        } else {
            double confidence;
            int best = wl_detect(d, langs, count, &confidence);
            buf_printf(&resp->body, "{\"language\":\"%s\",\"confidence\":%.4f,\"trigrams\":%d}", langs[best].code,
                       confidence, d->count);
        }
    }
    buf_free(&file);
    free(d);
    free(langs);
}
