/* test-gold.c - reading annotations back (gold.h): round trips through
 * jsonl, brat, conll and xmi must give back, in byte offsets of the
 * original text, every annotation the format can hold; and the readers
 * on hand-written files (discontinuous brat spans, IOB1 and BIOES tags,
 * malformed input). */
#include <glib/gstdio.h>
#include <string.h>

#include "fixture.h"
#include "nerve/gold.h"

static void put(const char *dir, const char *name, const char *data)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(p, data, -1, NULL));
}

/* "start end label" lines of what a nerve_doc writes (dropped too when
 * with_dropped), sorted. */
static char *doc_entities(const nerve_doc *doc, gboolean with_dropped)
{
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < n; i++)
        if (e[i].id && (with_dropped || !(e[i].flags & NERVE_ENTITY_DROPPED)))
            g_ptr_array_add(l, g_strdup_printf("%u %u %s", e[i].start, e[i].end, e[i].label));
    return fx_join_sorted(l);
}

static char *doc_events(const nerve_doc *doc)
{
    size_t n;
    const nerve_event *ev = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    const nerve_entity *ents = nerve_doc_entities(doc, NULL);
    GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < n; i++) {
        GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
        for (uint32_t k = 0; k < ev[i].n_args; k++) {
            const nerve_arg *x = &args[ev[i].arg_first + k];
            const nerve_entity *t = x->entity >= 0 ? &ents[x->entity] : NULL;
            g_ptr_array_add(a, g_strdup_printf("%s %u %u", x->role, t ? t->start : x->start,
                                               t ? t->end : x->end));
        }
        g_autofree char *as = fx_join_sorted(a);
        g_ptr_array_add(
            l, g_strdup_printf("%s %u %u [%s]", ev[i].type, ev[i].trig_start, ev[i].trig_end, as));
    }
    return fx_join_sorted(l);
}

static char *gold_entities(const nerve_gold_doc *d)
{
    GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < d->entities->len; i++) {
        const nerve_gold_entity *e = &g_array_index(d->entities, nerve_gold_entity, i);
        g_ptr_array_add(l, g_strdup_printf("%u %u %s", e->start, e->end, e->label));
    }
    return fx_join_sorted(l);
}

static char *gold_events(const nerve_gold_doc *d)
{
    GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < d->events->len; i++) {
        const nerve_gold_event *e = &g_array_index(d->events, nerve_gold_event, i);
        GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
        for (guint k = 0; k < e->n_args; k++) {
            const nerve_gold_arg *x = &g_array_index(d->args, nerve_gold_arg, e->arg_first + k);
            g_ptr_array_add(a, g_strdup_printf("%s %u %u", x->role, x->start, x->end));
        }
        g_autofree char *as = fx_join_sorted(a);
        g_ptr_array_add(l, g_strdup_printf("%s %u %u [%s]", e->type, e->start, e->end, as));
    }
    return fx_join_sorted(l);
}

/* Writes docs as format into dir (file "out" for one-file formats) and
 * reads them back. */
