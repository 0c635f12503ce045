/* test-rules-regex.c - the DFA of simple ASCII regular expressions
 * (stages/rules-regex.c) against ICU itself: what it takes on, what it
 * leaves to ICU, and the same answer as uregex_matches() on every string
 * tried. */
#include <glib.h>
#include <string.h>
#include <unicode/uregex.h>
#include <unicode/utext.h>

#include "rules-regex.h"

/* ICU's answer: whether pattern (flags) matches the whole of (s, n). */
static gboolean icu_matches(const char *pat, gboolean icase, const char *s, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe;
    UText ut = UTEXT_INITIALIZER, us = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, pat, -1, &st);
    URegularExpression *re = uregex_openUText(&ut, icase ? UREGEX_CASE_INSENSITIVE : 0, &pe, &st);
    utext_openUTF8(&us, s, (int64_t)n, &st);
    uregex_setUText(re, &us, &st);
    UBool m = uregex_matches(re, -1, &st);
    g_assert_true(U_SUCCESS(st));
    uregex_close(re);
    utext_close(&us);
    utext_close(&ut);
    return m;
}

/* Checks the DFA of pat against ICU on s; returns FALSE when the DFA left
 * the answer to ICU. */
static gboolean agree(const rx_dfa *d, const char *pat, gboolean icase, const char *s, size_t n)
{
    int got = rx_dfa_match(d, s, n);
    if (got == RX_ASK_ICU)
        return FALSE;
    gboolean want = icu_matches(pat, icase, s, n);
    if ((got == RX_YES) != want)
        g_error("/%s/%s on \"%.*s\": DFA says %d, ICU %d", pat, icase ? "i" : "", (int)n, s, got,
                want);
    return TRUE;
}

static void test_subset(void)
{
    const char *const taken[] = {"[0-9]+(st|nd|rd|th)",
                                 "[ZBS]{1,2}-?[0-9]{1,4}[A-Z]?",
                                 "(?:Mr|Mrs)\\.?",
                                 "a|",
                                 "",
                                 ".*",
                                 "\\d{4}",
                                 "[\\w.-]+@[\\w.]+",
                                 "x{2,}y{0,3}z{3}",
                                 "a*?b+?c??",
                                 "#a b",
                                 "[^a-z]+",
                                 "\\/"};
    const char *const left[] = {"a*+",      "a++",     "(a)\\1", "^a",    "a$",      "\\bword",
                                "[[:Lu:]]", "\\p{L}+", "Zürich", "(?i)a", "[a-\\w]", "[]a]",
                                "a{,3}",    "a]",      "[a&&b]", "[a b]", "(?=a)a",  "\\Qa\\E",
                                "a+*",      "[^a]",    "\\W"};
    for (guint i = 0; i < G_N_ELEMENTS(taken); i++) {
        rx_dfa *d = rx_dfa_compile(taken[i], strlen(taken[i]), FALSE);
        if (!d)
            g_error("/%s/ should compile to a DFA", taken[i]);
        rx_dfa_free(d);
    }
    for (guint i = 0; i < G_N_ELEMENTS(left); i++) {
        /* [^a] and \W are fine without the i flag: tried with it */
        gboolean icase = !strcmp(left[i], "[^a]") || !strcmp(left[i], "\\W");
        rx_dfa *d = rx_dfa_compile(left[i], strlen(left[i]), icase);
        if (d)
            g_error("/%s/%s should be left to ICU", left[i], icase ? "i" : "");
    }
    /* counts and sizes over the limits stay with ICU */
    const char *big = "(((a{100}){100}){100})";
    g_assert_null(rx_dfa_compile(big, strlen(big), FALSE));
}

/* Every ASCII character, alone, for the classes whose ASCII members come
 * from ICU's definitions. */
static void test_ascii_classes(void)
{
    const char *const pats[] = {".",   "\\s",      "\\S",      "\\w",    "\\W",
                                "\\d", "\\D",      "[\\s\\d]", "[^\\w]", "[a-fA-F0-9]",
                                "\\.", "[\\]\\-]", "K",        "s"};
    for (guint i = 0; i < G_N_ELEMENTS(pats); i++)
        for (int icase = 0; icase < 2; icase++) {
            rx_dfa *d = rx_dfa_compile(pats[i], strlen(pats[i]), icase);
            if (!d)
                continue; /* negations with the i flag */
            for (int c = 0; c < 128; c++) {
                char s[1] = {(char)c};
                g_assert_true(agree(d, pats[i], icase, s, 1));
            }
            rx_dfa_free(d);
        }
}

