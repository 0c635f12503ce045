/* doc.c - the document and its annotation store.
 *
 * Tokens, sentences, entities, events and arguments live in arrays of
 * plain structs (doc.h), so stages append without per-item allocation and
 * writers walk them in order: GArrays, except for the two appended one at
 * a time in bulk (tokens, entities), which grow by hand (g_array_set_size()
 * is a call per item).  Strings made for a document (lower-cased
 * forms, shapes) go to one GStringChunk, an arena freed with the document.
 */
#include "nerve/doc.h"

#include <string.h>

typedef struct sort_key sort_key;

struct nerve_doc {
    char *id;
    char *text;
    size_t len;
    json_t *meta;    /* parsed meta, or NULL */
    char *meta_text; /* meta as JSON text "{...}", or NULL */
    size_t meta_text_len;
    GPtrArray *warnings; /* char*, lazily */
    GStringChunk *strings;

    char *norm; /* NULL: identity */
    size_t norm_len;
    GArray *edits; /* nerve_edit; NULL for identity */

    nerve_token *tokens; /* n_tokens used of cap_tokens: appended once per token, so
                          * not a GArray (its set_size is a call per token) */
    size_t n_tokens, cap_tokens;
    GArray *sentences;      /* nerve_sentence */
    nerve_entity *entities; /* n_entities used of cap_entities */
    size_t n_entities, cap_entities;
    GArray *events; /* nerve_event */
    GArray *args;   /* nerve_arg */
    size_t n_dropped;
    /* the last resolution: the keys of its winners, strongest first
       (sort_key, strength_of()), and how many entities it saw */
    sort_key *won;
    guint n_won, resolved;
    /* buffers of the resolution, kept across calls: the next winners
       (then swapped with won), the new keys, token occupancy */
    sort_key *won_next, *fresh;
    guint8 *taken;
    size_t cap_won, cap_won_next, cap_fresh, cap_taken;
    GArray *data; /* stage_data, lazily: few entries, searched in order */
};

typedef struct {
    const void *key;
    void *data;
    GDestroyNotify destroy;
} stage_data;

gboolean nerve_attrs_next(const char **it, const char **key, const char **value)
{
    if (!*it || !**it)
        return FALSE;
    *key = *it;
    *value = *key + strlen(*key) + 1;
    *it = *value + strlen(*value) + 1;
    return TRUE;
}

nerve_doc *nerve_doc_new(const char *id, const char *text, size_t len, json_t *meta)
{
    nerve_doc *d = g_new0(nerve_doc, 1);
    d->id = g_strdup(id ? id : "");
    d->text = g_malloc(len + 1);
    memcpy(d->text, text, len);
    d->text[len] = '\0';
    d->len = len;
    d->meta = meta;
    d->cap_tokens = len / 5 + 8;
    d->tokens = g_new(nerve_token, d->cap_tokens);
    d->sentences = g_array_new(FALSE, FALSE, sizeof(nerve_sentence));
    d->events = g_array_new(FALSE, FALSE, sizeof(nerve_event));
    d->args = g_array_new(FALSE, FALSE, sizeof(nerve_arg));
    return d;
}

void nerve_doc_free(nerve_doc *d)
{
    if (!d)
        return;
    g_free(d->id);
    g_free(d->text);
    if (d->meta)
        json_decref(d->meta);
    g_free(d->meta_text);
    if (d->warnings)
        g_ptr_array_free(d->warnings, TRUE);
    if (d->strings)
        g_string_chunk_free(d->strings);
    g_free(d->norm);
    if (d->edits)
        g_array_free(d->edits, TRUE);
    g_free(d->tokens);
    g_array_free(d->sentences, TRUE);
    g_free(d->entities);
    g_array_free(d->events, TRUE);
    g_array_free(d->args, TRUE);
    g_free(d->won);
    g_free(d->won_next);
    g_free(d->fresh);
    g_free(d->taken);
    for (guint i = 0; d->data && i < d->data->len; i++) {
        stage_data *x = &g_array_index(d->data, stage_data, i);
        if (x->destroy)
            x->destroy(x->data);
    }
    if (d->data)
        g_array_free(d->data, TRUE);
    g_free(d);
}

