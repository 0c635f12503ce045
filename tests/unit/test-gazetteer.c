/* test-gazetteer.c - lists, compiled files, cache and matching.
 *
 * Each test builds a temporary model directory (the default model's
 * tokenizer settings) and lists, loads it with -g or model.json entries and
 * a temporary cache directory, and checks the entities of annotated text:
 * spans, labels, sources, attrs, and what overlap resolution dropped. */
#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "gazformat.h"
#include "nerve/fold.h"
#include "nerve/gazcompile.h"
#include "nerve/gazetteer.h"
#include "nerve/gazfile.h"
#include "nerve/gazlist.h"
#include "nerve/nerve.h"

static char *tmp_root;

static char *write_file(const char *dir, const char *name, const char *content)
{
    char *path = g_build_filename(dir, name, NULL);
    g_autofree char *parent = g_path_get_dirname(path);
    g_mkdir_with_parents(parent, 0700);
    g_assert_true(g_file_set_contents(path, content, -1, NULL));
    return path;
}

/* A fresh directory under the test's temporary root. */
static char *new_dir(void)
{
    static int n;
    char *dir = g_strdup_printf("%s/d%d", tmp_root, ++n);
    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    return dir;
}

/* A model directory with the default model's tokenizer settings and the
 * given "gazetteer" section (JSON text or NULL). */
static char *make_model(const char *gazetteer_json)
{
    char *dir = new_dir();
    g_autofree char *abbr = g_canonicalize_filename("models/en/abbreviations.txt", NULL);
    g_autofree char *json = g_strdup_printf(
        "{\"name\": \"t\", \"stages\": [\"normalize\", \"tokenize\", \"sentences\"%s],\n"
        " \"tokenize\": {\"abbreviations\": \"%s\", \"clitics\": [\"'s\", \"n't\"]}%s%s}\n",
        gazetteer_json ? ", \"gazetteer\"" : "", abbr, gazetteer_json ? ", \"gazetteer\": " : "",
        gazetteer_json ? gazetteer_json : "");
    g_free(write_file(dir, "model.json", json));
    return dir;
}

static nerve_model *load(const char *model_dir, const char *const *gaz, const char *cache,
                         GError **error)
{
    nerve_model_options o = {.gazetteers = gaz, .cache_dir = cache};
    return nerve_model_load(model_dir, &o, error);
}

/* Loads a model with the -g lists, failing the test on error. */
static nerve_model *load_ok(const char *model_dir, const char *const *gaz)
{
    GError *err = NULL;
    g_autofree char *cache = new_dir();
    nerve_model *m = load(model_dir, gaz, cache, &err);
    g_assert_no_error(err);
    return m;
}

/* The entities of text as "text/LABEL" joined by " | " in order; dropped
 * ones (prefixed "-") only when with_dropped. */
static char *annotate(const nerve_model *m, const char *text, gboolean with_dropped)
{
    g_autoptr(nerve_doc) doc = nerve_doc_new("t", text, strlen(text), NULL);
    GError *err = NULL;
    g_assert_true(nerve_model_annotate(m, doc, &err));
    g_assert_no_error(err);
    nerve_doc_finish(doc, TRUE);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        gboolean dropped = (e[i].flags & NERVE_ENTITY_DROPPED) != 0;
        if (dropped && !with_dropped)
            continue;
        g_string_append_printf(out, "%s%s%.*s/%s", out->len ? " | " : "", dropped ? "-" : "",
                               (int)(e[i].end - e[i].start), text + e[i].start, e[i].label);
    }
    return g_string_free(out, FALSE);
}

/* One list given with -g: the entities of text. */
static char *match_list(const char *name, const char *list, const char *text, gboolean with_dropped)
{
    g_autofree char *dir = new_dir();
    g_autofree char *path = write_file(dir, name, list);
    g_autofree char *model_dir = make_model(NULL);
    const char *gaz[] = {path, NULL};
    g_autoptr(nerve_model) m = load_ok(model_dir, gaz);
    return annotate(m, text, with_dropped);
}

/* The error of loading one -g list. */
static char *list_error(const char *name, const char *list)
{
    g_autofree char *dir = new_dir();
    g_autofree char *path = write_file(dir, name, list);
    g_autofree char *model_dir = make_model(NULL);
    g_autofree char *cache = new_dir();
    const char *gaz[] = {path, NULL};
    GError *err = NULL;
    nerve_model *m = load(model_dir, gaz, cache, &err);
    g_assert_null(m);
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_MODEL);
    char *msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

#define assert_match(got, want)                                                                    \
    do {                                                                                           \
        g_autofree char *got_ = (got);                                                             \
        g_assert_cmpstr(got_, ==, (want));                                                         \
    } while (0)

/* --- tokenization ------------------------------------------------------------- */

