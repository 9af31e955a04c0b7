/* Echoes the CGI request back: argv, every environment variable, then the body from stdin.
 * QUERY_STRING "status" answers 418 with a Status header; "redirect" answers with a Location. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    const char *q = getenv("QUERY_STRING");
    if (q != NULL && strcmp(q, "redirect") == 0) {
        printf("Location: /elsewhere\n\n");
        return 0;
    }
    if (q != NULL && strcmp(q, "status") == 0) {
        printf("Status: 418 I'm a teapot\n");
    }
    printf("Content-Type: text/plain\nX-Echo: yes\n\n");
    for (int i = 0; i < argc; i++) {
        printf("ARG%d=%s\n", i, argv[i]);
    }
    for (char **e = environ; *e != NULL; e++) {
        printf("%s\n", *e);
    }
    printf("BODY=");
    int c;
    while ((c = getchar()) != EOF) {
        putchar(c);
    }
    printf("\n");
    return 0;
}
