/* prime-numbers: counts the primes up to n with a sieve of Eratosthenes and gives the largest. */
#include <stdlib.h>
#include <string.h>

#include "../common/fn.h"

#define MAX_N 50000000L

/* Returns the count of primes <= n (and the largest in *largest, 0 when none), -1 without memory. */
long count_primes(long n, long *largest) {
    *largest = 0;
    if (n < 2) return 0;
    unsigned char *composite = calloc((size_t)n + 1, 1);
    if (!composite) return -1;
    long count = 0;
    for (long i = 2; i <= n; i++) {
        if (composite[i]) continue;
        count++;
        *largest = i;
        /* i <= n / i first: i * i would overflow a 32-bit long on wasm32 */
        if (i <= n / i)
            for (long j = i * i; j <= n; j += i) composite[j] = 1;
    }
    free(composite);
    return count;
}

void fn_handle(const fn_request *req, fn_response *resp) {
    long n, largest;
    if (param_long(req->query, "n", 1000000, 1, MAX_N, &n, resp)) return;
    long count = count_primes(n, &largest);
    if (count < 0) {
        fn_error(resp, 500, NULL, "out of memory");
        return;
    }
    buf_printf(&resp->body, "{\"n\":%ld,\"count\":%ld,\"largest\":%ld}", n, count, largest);
}