static void test_agreement(void)
{
    /* each phrase, listed alone, must match itself in running text */
    static const char *const phrases[] = {"U.S. Steel",
                                          "Procter & Gamble",
                                          "AT&T",
                                          "e.g. Acme",
                                          "10:30 a.m. Show",
                                          "F-16 Falcon",
                                          "COVID-19 task force",
                                          "#MeToo movement",
                                          "@nerve_bot",
                                          "https://example.org/x?a=1",
                                          "Oct. 3 Group",
                                          "J. R. R. Tolkien",
                                          "L'Or\xC3\xA9"
                                          "al",
                                          "McDonald's",
                                          "Ben & Jerry's",
                                          "Dr. No",
                                          "S\xC3\xA3o Paulo",
                                          "\xE5\x8C\x97\xE4\xBA\xAC\xE5\xA4\xA7\xE5\xAD\xA6",
                                          "St. Louis Cardinals",
                                          "Yahoo!",
                                          "C++ Foundation",
                                          "3M",
                                          "Jay-Z"};
    for (guint i = 0; i < G_N_ELEMENTS(phrases); i++) {
        g_autofree char *list =
            g_strdup_printf("%s%s\tX\n", phrases[i][0] == '#' ? "\\" : "", phrases[i]);
        g_autofree char *text = g_strdup_printf("Yesterday %s said so.", phrases[i]);
        g_autofree char *want = g_strdup_printf("%s/X", phrases[i]);
        assert_match(match_list("p.tsv", list, text, FALSE), want);
    }
}

static void test_spacing(void)
{
    const char *list = "U.S. Steel\tORG\nNew York\tGPE\nProcter & Gamble\tORG\n"
                       "S\xC3\xA3o Paulo\tGPE\nDon't Stop\tWORK\n";
    /* line breaks and runs of spaces between tokens; the hyphen of
     * New York-based is a token of its own; NFD and curly quotes in text */
    assert_match(match_list("l.tsv", list,
                            "U.S.   Steel and Procter &\nGamble, New York-based, in "
                            "Sa\xCC\x83o  Paulo: Don\xE2\x80\x99t Stop.",
                            FALSE),
                 "U.S.   Steel/ORG | Procter &\nGamble/ORG | New York/GPE | "
                 "Sa\xCC\x83o  Paulo/GPE | Don\xE2\x80\x99t Stop/WORK");
    /* no match across a sentence boundary */
    assert_match(match_list("l.tsv", "Lyon Paris\tX\nParis\tGPE\n",
                            "He went to Lyon. Paris is nice.", FALSE),
                 "Paris/GPE");
}

/* --- resolution --------------------------------------------------------------- */

static void test_longest(void)
{
    const char *list = "New York\tGPE\nNew York City\tGPE\nYork\tGPE\nCity Hall\tFAC\n";
    assert_match(match_list("l.tsv", list, "At New York City Hall.", FALSE), "New York City/GPE");
    /* no shorter entry from the same start (New York); later starts are
     * candidates that resolution drops */
    assert_match(match_list("l.tsv", list, "At New York City Hall.", TRUE),
                 "New York City/GPE | -York/GPE | -City Hall/FAC");
    assert_match(match_list("l.tsv", list, "New York, York.", FALSE), "New York/GPE | York/GPE");
}

static void test_priority(void)
{
    g_autofree char *dir = new_dir();
    g_autofree char *a = write_file(dir, "a.tsv", "#!priority=5\nYork\tX\nWashington\tPERSON\n");
    g_autofree char *b = write_file(dir, "b.tsv", "New York\tGPE\nWashington\tGPE\n");
    g_autofree char *model_dir = make_model(NULL);
    const char *gaz[] = {b, a, NULL};
    g_autoptr(nerve_model) m = load_ok(model_dir, gaz);
    /* priority beats length and list order */
    assert_match(annotate(m, "New York and Washington.", TRUE),
                 "-New York/GPE | York/X | -Washington/GPE | Washington/PERSON");
    /* equal priorities: the longer match, then the earlier list */
    g_autofree char *c = write_file(dir, "c.tsv", "York\tX\nWashington\tPERSON\n");
    const char *gaz2[] = {b, c, NULL};
    g_autoptr(nerve_model) m2 = load_ok(model_dir, gaz2);
    assert_match(annotate(m2, "New York and Washington.", FALSE), "New York/GPE | Washington/GPE");
}

static void test_mode_all(void)
{
    const char *list = "#!mode=all\nNew York\tGPE\nNew York City\tGPE\nYork\tGPE\n";
    g_autofree char *dir = new_dir();
    g_autofree char *path = write_file(dir, "all.tsv", list);
    g_autofree char *model_dir = make_model(NULL);
    const char *gaz[] = {path, NULL};
    g_autoptr(nerve_model) m = load_ok(model_dir, gaz);
    const char *text = "In New York City.";
    g_autoptr(nerve_doc) doc = nerve_doc_new("t", text, strlen(text), NULL);
    g_assert_true(nerve_model_annotate(m, doc, NULL));
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    g_assert_cmpuint(n, ==, 3);
    for (size_t i = 0; i < n; i++)
        g_assert_cmpuint(e[i].flags, ==, NERVE_ENTITY_NESTED); /* kept, never dropped */
}

