/* Never finishes: only the request time limit ends it. */
#include <stdio.h>

int main(void) {
    volatile unsigned long n = 0;
    for (;;) {
        n++;
    }
}