void nerve_doc_set_data(nerve_doc *d, const void *key, void *data, GDestroyNotify destroy)
{
    if (!d->data)
        d->data = g_array_new(FALSE, FALSE, sizeof(stage_data));
    stage_data add = {key, data, destroy};
    for (guint i = 0; i < d->data->len; i++) {
        stage_data *x = &g_array_index(d->data, stage_data, i);
        if (x->key == key) {
            stage_data old = *x;
            *x = add;
            if (old.destroy && old.data != data)
                old.destroy(old.data);
            return;
        }
    }
    g_array_append_val(d->data, add);
}

void *nerve_doc_get_data(const nerve_doc *d, const void *key)
{
    for (guint i = 0; d->data && i < d->data->len; i++)
        if (g_array_index(d->data, stage_data, i).key == key)
            return g_array_index(d->data, stage_data, i).data;
    return NULL;
}

const char *nerve_doc_id(const nerve_doc *d)
{
    return d->id;
}

const char *nerve_doc_text(const nerve_doc *d, size_t *len)
{
    if (len)
        *len = d->len;
    return d->text;
}

json_t *nerve_doc_meta(const nerve_doc *d)
{
    if (!d->meta && d->meta_text && d->meta_text_len > 2) {
        /* the reader validated the JSON; a document belongs to one thread
         * at a time, so caching here is safe */
        nerve_doc *m = (nerve_doc *)d;
        m->meta = json_loadb(d->meta_text, d->meta_text_len, JSON_ALLOW_NUL, NULL);
    }
    return d->meta;
}

const char *nerve_doc_meta_json(const nerve_doc *d, size_t *len)
{
    nerve_doc *m = (nerve_doc *)d;
    if (!d->meta_text) {
        m->meta_text = d->meta ? json_dumps(d->meta, JSON_COMPACT) : NULL;
        if (m->meta_text) { /* from Jansson's malloc to GLib's */
            char *copy = g_strdup(m->meta_text);
            free(m->meta_text);
            m->meta_text = copy;
        } else
            m->meta_text = g_strdup("{}");
        m->meta_text_len = strlen(m->meta_text);
    }
    if (len)
        *len = d->meta_text_len;
    return d->meta_text;
}

void nerve_doc_set_meta_raw(nerve_doc *d, char *raw, size_t len)
{
    if (d->meta)
        json_decref(d->meta);
    d->meta = NULL;
    g_free(d->meta_text);
    d->meta_text = g_malloc(len + 3);
    d->meta_text[0] = '{';
    memcpy(d->meta_text + 1, raw, len);
    d->meta_text[len + 1] = '}';
    d->meta_text[len + 2] = '\0';
    d->meta_text_len = len + 2;
    g_free(raw);
}

void nerve_doc_add_warning(nerve_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!d->warnings)
        d->warnings = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(d->warnings, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

guint nerve_doc_n_warnings(const nerve_doc *d)
{
    return d->warnings ? d->warnings->len : 0;
}

const char *nerve_doc_warning(const nerve_doc *d, guint i)
{
    return g_ptr_array_index(d->warnings, i);
}

const char *nerve_doc_strdup(nerve_doc *d, const char *s, size_t len)
{
    if (!d->strings)
        d->strings = g_string_chunk_new(MAX(4096, d->len / 2));
    return g_string_chunk_insert_len(d->strings, s, (gssize)len);
}

/* --- normalized view ---------------------------------------------------- */

void nerve_doc_set_norm(nerve_doc *d, char *norm, size_t len, GArray *edits)
{
    g_free(d->norm);
    if (d->edits)
        g_array_free(d->edits, TRUE);
    d->norm = norm;
    d->norm_len = norm ? len : 0;
    d->edits = norm ? edits : NULL;
    if (!norm && edits)
        g_array_free(edits, TRUE);
}

const char *nerve_doc_norm(const nerve_doc *d, size_t *len)
{
    if (!d->norm) {
        if (len)
            *len = d->len;
        return d->text;
    }
    if (len)
        *len = d->norm_len;
    return d->norm;
}

const nerve_edit *nerve_doc_norm_edits(const nerve_doc *d, size_t *n)
{
    *n = d->edits ? d->edits->len : 0;
    return d->edits ? (const nerve_edit *)(void *)d->edits->data : NULL;
}

gboolean nerve_doc_norm_is_identity(const nerve_doc *d)
{
    return d->norm == NULL;
}

/* Is edit e before the offset n?  For a start: an edit starting at n
 * counts (a deletion at n is skipped over); for an end it does not (a
 * deletion at n stays outside the span). */
static inline gboolean edit_before(const nerve_edit *e, uint32_t n, gboolean is_end)
{
    return is_end ? e->norm_start < n : e->norm_start <= n;
}

uint32_t nerve_doc_norm_to_orig_hint(const nerve_doc *d, uint32_t n, gboolean is_end, size_t *hint)
{
    if (!d->edits || d->edits->len == 0)
        return n;
    const nerve_edit *e = (const nerve_edit *)(void *)d->edits->data;
    size_t len = d->edits->len, k = MIN(*hint, len);
    /* k = the number of edits before n; walk from the hint, which is right
     * or close for increasing offsets, and fall back to bisection */
    if (k > 0 && !edit_before(&e[k - 1], n, is_end)) {
        size_t lo = 0, hi = k;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (edit_before(&e[mid], n, is_end))
                lo = mid + 1;
            else
                hi = mid;
        }
        k = lo;
    } else {
        while (k < len && edit_before(&e[k], n, is_end))
            k++;
    }
    *hint = k;
    if (k == 0)
        return n;
    const nerve_edit *x = &e[k - 1];
    if (n < x->norm_end || (is_end && n == x->norm_end))
        return is_end ? x->orig_end : x->orig_start;
    return n - x->norm_end + x->orig_end;
}

