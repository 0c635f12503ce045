/* test-tokenize.c - the normalizer and tokenizer: token boundaries on the
 * original text, special tokens, grapheme clusters, scripts, alignment. */
#include <glib/gstdio.h>
#include <string.h>

#include "nerve/hash.h"
#include "nerve/nerve.h"

static nerve_tokenizer *tk;

/* A new document of text (len bytes), normalized (NFKC: nfkc) and
 * tokenized with t; the caller frees it. */
static nerve_doc *tokenized(const nerve_tokenizer *t, const char *text, size_t len, gboolean nfkc)
{
    nerve_doc *doc = nerve_doc_new("t", text, len, NULL);
    nerve_normalize_options no = {nfkc, TRUE};
    nerve_normalize(&no, doc);
    nerve_tokenize(t, doc);
    return doc;
}

/* Tokens of text as "a|b|c", sliced from the ORIGINAL text with the token
 * offsets (so a wrong alignment shows). */
static char *tokens_of(const char *text, gboolean nfkc)
{
    nerve_doc *doc = tokenized(tk, text, strlen(text), nfkc);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        if (i)
            g_string_append_c(out, '|');
        g_string_append_len(out, text + t[i].start, t[i].end - t[i].start);
    }
    nerve_doc_free(doc);
    return g_string_free(out, FALSE);
}

#define CHECK(text, expected)                                                                      \
    do {                                                                                           \
        char *got_ = tokens_of(text, FALSE);                                                       \
        g_assert_cmpstr(got_, ==, expected);                                                       \
        g_free(got_);                                                                              \
    } while (0)

static void test_words_punct(void)
{
    CHECK("The cabinet met today.", "The|cabinet|met|today|.");
    CHECK("Hello,world!  Really?!", "Hello|,|world|!|Really|?!");
    CHECK("Wait... what", "Wait|...|what");
    CHECK("(Reuters) - A \"test\" [x]", "(|Reuters|)|-|A|\"|test|\"|[|x|]");
    CHECK("  leading and trailing  ", "leading|and|trailing");
    CHECK("", "");
}

static void test_abbreviations(void)
{
    CHECK("Dr. Smith met U.S. officials at 5 p.m. on Oct. 3.",
          "Dr.|Smith|met|U.S.|officials|at|5|p.m.|on|Oct.|3|.");
    CHECK("J. R. R. Tolkien", "J.|R.|R.|Tolkien");
    CHECK("the U.S-based firm", "the|U.S|-|based|firm");
    CHECK("e.g. this, i.e. that", "e.g.|this|,|i.e.|that");
    CHECK("Acme Inc. and Foo Corp. said", "Acme|Inc.|and|Foo|Corp.|said");
    /* not an abbreviation: the period is a token */
    CHECK("It ended in 2004. Then", "It|ended|in|2004|.|Then");
    CHECK("the end.", "the|end|.");
}

static void test_special_tokens(void)
{
    CHECK("See https://pib.gov.in/Press?id=1, now", "See|https://pib.gov.in/Press?id=1|,|now");
    CHECK("(http://example.com/a_(b))", "(|http://example.com/a_(b)|)");
    CHECK("visit www.mea.gov.in.", "visit|www.mea.gov.in|.");
    CHECK("mail a.b@mea.gov.in today", "mail|a.b@mea.gov.in|today");
    CHECK("#Cyber2020 and @PMOIndia.", "#Cyber2020|and|@PMOIndia|.");
    CHECK("on bbc.co.uk and pib.gov.in/x.", "on|bbc.co.uk|and|pib.gov.in/x|.");
}

static void test_numbers(void)
{
    CHECK("$1,000.50 and 3.5% or 10:30 on 2020-10-07",
          "$|1,000.50|and|3.5|%|or|10:30|on|2020-10-07");
    CHECK("10km, 5pm, 1st, 1990s, 4G", "10|km|,|5|pm|,|1st|,|1990s|,|4G");
    CHECK("F-16s and COVID-19 and G20", "F-16s|and|COVID-19|and|G20");
}

