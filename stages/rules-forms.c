/* rules-forms.c - the forms of a group of rule sets, and the forms of a
 * document's tokens in them (rules-forms.h).
 *
 * A group numbers the forms of all its phases in one open-addressing
 * table, sized for the distinct forms, and keeps a bit array of their
 * hashes small enough for the CPU's first-level cache: a token form that
 * is no literal (most are not) is turned away there, without probing the
 * table.  Every (re)numbering gets a serial no other numbering of the
 * process has had, and the forms of a document's tokens are kept with the
 * document together with that serial and the token count: a later stage
 * reuses them only when they were made from the same numbering and the
 * same tokens, so they cannot be stale (a freed document takes its forms
 * along; a document allocated where another was starts without any).
 */
#include "rules-forms.h"

#include <stdatomic.h>
#include <string.h>

struct form_group {
    GPtrArray *members; /* GPtrArray* of phase*, borrowed */
    /* hash << 32 | (id + 1), 0 empty; ids 1..n */
    uint64_t *slots;
    uint32_t mask, n;
    /* bit hash & bits_mask set for every form's hash: most token forms are
       no literal, and this small array (in the CPU's first cache) turns
       them away before they probe slots */
    uint64_t *bits;
    uint32_t bits_mask;
    gboolean shapes; /* some phase requires a shape: look token shapes up */
    /* per id (0: none, no bit): the bits of the phases with an entry */
    uint8_t *phases;
    /* per id: bit k when a test of some phase has it as a literal of key k
       (K_WORD .. K_SHAPE) */
    uint8_t *keys;
    uint64_t serial; /* of this numbering; 0 before the first */
};

/* The forms of a document's tokens, kept with it under &forms_key. */
typedef struct {
    uint64_t serial; /* of the numbering they were made with; 0: not to be reused */
    size_t n_tok, cap;
    uint8_t *bytes, *gphases;
    uint32_t *gids, *flags;
} doc_forms;

static const char forms_key;

static atomic_uint_fast64_t last_serial;

form_group *form_group_new(GPtrArray *phases)
{
    form_group *g = g_new0(form_group, 1);
    g->members = g_ptr_array_new();
    g_ptr_array_add(g->members, phases);
    return g;
}

void form_group_join(form_group *g, GPtrArray *phases)
{
    g_ptr_array_add(g->members, phases);
}

void form_group_leave(form_group *g, GPtrArray *phases)
{
    g_ptr_array_remove(g->members, phases);
    if (g->members->len)
        return;
    g_ptr_array_free(g->members, TRUE);
    g_free(g->slots);
    g_free(g->bits);
    g_free(g->phases);
    g_free(g->keys);
    g_free(g);
}

/* The slot of a form hash in g: its own, or the empty one it would take. */
static inline uint64_t *form_slot(const form_group *g, uint32_t hash)
{
    uint32_t i = hash & g->mask;
    while (g->slots[i] && (uint32_t)(g->slots[i] >> 32) != hash)
        i = (i + 1) & g->mask;
    return &g->slots[i];
}

/* The id of a form hash in g, or 0. */
static inline uint32_t form_find(const form_group *g, uint32_t hash)
{
    return (uint32_t)*form_slot(g, hash);
}

/* The same through the bits (after fit_table()). */
static inline uint32_t form_lookup(const form_group *g, uint32_t hash)
{
    uint32_t b = hash & g->bits_mask;
    return g->bits[b >> 6] >> (b & 63) & 1 ? form_find(g, hash) : 0;
}

/* The capacity for n forms: at most a quarter full (most token forms are
 * in no rule, and a miss probes up to an empty slot; measured at half
 * full: 16% more work for compute(), no fewer cache misses). */
static uint32_t table_cap(size_t n)
{
    uint32_t cap = 16;
    while (cap < 4 * n + 2)
        cap *= 2;
    return cap;
}

/* Moves the forms into a table sized for their number: the phases list
 * the same forms many times over, and a table sized for the listings
 * would be many times larger (1 MB instead of 128 KB for models/en),
 * probed at random once per token form. */
static void fit_table(form_group *g)
{
    uint32_t cap = table_cap(g->n), old_mask = g->mask;
    if (cap >= old_mask + 1)
        return;
    uint64_t *old = g->slots;
    g->slots = g_new0(uint64_t, cap);
    g->mask = cap - 1;
    for (uint32_t i = 0; i <= old_mask; i++)
        if (old[i])
            *form_slot(g, (uint32_t)(old[i] >> 32)) = old[i];
    g_free(old);
}

