/* test-lexicon.c - lemmas (table, detachment rules), shapes, the stage. */
#include <glib/gstdio.h>
#include <string.h>

#include "nerve/nerve.h"

static nerve_tokenizer *tk;

/* text normalized, tokenized and annotated by lx (free it). */
static nerve_doc *annotated(const nerve_lexicon *lx, const char *text)
{
    nerve_doc *doc = nerve_doc_new("t", text, strlen(text), NULL);
    nerve_normalize_options o = {FALSE, TRUE};
    nerve_normalize(&o, doc);
    nerve_tokenize(tk, doc);
    nerve_lexicon_annotate(lx, doc);
    return doc;
}

/* The lemma of word (lower-cased by the tokenizer) under lx. */
static char *lemma_of(const nerve_lexicon *lx, const char *word)
{
    nerve_doc *doc = annotated(lx, word);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_cmpuint(t->lemma.hash, ==, nerve_hash(t->lemma.s, t->lemma.len));
    char *s = g_strndup(t->lemma.s, t->lemma.len);
    nerve_doc_free(doc);
    return s;
}

#define ASSERT_LEMMA(lx, word, want)                                                               \
    do {                                                                                           \
        g_autofree char *got_ = lemma_of(lx, word);                                                \
        g_assert_cmpstr(got_, ==, want);                                                           \
    } while (0)

static void test_required(void)
{
    /* the committed base list and a small exception table */
    g_autoptr(nerve_lexicon) lx = nerve_lexicon_new();
    g_autoptr(GError) err = NULL;
    g_assert_true(nerve_lexicon_load_bases(lx, "models/en/lemma-bases.txt", &err));
    g_assert_no_error(err);
    g_assert_cmpuint(nerve_lexicon_n_bases(lx), >, 50000);
    nerve_lexicon_add_lemma(lx, "met", "meet");
    nerve_lexicon_add_lemma(lx, "was", "be");
    const char *pairs[][2] = {{"signed", "sign"},
                              {"banned", "ban"},
                              {"met", "meet"},
                              {"attacks", "attack"},
                              {"approval", "approval"},
                              {"killed", "kill"},
                              {"arrested", "arrest"},
                              {"talks", "talk"},
                              {"elected", "elect"},
                              {"meetings", "meeting"},
                              {"was", "be"},
                              {"Signed", "sign"},
                              {"WAS", "be"},
                              {"planning", "plan"},
                              {"cities", "city"},
                              {"agreed", "agree"},
                              {"need", "need"},
                              {"feed", "feed"},
                              {"bring", "bring"},
                              {"stronger", "strong"},
                              {"leader", "leader"},
                              {"2020", "2020"},
                              {"U.S.", "u.s."}};
    for (guint i = 0; i < G_N_ELEMENTS(pairs); i++)
        ASSERT_LEMMA(lx, pairs[i][0], pairs[i][1]);
}