uint32_t nerve_doc_norm_to_orig(const nerve_doc *d, uint32_t n, gboolean is_end)
{
    size_t hint = 0;
    return nerve_doc_norm_to_orig_hint(d, n, is_end, &hint);
}

/* --- tokens and sentences ------------------------------------------------ */

nerve_token *nerve_doc_add_token(nerve_doc *d)
{
    if (d->n_tokens == d->cap_tokens) {
        d->cap_tokens *= 2;
        d->tokens = g_renew(nerve_token, d->tokens, d->cap_tokens);
    }
    nerve_token *t = &d->tokens[d->n_tokens++];
    memset(t, 0, sizeof *t);
    return t;
}

void nerve_doc_append_token(nerve_doc *d, const nerve_token *t)
{
    if (d->n_tokens == d->cap_tokens) {
        d->cap_tokens *= 2;
        d->tokens = g_renew(nerve_token, d->tokens, d->cap_tokens);
    }
    d->tokens[d->n_tokens++] = *t;
}

void nerve_doc_pop_token(nerve_doc *d)
{
    g_return_if_fail(d->n_tokens > 0);
    d->n_tokens--;
}

nerve_token *nerve_doc_tokens(const nerve_doc *d, size_t *n)
{
    if (n)
        *n = d->n_tokens;
    return d->tokens;
}

void nerve_doc_add_sentence(nerve_doc *d, uint32_t tok_start, uint32_t tok_end)
{
    g_return_if_fail(tok_start < tok_end && tok_end <= d->n_tokens);
    nerve_token *t = d->tokens;
    nerve_sentence s = {tok_start, tok_end, t[tok_start].start, t[tok_end - 1].end};
    for (uint32_t i = tok_start; i < tok_end; i++)
        t[i].sentence = d->sentences->len;
    g_array_append_val(d->sentences, s);
}

const nerve_sentence *nerve_doc_sentences(const nerve_doc *d, size_t *n)
{
    if (n)
        *n = d->sentences->len;
    return (const nerve_sentence *)(void *)d->sentences->data;
}

/* --- annotations ------------------------------------------------------- */

nerve_entity *nerve_doc_add_entity(nerve_doc *d)
{
    if (d->n_entities == d->cap_entities) {
        d->cap_entities = d->cap_entities ? 2 * d->cap_entities : 16;
        d->entities = g_renew(nerve_entity, d->entities, d->cap_entities);
    }
    nerve_entity *e = &d->entities[d->n_entities++];
    memset(e, 0, sizeof *e);
    return e;
}

nerve_entity *nerve_doc_entities(const nerve_doc *d, size_t *n)
{
    if (n)
        *n = d->n_entities;
    return d->entities;
}

void nerve_doc_entity_span(const nerve_doc *d, nerve_entity *e)
{
    const nerve_token *t = d->tokens;
    g_return_if_fail(e->tok_start < e->tok_end && e->tok_end <= d->n_tokens);
    e->start = t[e->tok_start].start;
    e->end = t[e->tok_end - 1].end;
}

