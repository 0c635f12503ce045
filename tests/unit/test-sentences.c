/* test-sentences.c - the sentence splitter on the cases news text is full
 * of: titles, initials, U.S., p.m., quotes, brackets, URLs, paragraphs, lines,
 * French and German. */
#include <string.h>

#include "nerve/nerve.h"

static nerve_model *model;

/* The sentences of text as "a || b", sliced from the original text. */
static char *split(const char *text)
{
    nerve_doc *doc = nerve_doc_new("t", text, strlen(text), NULL);
    GError *err = NULL;
    g_assert_true(nerve_model_annotate(model, doc, &err));
    size_t n;
    const nerve_sentence *s = nerve_doc_sentences(doc, &n);
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        if (i)
            g_string_append(out, " || ");
        g_string_append_len(out, text + s[i].start, s[i].end - s[i].start);
    }
    nerve_doc_free(doc);
    return g_string_free(out, FALSE);
}

#define CHECK(text, expected)                                                                      \
    do {                                                                                           \
        char *got_ = split(text);                                                                  \
        g_assert_cmpstr(got_, ==, expected);                                                       \
        g_free(got_);                                                                              \
    } while (0)

static void test_titles_initials(void)
{
    CHECK("Dr. Smith met Mr. J. R. Jones. They agreed.",
          "Dr. Smith met Mr. J. R. Jones. || They agreed.");
    CHECK("Gen. Mark Milley and Sen. Bob Casey spoke. Then they left.",
          "Gen. Mark Milley and Sen. Bob Casey spoke. || Then they left.");
    CHECK("John F. Kennedy was shot. He died.", "John F. Kennedy was shot. || He died.");
}

static void test_abbreviations(void)
{
    CHECK("The U.S. Army said. The U.S. is big. He lives in the U.S. The talks end.",
          "The U.S. Army said. || The U.S. is big. || He lives in the U.S. || The talks end.");
    CHECK("They met at 5 p.m. Tuesday. It rained at 6 p.m. The end.",
          "They met at 5 p.m. Tuesday. || It rained at 6 p.m. || The end.");
    CHECK("Acme Inc. The company said. Acme Inc. shares rose.",
          "Acme Inc. || The company said. || Acme Inc. shares rose.");
    CHECK("On Oct. 3 the cabinet met. No. 10 said so.",
          "On Oct. 3 the cabinet met. || No. 10 said so.");
    CHECK("It includes apples, pears, etc. and more.", "It includes apples, pears, etc. and more.");
}

static void test_quotes_brackets(void)
{
    CHECK("He said \"Stop.\" Then he left. \"Why?\" she asked. (It rained.) Next day.",
          "He said \"Stop.\" || Then he left. || \"Why?\" she asked. || (It rained.) || Next day.");
    CHECK("The statement said, \xE2\x80\x9CWe agree.\xE2\x80\x9D Development followed.",
          "The statement said, \xE2\x80\x9CWe agree.\xE2\x80\x9D || Development followed.");
    CHECK("It is practical, etc.\" Development of mechanisms is included.",
          "It is practical, etc.\" || Development of mechanisms is included.");
    CHECK("Really?! Yes... maybe. OK!", "Really?! || Yes... maybe. || OK!");
}

static void test_urls_numbers(void)
{
    CHECK("Visit https://example.com/a.b. Then go.", "Visit https://example.com/a.b. || Then go.");
    CHECK("Growth was 3.5 percent in 2019. It fell.",
          "Growth was 3.5 percent in 2019. || It fell.");
    CHECK("Visit pib.gov.in for details. Done.", "Visit pib.gov.in for details. || Done.");
}

static void test_paragraphs(void)
{
    CHECK("Saturday, November 13, 2004\n\nHu Jintao had lunch.",
          "Saturday, November 13, 2004 || Hu Jintao had lunch.");
    CHECK("A headline\r\n\r\nBody text here. More text.",
          "A headline || Body text here. || More text.");
    CHECK("A line that goes on\nafter a line break.", "A line that goes on\nafter a line break.");
}

/* A line break ends a sentence after a number or a colon when no
 * lower-case word follows: tables, datelines, headings; not wrapped
 * prose. */
static void test_lines(void)
{
    CHECK("LONDON 1996-08-31\nResults on Saturday:\nArsenal 2 Leicester 0\r\nChelsea 1 "
          "Coventry 1\nThe side\nwon 3\nmatches in\nMay. Next 4\n(5) later.",
          "LONDON 1996-08-31 || Results on Saturday: || Arsenal 2 Leicester 0 || Chelsea 1 "
          "Coventry 1 || The side\nwon 3\nmatches in\nMay. || Next 4 || (5) later.");
}

