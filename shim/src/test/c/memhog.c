/* Exceeds any memory limit: allocates (and touches) 1 MiB blocks until malloc fails, then aborts,
 * which traps. Without a limit it would grow to the 4 GiB wasm32 maximum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keeps every block reachable so the compiler cannot drop the allocations. */
static void *volatile head;

int main(void) {
    int mib = 0;
    for (;;) {
        char *p = malloc(1 << 20);
        if (p == NULL) {
            fprintf(stderr, "memhog: malloc failed after %d MiB\n", mib);
            abort();
        }
        memset(p, 1, 1 << 20);
        *(void **) p = head;
        head = p;
        mib++;
    }
}
