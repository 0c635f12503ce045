/* eval.c - scoring predicted annotations against gold (eval.h).
 *
 * Each document contributes sets of keys, one set per score: the key is
 * the annotation's identity as a string ("start end label" and so on),
 * so set membership is a hash lookup and the same annotation written
 * twice counts once.  Counts are summed over documents; ratios are
 * computed at the end.
 */
#include "nerve/eval.h"

#include <string.h>

typedef struct {
    guint64 tp, fp, fn;
} counts;

struct nerve_eval {
    nerve_label_scheme scheme;
    counts micro, boundary, trigger, argument;
    GHashTable *per_label; /* interned label -> counts* */
    const char **labels;   /* sorted, at the end */
    guint n_gold, n_pred, n_paired;
    GPtrArray *missing_in_pred, *missing_in_gold, *warnings;
};

nerve_eval *nerve_eval_new(nerve_label_scheme scheme)
{
    nerve_eval *ev = g_new0(nerve_eval, 1);
    ev->scheme = scheme;
    ev->per_label = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    ev->missing_in_pred = g_ptr_array_new_with_free_func(g_free);
    ev->missing_in_gold = g_ptr_array_new_with_free_func(g_free);
    ev->warnings = g_ptr_array_new_with_free_func(g_free);
    return ev;
}

void nerve_eval_free(nerve_eval *ev)
{
    if (!ev)
        return;
    g_hash_table_destroy(ev->per_label);
    g_free(ev->labels);
    g_ptr_array_unref(ev->missing_in_pred);
    g_ptr_array_unref(ev->missing_in_gold);
    g_ptr_array_unref(ev->warnings);
    g_free(ev);
}

static counts *label_counts(nerve_eval *ev, const char *label)
{
    counts *c = g_hash_table_lookup(ev->per_label, label);
    if (!c) {
        c = g_new0(counts, 1);
        g_hash_table_insert(ev->per_label, (gpointer)label, c);
        g_clear_pointer(&ev->labels, g_free);
    }
    return c;
}

/* The four key sets of one document side; values of "exact" are labels. */
typedef struct {
    GHashTable *exact, *boundary, *trigger, *argument;
} keys;