static void test_clitics_hyphens(void)
{
    CHECK("India's PM didn't say they'll go", "India|'s|PM|did|n't|say|they|'ll|go");
    CHECK("O'Brien's", "O'Brien|'s");
    CHECK("it\xE2\x80\x99s", "it|\xE2\x80\x99s"); /* curly apostrophe, sliced from the original */
    CHECK("New York-based AT&T", "New|York|-|based|AT&T");
    CHECK("the countries' leaders", "the|countries|'|leaders");
    /* clitics written apart, as in tokenized text, are still one token;
     * a quoted letter, a quote at the start or after an opening quote is not */
    CHECK("Germany 's vote , they 're here , do n't", "Germany|'s|vote|,|they|'re|here|,|do|n't");
    CHECK("Kenya \xE2\x80\x99s team", "Kenya|\xE2\x80\x99s|team");
    CHECK("the 's' key", "the|'|s|'|key");
    CHECK("'s nice", "'|s|nice");
    CHECK("\" 's nice", "\"|'|s|nice");
    CHECK("Kenya 'sup", "Kenya|'|sup");
}

static void test_graphemes(void)
{
    /* ZWJ family, skin tone, flags, keycap, combining accent */
    CHECK("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 ok",
          "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7|ok");
    CHECK("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5\xF0\x9F\x87\xAB\xF0\x9F"
          "\x87\xB7",
          "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD|\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5|"
          "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7");
    CHECK("cafe\xCC\x81 x", "cafe\xCC\x81|x");
    CHECK("x\xCC\x81\xCC\xA7y", "x\xCC\x81\xCC\xA7y");
    /* England: black flag + tag sequence */
    CHECK("\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xA5\xF3\xA0\x81\xAE\xF3\xA0"
          "\x81\xA7\xF3\xA0\x81\xBF!",
          "\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xA5\xF3\xA0\x81\xAE\xF3\xA0"
          "\x81\xA7\xF3\xA0\x81\xBF|!");
    /* Devanagari vowel signs stay on their consonant */
    CHECK("\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87 "
          "\xE0\xA4\xAD\xE0\xA4\xBE\xE0\xA4\xB0\xE0\xA4\xA4",
          "\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87|"
          "\xE0\xA4\xAD\xE0\xA4\xBE\xE0\xA4\xB0\xE0\xA4\xA4");
}

static void test_scripts(void)
{
    /* Japanese by dictionary; the full stop is a token */
    CHECK("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAB\xE8\xA1\x8C\xE3\x81\x8F\xE3\x80\x82",
          "\xE6\x9D\xB1\xE4\xBA\xAC|\xE3\x81\xAB|\xE8\xA1\x8C\xE3\x81\x8F|\xE3\x80\x82");
    /* Hebrew and Arabic words, Thai by dictionary */
    CHECK("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85.",
          "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D|\xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85|.");
    CHECK("\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2",
          "\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2|\xE0\xB9\x84\xE0\xB8\x97\xE0\xB8\xA2");
}

static void test_spaces_controls(void)
{
    /* CRLF, no-break space, zero-width space, NUL, BOM inside, soft hyphen */
    CHECK("a\r\nb", "a|b");
    CHECK("no\xC2\xA0"
          "break",
          "no|break");
    CHECK("zero\xE2\x80\x8Bwidth", "zero|width");
    static const char nul[] = "a\0b";
    nerve_doc *doc = tokenized(tk, nul, 3, FALSE);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    g_assert_cmpuint(n, ==, 2);
    g_assert_cmpuint(t[1].start, ==, 2);
    nerve_doc_free(doc);
    CHECK("\xEF\xBB\xBFword", "word");
    CHECK("Ger\xC2\xAD"
          "many",
          "Ger\xC2\xAD"
          "many");
}