static void test_ambiguity(void)
{
    /* the same term with two labels in one list: both are candidates, the
     * first listed wins; with the same label, only the first listed entry
     * (and its attrs) is used */
    const char *list =
        "Washington\tPERSON\tkb=p1\nWashington\tGPE\tkb=g1\nWashington\tGPE\tkb=g2\n";
    assert_match(match_list("l.tsv", list, "Washington said.", TRUE),
                 "Washington/PERSON | -Washington/GPE");
    g_autofree char *dir = new_dir();
    g_autofree char *path = write_file(dir, "l.tsv", list);
    g_autofree char *model_dir = make_model(NULL);
    const char *gaz[] = {path, NULL};
    g_autoptr(nerve_model) m = load_ok(model_dir, gaz);
    g_autoptr(nerve_doc) doc = nerve_doc_new("t", "Washington", 10, NULL);
    g_assert_true(nerve_model_annotate(m, doc, NULL));
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    g_assert_cmpuint(n, ==, 2);
    for (size_t i = 0; i < n; i++) {
        const char *it = e[i].attrs, *k, *v;
        g_assert_true(nerve_attrs_next(&it, &k, &v));
        g_assert_cmpstr(v, ==, e[i].label == g_intern_string("GPE") ? "g1" : "p1");
        g_assert_true(e[i].source == g_intern_string("gazetteer:l"));
        g_assert_cmpstr(e[i].entry, ==, "Washington");
        g_assert_cmpuint(e[i].phase, ==, 0);
    }
}

/* --- case modes ----------------------------------------------------------------- */

static void test_case_modes(void)
{
    assert_match(match_list("s.tsv", "Apple\tORG\n", "apple Apple APPLE", FALSE), "Apple/ORG");
    assert_match(match_list("i.tsv", "#!case=insensitive\nMcDonald's\tORG\nS\xC3\xA3o Paulo\tGPE\n",
                            "MCDONALD'S, mcdonald's, McDonald's. SAO PAULO. S\xC3\x83O PAULO.",
                            FALSE),
                 "MCDONALD'S/ORG | mcdonald's/ORG | McDonald's/ORG | S\xC3\x83O PAULO/GPE");
    /* fold: full case folding (ß = ss), accents and inner diacritics off,
     * Turkish dotted and dotless i both meet i */
    const char *fold = "#!case=fold\nStra\xC3\x9F"
                       "e\tLOC\n\xC4\xB0stanbul\tGPE\n"
                       "Diyarbak\xC4\xB1r\tGPE\nS\xC3\xA3o Paulo\tGPE\n\xC5\x81\xC3\xB3"
                       "d\xC5\xBA\tGPE\n";
    assert_match(match_list("f.tsv", fold,
                            "STRASSE; strasse. ISTANBUL, istanbul, \xC4\xB1stanbul. DIYARBAKIR. "
                            "Sao Paulo. LODZ.",
                            FALSE),
                 "STRASSE/LOC | strasse/LOC | ISTANBUL/GPE | istanbul/GPE | "
                 "\xC4\xB1stanbul/GPE | DIYARBAKIR/GPE | Sao Paulo/GPE | LODZ/GPE");
    /* insensitive is not accent-insensitive and keeps ß apart from ss */
    assert_match(match_list("i.tsv",
                            "#!case=insensitive\nStra\xC3\x9F"
                            "e\tLOC\n",
                            "STRASSE stra\xC3\x9F"
                            "e",
                            FALSE),
                 "stra\xC3\x9F"
                 "e/LOC");
}

/* Tokens that only ever come after the first of an entry (Holdings,
 * Widget) are looked up when a walk reaches them, not with the first
 * tokens: many such entries, in every case mode, all match; a later
 * token alone, or first, matches nothing. */
static void test_later_tokens(void)
{
    static const char *const modes[] = {"", "#!case=insensitive\n", "#!case=fold\n"};
    for (guint m = 0; m < G_N_ELEMENTS(modes); m++) {
        g_autoptr(GString) list = g_string_new(modes[m]);
        g_autoptr(GString) text = g_string_new(NULL);
        g_autoptr(GString) want = g_string_new(NULL);
        for (guint i = 0; i < 3000; i++) {
            g_string_append_printf(list, "Qa%u Widget W%u Holdings\tORG\n", i, i % 7);
            if (i % 500 == 499) {
                g_string_append_printf(text,
                                       "Then Qa%u Widget W%u Holdings and Widget "
                                       "Holdings, Holdings Qa%u. ",
                                       i, i % 7, i);
                g_string_append_printf(want, "%sQa%u Widget W%u Holdings/ORG",
                                       want->len ? " | " : "", i, i % 7);
            }
        }
        assert_match(match_list("later.tsv", list->str, text->str, FALSE), want->str);
    }
}

/* caps=yes: the all-capitals spelling of terms of 4+ letters matches
 * too, other spellings do not, short terms stay exact. */
static void test_caps(void)
{
    const char *list = "#!caps=yes\nJapan\tGPE\nNew Zealand\tGPE\nUS\tGPE\nIran\tGPE\n"
                       "S\xC3\xA3o Paulo\tGPE\n";
    assert_match(match_list("c.tsv", list,
                            "JAPAN Japan japan JaPaN, NEW ZEALAND New ZEALAND, US us, IRAN, "
                            "S\xC3\x83O PAULO.",
                            FALSE),
                 "JAPAN/GPE | Japan/GPE | NEW ZEALAND/GPE | US/GPE | IRAN/GPE | "
                 "S\xC3\x83O PAULO/GPE");
    /* without the option, capitals are another spelling */
    assert_match(match_list("n.tsv", "Japan\tGPE\n", "JAPAN Japan", FALSE), "Japan/GPE");
}

