/* test-doc.c - the annotation store: overlap resolution, finishing (sort,
 * ids, argument references), the normalized view's alignment. */
#include <string.h>

#include "nerve/nerve.h"

/* A document of n one-byte tokens "a b c ..." (token i at bytes 2i..2i+1). */
static nerve_doc *letters(int n)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < n; i++)
        g_string_append_printf(s, "%s%c", i ? " " : "", 'a' + i);
    nerve_doc *d = nerve_doc_new("d", s->str, s->len, NULL);
    for (int i = 0; i < n; i++) {
        nerve_token *t = nerve_doc_add_token(d);
        t->start = (uint32_t)(2 * i);
        t->end = t->start + 1;
    }
    nerve_doc_add_sentence(d, 0, (uint32_t)n);
    g_string_free(s, TRUE);
    return d;
}

static nerve_entity *add(nerve_doc *d, uint32_t a, uint32_t b, const char *label, int prio,
                         uint32_t order)
{
    nerve_entity *e = nerve_doc_add_entity(d);
    e->tok_start = a;
    e->tok_end = b;
    nerve_doc_entity_span(d, e);
    e->label = g_intern_string(label);
    e->source = g_intern_string("test");
    e->priority = prio;
    e->order = order;
    return e;
}

static void test_resolve(void)
{
    nerve_doc *d = letters(8);
    add(d, 0, 2, "A", 0, 0); /* a b: loses to the longer B */
    add(d, 1, 4, "B", 0, 1); /* b c d */
    add(d, 3, 5, "C", 5, 2); /* d e: priority beats length, so B loses */
    add(d, 6, 7, "D", 0, 3); /* g */
    add(d, 6, 7, "E", 0, 4); /* g again: lower order wins */
    nerve_entity *nested = add(d, 0, 8, "ALL", 0, 5);
    nested->flags |= NERVE_ENTITY_NESTED;
    nerve_doc_resolve_entities(d);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(d, &n);
    g_assert_cmpuint(n, ==, 6);
    /* C wins; B overlaps C and drops; A no longer overlaps anything kept */
    g_assert_false(e[0].flags & NERVE_ENTITY_DROPPED);
    g_assert_true(e[1].flags & NERVE_ENTITY_DROPPED);
    g_assert_false(e[2].flags & NERVE_ENTITY_DROPPED);
    g_assert_false(e[3].flags & NERVE_ENTITY_DROPPED);
    g_assert_true(e[4].flags & NERVE_ENTITY_DROPPED);
    g_assert_false(e[5].flags & NERVE_ENTITY_DROPPED);
    g_assert_cmpuint(nerve_doc_n_dropped(d), ==, 2);
    nerve_doc_free(d);
}

/* What one resolution must drop, computed plainly: every entity in play
 * (not dropped before, nested or hidden) against every stronger one. */
static gboolean stronger(const nerve_entity *x, guint i, const nerve_entity *y, guint j)
{
    if (x->priority != y->priority)
        return x->priority > y->priority;
    if (x->end - x->start != y->end - y->start)
        return x->end - x->start > y->end - y->start;
    if (x->start != y->start)
        return x->start < y->start;
    if (x->phase != y->phase)
        return x->phase < y->phase;
    if (x->order != y->order)
        return x->order < y->order;
    return i < j;
}