/* The normalized forms are what matching sees; spans stay original. */
static void test_forms(void)
{
    const char *text = "\xE2\x80\x9CIt\xE2\x80\x99s\xE2\x80\x9D Ger\xC2\xAD"
                       "many &amp; "
                       "Caf\xC3\xA9 cafe\xCC\x81 \xEF\xAC\x81nal";
    nerve_doc *doc = tokenized(tk, text, strlen(text), TRUE);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    const char *want_norm[] = {"\"", "It",          "'s",          "\"",   "Germany",
                               "&",  "Caf\xC3\xA9", "caf\xC3\xA9", "final"};
    const char *want_lower[] = {"\"", "it",          "'s",          "\"",   "germany",
                                "&",  "caf\xC3\xA9", "caf\xC3\xA9", "final"};
    g_assert_cmpuint(n, ==, G_N_ELEMENTS(want_norm));
    for (size_t i = 0; i < n; i++) {
        g_assert_cmpmem(t[i].norm.s, t[i].norm.len, want_norm[i], strlen(want_norm[i]));
        g_assert_cmpmem(t[i].lower.s, t[i].lower.len, want_lower[i], strlen(want_lower[i]));
        g_assert_cmpuint(t[i].lower.hash, ==, nerve_hash(want_lower[i], strlen(want_lower[i])));
    }
    /* "Ger-soft hyphen-many" covers the soft hyphen; "&amp;" covers the entity */
    g_assert_cmpmem(text + t[4].start, t[4].end - t[4].start,
                    "Ger\xC2\xAD"
                    "many",
                    9);
    g_assert_cmpmem(text + t[5].start, t[5].end - t[5].start, "&amp;", 5);
    g_assert_true(t[1].flags & NERVE_TOKEN_TITLE);
    g_assert_true(t[0].flags & NERVE_TOKEN_QUOTE);
    nerve_doc_free(doc);
}

/* NFKC can make two tokens of one character (U+00BD is 1/2): they stay one. */
static void test_nfkc_merge(void)
{
    char *got = tokens_of("a \xC2\xBD b \xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", TRUE);
    g_assert_cmpstr(got, ==, "a|\xC2\xBD|b|\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3");
    g_free(got);
}

static void test_flags(void)
{
    nerve_doc *doc = tokenized(tk, "One two\n\nThree 42 NATO", 22, FALSE);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    g_assert_cmpuint(n, ==, 5);
    g_assert_false(t[0].flags & NERVE_TOKEN_SPACE_BEFORE);
    g_assert_true(t[1].flags & NERVE_TOKEN_SPACE_BEFORE);
    g_assert_true(t[2].flags & NERVE_TOKEN_PARA_BEFORE);
    g_assert_true(t[3].flags & NERVE_TOKEN_DIGIT);
    g_assert_true(t[4].flags & NERVE_TOKEN_UPPER);
    g_assert_false(t[4].flags & NERVE_TOKEN_TITLE);
    g_assert_true(t[0].flags & NERVE_TOKEN_TITLE);
    g_assert_true(t[1].flags & NERVE_TOKEN_LOWER);
    nerve_doc_free(doc);
}

/* One capital and a period is an initial even when the letter is also a
 * listed abbreviation (P. as p., page): on the ASCII path and on the
 * general one (the text has a non-ASCII letter). */
static void test_initials(void)
{
    g_autoptr(nerve_tokenizer) t2 = nerve_tokenizer_new();
    nerve_tokenizer_add_abbreviation(t2, "p.", NERVE_ABBREV_NUMBER);
    nerve_tokenizer_add_abbreviation(t2, "P.", NERVE_ABBREV_NUMBER);
    nerve_tokenizer_add_abbreviation(t2, "É.", NERVE_ABBREV_NUMBER);
    const char *texts[] = {"Davinio P. Catbagan, see p. 3", "Józef É. Kowalski, see p. 3"};
    for (guint k = 0; k < G_N_ELEMENTS(texts); k++) {
        nerve_doc *doc = tokenized(t2, texts[k], strlen(texts[k]), FALSE);
        size_t n;
        const nerve_token *t = nerve_doc_tokens(doc, &n);
        g_assert_cmpuint(n, ==, 7);
        g_assert_cmpuint(t[1].end - t[1].start, ==, k ? 3 : 2);
        g_assert_true(t[1].flags & NERVE_TOKEN_ABBREV);
        g_assert_true(t[1].flags & NERVE_TOKEN_INITIAL);
        g_assert_cmpuint(t[5].end - t[5].start, ==, 2); /* p. */
        g_assert_true(t[5].flags & NERVE_TOKEN_ABBREV);
        g_assert_false(t[5].flags & NERVE_TOKEN_INITIAL);
        nerve_doc_free(doc);
    }
}

/* Every boundary is on a character, tokens never overlap, for all of the
 * text categories above concatenated (the fuzz target checks the same on
 * random input). */