static void test_fold_keys(void)
{
    g_autoptr(nerve_folder) f = nerve_folder_new();
    static const char *const pairs[][2] = {
        {"Stra\xC3\x9F"
         "e",
         "strasse"},
        {"\xC4\xB0STANBUL", "istanbul"},
        {"\xC4\xB1stanbul", "istanbul"},
        {"S\xC3\xA3o", "sao"},
        {"\xCE\xA3\xCE\x8A\xCE\xA3\xCE\xA5\xCE\xA6\xCE\x9F\xCE\xA3",
         "\xCF\x83\xCE\xB9\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x83"},
        {"\xEF\xAC\x81"
         "nance",
         "finance"},
        {"Ac\xCC\x81"
         "me",
         "acme"},
        {"abc", "abc"},
        {"ABC", "abc"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
        size_t n;
        const char *k = nerve_fold(f, pairs[i][0], strlen(pairs[i][0]), &n);
        g_autofree char *key = g_strndup(k, n);
        g_assert_cmpstr(key, ==, pairs[i][1]);
    }
    size_t n;
    nerve_fold(f, "\xCC\x81\xCC\x81", 4, &n); /* marks alone stay: a key is never empty */
    g_assert_cmpuint(n, ==, 4);
    const char *s = "already";
    g_assert_true(nerve_fold(f, s, 7, &n) == s); /* lower-case ASCII: no copy */
}

/* --- source formats --------------------------------------------------------------- */

static void attrs_of(const nerve_model *m, const char *text, GString *out)
{
    g_autoptr(nerve_doc) doc = nerve_doc_new("t", text, strlen(text), NULL);
    g_assert_true(nerve_model_annotate(m, doc, NULL));
    nerve_doc_finish(doc, FALSE);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++) {
        if (e[i].flags & NERVE_ENTITY_DROPPED)
            continue;
        g_string_append_printf(out, "%.*s/%s/%s", (int)(e[i].end - e[i].start), text + e[i].start,
                               e[i].label, e[i].source);
        const char *it = e[i].attrs, *k, *v;
        while (nerve_attrs_next(&it, &k, &v))
            g_string_append_printf(out, " %s=%s", k, v);
        g_string_append(out, "\n");
    }
}

static char *match_attrs(const char *path, const char *text)
{
    g_autofree char *model_dir = make_model(NULL);
    const char *gaz[] = {path, NULL};
    g_autoptr(nerve_model) m = load_ok(model_dir, gaz);
    GString *out = g_string_new(NULL);
    attrs_of(m, text, out);
    return g_string_free(out, FALSE);
}