static void expect_drops(const nerve_entity *e, size_t n, gboolean *drop)
{
    const guint in_play = NERVE_ENTITY_DROPPED | NERVE_ENTITY_NESTED | NERVE_ENTITY_HIDDEN;
    guint *order = g_new(guint, n), m = 0;
    for (guint i = 0; i < n; i++) {
        drop[i] = (e[i].flags & NERVE_ENTITY_DROPPED) != 0;
        if (!(e[i].flags & in_play))
            order[m++] = i;
    }
    for (guint a = 1; a < m; a++) /* strongest first */
        for (guint b = a; b > 0 && stronger(&e[order[b]], order[b], &e[order[b - 1]], order[b - 1]);
             b--) {
            guint t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    for (guint a = 0; a < m; a++)
        for (guint b = 0; b < a && !drop[order[a]]; b++) {
            const nerve_entity *x = &e[order[a]], *y = &e[order[b]];
            drop[order[a]] =
                !drop[order[b]] && x->tok_start < y->tok_end && y->tok_start < x->tok_end;
        }
    g_free(order);
}

/* Resolving again after adding entities (stages resolve after each phase)
 * gives what resolving everything at once would: new entities evict
 * earlier winners, hidden ones leave the play, losers stay dropped. */
static void test_resolve_again(void)
{
    GRand *rand = g_rand_new_with_seed(7);
    for (int round = 0; round < 200; round++) {
        nerve_doc *d = letters(20);
        for (int batch = 0; batch < 5; batch++) {
            int k = g_rand_int_range(rand, 0, batch ? 8 : 25);
            for (int i = 0; i < k; i++) {
                uint32_t a = (uint32_t)g_rand_int_range(rand, 0, 20);
                uint32_t len = (uint32_t)g_rand_int_range(rand, 1, 4), b = MIN(20, a + len);
                nerve_entity *e = add(d, a, b, "X", g_rand_int_range(rand, -1, 2),
                                      (uint32_t)g_rand_int_range(rand, 0, 3));
                e->phase = (uint32_t)batch;
                if (g_rand_int_range(rand, 0, 10) == 0)
                    e->flags |= NERVE_ENTITY_NESTED;
            }
            size_t n;
            nerve_entity *e = nerve_doc_entities(d, &n);
            if (n && g_rand_int_range(rand, 0, 3) == 0)
                e[g_rand_int_range(rand, 0, (int)n)].flags |= NERVE_ENTITY_HIDDEN;
            gboolean *want = g_new(gboolean, n + 1);
            expect_drops(e, n, want);
            nerve_doc_resolve_entities(d);
            for (guint i = 0; i < n; i++)
                if (want[i] != ((e[i].flags & NERVE_ENTITY_DROPPED) != 0))
                    g_error("round %d batch %d: entity %u [%u, %u) %s, expected %s", round, batch,
                            i, e[i].tok_start, e[i].tok_end, want[i] ? "kept" : "dropped",
                            want[i] ? "dropped" : "kept");
            g_free(want);
        }
        nerve_doc_free(d);
    }
    g_rand_free(rand);
}

static void test_finish(void)
{
    nerve_doc *d = letters(6);
    add(d, 4, 5, "X", 0, 0);
    add(d, 0, 2, "Y", 0, 1);
    nerve_entity *z = add(d, 0, 1, "Z", 0, 2);
    z->flags |= NERVE_ENTITY_DROPPED;
    nerve_event *ev = nerve_doc_add_event(d, 2);
    ev->type = g_intern_string("T.Meet");
    ev->trig_tok_start = 3;
    ev->trig_tok_end = 4;
    ev->trig_start = 6;
    ev->trig_end = 7;
    nerve_arg *args = nerve_doc_args(d, NULL);
    args[ev->arg_first].role = g_intern_string("who");
    args[ev->arg_first].entity = 0; /* X, before sorting */
    args[ev->arg_first + 1].role = g_intern_string("what");
    args[ev->arg_first + 1].entity = 2; /* Z: dropped, so a span */
    args[ev->arg_first + 1].start = 0;
    args[ev->arg_first + 1].end = 1;
    nerve_doc_finish(d, FALSE);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(d, &n);
    /* sorted by start then end: Z(0,1) Y(0,3) X(8,9) */
    g_assert_cmpstr(e[0].label, ==, "Z");
    g_assert_cmpstr(e[1].label, ==, "Y");
    g_assert_cmpstr(e[2].label, ==, "X");
    g_assert_cmpuint(e[0].id, ==, 0); /* dropped: not written */
    g_assert_cmpuint(e[1].id, ==, 1);
    g_assert_cmpuint(e[2].id, ==, 2);
    args = nerve_doc_args(d, NULL);
    const nerve_event *evs = nerve_doc_events(d, NULL);
    g_assert_cmpint(args[evs[0].arg_first].entity, ==, 2);      /* follows X */
    g_assert_cmpint(args[evs[0].arg_first + 1].entity, ==, -1); /* Z became a span */
    g_assert_cmpuint(evs[0].id, ==, 1);
    nerve_doc_free(d);

    /* with --overlaps keep the dropped entity is written and referred to */
    d = letters(3);
    add(d, 0, 2, "A", 0, 0);
    add(d, 1, 3, "B", 0, 1)->flags |= NERVE_ENTITY_DROPPED;
    nerve_doc_finish(d, TRUE);
    e = nerve_doc_entities(d, &n);
    g_assert_cmpuint(e[0].id, ==, 1);
    g_assert_cmpuint(e[1].id, ==, 2);
    nerve_doc_free(d);
}

static void test_attrs(void)
{
    static const char packed[] = "kb\0geonames:1\0id\0x\0";
    const char *it = packed, *k, *v;
    g_assert_true(nerve_attrs_next(&it, &k, &v));
    g_assert_cmpstr(k, ==, "kb");
    g_assert_cmpstr(v, ==, "geonames:1");
    g_assert_true(nerve_attrs_next(&it, &k, &v));
    g_assert_cmpstr(k, ==, "id");
    g_assert_false(nerve_attrs_next(&it, &k, &v));
    it = NULL;
    g_assert_false(nerve_attrs_next(&it, &k, &v));
}

/* The alignment maps spans outwards over edits. */
static void test_alignment(void)
{
    /* "x &amp; y\xC2\xADz": "&amp;" (5 bytes) became "&", the soft hyphen
     * (2 bytes) was removed */
    const char *text = "x &amp; y\xC2\xADz";
    nerve_doc *d = nerve_doc_new("d", text, strlen(text), NULL);
    nerve_normalize_options no = {FALSE, TRUE};
    nerve_normalize(&no, d);
    size_t nlen;
    const char *norm = nerve_doc_norm(d, &nlen);
    g_assert_cmpmem(norm, nlen, "x & yz", 6);
    g_assert_false(nerve_doc_norm_is_identity(d));
    g_assert_cmpuint(nerve_doc_norm_to_orig(d, 2, FALSE), ==, 2); /* start of & */
    g_assert_cmpuint(nerve_doc_norm_to_orig(d, 3, TRUE), ==, 7);  /* end of & */
    g_assert_cmpuint(nerve_doc_norm_to_orig(d, 4, FALSE), ==, 8);
    g_assert_cmpuint(nerve_doc_norm_to_orig(d, 5, TRUE), ==, 9);   /* before the soft hyphen */
    g_assert_cmpuint(nerve_doc_norm_to_orig(d, 5, FALSE), ==, 11); /* after it */
    g_assert_cmpuint(nerve_doc_norm_to_orig(d, 6, TRUE), ==, 12);
    size_t hint = 0;
    for (uint32_t k = 0; k <= 6; k++) /* the hinted lookup agrees */
        g_assert_cmpuint(nerve_doc_norm_to_orig_hint(d, k, TRUE, &hint), ==,
                         nerve_doc_norm_to_orig(d, k, TRUE));
    nerve_doc_free(d);

    d = nerve_doc_new("d", "plain ascii", 11, NULL);
    nerve_normalize(&no, d);
    g_assert_true(nerve_doc_norm_is_identity(d));
    g_assert_true(nerve_doc_norm(d, NULL) == nerve_doc_text(d, NULL));
    nerve_doc_free(d);
}

static int freed;

static void count_free(void *p)
{
    freed += GPOINTER_TO_INT(p);
}

static void test_data(void)
{
    static const char k1, k2;
    nerve_doc *d = nerve_doc_new("d", "x", 1, NULL);
    g_assert_null(nerve_doc_get_data(d, &k1));
    freed = 0;
    nerve_doc_set_data(d, &k1, GINT_TO_POINTER(1), count_free);
    nerve_doc_set_data(d, &k2, GINT_TO_POINTER(10), count_free);
    g_assert_true(nerve_doc_get_data(d, &k1) == GINT_TO_POINTER(1));
    g_assert_true(nerve_doc_get_data(d, &k2) == GINT_TO_POINTER(10));
    nerve_doc_set_data(d, &k1, GINT_TO_POINTER(100), count_free); /* frees 1 */
    g_assert_cmpint(freed, ==, 1);
    g_assert_true(nerve_doc_get_data(d, &k1) == GINT_TO_POINTER(100));
    nerve_doc_set_data(d, &k1, GINT_TO_POINTER(100), count_free); /* the same: kept */
    g_assert_cmpint(freed, ==, 1);
    nerve_doc_free(d); /* frees 100 and 10 */
    g_assert_cmpint(freed, ==, 111);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/doc/resolve", test_resolve);
    g_test_add_func("/doc/resolve-again", test_resolve_again);
    g_test_add_func("/doc/finish", test_finish);
    g_test_add_func("/doc/attrs", test_attrs);
    g_test_add_func("/doc/alignment", test_alignment);
    g_test_add_func("/doc/data", test_data);
    return g_test_run();
}