static void keys_init(keys *k)
{
    k->exact = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    k->boundary = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    k->trigger = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    k->argument = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void keys_clear(keys *k)
{
    g_hash_table_destroy(k->exact);
    g_hash_table_destroy(k->boundary);
    g_hash_table_destroy(k->trigger);
    g_hash_table_destroy(k->argument);
}

static void keys_fill(const nerve_eval *ev, const nerve_gold_doc *d, keys *k)
{
    for (guint i = 0; d && i < d->entities->len; i++) {
        const nerve_gold_entity *e = &g_array_index(d->entities, nerve_gold_entity, i);
        const char *label = nerve_label_map(ev->scheme, e->label);
        if (!label)
            continue;
        label = g_intern_string(label);
        g_hash_table_replace(k->exact, g_strdup_printf("%u %u %s", e->start, e->end, label),
                             (gpointer)label);
        g_hash_table_replace(k->boundary, g_strdup_printf("%u %u", e->start, e->end), NULL);
    }
    for (guint i = 0; d && i < d->events->len; i++) {
        const nerve_gold_event *v = &g_array_index(d->events, nerve_gold_event, i);
        g_hash_table_replace(k->trigger, g_strdup_printf("%u %u %s", v->start, v->end, v->type),
                             NULL);
        for (guint j = 0; j < v->n_args; j++) {
            const nerve_gold_arg *a = &g_array_index(d->args, nerve_gold_arg, v->arg_first + j);
            g_hash_table_replace(k->argument,
                                 g_strdup_printf("%u %u %s\t%s %u %u", v->start, v->end, v->type,
                                                 a->role, a->start, a->end),
                                 NULL);
        }
    }
}

/* Counts set g against set p into c (and per label for exact). */
static void compare(nerve_eval *ev, GHashTable *g, GHashTable *p, counts *c, gboolean labels)
{
    GHashTableIter it;
    gpointer key, label;
    g_hash_table_iter_init(&it, g);
    while (g_hash_table_iter_next(&it, &key, &label)) {
        gboolean hit = g_hash_table_contains(p, key);
        c->tp += hit;
        c->fn += !hit;
        if (labels) {
            counts *l = label_counts(ev, label);
            l->tp += hit;
            l->fn += !hit;
        }
    }
    g_hash_table_iter_init(&it, p);
    while (g_hash_table_iter_next(&it, &key, &label)) {
        if (g_hash_table_contains(g, key))
            continue;
        c->fp++;
        if (labels)
            label_counts(ev, label)->fp++;
    }
}

void nerve_eval_add(nerve_eval *ev, const nerve_gold_doc *gold, const nerve_gold_doc *pred)
{
    keys g, p;
    keys_init(&g);
    keys_init(&p);
    keys_fill(ev, gold, &g);
    keys_fill(ev, pred, &p);
    compare(ev, g.exact, p.exact, &ev->micro, TRUE);
    compare(ev, g.boundary, p.boundary, &ev->boundary, FALSE);
    compare(ev, g.trigger, p.trigger, &ev->trigger, FALSE);
    compare(ev, g.argument, p.argument, &ev->argument, FALSE);
    keys_clear(&g);
    keys_clear(&p);
    ev->n_gold += gold != NULL;
    ev->n_pred += pred != NULL;
    ev->n_paired += gold && pred;
    if (gold && !pred)
        g_ptr_array_add(ev->missing_in_pred, g_strdup(gold->id));
    if (pred && !gold)
        g_ptr_array_add(ev->missing_in_gold, g_strdup(pred->id));
}

static gboolean any_synthetic(GPtrArray *docs)
{
    for (guint i = 0; i < docs->len; i++)
        if (((nerve_gold_doc *)g_ptr_array_index(docs, i))->synthetic)
            return TRUE;
    return FALSE;
}

/* conll on one side: pair by position, align onto the other side's text. */
static void run_by_position(nerve_eval *ev, GPtrArray *gold, GPtrArray *pred)
{
    gboolean g_syn = any_synthetic(gold), p_syn = any_synthetic(pred);
    for (guint i = 0; i < MAX(gold->len, pred->len); i++) {
        nerve_gold_doc *g = i < gold->len ? g_ptr_array_index(gold, i) : NULL;
        nerve_gold_doc *p = i < pred->len ? g_ptr_array_index(pred, i) : NULL;
        if (g && p && g_syn != p_syn) {
            nerve_gold_doc *syn = g_syn ? g : p, *real = g_syn ? p : g;
            if (!nerve_gold_doc_align(syn, real->id, real->text, real->len))
                g_ptr_array_add(
                    ev->warnings,
                    g_strdup_printf("document %u (%s): the CoNLL tokens are not found in "
                                    "order in the text; scored on the CoNLL text",
                                    i + 1, real->id));
        } else if (g && p && (g->len != p->len || memcmp(g->text, p->text, g->len)))
            g_ptr_array_add(
                ev->warnings,
                g_strdup_printf("document %u: the two CoNLL files have different tokens", i + 1));
        nerve_eval_add(ev, g, p);
    }
}

void nerve_eval_run(nerve_eval *ev, GPtrArray *gold, GPtrArray *pred)
{
    if (any_synthetic(gold) || any_synthetic(pred)) {
        run_by_position(ev, gold, pred);
        return;
    }
    GHashTable *by_id = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < pred->len; i++) {
        nerve_gold_doc *p = g_ptr_array_index(pred, i);
        if (!g_hash_table_contains(by_id, p->id))
            g_hash_table_insert(by_id, p->id, p);
        else
            g_ptr_array_add(
                ev->warnings,
                g_strdup_printf("pred: document id \"%s\" appears twice; the first is scored",
                                p->id));
    }
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < gold->len; i++) {
        nerve_gold_doc *g = g_ptr_array_index(gold, i);
        if (g_hash_table_contains(seen, g->id)) {
            g_ptr_array_add(
                ev->warnings,
                g_strdup_printf("gold: document id \"%s\" appears twice; the first is scored",
                                g->id));
            continue;
        }
        g_hash_table_add(seen, g->id);
        nerve_gold_doc *p = g_hash_table_lookup(by_id, g->id);
        if (p && p->len == g->len && memcmp(p->text, g->text, g->len))
            g_ptr_array_add(ev->warnings,
                            g_strdup_printf("document \"%s\": gold and pred texts differ", g->id));
        nerve_eval_add(ev, g, p);
        g_hash_table_remove(by_id, g->id);
    }
    for (guint i = 0; i < pred->len; i++) { /* in pred only, in pred order */
        nerve_gold_doc *p = g_ptr_array_index(pred, i);
        if (g_hash_table_lookup(by_id, p->id) == p)
            nerve_eval_add(ev, NULL, p);
    }
    g_hash_table_destroy(seen);
    g_hash_table_destroy(by_id);
}

static nerve_score score(const counts *c)
{
    nerve_score s = {c->tp, c->fp, c->fn, 0, 0, 0};
    if (!c->tp && !c->fp && !c->fn) {
        s.precision = s.recall = s.f1 = 1.0;
        return s;
    }
    s.precision = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 0.0;
    s.recall = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 0.0;
    s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
    return s;
}

nerve_score nerve_eval_micro(const nerve_eval *ev)
{
    return score(&ev->micro);
}

nerve_score nerve_eval_boundary(const nerve_eval *ev)
{
    return score(&ev->boundary);
}

nerve_score nerve_eval_trigger(const nerve_eval *ev)
{
    return score(&ev->trigger);
}