static void test_tsv(void)
{
    g_autofree char *dir = new_dir();
    g_autofree char *path = write_file(
        dir, "people.tsv",
        "\xEF\xBB\xBF# a comment\r\n#!label=PERSON priority=2\r\n\r\nAiko Tan\t\tkb=ex:1\tq=a b\r\n"
        "Lyon\tGPE\tkb=ex:2\r\nIvo Ek\tkb=ex:3\r\n\\#MeToo\tMOVEMENT\r\n");
    assert_match(match_attrs(path, "Aiko Tan, Ivo Ek and #MeToo in Lyon."),
                 "Aiko Tan/PERSON/gazetteer:people kb=ex:1 q=a b\n"
                 "Ivo Ek/PERSON/gazetteer:people kb=ex:3\n"
                 "#MeToo/MOVEMENT/gazetteer:people\n"
                 "Lyon/GPE/gazetteer:people kb=ex:2\n");
    /* errors name FILE:LINE:COL */
    static const struct {
        const char *list, *want;
    } bad[] = {
        {"Lyon\tGPE\nParis\n", "l.tsv:2:6: no label"},
        {"Lyon\tGPE\tkb\n", "l.tsv:1:10: expected key=value"},
        {"#!case=upper\nLyon\tGPE\n", "l.tsv:1:3: case: case must be"},
        {"Lyon\tGPE\n#!priority=2\n", "l.tsv:2:1: option lines"},
        {"Lyon\tGPE\nPa\xFFris\tGPE\n", "l.tsv:2:3: invalid UTF-8"},
        {"Lyon\tG PE\n", "l.tsv:1:7: a label must not contain spaces"},
        {"\t GPE\n", "l.tsv:1:1: empty term"},
        {"...\tGPE\n-\tX\n   \xE2\x80\x8B\tX\n", "l.tsv:3:4: the term has no token"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *msg = list_error("l.tsv", bad[i].list);
        g_assert_nonnull(strstr(msg, bad[i].want));
    }
}

static void test_gate(void)
{
    g_autofree char *dir = new_dir();
    g_free(write_file(dir, "firms.lst",
                      "Globex Corporation&ticker=GLX&kb=Q1\nProcter & Gamble&ticker=PG\nAT&T\n"
                      "Initech\tticker=INI\tkb=Q9\n"));
    g_free(write_file(dir, "cities.lst", "#!priority=1\nLyon\n"));
    g_free(write_file(dir, "sub/gadgets.lst", "Zune\n"));
    g_free(write_file(dir, "titles.lst", "President\n"));
    g_free(write_file(dir, "regions.lst", "Sahel\n"));
    g_autofree char *def = write_file(
        dir, "lists.def",
        "firms.lst:organization:company\ncities.lst:location:city\n\n"
        "sub/"
        "gadgets.lst:product::en:Gadget\ntitles.lst:title\nregions.lst:location:area:fr:Lookup\n");
    assert_match(match_attrs(def, "President Zune of AT&T, Initech, Procter & Gamble and Globex "
                                  "Corporation in Lyon and the Sahel."),
                 "President/TITLE/gazetteer:titles majorType=title\n"
                 "Zune/Gadget/gazetteer:gadgets majorType=product language=en\n"
                 "AT&T/ORG/gazetteer:firms majorType=organization minorType=company\n"
                 "Initech/ORG/gazetteer:firms majorType=organization minorType=company "
                 "ticker=INI kb=Q9\n"
                 "Procter & Gamble/ORG/gazetteer:firms majorType=organization "
                 "minorType=company ticker=PG\n"
                 "Globex Corporation/ORG/gazetteer:firms majorType=organization "
                 "minorType=company ticker=GLX kb=Q1\n"
                 "Lyon/GPE/gazetteer:cities majorType=location minorType=city\n"
                 "Sahel/LOC/gazetteer:regions majorType=location minorType=area language=fr\n");
    g_autofree char *l1 = nerve_gazlist_gate_label("Organisation", NULL);
    g_autofree char *l2 = nerve_gazlist_gate_label("location", "country");
    g_autofree char *l3 = nerve_gazlist_gate_label("facility", "airport");
    g_autofree char *l4 = nerve_gazlist_gate_label("currency_unit", "post_amount");
    g_assert_cmpstr(l1, ==, "ORG");
    g_assert_cmpstr(l2, ==, "GPE");
    g_assert_cmpstr(l3, ==, "FAC");
    g_assert_cmpstr(l4, ==, "CURRENCY_UNIT");

    g_autofree char *e1 = list_error("x/lists.def", "firms.lst:organization\nnone.lst:location\n");
    g_assert_nonnull(strstr(e1, "lists.def:1:1: cannot read firms.lst"));
    g_autofree char *e2 = list_error("y/lists.def", "firms.lst\n");
    g_assert_nonnull(strstr(e2, "lists.def:1:1: expected file.lst:majorType"));
    g_autofree char *e3 = list_error("alone.lst", "Lyon\n");
    g_assert_nonnull(strstr(e3, "alone.lst:1:1: a .lst read without its lists.def"));
    assert_match(match_list("alone.lst", "#!label=GPE\nLyon&kb=1\n", "Lyon", FALSE), "Lyon/GPE");
}

static void test_entityruler(void)
{
    g_autofree char *dir = new_dir();
    g_autofree char *path = write_file(
        dir, "patterns.jsonl",
        "{\"label\": \"ORG\", \"pattern\": \"Initech\", \"id\": \"initech\"}\n"
        "\n"
        "{\"label\": \"LOC\", \"pattern\": [{\"LOWER\": \"silicon\"}, {\"LOWER\": \"valley\"}]}\n"
        "{\"label\": \"PRODUCT\", \"pattern\": [{\"ORTH\": \"iPhone\"}, {\"TEXT\": \"X\"}]}\n"
        "{\"label\": \"ORG\", \"pattern\": [{\"lower\": \"acme\"}, {\"ORTH\": \"Corp\"}], \"id\": "
        "\"a\"}\n"
        "{\"pattern\": \"U.S. Steel\", \"label\": \"ORG\"}\n");
    assert_match(match_attrs(path, "SILICON VALLEY, Silicon Valley: Initech, initech, iPhone X, "
                                   "iphone X, ACME Corp, acme CORP, U.S. Steel."),
                 "SILICON VALLEY/LOC/gazetteer:patterns\n"
                 "Silicon Valley/LOC/gazetteer:patterns\n"
                 "Initech/ORG/gazetteer:patterns id=initech\n"
                 "iPhone X/PRODUCT/gazetteer:patterns\n"
                 "ACME Corp/ORG/gazetteer:patterns id=a\n"
                 "U.S. Steel/ORG/gazetteer:patterns\n");
    static const struct {
        const char *list, *want;
    } bad[] = {
        {"{\"label\": \"X\", \"pattern\": \"a\", \"kb\": \"1\"}\n",
         "r.jsonl:1:1: unexpected key \"kb\""},
        {"{\"label\": \"X\", \"pattern\": [{\"LOWER\": \"a\", \"ORTH\": \"b\"}]}\n",
         "r.jsonl:1:1: pattern token 1"},
        {"{\"label\": \"X\", \"pattern\": [{\"POS\": \"NOUN\"}]}\n",
         "r.jsonl:1:1: pattern token 1"},
        {"{\"label\": \"X\", \"pattern\": [{\"LOWER\": 3}]}\n", "pattern token 1: LOWER must be"},
        {"{\"label\": \"X\", \"pattern\": 3}\n", "r.jsonl:1:1: pattern must be"},
        {"{\"label\": \"X\", \"pattern\": []}\n", "r.jsonl:1:1: empty pattern"},
        {"\n{\"label\": \"X\", \"pattern\": \"a\"\n", "r.jsonl:2:"},
        {"{\"pattern\": \"a\"}\n", "r.jsonl:1:1: no \"label\""},
        {"{\"label\": \"X\", \"pattern\": \"a\", \"id\": 7}\n", "r.jsonl:1:1: id must be a string"},
        {"[1, 2]\n", "r.jsonl:1:1: expected a JSON object"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *msg = list_error("r.jsonl", bad[i].list);
        g_assert_nonnull(strstr(msg, bad[i].want));
    }
}

/* --- compiled files ------------------------------------------------------------- */

/* Compiles list into dir/name.gaz with the model's tokenizer. */
static char *compile(const nerve_model *m, const char *dir, const char *name, const char *list)
{
    g_autofree char *src = g_strdup_printf("%s.tsv", name);
    g_autofree char *path = write_file(dir, src, list);
    g_autofree char *gz = g_strdup_printf("%s.gaz", name);
    char *out = g_build_filename(dir, gz, NULL);
    g_autoptr(nerve_gaz_builder) b =
        nerve_gaz_builder_new(nerve_model_tokenizer(m), nerve_model_normalize_options(m));
    GError *err = NULL;
    g_assert_true(nerve_gazlist_load(b, path, NULL, 0, &err));
    g_assert_true(nerve_gaz_builder_write(b, out, nerve_gazetteer_settings_hash(m), 0, &err));
    g_assert_no_error(err);
    return out;
}

static void test_compiled(void)
{
    g_autofree char *dir = new_dir();
    g_autofree char *model_dir = make_model(NULL);
    g_autoptr(nerve_model) plain = load_ok(model_dir, NULL);
    g_autofree char *gz =
        compile(plain, dir, "cities", "#!case=fold\nS\xC3\xA3o Paulo\tGPE\tkb=Q174\nLyon\tGPE\n");
    const char *gaz[] = {gz, NULL};
    g_autoptr(nerve_model) m = load_ok(model_dir, gaz);
    assert_match(annotate(m, "SAO PAULO and lyon.", FALSE), "SAO PAULO/GPE | lyon/GPE");
    GError *err = NULL;
    g_assert_true(nerve_gazetteer_check_file(gz, plain, &err));
    g_assert_no_error(err);
    nerve_gaz *g = nerve_gaz_open(gz, NERVE_GAZ_CHECK_ALL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(nerve_gaz_n_entries(g), ==, 2);
    g_assert_cmpstr(nerve_gaz_list_name(g, 0), ==, "cities");
    nerve_gaz_free(g);
}

/* Opening data written to a file must fail with a message naming it. */
static void assert_refused(const char *dir, const char *data, size_t len, const char *want)
{
    g_autofree char *path = g_build_filename(dir, "bad.gaz", NULL);
    g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
    GError *err = NULL;
    nerve_gaz *g = nerve_gaz_open(path, NERVE_GAZ_CHECK_CONTENT, &err);
    g_assert_null(g);
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_MODEL);
    g_assert_true(g_str_has_prefix(err->message, path));
    if (want && !strstr(err->message, want))
        g_error("\"%s\" does not say \"%s\"", err->message, want);
    g_error_free(err);
}

static void test_corrupt(void)
{
    g_autofree char *dir = new_dir();
    g_autofree char *model_dir = make_model(NULL);
    g_autoptr(nerve_model) m = load_ok(model_dir, NULL);
    g_autofree char *gz =
        compile(m, dir, "l", "Aiko Tan\tPERSON\tkb=1\nLyon\tGPE\nNew York City\tGPE\n");
    g_autofree char *data = NULL;
    gsize len;
    g_assert_true(g_file_get_contents(gz, &data, &len, NULL));

    assert_refused(dir, "", 0, "not a nerve gazetteer");
    assert_refused(dir, "\x89PNG\r\n\x1a\n0000000000000000", 24, "not a nerve gazetteer");
    assert_refused(dir, "Lyon\tGPE\n", 9, "not a nerve gazetteer");
    size_t cuts[] = {8, 64, sizeof(gaz_header) - 1, sizeof(gaz_header), len / 2, len - 1};
    for (guint i = 0; i < G_N_ELEMENTS(cuts); i++)
        assert_refused(dir, data, cuts[i], "truncated");
    /* every byte after the header matters to the checksum, every header
     * byte to the header checksum */
    for (size_t at = 8; at < len; at += 7) {
        data[at] ^= 0x20;
        assert_refused(dir, data, len, at < sizeof(gaz_header) ? NULL : "corrupt");
        data[at] ^= 0x20;
    }
    /* another format version, with a valid header checksum */
    gaz_header h;
    memcpy(&h, data, sizeof h);
    h.version = 99;
    h.header_sum = gaz_sum64(&h, offsetof(gaz_header, header_sum));
    memcpy(data, &h, sizeof h);
    assert_refused(dir, data, len, "format version 99");
    h.version = GAZ_VERSION;
    h.byte_order = GUINT32_SWAP_LE_BE(GAZ_BYTE_ORDER);
    memcpy(data, &h, sizeof h);
    assert_refused(dir, data, len, "byte order");

    /* through the model: -g with a corrupt file fails the load */
    g_autofree char *bad = g_build_filename(dir, "bad.gaz", NULL);
    const char *gaz[] = {bad, NULL};
    GError *err = NULL;
    g_autofree char *cache = new_dir();
    g_assert_null(load(model_dir, gaz, cache, &err));
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_MODEL);
    g_clear_error(&err);
}

static void test_corrupt_unchecked(void)
{
    /* without any checksum (as the fuzzer loads), damaged tables must
     * still never make matching read outside the file */
    g_autofree char *dir = new_dir();
    g_autofree char *model_dir = make_model(NULL);
    g_autoptr(nerve_model) m = load_ok(model_dir, NULL);
    g_autofree char *gz =
        compile(m, dir, "l",
                "#!case=fold\nAiko Tan\tPERSON\tkb=1\nLyon\tGPE\nNew York City\tGPE\n"
                "New York\tGPE\nYork\tX\tk=v\tk2=v2\n");
    g_autofree char *orig = NULL;
    gsize len;
    g_assert_true(g_file_get_contents(gz, &orig, &len, NULL));
    const char *text = "Aiko Tan left New York City for Lyon. York.";
    guint loaded = 0;
    for (size_t at = sizeof(gaz_header) - 8; at < len; at++) {
        for (int v = 0; v < 3; v++) {
            guint64 *buf = g_new(guint64, len / 8 + 1);
            memcpy(buf, orig, len);
            ((unsigned char *)buf)[at] = v == 0   ? 0xFF
                                         : v == 1 ? 0x00
                                                  : ((unsigned char *)buf)[at] + 1;
            g_autoptr(GBytes) bytes = g_bytes_new_take(buf, len);
            nerve_gaz *g = nerve_gaz_new_from_bytes(bytes, "x", NERVE_GAZ_NO_CHECKSUM, NULL);
            if (g) {
                loaded++;
                g_autoptr(nerve_doc) doc = nerve_doc_new("t", text, strlen(text), NULL);
                nerve_normalize(nerve_model_normalize_options(m), doc);
                nerve_tokenize(nerve_model_tokenizer(m), doc);
                GError *err = NULL;
                if (!nerve_gaz_match(g, NULL, doc, &err))
                    g_clear_error(&err);
                nerve_gaz_free(g);
            }
        }
    }
    g_assert_cmpuint(loaded, >, 0);
}

/* --- cache and model lists --------------------------------------------------------- */

static guint count_files(const char *dir, const char *suffix)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    guint n = 0;
    const char *name;
    while (d && (name = g_dir_read_name(d)))
        n += g_str_has_suffix(name, suffix);
    return n;
}