nerve_event *nerve_doc_add_event(nerve_doc *d, uint32_t n_args)
{
    g_array_set_size(d->events, d->events->len + 1);
    nerve_event *ev = &g_array_index(d->events, nerve_event, d->events->len - 1);
    memset(ev, 0, sizeof *ev);
    ev->arg_first = d->args->len;
    ev->n_args = n_args;
    guint old = d->args->len;
    g_array_set_size(d->args, old + n_args);
    if (n_args) /* an empty array has no data pointer to offset */
        memset(&g_array_index(d->args, nerve_arg, old), 0, n_args * sizeof(nerve_arg));
    return ev;
}

nerve_event *nerve_doc_events(const nerve_doc *d, size_t *n)
{
    if (n)
        *n = d->events->len;
    return (nerve_event *)(void *)d->events->data;
}

nerve_arg *nerve_doc_args(const nerve_doc *d, size_t *n)
{
    if (n)
        *n = d->args->len;
    return (nerve_arg *)(void *)d->args->data;
}

/* --- resolution and finishing --------------------------------------------- */

/* A sort key: three words compared in order, then, when they tie and the
 * labels differ, the labels (interned: equal strings are one pointer).
 * Both sorts of the document end on a unique word (a store index), so no
 * two keys are equal and any correct sort gives one order. */
struct sort_key {
    uint64_t a, b, c;
    const char *label; /* NULL for strengths */
};

static inline gboolean key_less(const sort_key *x, const sort_key *y)
{
    if (x->a != y->a)
        return x->a < y->a;
    if (x->b != y->b)
        return x->b < y->b;
    if (x->label != y->label) {
        int c = strcmp(x->label, y->label);
        if (c)
            return c < 0;
    }
    return x->c < y->c;
}

/* Sorts k[0..n) ascending, tmp holding n keys: a merge sort with the
 * comparison inlined (qsort's call per comparison was most of the cost),
 * insertion below 16 keys, and no merge where two halves are already in
 * order (stages mostly add entities in position order). */
static void sort_keys(sort_key *k, size_t n, sort_key *tmp)
{
    if (n <= 16) {
        for (size_t a = 1; a < n; a++) {
            sort_key x = k[a];
            size_t b = a;
            for (; b > 0 && key_less(&x, &k[b - 1]); b--)
                k[b] = k[b - 1];
            k[b] = x;
        }
        return;
    }
    size_t mid = n / 2;
    sort_keys(k, mid, tmp);
    sort_keys(k + mid, n - mid, tmp);
    if (!key_less(&k[mid], &k[mid - 1]))
        return;
    memcpy(tmp, k, mid * sizeof *k);
    size_t i = 0, j = mid, o = 0;
    while (i < mid && j < n)
        k[o++] = key_less(&k[j], &tmp[i]) ? k[j++] : tmp[i++];
    while (i < mid)
        k[o++] = tmp[i++];
}

/* An entity's strength, smaller first: higher priority, longer span,
 * earlier start, earlier phase, lower order, then lower store index. */
static sort_key strength_of(const nerve_entity *e, guint i)
{
    uint32_t prio = ~((uint32_t)e->priority ^ 0x80000000u), len = ~(e->end - e->start);
    return (sort_key){(uint64_t)prio << 32 | len, (uint64_t)e->start << 32 | e->phase,
                      (uint64_t)e->order << 32 | i, NULL};
}

static gboolean in_play(const nerve_entity *e)
{
    return !(e->flags & (NERVE_ENTITY_DROPPED | NERVE_ENTITY_NESTED | NERVE_ENTITY_HIDDEN));
}

/* buf, or a new buffer in its place, of at least n items of size bytes;
 * *cap its capacity.  The contents are not kept. */
static void *reserve(void *buf, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return buf;
    *cap = MAX(n, 2 * *cap);
    g_free(buf);
    return g_malloc_n(*cap, size);
}

/* Entities never change once added (stages only add), and every entity
 * in play at the last call either won then or was dropped: the entities
 * in play now are that call's winners still in play and the ones added
 * since.  So only the new ones are sorted, then merged with the winners
 * kept in order, and placed strongest first as a full sort would. */