nerve_score nerve_eval_argument(const nerve_eval *ev)
{
    return score(&ev->argument);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *const *nerve_eval_labels(const nerve_eval *ev, guint *n)
{
    nerve_eval *m = (nerve_eval *)ev; /* the sorted list is a cache */
    if (!m->labels) {
        m->labels = (const char **)g_hash_table_get_keys_as_array(m->per_label, NULL);
        qsort(m->labels, g_hash_table_size(m->per_label), sizeof(char *),
              (int (*)(const void *, const void *))cmp_str);
    }
    *n = g_hash_table_size(ev->per_label);
    return m->labels;
}

nerve_score nerve_eval_label(const nerve_eval *ev, const char *label)
{
    counts zero = {0, 0, 0};
    const counts *c = g_hash_table_lookup(ev->per_label, g_intern_string(label));
    return score(c ? c : &zero);
}

nerve_score nerve_eval_macro(const nerve_eval *ev)
{
    nerve_score m = score(&ev->micro);
    guint n;
    const char *const *labels = nerve_eval_labels(ev, &n);
    if (!n)
        return m;
    m.precision = m.recall = m.f1 = 0;
    for (guint i = 0; i < n; i++) {
        nerve_score s = nerve_eval_label(ev, labels[i]);
        m.precision += s.precision / n;
        m.recall += s.recall / n;
        m.f1 += s.f1 / n;
    }
    return m;
}

const GPtrArray *nerve_eval_warnings(const nerve_eval *ev)
{
    return ev->warnings;
}

static json_t *score_json(nerve_score s)
{
    return json_pack("{s:f, s:f, s:f, s:I, s:I, s:I}", "precision", s.precision, "recall", s.recall,
                     "f1", s.f1, "tp", (json_int_t)s.tp, "fp", (json_int_t)s.fp, "fn",
                     (json_int_t)s.fn);
}

static json_t *string_array(const GPtrArray *a)
{
    json_t *arr = json_array();
    for (guint i = 0; i < a->len; i++)
        json_array_append_new(arr, json_string(g_ptr_array_index(a, i)));
    return arr;
}

json_t *nerve_eval_to_json(const nerve_eval *ev)
{
    json_t *per = json_object();
    guint n;
    const char *const *labels = nerve_eval_labels(ev, &n);
    for (guint i = 0; i < n; i++)
        json_object_set_new(per, labels[i], score_json(nerve_eval_label(ev, labels[i])));
    return json_pack(
        "{s:{s:o, s:o, s:o, s:o}, s:{s:o, s:o}, s:{s:i, s:i, s:i, s:o, s:o}}", "entities", "micro",
        score_json(nerve_eval_micro(ev)), "macro", score_json(nerve_eval_macro(ev)), "boundary",
        score_json(nerve_eval_boundary(ev)), "per_label", per, "events", "trigger",
        score_json(nerve_eval_trigger(ev)), "argument", score_json(nerve_eval_argument(ev)),
        "documents", "gold", (int)ev->n_gold, "pred", (int)ev->n_pred, "paired", (int)ev->n_paired,
        "missing_in_pred", string_array(ev->missing_in_pred), "missing_in_gold",
        string_array(ev->missing_in_gold));
}

static void row(GString *out, const char *name, nerve_score s)
{
    g_string_append_printf(out,
                           "  %-24s %7" G_GUINT64_FORMAT " %7" G_GUINT64_FORMAT
                           " %7" G_GUINT64_FORMAT "   %6.2f  %6.2f  %6.2f\n",
                           name, s.tp, s.fp, s.fn, 100 * s.precision, 100 * s.recall, 100 * s.f1);
}

static void list(GString *out, const char *what, const GPtrArray *ids)
{
    if (!ids->len)
        return;
    g_string_append_printf(out, "%s (%u):", what, ids->len);
    for (guint i = 0; i < ids->len && i < 20; i++)
        g_string_append_printf(out, " %s", (const char *)g_ptr_array_index(ids, i));
    g_string_append(out, ids->len > 20 ? " …\n" : "\n");
}

void nerve_eval_table(const nerve_eval *ev, GString *out)
{
    g_string_append_printf(out, "%-26s %7s %7s %7s   %6s  %6s  %6s\n", "entities", "tp", "fp", "fn",
                           "P%", "R%", "F1%");
    guint n;
    const char *const *labels = nerve_eval_labels(ev, &n);
    for (guint i = 0; i < n; i++)
        row(out, labels[i], nerve_eval_label(ev, labels[i]));
    row(out, "micro", nerve_eval_micro(ev));
    row(out, "macro", nerve_eval_macro(ev));
    row(out, "boundary (any label)", nerve_eval_boundary(ev));
    g_string_append(out, "events\n");
    row(out, "trigger (type + span)", nerve_eval_trigger(ev));
    row(out, "argument (+ role + span)", nerve_eval_argument(ev));
    g_string_append_printf(out, "documents: %u gold, %u pred, %u paired\n", ev->n_gold, ev->n_pred,
                           ev->n_paired);
    list(out, "missing in pred", ev->missing_in_pred);
    list(out, "missing in gold", ev->missing_in_gold);
}