/* Sets the bits of every form: about 16 bits a form, 1 in 16 other
 * forms passes. */
static void fill_bits(form_group *g)
{
    uint32_t nbits = 512;
    while (nbits < 16 * (size_t)g->n)
        nbits *= 2;
    g_free(g->bits);
    g->bits = g_new0(uint64_t, nbits / 64);
    g->bits_mask = nbits - 1;
    for (uint32_t i = 0; i <= g->mask; i++)
        if (g->slots[i]) {
            uint32_t b = (uint32_t)(g->slots[i] >> 32) & g->bits_mask;
            g->bits[b >> 6] |= 1ull << (b & 63);
        }
}

void form_group_link(form_group *g)
{
    /* every member's phases in order: the k-th gets PHASE_BIT(k) */
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    for (guint m = 0; m < g->members->len; m++) {
        GPtrArray *list = g_ptr_array_index(g->members, m);
        for (guint p = 0; p < list->len; p++)
            g_ptr_array_add(all, g_ptr_array_index(list, p));
    }
    size_t total = 0;
    for (guint k = 0; k < all->len; k++) {
        const phase *ph = g_ptr_array_index(all, k);
        total += ph->index.n_entries + ph->lits->len;
    }
    /* room for every listing, made to fit the distinct ones below */
    uint32_t cap = table_cap(total);
    g_free(g->slots);
    g_free(g->phases);
    g_free(g->keys);
    g->slots = g_new0(uint64_t, cap);
    g->mask = cap - 1;
    g->n = 0;
    g->shapes = FALSE;
    for (guint k = 0; k < all->len; k++) {
        const phase *ph = g_ptr_array_index(all, k);
        for (guint i = 0; i < ph->reqs->len; i++)
            g->shapes |= g_array_index(ph->reqs, req_key, i).key == K_SHAPE;
        for (guint i = 0; i < ph->tests->len; i++) {
            const test *t = &g_array_index(ph->tests, test, i);
            g->shapes |= t->key == K_SHAPE && t->n_lits;
        }
        const rule_index *ix = &ph->index;
        for (uint32_t i = 0; ix->forms && i <= ix->forms_mask; i++)
            if (ix->forms[i]) {
                uint64_t *s = form_slot(g, (uint32_t)(ix->forms[i] >> 32));
                if (!*s)
                    *s = (ix->forms[i] & 0xFFFFFFFF00000000ull) | ++g->n;
            }
        /* every literal has an id too: a form without one is in no list
           (rules-vm.c) */
        for (guint i = 0; i < ph->lits->len; i++) {
            uint32_t hash = g_array_index(ph->lits, nerve_str, i).hash;
            uint64_t *s = form_slot(g, hash);
            if (!*s)
                *s = (uint64_t)hash << 32 | ++g->n;
        }
    }
    fit_table(g);
    fill_bits(g);
    g->phases = g_new0(uint8_t, (size_t)g->n + 1);
    g->keys = g_new0(uint8_t, (size_t)g->n + 1);
    for (guint k = 0; k < all->len; k++) {
        phase *ph = g_ptr_array_index(all, k);
        for (guint i = 0; i < ph->tests->len; i++) {
            const test *t = &g_array_index(ph->tests, test, i);
            for (uint32_t l = 0; l < t->n_lits; l++) {
                uint32_t hash = g_array_index(ph->lits, nerve_str, t->lits_first + l).hash;
                g->keys[form_find(g, hash)] |= (uint8_t)(1u << t->key);
            }
        }
        rule_index *ix = &ph->index;
        ph->bit = PHASE_BIT(k);
        g_free(ix->gentry);
        ix->gentry = g_new0(uint32_t, (size_t)g->n + 1);
        for (uint32_t i = 0; ix->forms && i <= ix->forms_mask; i++)
            if (ix->forms[i]) {
                uint32_t id = (uint32_t)*form_slot(g, (uint32_t)(ix->forms[i] >> 32));
                uint32_t entry = (uint32_t)ix->forms[i];
                const form_entry *e = &ix->entries[entry - 1];
                for (int key = 0; key < 4; key++)
                    entry |= (key < 3 && e->start_n[key] ? GENTRY_START(key) : 0) |
                             (e->req_n[key] ? GENTRY_REQ(key) : 0) |
                             (e->cond_n[key] ? GENTRY_COND(key) : 0);
                ix->gentry[id] = entry;
                g->phases[id] |= ph->bit;
            }
    }
    g->serial = atomic_fetch_add(&last_serial, 1) + 1;
}

