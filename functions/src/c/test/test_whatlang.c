/* test_whatlang PROFILES_FILE: the kernel against the committed profiles, on sentences that are
 * not in the corpus they were built from. */
#include <stdlib.h>

#include "../fn/whatlang.h"
#include "call.h"
#include "check.h"

static const char *SAMPLES[][2] = {
    {"eng", "The children were playing in the park while their parents talked about the weekend."},
    {"deu", "Die Kinder spielten im Park, während ihre Eltern über das Wochenende sprachen."},
    {"fra", "Les enfants jouaient dans le parc pendant que leurs parents parlaient du week-end."},
    {"spa", "Los niños jugaban en el parque mientras sus padres hablaban del fin de semana."},
    {"ita", "I bambini giocavano nel parco mentre i loro genitori parlavano del fine settimana."},
    {"nld", "De kinderen speelden in het park terwijl hun ouders over het weekend praatten."},
    {"por", "As crianças brincavam no parque enquanto os pais conversavam sobre o fim de semana."},
    {"mkd", "Децата си играа во паркот додека нивните родители зборуваа за викендот."},
};

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_whatlang PROFILES_FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static char file[1 << 20];
    size_t n = fread(file, 1, sizeof file, f);
    fclose(f);
    static wl_language langs[32];
    char err[256];
    int count = wl_parse_profiles(file, n, langs, 32, err, sizeof err);
    CHECK(count == 8, "%d languages (%s)", count, count < 0 ? err : "");
    static wl_trigrams doc;
    for (size_t i = 0; i < sizeof SAMPLES / sizeof *SAMPLES && count > 0; i++) {
        CHECK(wl_profile((const unsigned char *)SAMPLES[i][1], strlen(SAMPLES[i][1]), &doc) == 0, "profile");
        double confidence;
        int best = wl_detect(&doc, langs, count, &confidence);
        CHECK(strcmp(langs[best].code, SAMPLES[i][0]) == 0, "%s detected as %s", SAMPLES[i][0], langs[best].code);
        CHECK(confidence > 0 && confidence <= 1, "%s: confidence %f", SAMPLES[i][0], confidence);
    }
    /* "Aa a" folds to the words "aa" and "a": trigrams _aa, aa_, _a_ once each */
    CHECK(wl_profile((const unsigned char *)"Aa a", 4, &doc) == 0 && doc.count == 3, "count %d", doc.count);
    char t[WL_TRIGRAM_TEXT];
    wl_trigram_text(doc.keys[0], t);
    CHECK(strcmp(t, "_a_") == 0, "ties in code point order: %s", t);
    CHECK(wl_profile((const unsigned char *)"123 !? \xff\xfe", 9, &doc) == 0 && doc.count == 0, "no letters");
    const char *bad[] = {"eng\n", "eng abcd\n", " abc\n", "eng a\xff_\n", "toolongcode abc\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(wl_parse_profiles(bad[i], strlen(bad[i]), langs, 32, err, sizeof err) == -1, "refused: %s", bad[i]);
    CHECK(rejects("POST", "", "1234 5678", "body"), "a body without letters");
    return CHECK_DONE("test_whatlang");
}