/* All strings up to length 4 over an alphabet, and random longer ones. */
static void test_against_icu(void)
{
    static const struct {
        const char *pat;
        gboolean icase;
    } cases[] = {
        {"[0-9]+(st|nd|rd|th)", FALSE},
        {"[ZB]{1,2}-?[0-9]{1,3}[A-Z]?", FALSE},
        {"(ab|a)*b?", FALSE},
        {"a{2,3}|b{0,}|c{1}", FALSE},
        {"(a|b)*a(a|b)", FALSE},
        {"(?:mr|dr)\\.?", TRUE},
        {"[a-c]+\\d*", TRUE},
        {"(a?){3}a{3}", FALSE},
        {"()*|(a*)*b", FALSE},
        {"\\w+\\.\\W?", FALSE},
        {"[^ab]?.b", FALSE},
        {"\\S\\s\\D", FALSE},
        {"A.*?c", TRUE},
        {"(1|2)(3|4)+?", FALSE},
    };
    const char alphabet[] = "ab1-.3Bc2 z";
    GRand *rng = g_rand_new_with_seed(7);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        rx_dfa *d = rx_dfa_compile(cases[i].pat, strlen(cases[i].pat), cases[i].icase);
        g_assert_nonnull(d);
        char s[12];
        for (guint len = 0; len <= 4; len++) {
            guint total = 1;
            for (guint k = 0; k < len; k++)
                total *= sizeof alphabet - 1;
            for (guint x = 0; x < total; x++) {
                for (guint k = 0, v = x; k < len; k++, v /= sizeof alphabet - 1)
                    s[k] = alphabet[v % (sizeof alphabet - 1)];
                g_assert_true(agree(d, cases[i].pat, cases[i].icase, s, len));
            }
        }
        for (guint r = 0; r < 2000; r++) {
            guint len = (guint)g_rand_int_range(rng, 5, (gint)sizeof s);
            for (guint k = 0; k < len; k++)
                s[k] = alphabet[g_rand_int_range(rng, 0, sizeof alphabet - 1)];
            g_assert_true(agree(d, cases[i].pat, cases[i].icase, s, len));
        }
        rx_dfa_free(d);
    }
    g_rand_free(rng);
}

/* Non-ASCII text: a definite no when no atom can match it, else ICU. */
static void test_non_ascii(void)
{
    rx_dfa *d = rx_dfa_compile("[0-9]+", 6, FALSE);
    const char *arabic = "\xd9\xa3"; /* ARABIC-INDIC DIGIT THREE */
    g_assert_cmpint(rx_dfa_match(d, arabic, strlen(arabic)), ==, RX_NO);
    g_assert_false(icu_matches("[0-9]+", FALSE, arabic, strlen(arabic)));
    rx_dfa_free(d);
    d = rx_dfa_compile("\\d+", 3, FALSE);
    g_assert_cmpint(rx_dfa_match(d, arabic, strlen(arabic)), ==, RX_ASK_ICU);
    g_assert_true(icu_matches("\\d+", FALSE, arabic, strlen(arabic)));
    rx_dfa_free(d);
    /* with the i flag, "ss" matches sharp s in ICU: the DFA must not say no */
    d = rx_dfa_compile("ss", 2, TRUE);
    g_assert_cmpint(rx_dfa_match(d, "\xc3\x9f", 2), ==, RX_ASK_ICU);
    g_assert_true(icu_matches("ss", TRUE, "\xc3\x9f", 2));
    g_assert_cmpint(rx_dfa_match(d, "SS", 2), ==, RX_YES);
    rx_dfa_free(d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rules-regex/subset", test_subset);
    g_test_add_func("/rules-regex/ascii-classes", test_ascii_classes);
    g_test_add_func("/rules-regex/against-icu", test_against_icu);
    g_test_add_func("/rules-regex/non-ascii", test_non_ascii);
    return g_test_run();
}