static void test_cache(void)
{
    g_autofree char *dir = new_dir();
    g_autofree char *cache = new_dir();
    g_autofree char *list = write_file(dir, "cities.tsv", "Lyon\tGPE\n");
    g_autofree char *model_dir = make_model(NULL);
    const char *gaz[] = {list, NULL};
    GError *err = NULL;
    nerve_model *m = load(model_dir, gaz, cache, &err);
    g_assert_no_error(err);
    assert_match(annotate(m, "Lyon and Nice.", FALSE), "Lyon/GPE");
    nerve_model_free(m);
    g_assert_cmpuint(count_files(cache, ".gaz"), ==, 1);

    /* unchanged: the cache file is used as it is */
    g_autoptr(GDir) d = g_dir_open(cache, 0, NULL);
    g_autofree char *cached = g_build_filename(cache, g_dir_read_name(d), NULL);
    GStatBuf before, after;
    g_assert_cmpint(g_stat(cached, &before), ==, 0);
    m = load(model_dir, gaz, cache, &err);
    g_assert_no_error(err);
    nerve_model_free(m);
    g_assert_cmpint(g_stat(cached, &after), ==, 0);
    g_assert_cmpint(before.st_ino, ==, after.st_ino);

    /* same size, new content and time: recompiled, in the same file */
    g_free(write_file(dir, "cities.tsv", "Nice\tGPE\n"));
    struct utimbuf t = {before.st_mtime + 10, before.st_mtime + 10};
    g_assert_cmpint(g_utime(list, &t), ==, 0);
    m = load(model_dir, gaz, cache, &err);
    g_assert_no_error(err);
    assert_match(annotate(m, "Lyon and Nice.", FALSE), "Nice/GPE");
    nerve_model_free(m);
    /* grown */
    g_free(write_file(dir, "cities.tsv", "Nice\tGPE\nLyon\tGPE\n"));
    m = load(model_dir, gaz, cache, &err);
    g_assert_no_error(err);
    assert_match(annotate(m, "Lyon and Nice.", FALSE), "Lyon/GPE | Nice/GPE");
    nerve_model_free(m);
    g_assert_cmpuint(count_files(cache, ".gaz"), ==, 1);
    g_assert_cmpuint(count_files(cache, ""), ==, 1); /* no temporary file left */

    /* an unwritable cache directory: falls back, still matches */
    g_autofree char *ro = g_build_filename(cache, "cities.tsv.gaz", NULL); /* a file, not a dir */
    g_assert_true(g_file_set_contents(ro, "x", 1, NULL));
    m = load(model_dir, gaz, ro, &err);
    g_assert_no_error(err);
    assert_match(annotate(m, "Lyon and Nice.", FALSE), "Lyon/GPE | Nice/GPE");
    nerve_model_free(m);
}

