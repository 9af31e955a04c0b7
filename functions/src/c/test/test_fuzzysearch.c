/* Sellers' algorithm against a brute force: for every end offset, the least edit distance of
 * the phrase to any substring ending there. */
#include <stdint.h>
#include <stdlib.h>

#include "call.h"
#include "check.h"

long sellers(const char *phrase, size_t m, const char *text, size_t n, long k, void (*found)(void *, size_t, long),
             void *ctx);

static long levenshtein(const char *a, size_t m, const char *b, size_t n) {
    long d[16][40];
    for (size_t i = 0; i <= m; i++) d[i][0] = (long)i;
    for (size_t j = 0; j <= n; j++) d[0][j] = (long)j;
    for (size_t i = 1; i <= m; i++)
        for (size_t j = 1; j <= n; j++) {
            long best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            d[i][j] = best;
        }
    return d[m][n];
}

typedef struct {
    long distance[40];
    size_t ends[40];
    int count;
} found_list;

static void record(void *ctx, size_t end, long distance) {
    found_list *f = ctx;
    f->ends[f->count] = end;
    f->distance[f->count++] = distance;
}

int main(void) {
    uint32_t seed = 7;
    int mismatches = 0;
    for (int trial = 0; trial < 500; trial++) {
        char text[32], phrase[6];
        size_t n = 1 + (seed = seed * 1664525u + 1013904223u) % 31, m = 1 + (seed >> 8) % 5;
        for (size_t j = 0; j < n; j++) text[j] = "abc"[(seed = seed * 1664525u + 1013904223u) >> 30 & 1 ? 0 : (seed >> 20) % 3];
        for (size_t i = 0; i < m; i++) phrase[i] = "abc"[(seed = seed * 1664525u + 1013904223u) >> 20 & 1 ? 1 : (seed >> 24) % 3];
        long k = (long)((seed >> 12) % m);
        found_list got = {{0}, {0}, 0};
        sellers(phrase, m, text, n, k, record, &got);
        found_list want = {{0}, {0}, 0};
        for (size_t end = 1; end <= n; end++) {
            long best = (long)m; /* the empty substring */
            for (size_t start = 0; start <= end; start++) {
                long d = levenshtein(phrase, m, text + start, end - start);
                if (d < best) best = d;
            }
            if (best <= k) record(&want, end, best);
        }
        if (got.count != want.count || memcmp(got.ends, want.ends, sizeof got.ends) ||
            memcmp(got.distance, want.distance, sizeof got.distance))
            mismatches++;
    }
    CHECK(mismatches == 0, "%d of 500 random cases differ from the brute force", mismatches);
    found_list f = {{0}, {0}, 0};
    const char *text = "a wonderfull day";
    CHECK(sellers("wonderful", 9, text, strlen(text), 1, record, &f) == 3, "count %d", f.count);
    CHECK(f.ends[0] == 10 && f.distance[0] == 1 && f.ends[1] == 11 && f.distance[1] == 0 && f.ends[2] == 12,
          "ends %zu %zu %zu", f.ends[0], f.ends[1], f.ends[2]);
    CHECK(rejects("GET", "text=../etc", "", "text"), "a text name with a path");
    CHECK(rejects("GET", "phrase=", "", "phrase"), "an empty phrase");
    CHECK(rejects("GET", "phrase=abc&k=3", "", "k"), "k as long as the phrase");
    CHECK(rejects("GET", "phrase=0123456789012345678901234567890123456789012345678901234567890123456789", "", "phrase"),
          "a phrase over 64 bytes");
    return CHECK_DONE("test_fuzzysearch");
}