void nerve_doc_resolve_entities(nerve_doc *d)
{
    nerve_entity *ents = d->entities;
    guint n = (guint)d->n_entities, n_new = 0;
    d->fresh =
        reserve(d->fresh, &d->cap_fresh, 2 * (size_t)(n - d->resolved) + 1, sizeof(sort_key));
    sort_key *fresh = d->fresh;
    for (guint i = d->resolved; i < n; i++)
        if (in_play(&ents[i]))
            fresh[n_new++] = strength_of(&ents[i], i);
    d->resolved = n;
    if (!n_new)
        return;
    sort_keys(fresh, n_new, fresh + n_new);
    guint n_old = d->n_won, i = 0, j = 0, n_won = 0;
    d->won_next = reserve(d->won_next, &d->cap_won_next, (size_t)n_old + n_new, sizeof(sort_key));
    const sort_key *old = d->won;
    sort_key *w = d->won_next;
    /* occupancy by token: the winners are placed strongest first */
    d->taken = reserve(d->taken, &d->cap_taken, d->n_tokens + 1, 1);
    guint8 *taken = d->taken;
    memset(taken, 0, d->n_tokens + 1);
    while (i < n_old || j < n_new) {
        const sort_key *k;
        if (j == n_new || (i < n_old && key_less(&old[i], &fresh[j])))
            k = &old[i++];
        else
            k = &fresh[j++];
        nerve_entity *e = &ents[(guint)k->c];
        if (!in_play(e))
            continue;
        uint32_t t = e->tok_start;
        while (t < e->tok_end && !taken[t])
            t++;
        if (t == e->tok_end) {
            /* entities are short: stores, not a call per entity; any
               non-zero byte takes a token, one that varies keeps the
               compiler from making the loop a memset() */
            for (t = e->tok_start; t < e->tok_end; t++)
                taken[t] = (guint8)(t | 1);
            w[n_won++] = *k;
        } else {
            e->flags |= NERVE_ENTITY_DROPPED;
            d->n_dropped++;
        }
    }
    /* the winners' buffer and the next one's swap */
    sort_key *old_buf = d->won;
    size_t old_cap = d->cap_won;
    d->won = w;
    d->cap_won = d->cap_won_next;
    d->won_next = old_buf;
    d->cap_won_next = old_cap;
    d->n_won = n_won;
}

size_t nerve_doc_n_dropped(const nerve_doc *d)
{
    return d->n_dropped;
}

static int by_trigger(const void *a, const void *b)
{
    const nerve_event *x = a, *y = b;
    if (x->trig_start != y->trig_start)
        return x->trig_start < y->trig_start ? -1 : 1;
    if (x->trig_end != y->trig_end)
        return x->trig_end < y->trig_end ? -1 : 1;
    int c = strcmp(x->type, y->type);
    if (c)
        return c;
    if (x->phase != y->phase)
        return x->phase < y->phase ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void nerve_doc_finish(nerve_doc *d, gboolean keep_dropped)
{
    guint n = (guint)d->n_entities;
    nerve_entity *ents = d->entities;
    /* by position: start, end, phase, order, label, then store index */
    sort_key *keys = g_new(sort_key, 2 * (size_t)n + 1);
    guint *where = g_new(guint, n + 1);
    for (guint i = 0; i < n; i++)
        keys[i] = (sort_key){(uint64_t)ents[i].start << 32 | ents[i].end,
                             (uint64_t)ents[i].phase << 32 | ents[i].order, i, ents[i].label};
    sort_keys(keys, n, keys + n);
    nerve_entity *sorted = g_new(nerve_entity, n + 1);
    uint32_t next_id = 1;
    for (guint k = 0; k < n; k++) {
        guint from = (guint)keys[k].c;
        sorted[k] = ents[from];
        where[from] = k;
        gboolean written = !(sorted[k].flags & NERVE_ENTITY_HIDDEN) &&
                           (keep_dropped || !(sorted[k].flags & NERVE_ENTITY_DROPPED));
        sorted[k].id = written ? next_id++ : 0;
    }
    if (n)
        memcpy(ents, sorted, n * sizeof *sorted);
    g_free(sorted);
    g_free(keys);

    nerve_arg *args = (nerve_arg *)(void *)d->args->data;
    for (guint i = 0; i < d->args->len; i++) {
        nerve_arg *a = &args[i];
        if (a->entity < 0)
            continue;
        a->entity = (int32_t)where[a->entity];
        if (ents[a->entity].id == 0) /* not written: keep the span */
            a->entity = -1;
    }
    g_free(where);

    g_array_sort(d->events, by_trigger);
    nerve_event *evs = (nerve_event *)(void *)d->events->data;
    uint32_t next_ev = 1;
    for (guint i = 0; i < d->events->len; i++)
        evs[i].id = (evs[i].flags & NERVE_EVENT_DROPPED) ? 0 : next_ev++;
}