static void test_model_lists(void)
{
    g_autofree char *model_dir = make_model(
        "[{\"path\": \"gazetteer/cities.tsv\", \"name\": \"towns\", \"case\": \"insensitive\", "
        "\"priority\": 3}, \"gazetteer/people.tsv\"]");
    g_free(write_file(model_dir, "gazetteer/cities.tsv", "Paris\tGPE\n"));
    g_free(write_file(model_dir, "gazetteer/people.tsv", "Paris Hilton\tPERSON\nParis\tPERSON\n"));
    g_autoptr(nerve_model) m = load_ok(model_dir, NULL);
    /* priority 3 beats the longer match; insensitive */
    assert_match(annotate(m, "Paris Hilton in PARIS.", TRUE),
                 "Paris/GPE | -Paris Hilton/PERSON | PARIS/GPE");
    g_autoptr(nerve_doc) doc = nerve_doc_new("t", "Paris", 5, NULL);
    g_assert_true(nerve_model_annotate(m, doc, NULL));
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    g_assert_cmpuint(n, ==, 2);
    for (size_t i = 0; i < n; i++) {
        gboolean gpe = e[i].label == g_intern_string("GPE");
        g_assert_true(e[i].source == g_intern_string(gpe ? "gazetteer:towns" : "gazetteer:people"));
        g_assert_cmpint(e[i].priority, ==, gpe ? 3 : 0);
    }

    static const struct {
        const char *json, *want;
    } bad[] = {
        {"{\"path\": \"x.tsv\"}", "must be an array"},
        {"[{\"name\": \"x\"}]", "gazetteer[0]: expected a path"},
        {"[{\"path\": \"x.tsv\", \"colour\": \"red\"}]", "gazetteer[0]: colour: unknown option"},
        {"[{\"path\": \"x.tsv\", \"mode\": \"some\"}]", "gazetteer[0]: mode: mode must be"},
        {"[\"missing.tsv\"]", "missing.tsv"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *dir = make_model(bad[i].json);
        GError *err = NULL;
        g_autofree char *cache = new_dir();
        g_assert_null(load(dir, NULL, cache, &err));
        g_assert_error(err, NERVE_ERROR, NERVE_ERROR_MODEL);
        if (!strstr(err->message, bad[i].want))
            g_error("\"%s\" does not say \"%s\"", err->message, bad[i].want);
        g_clear_error(&err);
    }
}

static void test_order(void)
{
    /* equal candidates: model lists first, then -g in command-line order,
     * whether a -g file is a source list or compiled */
    g_autofree char *dir = new_dir();
    g_autofree char *model_dir = make_model(NULL);
    g_autoptr(nerve_model) plain = load_ok(model_dir, NULL);
    g_autofree char *a = write_file(dir, "a.tsv", "Paris\tA\n");
    g_autofree char *b = compile(plain, dir, "b", "Paris\tB\n");
    g_autofree char *c = write_file(dir, "c.tsv", "Paris\tC\n");
    const char *const orders[][4] = {{a, b, c, NULL}, {b, c, a, NULL}, {c, a, b, NULL}};
    const char *want[] = {"Paris/A", "Paris/B", "Paris/C"};
    for (guint i = 0; i < G_N_ELEMENTS(orders); i++) {
        g_autoptr(nerve_model) m = load_ok(model_dir, orders[i]);
        assert_match(annotate(m, "Paris", FALSE), want[i]);
    }
    g_autofree char *with_list = make_model("[\"gazetteer/m.tsv\"]");
    g_free(write_file(with_list, "gazetteer/m.tsv", "Paris\tM\n"));
    g_autoptr(nerve_model) m = load_ok(with_list, orders[1]);
    assert_match(annotate(m, "Paris", TRUE), "Paris/M | -Paris/B | -Paris/C | -Paris/A");
}

static void test_check_file(void)
{
    g_autofree char *dir = new_dir();
    g_autofree char *model_dir = make_model(NULL);
    g_autoptr(nerve_model) m = load_ok(model_dir, NULL);
    g_autofree char *good = write_file(dir, "good.tsv", "Lyon\tGPE\n");
    g_autofree char *bad = write_file(dir, "bad.tsv", "Lyon\tGPE\nNice\n");
    GError *err = NULL;
    g_assert_true(nerve_gazetteer_check_file(good, m, &err));
    g_assert_no_error(err);
    g_assert_false(nerve_gazetteer_check_file(bad, m, &err));
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_MODEL);
    g_assert_nonnull(strstr(err->message, "bad.tsv:2:5:"));
    g_clear_error(&err);
}

