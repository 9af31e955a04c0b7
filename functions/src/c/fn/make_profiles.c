/* Builds whatlang's profiles file from sample texts: make_profiles CODE=FILE... > profiles.txt.
 * The build runs it on functions/baas/corpus/ and a test checks the committed file matches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "whatlang.h"

int main(int argc, char **argv) {
    for (int a = 1; a < argc; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq || eq == argv[a] || eq - argv[a] >= 8) {
            fprintf(stderr, "usage: make_profiles CODE=FILE...\n");
            return 2;
        }
        FILE *f = fopen(eq + 1, "rb");
        if (!f) {
            perror(eq + 1);
            return 1;
        }
        static unsigned char text[1 << 20];
        size_t n = fread(text, 1, sizeof text, f);
        fclose(f);
        wl_trigrams *p = malloc(sizeof *p);
        if (!p || wl_profile(text, n, p)) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
        printf("%.*s", (int)(eq - argv[a]), argv[a]);
        for (int r = 0; r < p->count; r++) {
            char t[WL_TRIGRAM_TEXT];
            wl_trigram_text(p->keys[r], t);
            printf(" %s", t);
        }
        printf("\n");
        free(p);
    }
    return 0;
}
