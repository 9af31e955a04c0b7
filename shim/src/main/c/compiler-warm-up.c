/*
 * Never run: the daemon only compiles this module, in its background warm-up, so that the
 * WebAssembly parser and compiler have met the instruction mix of a real C program (libc's
 * formatting, sorting, string and math code) before a pod's first module arrives. The internal
 * warm-up app, a few hand-assembled instructions, exercises little of either.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t fnv1a(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    }
    return h;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
    double *v = malloc(n * sizeof *v);
    if (v == NULL) {
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        v[i] = sin((double)i) * sqrt((double)(i + 1)) + (float)(i % 7) / 3.0f;
    }
    qsort(v, n, sizeof *v, by_value);
    char line[256];
    int len = snprintf(line, sizeof line, "%zu values, median %.3f, %s, %lld\n", n, v[n / 2],
                       argc > 2 ? argv[2] : "none", (long long)strtoll("-42", NULL, 0));
    char *copy = strdup(line);
    uint64_t h = fnv1a(copy, strlen(copy));
    printf("Content-Type: text/plain\n\n%.*s%016llx %s\n", len, line, (unsigned long long)h,
           strstr(copy, "median") ? "found" : "missing");
    free(copy);
    free(v);
    return 0;
}