static void remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d))) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
        }
    }
    g_remove(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    tmp_root = g_dir_make_tmp("nerve-test-gaz-XXXXXX", NULL);
    g_assert_nonnull(tmp_root);
    g_test_add_func("/gazetteer/agreement", test_agreement);
    g_test_add_func("/gazetteer/spacing", test_spacing);
    g_test_add_func("/gazetteer/longest", test_longest);
    g_test_add_func("/gazetteer/priority", test_priority);
    g_test_add_func("/gazetteer/mode-all", test_mode_all);
    g_test_add_func("/gazetteer/ambiguity", test_ambiguity);
    g_test_add_func("/gazetteer/case-modes", test_case_modes);
    g_test_add_func("/gazetteer/later-tokens", test_later_tokens);
    g_test_add_func("/gazetteer/caps", test_caps);
    g_test_add_func("/gazetteer/fold-keys", test_fold_keys);
    g_test_add_func("/gazetteer/tsv", test_tsv);
    g_test_add_func("/gazetteer/gate", test_gate);
    g_test_add_func("/gazetteer/entityruler", test_entityruler);
    g_test_add_func("/gazetteer/compiled", test_compiled);
    g_test_add_func("/gazetteer/corrupt", test_corrupt);
    g_test_add_func("/gazetteer/corrupt-unchecked", test_corrupt_unchecked);
    g_test_add_func("/gazetteer/cache", test_cache);
    g_test_add_func("/gazetteer/model-lists", test_model_lists);
    g_test_add_func("/gazetteer/order", test_order);
    g_test_add_func("/gazetteer/check-file", test_check_file);
    int status = g_test_run();
    remove_tree(tmp_root);
    g_free(tmp_root);
    return status;
}
