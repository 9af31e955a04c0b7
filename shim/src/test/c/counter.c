/* Proves per-request isolation: a global incremented per run. With a fresh instance per request
 * every response says 1; an instance reused across requests would count up. */
#include <stdio.h>

static int counter;

int main(void) {
    counter++;
    printf("Content-Type: text/plain\n\ncount=%d\n", counter);
    return 0;
}