static void test_invariants_long(void)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 200; i++)
        g_string_append(s, "Dr. J. Smith \xF0\x9F\x87\xAB\xF0\x9F\x87\xB7 met cafe\xCC\x81 "
                           "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAB  U.S. 1,000 &amp; "
                           "\xE2\x80\x9Cq\xE2\x80\x9D\r\n");
    nerve_doc *doc = tokenized(tk, s->str, s->len, FALSE);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    g_assert_cmpuint(n, ==, 200 * 14);
    for (size_t i = 1; i < n; i++)
        g_assert_cmpuint(t[i].start, >=, t[i - 1].end);
    nerve_doc_free(doc);
    g_string_free(s, TRUE);
}

static void test_abbreviation_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("nerve-tok-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "abbr.txt", NULL);
    g_file_set_contents(path, "# comment\nGov.\ttitle\nFoo.\n", -1, NULL);
    g_autoptr(nerve_tokenizer) t2 = nerve_tokenizer_new();
    GError *err = NULL;
    g_assert_true(nerve_tokenizer_load_abbreviations(t2, path, &err));
    g_assert_cmpint(nerve_tokenizer_abbrev_class(t2, "Gov.", 4), ==, NERVE_ABBREV_TITLE);
    g_assert_cmpint(nerve_tokenizer_abbrev_class(t2, "Foo.", 4), ==, NERVE_ABBREV_GENERAL);
    g_assert_cmpint(nerve_tokenizer_abbrev_class(t2, "Bar.", 4), ==, NERVE_ABBREV_NONE);
    g_file_set_contents(path, "Gov.\tpolitician\n", -1, NULL);
    g_assert_false(nerve_tokenizer_load_abbreviations(t2, path, &err));
    g_assert_nonnull(strstr(err->message, "abbr.txt:1:6: unknown abbreviation class"));
    g_clear_error(&err);
    g_unlink(path);
    g_rmdir(dir);
}

/* The hash is part of the .gaz format: pinned values; and the padded
 * variant the tokenizer uses inside its buffer gives the same hash for
 * every length and alignment. */
static void test_hash(void)
{
    static const struct {
        const char *s;
        uint32_t h;
    } pinned[] = {{"", 0x604a6533u},
                  {"a", 0xa84d2cdeu},
                  {"Washington", 0x1ea5e4c3u},
                  {"New York City", 0x8158a39cu},
                  {"\xC3\xA9t\xC3\xA9 2024", 0x3b3dd2d2u}};
    for (guint i = 0; i < G_N_ELEMENTS(pinned); i++)
        g_assert_cmphex(nerve_hash(pinned[i].s, strlen(pinned[i].s)), ==, pinned[i].h);
    char buf[64 + 8];
    for (guint i = 0; i < sizeof buf; i++)
        buf[i] = (char)(i * 37 + 11);
    for (size_t at = 0; at < 8; at++)
        for (size_t n = 0; at + n + 8 <= sizeof buf; n++)
            g_assert_cmphex(nerve_hash_padded(buf + at, n), ==, nerve_hash(buf + at, n));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tk = nerve_tokenizer_new();
    const char *abbrevs[] = {"Dr.", "Oct.", "Inc.", "Corp."};
    for (guint i = 0; i < G_N_ELEMENTS(abbrevs); i++)
        nerve_tokenizer_add_abbreviation(tk, abbrevs[i], NERVE_ABBREV_GENERAL);
    g_test_add_func("/tokenize/words-punct", test_words_punct);
    g_test_add_func("/tokenize/abbreviations", test_abbreviations);
    g_test_add_func("/tokenize/initials", test_initials);
    g_test_add_func("/tokenize/special", test_special_tokens);
    g_test_add_func("/tokenize/numbers", test_numbers);
    g_test_add_func("/tokenize/clitics-hyphens", test_clitics_hyphens);
    g_test_add_func("/tokenize/graphemes", test_graphemes);
    g_test_add_func("/tokenize/scripts", test_scripts);
    g_test_add_func("/tokenize/spaces-controls", test_spaces_controls);
    g_test_add_func("/tokenize/forms", test_forms);
    g_test_add_func("/tokenize/nfkc-merge", test_nfkc_merge);
    g_test_add_func("/tokenize/flags", test_flags);
    g_test_add_func("/tokenize/invariants-long", test_invariants_long);
    g_test_add_func("/tokenize/abbreviation-file", test_abbreviation_file);
    g_test_add_func("/tokenize/hash", test_hash);
    int r = g_test_run();
    nerve_tokenizer_free(tk);
    return r;
}