static GPtrArray *round_trip(const char *format, GPtrArray *docs, const nerve_writer_options *base,
                             const char *dir, nerve_gold_format gf)
{
    nerve_writer_options o = *base;
    g_autofree char *file = g_build_filename(dir, "out", NULL);
    gboolean to_dir = !strcmp(format, "brat") || !strcmp(format, "xmi");
    o.output = to_dir ? dir : file;
    fx_write(format, &o, docs);
    GError *err = NULL;
    GPtrArray *back = nerve_gold_read(o.output, gf, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(back->len, ==, docs->len);
    return back;
}

static void check_same(GPtrArray *docs, GPtrArray *back, gboolean events, gboolean with_dropped)
{
    for (guint i = 0; i < docs->len; i++) {
        const nerve_doc *doc = g_ptr_array_index(docs, i);
        const nerve_gold_doc *g = g_ptr_array_index(back, i);
        size_t len;
        const char *text = nerve_doc_text(doc, &len);
        g_assert_cmpstr(g->id, ==, nerve_doc_id(doc));
        g_assert_cmpuint(g->len, ==, len);
        g_assert_true(!memcmp(g->text, text, len));
        g_autofree char *want = doc_entities(doc, with_dropped), *have = gold_entities(g);
        g_assert_cmpstr(have, ==, want);
        if (events) {
            g_autofree char *we = doc_events(doc), *he = gold_events(g);
            g_assert_cmpstr(he, ==, we);
        }
    }
}

static void test_jsonl(void)
{
    static const nerve_unit units[] = {NERVE_UNIT_CODEPOINT, NERVE_UNIT_UTF16, NERVE_UNIT_BYTE};
    GPtrArray *docs = fx_docs(TRUE);
    for (guint u = 0; u < 3; u++) {
        g_autofree char *dir = fx_tmpdir();
        nerve_writer_options o = {.unit = units[u], .keep_overlaps = TRUE};
        GPtrArray *back = round_trip("jsonl", docs, &o, dir, NERVE_GOLD_AUTO);
        check_same(docs, back, TRUE, TRUE); /* what --overlaps keep wrote is read too */
        g_ptr_array_unref(back);
        fx_rm_rf(dir);
    }
    g_ptr_array_unref(docs);
}

static void test_brat(void)
{
    GPtrArray *docs = fx_docs(FALSE);
    g_autofree char *dir = fx_tmpdir();
    nerve_writer_options o = {0};
    GPtrArray *back = round_trip("brat", docs, &o, dir, NERVE_GOLD_AUTO);
    check_same(docs, back, TRUE, FALSE);
    g_ptr_array_unref(back);
    fx_rm_rf(dir);
    g_ptr_array_unref(docs);
}

static void test_xmi(void)
{
    GPtrArray *docs = fx_docs(TRUE);
    g_autofree char *dir = fx_tmpdir();
    nerve_writer_options o = {.keep_overlaps = TRUE};
    GPtrArray *back = round_trip("xmi", docs, &o, dir, NERVE_GOLD_XMI);
    check_same(docs, back, TRUE, TRUE); /* XMI holds the overlapping ones too */
    g_ptr_array_unref(back);
    fx_rm_rf(dir);
    g_ptr_array_unref(docs);
}

static void test_conll(void)
{
    GPtrArray *docs = fx_docs(FALSE);
    g_autofree char *dir = fx_tmpdir();
    nerve_writer_options o = {0};
    GPtrArray *back = round_trip("conll", docs, &o, dir, NERVE_GOLD_AUTO);
    for (guint i = 0; i < docs->len; i++) {
        nerve_gold_doc *g = g_ptr_array_index(back, i);
        const nerve_doc *doc = g_ptr_array_index(docs, i);
        size_t len;
        const char *text = nerve_doc_text(doc, &len);
        g_assert_true(g->synthetic);
        g_assert_true(nerve_gold_doc_align(g, nerve_doc_id(doc), text, len));
    }
    check_same(docs, back, FALSE, FALSE);
    g_ptr_array_unref(back);
    fx_rm_rf(dir);
    g_ptr_array_unref(docs);
}

static void test_conll_schemes(void)
{
    g_autofree char *dir = fx_tmpdir();
    put(dir, "a.conll",
        "-DOCSTART- -X- O O\n\nJohn NNP B-PER\nSmith NNP I-PER\nsaw O\nParis I-LOC\n"
        "Texas I-LOC\nand O\nI-ORG I-ORG\n\nNew S-LOC\nYork B-LOC\nCity E-LOC\n"
        "x I-MISC\ny B-MISC\n-DOCSTART- -X- O O\n\nLone O\n");
    g_autofree char *path = g_build_filename(dir, "a.conll", NULL);
    GError *err = NULL;
    GPtrArray *docs = nerve_gold_read(path, NERVE_GOLD_AUTO, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(docs->len, ==, 2);
    nerve_gold_doc *d = g_ptr_array_index(docs, 0);
    g_assert_cmpstr(d->id, ==, "1");
    g_assert_cmpstr(d->text, ==, "John Smith saw Paris Texas and I-ORG\nNew York City x y");
    GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < d->entities->len; i++) {
        const nerve_gold_entity *e = &g_array_index(d->entities, nerve_gold_entity, i);
        g_ptr_array_add(
            l, g_strdup_printf("%s=%.*s", e->label, (int)(e->end - e->start), d->text + e->start));
    }
    g_autofree char *got = fx_join_sorted(l);
    /* IOB1 (I- after O starts), BIOES (S- single, E- ends), B- after I- splits */
    g_assert_cmpstr(
        got, ==,
        "LOC=New\nLOC=Paris Texas\nLOC=York City\nMISC=x\nMISC=y\nORG=I-ORG\nPER=John Smith");
    g_assert_false(nerve_gold_doc_align(d, "x", "John Smith saw nothing", 22));
    g_assert_cmpstr(d->id, ==, "1"); /* unchanged */
    g_assert_cmpuint(((nerve_gold_doc *)g_ptr_array_index(docs, 1))->entities->len, ==, 0);
    g_ptr_array_unref(docs);
    fx_rm_rf(dir);
}

static void test_brat_reader(void)
{
    g_autofree char *dir = fx_tmpdir();
    /* "Café 🙂 in New\nYork": code points; a discontinuous span; an event
     * whose argument is an event; a numbered repeated role */
    put(dir, "d.txt", "Caf\xC3\xA9 \xF0\x9F\x99\x82 met in New\nYork");
    put(dir, "d.ann",
        "T1\tORG 0 4\tCaf\xC3\xA9\nT2\tGPE 14 17;18 22\tNew York\n"
        "T3\tMeet 7 10\tmet\nT4\tagent 0 4\tCaf\xC3\xA9\n"
        "E1\tMeet:T3 place:T2 agent:T1 agent2:T4\nE2\tMeet:T3 cause:E1\n"
        "A1\tNegated E1\nN1\tReference T1 kb:1\tCafe\n#1\tAnnotatorNotes T1\tx\n");
    GError *err = NULL;
    GPtrArray *docs = nerve_gold_read(dir, NERVE_GOLD_AUTO, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(docs->len, ==, 1);
    nerve_gold_doc *d = g_ptr_array_index(docs, 0);
    g_assert_cmpstr(d->id, ==, "d");
    g_autofree char *ents = gold_entities(d), *evs = gold_events(d);
    g_assert_cmpstr(ents, ==, "0 5 ORG\n18 26 GPE");
    g_assert_cmpstr(evs, ==,
                    "Meet 11 14 [agent 0 5\nagent 0 5\nplace 18 26]\nMeet 11 14 [cause 11 14]");
    g_ptr_array_unref(docs);
    put(dir, "d.ann", "T1\tORG 0 x\tCaf\xC3\xA9\n");
    g_assert_null(nerve_gold_read(dir, NERVE_GOLD_BRAT, &err));
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_INPUT);
    g_assert_nonnull(strstr(err->message, "d.ann:1:"));
    g_clear_error(&err);
    fx_rm_rf(dir);
}

static void test_jsonl_errors(void)
{
    g_autofree char *dir = fx_tmpdir();
    put(dir, "g.jsonl", "{\"id\":\"a\",\"text\":\"ab\",\"entities\":[]}\n{\"id\": broken\n");
    g_autofree char *path = g_build_filename(dir, "g.jsonl", NULL);
    GError *err = NULL;
    g_assert_null(nerve_gold_read(path, NERVE_GOLD_AUTO, &err));
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_INPUT);
    g_assert_nonnull(strstr(err->message, "g.jsonl:2:"));
    g_clear_error(&err);
    /* an error record is a missing document; offsets past the text are an error */
    put(dir, "g.jsonl", "{\"id\":\"a\",\"error\":{\"message\":\"x\"},\"input\":\"\"}\n");
    GPtrArray *docs = nerve_gold_read(path, NERVE_GOLD_JSONL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(docs->len, ==, 0);
    g_ptr_array_unref(docs);
    put(dir, "g.jsonl",
        "{\"id\":\"a\",\"text\":\"ab\",\"entities\":[{\"start\":1,\"end\":3,\"label\":\"X\"}]}\n");
    g_assert_null(nerve_gold_read(path, NERVE_GOLD_JSONL, &err));
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_INPUT);
    g_clear_error(&err);
    g_assert_null(nerve_gold_read("/nonexistent/gold", NERVE_GOLD_AUTO, &err));
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_IO);
    g_clear_error(&err);
    fx_rm_rf(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gold/jsonl-round-trip", test_jsonl);
    g_test_add_func("/gold/brat-round-trip", test_brat);
    g_test_add_func("/gold/xmi-round-trip", test_xmi);
    g_test_add_func("/gold/conll-round-trip", test_conll);
    g_test_add_func("/gold/conll-schemes", test_conll_schemes);
    g_test_add_func("/gold/brat-reader", test_brat_reader);
    g_test_add_func("/gold/jsonl-errors", test_jsonl_errors);
    return g_test_run();
}
