/* WAGI hello world: the smallest useful app. */
#include <stdio.h>

int main(void) {
    printf("Content-Type: text/plain\n\nhello from wasmorch\n");
    return 0;
}