static void test_rules(void)
{
    g_autoptr(nerve_lexicon) lx = nerve_lexicon_new();
    const char *bases[] = {"city",   "box",  "church", "wish", "horse", "go",   "bus", "chairman",
                           "use",    "kill", "ban",    "plan", "make",  "walk", "big", "large",
                           "strong", "fee",  "feed",   "fly",  "buzz",  "stop", "free"};
    for (guint i = 0; i < G_N_ELEMENTS(bases); i++)
        nerve_lexicon_add_base(lx, bases[i]);
    const char *pairs[][2] = {
        {"cities", "city"}, {"boxes", "box"},         {"churches", "church"},
        {"wishes", "wish"}, {"horses", "horse"},      {"goes", "go"},
        {"buses", "bus"},   {"chairmen", "chairman"}, {"used", "use"},
        {"killed", "kill"}, {"banned", "ban"},        {"planning", "plan"},
        {"making", "make"}, {"walking", "walk"},      {"bigger", "big"},
        {"biggest", "big"}, {"larger", "large"},      {"strongest", "strong"},
        {"flies", "fly"},   {"buzzes", "buzz"},       {"stopped", "stop"},
        {"freed", "free"},  {"feed", "feed"},         {"approval", "approval"},
        {"walks", "walk"},  {"zebras", "zebras"},     {"class", "class"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(pairs); i++)
        ASSERT_LEMMA(lx, pairs[i][0], pairs[i][1]);
    /* the table wins over the rules */
    nerve_lexicon_add_lemma(lx, "used", "utilize");
    ASSERT_LEMMA(lx, "used", "utilize");
}

static void test_pointers(void)
{
    g_autoptr(nerve_lexicon) lx = nerve_lexicon_new();
    nerve_lexicon_add_base(lx, "attack");
    const char *text = "attacks approval ATTACKS";
    nerve_doc *doc = annotated(lx, text);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    g_assert_cmpuint(n, ==, 3);
    /* a lemma that is the lower form is the lower form itself */
    g_assert_true(t[1].lemma.s == t[1].lower.s);
    g_assert_cmpuint(t[1].lemma.hash, ==, t[1].lower.hash);
    /* a detached lemma points at the lexicon's copy, shared by tokens */
    g_assert_true(t[0].lemma.s == t[2].lemma.s);
    g_assert_true(t[0].lemma.s != t[0].lower.s);
    nerve_doc_free(doc);
}

/* Lemmas are cached per thread across documents: a changed lexicon, or
 * another one, must not see the answers of the first. */
static void test_cache(void)
{
    nerve_lexicon *a = nerve_lexicon_new();
    nerve_lexicon_add_base(a, "attack");
    ASSERT_LEMMA(a, "attacks", "attack");
    nerve_lexicon_add_lemma(a, "attacks", "assault");
    ASSERT_LEMMA(a, "attacks", "assault");
    g_autoptr(nerve_lexicon) b = nerve_lexicon_new();
    ASSERT_LEMMA(b, "attacks", "attacks");
    ASSERT_LEMMA(a, "attacks", "assault");
    nerve_lexicon_free(a);
    g_autoptr(nerve_lexicon) c = nerve_lexicon_new(); /* perhaps where a was */
    nerve_lexicon_add_base(c, "attackx");
    ASSERT_LEMMA(c, "attacks", "attacks");
    /* forms longer than the cache's keys */
    nerve_lexicon_add_base(c, "abcdefghijklmnopqrstuvwxyzabc");
    ASSERT_LEMMA(c, "abcdefghijklmnopqrstuvwxyzabcs", "abcdefghijklmnopqrstuvwxyzabc");
    ASSERT_LEMMA(c, "abcdefghijklmnopqrstuvwxyzabcs", "abcdefghijklmnopqrstuvwxyzabc");
}

static char *shape(const char *s)
{
    char buf[64];
    size_t n = nerve_lexicon_shape(s, strlen(s), buf, sizeof buf);
    return g_strndup(buf, n);
}

static void test_shape(void)
{
    const char *pairs[][2] = {{"London", "Xxxxx"},  {"2020", "dddd"},        {"U.S.", "X.X."},
                              {"iPhone", "xXxxxx"}, {"COVID-19", "XXXX-dd"}, {"a", "x"},
                              {"Ünïcode", "Xxxxx"}, {"$3.50", "$d.dd"},      {"......", "...."},
                              {"Wörter", "Xxxxx"},  {"ΑΘΗΝΑ", "XXXX"},       {"🙂", "🙂"}};
    for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
        g_autofree char *got = shape(pairs[i][0]);
        g_assert_cmpstr(got, ==, pairs[i][1]);
    }
    char small[3];
    g_assert_cmpuint(nerve_lexicon_shape("Xyzzy", 5, small, sizeof small), ==, 3);
}

/* The lemma/shape of every token of text, space-separated, from a
 * document that is freed before returning. */
static char *forms_of(const nerve_lexicon *lx, const char *text)
{
    nerve_doc *doc = annotated(lx, text);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        g_assert_cmpuint(t[i].shape.hash, ==, nerve_hash(t[i].shape.s, t[i].shape.len));
        g_string_append_printf(out, "%s%.*s/%.*s", i ? " " : "", (int)t[i].lemma.len, t[i].lemma.s,
                               (int)t[i].shape.len, t[i].shape.s);
    }
    nerve_doc_free(doc);
    return g_string_free(out, FALSE);
}

/* The stage's answers are kept per thread across documents (lemmas and
 * shapes of forms seen before; shapes of other kinds are copied into each
 * document): the same text gives the same forms in a second document,
 * after the first was freed, and long forms (not cached) too. */
static void test_stage_across_documents(void)
{
    g_autoptr(nerve_lexicon) lx = nerve_lexicon_new();
    nerve_lexicon_add_base(lx, "attack");
    const char *text = "Attacks in the U.S. , attacks ...... COVID-19 🙂 Ünïcode "
                       "Abcdefghijklmnopqrstuvwxyzabcdefg abcdefghijklmnopqrstuvwxyzabcdefg";
    const char *want = "attack/Xxxxx in/xx the/xxx u.s./X.X. ,/, attack/xxxx ....../.... "
                       "covid-19/XXXX-dd 🙂/🙂 ünïcode/Xxxxx "
                       "abcdefghijklmnopqrstuvwxyzabcdefg/Xxxxx "
                       "abcdefghijklmnopqrstuvwxyzabcdefg/xxxx";
    for (int round = 0; round < 3; round++) {
        g_autofree char *got = forms_of(lx, text);
        g_assert_cmpstr(got, ==, want);
    }
}