static void doc_forms_free(void *p)
{
    doc_forms *f = p;
    g_free(f->bytes);
    g_free(f->gphases);
    g_free(f->gids);
    g_free(f->flags);
    g_free(f);
}

/* A form without bytes (NULL: unfilled, doc.h) has length 0, so the
 * length alone tells (the token tests of rules-vm.c read the bytes of any
 * form with a length too). */
static inline uint8_t first_byte(const nerve_str *f)
{
    return f->len ? (uint8_t)f->s[0] : 0;
}

/* How many tokens ahead compute() prefetches. */
#define AHEAD 8

/* Fills f for the n_tok tokens toks; whether every lemma and shape was
 * there. */
static gboolean compute(const form_group *g, const nerve_token *toks, size_t n_tok, doc_forms *f)
{
    uint8_t *b = f->bytes, *gp = f->gphases;
    uint32_t *gi = f->gids;
    const uint8_t *phases = g->phases;
    gboolean filled = TRUE;
    for (size_t i = 0; i < n_tok; i++, b += 4, gi += 4) {
        const nerve_token *t = &toks[i];
        if (i + AHEAD < n_tok) { /* misses overlap instead of queueing */
            const nerve_token *u = &toks[i + AHEAD];
            __builtin_prefetch(&g->slots[u->lower.hash & g->mask]);
            if (u->lemma.s && u->lemma.hash != u->lower.hash)
                __builtin_prefetch(u->lemma.s);
        }
        filled &= t->lemma.s && t->shape.s;
        f->flags[i] = t->flags;
        b[0] = first_byte(&t->norm);
        b[1] = first_byte(&t->lower);
        b[2] = !t->lemma.s || t->lemma.hash == t->lower.hash ? b[1] : first_byte(&t->lemma);
        b[3] = first_byte(&t->shape);
        uint32_t hw = t->norm.hash, hl = t->lower.hash, hm = t->lemma.s ? t->lemma.hash : hl;
        gi[K_LOWER] = form_lookup(g, hl);
        gi[K_WORD] = hw == hl ? gi[K_LOWER] : form_lookup(g, hw);
        gi[K_LEMMA] = hm == hl ? gi[K_LOWER] : hm == hw ? gi[K_WORD] : form_lookup(g, hm);
        gi[K_SHAPE] = g->shapes ? form_lookup(g, t->shape.hash) : 0;
        gp[i] = (uint8_t)(phases[gi[0]] | phases[gi[1]] | phases[gi[2]] | phases[gi[3]]);
    }
    return filled;
}

void form_group_tokens(const form_group *g, nerve_doc *doc, token_forms *out)
{
    size_t n_tok;
    const nerve_token *toks = nerve_doc_tokens(doc, &n_tok);
    doc_forms *f = nerve_doc_get_data(doc, &forms_key);
    if (!f) {
        f = g_new0(doc_forms, 1);
        nerve_doc_set_data(doc, &forms_key, f, doc_forms_free);
    }
    if (!f->serial || f->serial != g->serial || f->n_tok != n_tok) {
        if (n_tok + 1 > f->cap) {
            g_free(f->bytes);
            g_free(f->gphases);
            g_free(f->gids);
            g_free(f->flags);
            f->cap = n_tok + 1;
            f->bytes = g_new(uint8_t, 4 * f->cap);
            f->gids = g_new(uint32_t, 4 * f->cap);
            f->flags = g_new(uint32_t, f->cap);
            f->gphases = g_new(uint8_t, f->cap + 8);
        }
        memset(f->gphases + n_tok, 0, 8);
        f->n_tok = n_tok;
        f->serial = compute(g, toks, n_tok, f) ? g->serial : 0;
    }
    out->bytes = f->bytes;
    out->gids = f->gids;
    out->gkeys = g->keys;
    out->gphases = f->gphases;
    out->flags = f->flags;
}