static void test_french_german(void)
{
    CHECK("Le pr\xC3\xA9sident M. Macron a parl\xC3\xA9. Il est parti.",
          "Le pr\xC3\xA9sident M. Macron a parl\xC3\xA9. || Il est parti.");
    CHECK(
        "Am 3. Oktober 2020 sprach Dr. M\xC3\xBCller. Er ging z.B. nach Hause. Die Sitzung endete.",
        "Am 3. Oktober 2020 sprach Dr. M\xC3\xBCller. || Er ging z.B. nach Hause. || Die Sitzung "
        "endete.");
    CHECK(
        "Der 1. FC K\xC3\xB6ln gewann 2:1. Er spielt in der 2. Bundesliga. Er kam 2. Dann ging er.",
        "Der 1. FC K\xC3\xB6ln gewann 2:1. || Er spielt in der 2. Bundesliga. || Er kam 2. || Dann "
        "ging er.");
    CHECK("The score was 2. Then it rained.", "The score was 2. || Then it rained.");
}

static void test_cjk(void)
{
    CHECK("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAB\xE8\xA1\x8C\xE3\x81\x8F\xE3\x80\x82\xE6\x98\x8E\xE6"
          "\x97\xA5\xE3\x80\x82",
          "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAB\xE8\xA1\x8C\xE3\x81\x8F\xE3\x80\x82 || "
          "\xE6\x98\x8E\xE6\x97\xA5\xE3\x80\x82");
}

/* Every token is in exactly one sentence, in order, and sentence spans
 * come from their tokens. */
static void test_cover(void)
{
    const char *text = "One. Two three? Four\n\nfive six. \"Seven.\" (Eight.)";
    nerve_doc *doc = nerve_doc_new("t", text, strlen(text), NULL);
    g_assert_true(nerve_model_annotate(model, doc, NULL));
    size_t n, nt;
    const nerve_sentence *s = nerve_doc_sentences(doc, &n);
    const nerve_token *t = nerve_doc_tokens(doc, &nt);
    uint32_t next = 0;
    for (size_t i = 0; i < n; i++) {
        g_assert_cmpuint(s[i].tok_start, ==, next);
        g_assert_cmpuint(s[i].start, ==, t[s[i].tok_start].start);
        g_assert_cmpuint(s[i].end, ==, t[s[i].tok_end - 1].end);
        for (uint32_t k = s[i].tok_start; k < s[i].tok_end; k++)
            g_assert_cmpuint(t[k].sentence, ==, i);
        next = s[i].tok_end;
    }
    g_assert_cmpuint(next, ==, nt);
    g_assert_cmpuint(n, ==, 6);
    nerve_doc_free(doc);
}

/* A sentence without an end is cut at the limit, with a warning. */
static void test_limit(void)
{
    g_autoptr(nerve_tokenizer) tk = nerve_tokenizer_new();
    g_autoptr(nerve_splitter) sp = nerve_splitter_new(tk, NULL);
    nerve_splitter_set_max_tokens(sp, 10);
    nerve_tokenizer_set_max_token_bytes(tk, 8);
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 25; i++)
        g_string_append(s, "word ");
    g_string_append(s, "abcdefghijklmnopqrstuvwxyz");
    nerve_doc *doc = nerve_doc_new("t", s->str, s->len, NULL);
    nerve_normalize_options no = {FALSE, TRUE};
    nerve_normalize(&no, doc);
    nerve_tokenize(tk, doc);
    nerve_split_sentences(sp, doc);
    size_t n, nt;
    const nerve_sentence *sent = nerve_doc_sentences(doc, &n);
    const nerve_token *t = nerve_doc_tokens(doc, &nt);
    g_assert_cmpuint(nt, ==, 25 + 4); /* the 26 letters in pieces of 8, 8, 8, 2 */
    g_assert_cmpuint(t[25].end - t[25].start, ==, 8);
    g_assert_cmpuint(t[28].end - t[28].start, ==, 2);
    g_assert_cmpuint(n, ==, 3);
    g_assert_cmpuint(sent[0].tok_end, ==, 10);
    g_assert_cmpuint(sent[1].tok_end, ==, 20);
    g_assert_cmpuint(nerve_doc_n_warnings(doc), ==, 2);
    g_assert_nonnull(strstr(nerve_doc_warning(doc, 0), "--max-token-bytes=8"));
    g_assert_nonnull(strstr(nerve_doc_warning(doc, 1), "--max-sentence-tokens=10"));
    nerve_doc_free(doc);
    g_string_free(s, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    GError *err = NULL;
    model = nerve_model_load(SRCDIR "/models/en", NULL, &err);
    g_assert_no_error(err);
    g_test_add_func("/sentences/titles-initials", test_titles_initials);
    g_test_add_func("/sentences/abbreviations", test_abbreviations);
    g_test_add_func("/sentences/quotes-brackets", test_quotes_brackets);
    g_test_add_func("/sentences/urls-numbers", test_urls_numbers);
    g_test_add_func("/sentences/paragraphs", test_paragraphs);
    g_test_add_func("/sentences/lines", test_lines);
    g_test_add_func("/sentences/french-german", test_french_german);
    g_test_add_func("/sentences/cjk", test_cjk);
    g_test_add_func("/sentences/cover", test_cover);
    g_test_add_func("/sentences/limit", test_limit);
    int r = g_test_run();
    nerve_model_free(model);
    return r;
}