static char *write_tmp(const char *dir, const char *name, const char *content)
{
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, content, -1, NULL));
    return path;
}

static void test_load_errors(void)
{
    g_autofree char *dir = g_dir_make_tmp("nerve-lexicon-XXXXXX", NULL);
    g_autofree char *bad = write_tmp(dir, "bad.tsv", "# comment\nran\trun\nnotab\n");
    g_autoptr(nerve_lexicon) lx = nerve_lexicon_new();
    g_autoptr(GError) err = NULL;
    g_assert_false(nerve_lexicon_load_lemmas(lx, bad, &err));
    g_autofree char *want = g_strdup_printf("%s:3:6: expected form<TAB>lemma", bad);
    g_assert_cmpstr(err->message, ==, want);
    g_autofree char *ok = write_tmp(dir, "ok.tsv", "Ran\tRun\r\n\nmice\tmouse\n");
    g_clear_error(&err);
    g_assert_true(nerve_lexicon_load_lemmas(lx, ok, &err));
    g_assert_cmpuint(nerve_lexicon_n_lemmas(lx), ==, 2); /* "Ran" is "ran" again, then mice */
    ASSERT_LEMMA(lx, "ran", "run");
    ASSERT_LEMMA(lx, "mice", "mouse");
    g_unlink(bad);
    g_unlink(ok);
    g_rmdir(dir);
}

/* The stage from a model directory: defaults, explicit files, errors. */
static void test_stage(void)
{
    g_autofree char *dir = g_dir_make_tmp("nerve-lexmodel-XXXXXX", NULL);
    g_autofree char *json = write_tmp(dir, "model.json",
                                      "{\"name\": \"t\", \"stages\": [\"normalize\", \"tokenize\", "
                                      "\"sentences\", \"lexicon\"], \"lexicon\": {\"bases\": "
                                      "\"b.txt\"}}");
    g_autofree char *lem = write_tmp(dir, "lemmas.tsv", "met\tmeet\n");
    g_autofree char *bases = write_tmp(dir, "b.txt", "# bases\nban\n");
    g_autoptr(GError) err = NULL;
    nerve_model *m = nerve_model_load(dir, NULL, &err);
    g_assert_no_error(err);
    const char *text = "They met and banned it.";
    nerve_doc *doc = nerve_doc_new("t", text, strlen(text), NULL);
    g_assert_true(nerve_model_annotate(m, doc, &err));
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    g_assert_cmpuint(n, ==, 6);
    g_assert_cmpint(strncmp(t[1].lemma.s, "meet", 4), ==, 0); /* lemmas.tsv by default */
    g_assert_cmpint(strncmp(t[3].lemma.s, "ban", 3), ==, 0);  /* bases from b.txt */
    g_assert_cmpint(strncmp(t[0].shape.s, "Xxxx", t[0].shape.len), ==, 0);
    nerve_doc_free(doc);
    nerve_model_free(m);
    /* a named file that is missing is an error */
    g_autofree char *json2 = write_tmp(dir, "model.json",
                                       "{\"stages\": [\"normalize\", \"tokenize\", \"sentences\", "
                                       "\"lexicon\"], \"lexicon\": {\"lemmas\": \"nope.tsv\"}}");
    g_assert_null(nerve_model_load(dir, NULL, &err));
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_MODEL);
    g_assert_nonnull(strstr(err->message, "nope.tsv"));
    g_unlink(json);
    g_unlink(lem);
    g_unlink(bases);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tk = nerve_tokenizer_new();
    g_test_add_func("/lexicon/required", test_required);
    g_test_add_func("/lexicon/rules", test_rules);
    g_test_add_func("/lexicon/pointers", test_pointers);
    g_test_add_func("/lexicon/cache", test_cache);
    g_test_add_func("/lexicon/shape", test_shape);
    g_test_add_func("/lexicon/load-errors", test_load_errors);
    g_test_add_func("/lexicon/stage", test_stage);
    g_test_add_func("/lexicon/stage-across-documents", test_stage_across_documents);
    int r = g_test_run();
    nerve_tokenizer_free(tk);
    return r;
}
