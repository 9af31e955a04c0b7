/* A minimal test harness: CHECK records a failure with its line instead of stopping, and
 * CHECK_DONE prints the "N passed, N failed" line the CI reads and sets the exit status. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                 \
    do {                                                                 \
        if (cond) {                                                      \
            check_passed++;                                              \
        } else {                                                         \
            check_failed++;                                              \
            fprintf(stderr, "%s:%d: FAILED: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                \
            fprintf(stderr, "\n");                                       \
        }                                                                \
    } while (0)

#define CHECK_DONE(name)                                                      \
    (printf("%s: %d passed, %d failed\n", name, check_passed, check_failed), \
     check_failed ? 1 : 0)

#endif
