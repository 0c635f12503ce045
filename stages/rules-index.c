/* rules-index.c - the index of a phase: which rules can start at a token,
 * and which rules can match in a sentence at all (rules-match.c uses it).
 *
 * Everything is keyed by what tokens already carry, so a token costs no
 * hashing and no string comparison here:
 * - forms: one open-addressing table from a form's nerve_hash (the hash
 *   the tokenizer and lexicon stored in the token) to the rules whose first
 *   step needs that form (by key: word, lower, lemma) and to the rules that
 *   need it somewhere in their sentence (the requirement rules-compile.c
 *   found).  A token probes it once per distinct hash among its forms,
 *   and most tokens miss at the first slot.
 * - entity labels: dense arrays by label id.
 * - "always" rules, whose first step is no literal and no entity
 *   ([is=title], /regex/, []): rules with equal first steps form a group,
 *   tested once per token.  The first steps of a group give a filter of
 *   the bytes each form may begin with ([0-9] for an ordinal regex, a
 *   literal's first byte) and of whether an entity must start at the
 *   token (@ORG); a table from (form key, first byte) to the groups
 *   allowed turns "which groups are worth testing here" into five loads
 *   and an AND, and one from each byte of the token flags to the groups
 *   that need one of its flags (is=number) into four more loads and an
 *   OR.  The same filter per rule spares the matcher most calls
 *   of a rule's first steps (windowed rules ask at every token of their
 *   windows).
 * Cheap tests of a constraint are put first (flags, entities, literals,
 * regexes), since a constraint is a conjunction.
 * Hash collisions only add candidates: the matcher checks every step.
 */
#include <stdlib.h>
#include <string.h>

#include "nerve/hash.h"
#include "nerve/writer.h"
#include "rules-internal.h"
#include "rules-regex.h"

typedef struct {
    /* per key K_WORD, K_LOWER, K_LEMMA (K_SHAPE: req, cond): rule ids,
       condition ids */
    GArray *start[3], *req[4], *cond[4];
} form_lists;

typedef struct {
    GHashTable *forms;                      /* guint64 hash -> form_lists* */
    GArray **start, **cover, **req, **cond; /* per label id (+ any) */
    GArray *always;
} builder;

static void form_lists_free(gpointer p)
{
    form_lists *f = p;
    for (int k = 0; k < 4; k++) {
        if (k < 3 && f->start[k])
            g_array_free(f->start[k], TRUE);
        if (f->req[k])
            g_array_free(f->req[k], TRUE);
        if (f->cond[k])
            g_array_free(f->cond[k], TRUE);
    }
    g_free(f);
}

static void add_to(GArray **slot, uint32_t rule_id)
{
    if (!*slot)
        *slot = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *a = *slot;
    if (!a->len || g_array_index(a, uint32_t, a->len - 1) != rule_id)
        g_array_append_val(a, rule_id);
}

static form_lists *form_of(builder *b, uint32_t hash)
{
    guint64 k = hash;
    form_lists *f = g_hash_table_lookup(b->forms, &k);
    if (!f) {
        guint64 *kp = g_new(guint64, 1);
        *kp = k;
        f = g_new0(form_lists, 1);
        g_hash_table_insert(b->forms, kp, f);
    }
    return f;
}

/* The hash of literal v, or of v + "." (the abbreviation token: Mr.). */
static uint32_t dotted_hash(const nerve_str *v)
{
    g_autofree char *dot = g_strdup_printf("%.*s.", (int)v->len, v->s);
    return nerve_hash(dot, v->len + 1);
}

/* Indexes one first step of rule rule_id; FALSE when it can start anywhere. */
static gboolean index_step(phase *ph, builder *b, const inst *in, uint32_t rule_id)
{
    uint32_t any = ph->id_labels->len;
    if (in->op == I_ENT) {
        if (in->x == UINT32_MAX) {
            add_to(&b->start[any], rule_id);
            return TRUE;
        }
        const labelset *ls = &g_array_index(ph->labelsets, labelset, in->x);
        for (uint32_t i = 0; i < ls->n; i++) {
            const char *l = g_ptr_array_index(ph->set_labels, ls->first + i);
            add_to(&b->start[GPOINTER_TO_UINT(g_hash_table_lookup(ph->ids, l)) - 1], rule_id);
        }
        return TRUE;
    }
    if (in->x == UINT32_MAX)
        return FALSE;
    const constraint *c = &g_array_index(ph->cons, constraint, in->x);
    const test *tests = &g_array_index(ph->tests, test, c->first);
    for (uint32_t i = 0; i < c->n; i++) {
        const test *t = &tests[i];
        if (t->negate || t->n_regex || !t->n_lits || t->key > K_LEMMA)
            continue;
        for (uint32_t k = 0; k < t->n_lits; k++) {
            const nerve_str *v = &g_array_index(ph->lits, nerve_str, t->lits_first + k);
            add_to(&form_of(b, v->hash)->start[t->key], rule_id);
            if (t->abbrev)
                add_to(&form_of(b, dotted_hash(v))->start[t->key], rule_id);
        }
        return TRUE;
    }
    for (uint32_t i = 0; i < c->n; i++) {
        const test *t = &tests[i];
        if (t->negate || t->key != K_ENT)
            continue;
        if (!t->n_labels)
            add_to(&b->cover[any], rule_id);
        for (uint32_t k = 0; k < t->n_labels; k++)
            add_to(&b->cover[g_array_index(ph->label_ids, uint32_t, t->labels_first + k)], rule_id);
        return TRUE;
    }
    return FALSE;
}

/* The requirements: which rules each form or label lets run. */
static void add_reqs(phase *ph, builder *b)
{
    for (uint32_t r = 0; r < ph->rules->len; r++) {
        const rule *ru = &g_array_index(ph->rules, rule, r);
        for (uint32_t k = 0; k < ru->req_n; k++) {
            req_key q = g_array_index(ph->reqs, req_key, ru->req_first + k);
            if (q.key == K_ENT)
                add_to(&b->req[q.hash == UINT32_MAX ? ph->id_labels->len : q.hash], r);
            else
                add_to(&form_of(b, q.hash)->req[q.key], r);
        }
    }
    /* the conditions: which conditions each form or label meets */
    for (uint32_t c = 0; c < ph->conds->len / 2; c++) {
        uint32_t first = g_array_index(ph->conds, uint32_t, 2 * c),
                 n = g_array_index(ph->conds, uint32_t, 2 * c + 1);
        for (uint32_t k = 0; k < n; k++) {
            req_key q = g_array_index(ph->reqs, req_key, first + k);
            if (q.key == K_ENT)
                add_to(&b->cond[q.hash == UINT32_MAX ? ph->id_labels->len : q.hash], c);
            else
                add_to(&form_of(b, q.hash)->cond[q.key], c);
        }
    }
    rule_index *ix = &ph->index;
    ix->n_conds = ph->conds->len / 2;
    ix->need = g_new0(uint8_t, ph->rules->len + 1);
    ix->free = g_new0(uint32_t, ph->rules->len + 1);
    ix->marks = g_new0(rule_mark, ph->rules->len + 1);
    for (uint32_t r = 0; r < ph->rules->len; r++) {
        const rule *ru = &g_array_index(ph->rules, rule, r);
        ix->marks[r] = (rule_mark){ru->req_lo,     ru->req_hi,          ru->req_ents,
                                   ru->cond_first, (uint8_t)ru->cond_n, (uint8_t)ru->anchored};
        ix->need[r] = ru->req_n > 0;
        if (!ix->need[r])
            ix->free[ix->n_free++] = r;
    }
}

/* Appends list (may be NULL) to all: (*first, *n). */
static void flatten_list(GArray *list, GArray *all, uint32_t *first, uint32_t *n)
{
    *first = all->len;
    *n = list ? list->len : 0;
    if (list)
        g_array_append_vals(all, list->data, list->len);
}

/* Appends list (may be NULL) to a form's block in all: its length, then
 * it, unless it is empty (form_entry); its length to *n, and where it
 * begins to *first when first is not NULL. */
static void block_list(GArray *list, GArray *all, uint32_t *first, uint32_t *n)
{
    uint32_t at;
    if (list && list->len) {
        uint32_t len = list->len;
        g_array_append_val(all, len);
    }
    flatten_list(list, all, first ? first : &at, n);
}

static void flatten_forms(rule_index *ix, GHashTable *forms, GArray *all)
{
    guint n = g_hash_table_size(forms);
    uint32_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    ix->forms = g_new0(uint64_t, cap);
    ix->forms_mask = cap - 1;
    ix->entries = g_new0(form_entry, n + 1);
    ix->blocks = g_new0(uint32_t, n + 1);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, forms);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const form_lists *f = v;
        form_entry *e = &ix->entries[ix->n_entries];
        ix->blocks[ix->n_entries] = all->len;
        for (int key = 0; key < 4; key++) {
            block_list(f->req[key], all, NULL, &e->req_n[key]);
            block_list(f->cond[key], all, NULL, &e->cond_n[key]);
        }
        for (int key = 0; key < 3; key++)
            block_list(f->start[key], all, &e->start_first[key], &e->start_n[key]);
        uint32_t hash = (uint32_t) * (guint64 *)k, i = hash & ix->forms_mask;
        while (ix->forms[i])
            i = (i + 1) & ix->forms_mask;
        ix->forms[i] = (uint64_t)hash << 32 | ++ix->n_entries;
    }
}

/* Flattens the per-label lists into (first, n) pairs over all. */
static void flatten_labels(GArray **lists, guint n, GArray *all, uint32_t **first, uint32_t **count)
{
    *first = g_new0(uint32_t, n);
    *count = g_new0(uint32_t, n);
    for (guint i = 0; i < n; i++) {
        flatten_list(lists[i], all, &(*first)[i], &(*count)[i]);
        if (lists[i])
            g_array_free(lists[i], TRUE);
    }
}

/* --- first-byte filters ---------------------------------------------------------- */

static void filter_fill(byte_filter *f)
{
    memset(f, 0xFF, sizeof *f);
    f->bol = FALSE;
}

/* The first bytes a form can have for test t (positive, on a form). */
static void test_bytes(const phase *ph, const test *t, uint64_t set[4])
{
    memset(set, 0, 4 * sizeof(uint64_t));
    set[0] = 1; /* empty forms */
    for (uint32_t k = 0; k < t->n_lits; k++) {
        const nerve_str *v = &g_array_index(ph->lits, nerve_str, t->lits_first + k);
        uint8_t c = v->len ? (uint8_t)v->s[0] : 0;
        set[c / 64] |= 1ull << (c % 64);
    }
    for (uint32_t k = 0; k < t->n_regex; k++) {
        uint32_t i = g_array_index(ph->regex_refs, uint32_t, t->regex_first + k);
        const rx_dfa *d = g_ptr_array_index(ph->dfas, i);
        if (!d) {
            memset(set, 0xFF, 4 * sizeof(uint64_t));
            return;
        }
        rx_dfa_first_bytes(d, set);
    }
}

/* Adds to f the forms a token of step in can have. */
static void step_filter(const phase *ph, const inst *in, byte_filter *f)
{
    byte_filter s;
    filter_fill(&s);
    if (in->op == I_ENT) /* an entity must start at the token */
        s.bits[F_ENTITY][0] = 2;
    if (in->op == I_TOK && in->x != UINT32_MAX) {
        const constraint *c = &g_array_index(ph->cons, constraint, in->x);
        for (uint32_t i = 0; i < c->n; i++) {
            const test *t = &g_array_index(ph->tests, test, c->first + i);
            if (!t->negate && t->key == K_IS && t->flags && s.flags == UINT32_MAX)
                s.flags = t->flags; /* the token needs one of them (and maybe more) */
            if (t->negate || t->key > K_SHAPE)
                continue;
            uint64_t set[4];
            test_bytes(ph, t, set);
            for (int w = 0; w < 4; w++)
                s.bits[t->key][w] &= set[w];
        }
    }
    for (int k = 0; k < 5; k++)
        for (int w = 0; w < 4; w++)
            f->bits[k][w] |= s.bits[k][w];
    f->flags |= s.flags;
}

static void build_filters(phase *ph)
{
    rule_index *ix = &ph->index;
    ix->filters = g_new0(byte_filter, ph->rules->len + 1);
    ix->filtered = g_new0(uint8_t, ph->rules->len + 1);
    for (uint32_t r = 0; r < ph->rules->len; r++) {
        const rule *ru = &g_array_index(ph->rules, rule, r);
        byte_filter *f = &ix->filters[r];
        if (ru->nullable)
            filter_fill(f);
        for (uint32_t k = 0; k < ru->n_first && !ru->nullable; k++)
            step_filter(ph, &ru->prog[ru->first[k]], f);
        f->bits[F_ENTITY][0] |= ~3ull; /* only bits 0 and 1 are asked */
        f->bol = ru->anchored;
        for (int k = 0; k < 5; k++)
            for (int w = 0; w < 4; w++)
                ix->filtered[r] |= f->bits[k][w] != ~0ull;
        ix->filtered[r] |= f->flags != UINT32_MAX || f->bol;
    }
}

/* --- groups of rules tried anywhere ---------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
    return x < y ? -1 : x > y;
}

/* Appends tag and x in decimal: a signature spells every literal of its
 * constraints, and printf costs a thousand instructions a number. */
static void sig_num(GString *sig, char tag, uint32_t x)
{
    g_string_append_c(sig, tag);
    nerve_append_uint(sig, x);
}

/* Appends a description of constraint c that equal constraints share. */
static void constraint_sig(const phase *ph, uint32_t c, GString *sig)
{
    if (c == UINT32_MAX) {
        g_string_append(sig, "any;");
        return;
    }
    const constraint *cs = &g_array_index(ph->cons, constraint, c);
    for (uint32_t i = 0; i < cs->n; i++) {
        const test *t = &g_array_index(ph->tests, test, cs->first + i);
        sig_num(sig, 'k', t->key);
        sig_num(sig, ',', t->negate);
        sig_num(sig, ',', t->abbrev);
        sig_num(sig, ',', t->flags);
        for (uint32_t k = 0; k < t->n_lits; k++) {
            const nerve_str *v = &g_array_index(ph->lits, nerve_str, t->lits_first + k);
            sig_num(sig, ':', v->len);
            g_string_append_c(sig, ':');
            g_string_append_len(sig, v->s, v->len);
        }
        for (uint32_t k = 0; k < t->n_regex; k++)
            sig_num(sig, '/', g_array_index(ph->regex_refs, uint32_t, t->regex_first + k));
        for (uint32_t k = 0; k < t->n_labels; k++)
            sig_num(sig, '@', g_array_index(ph->label_ids, uint32_t, t->labels_first + k));
        g_string_append_c(sig, '&');
    }
    g_string_append_c(sig, ';');
}

/* Appends a description of what decides whether rule r can start at a
 * token (vm_can_start()): its first steps and its filter, which depends on
 * nothing else (build_filters()), that is the steps and whether every
 * start follows ^ (a rule that may start anywhere must not share the
 * answer of one that may not). */
static void first_sig(const phase *ph, const rule *r, GString *sig)
{
    if (r->anchored)
        g_string_append(sig, "^");
    if (r->nullable) {
        g_string_append(sig, "nullable");
        return;
    }
    for (uint32_t k = 0; k < r->n_first; k++) {
        const inst *in = &r->prog[r->first[k]];
        if (in->op == I_ENT) {
            sig_num(sig, 'E', in->x);
            g_string_append_c(sig, ';');
        } else
            constraint_sig(ph, in->x, sig);
    }
}

/* Orders the rules tried anywhere so that rules with the same first steps
 * are adjacent, numbers their groups 0.. in that order, and fills the
 * table of the groups each first byte of each form allows. */
static void group_always(phase *ph, GArray *always)
{
    rule_index *ix = &ph->index;
    g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree guint64 *keyed = g_new(guint64, always->len + 1);
    for (guint i = 0; i < always->len; i++) {
        uint32_t id = g_array_index(always, uint32_t, i);
        GString *sig = g_string_new(NULL);
        first_sig(ph, &g_array_index(ph->rules, rule, id), sig);
        gpointer g = g_hash_table_lookup(groups, sig->str);
        if (!g) {
            g = GUINT_TO_POINTER(g_hash_table_size(groups) + 1);
            g_hash_table_insert(groups, g_strdup(sig->str), g);
        }
        g_string_free(sig, TRUE);
        keyed[i] = (guint64)GPOINTER_TO_UINT(g) << 32 | id;
    }
    qsort(keyed, always->len, sizeof(guint64), cmp_u64);
    ix->n_always = always->len;
    ix->always = g_new0(uint32_t, always->len + 1);
    ix->always_group = g_new0(uint32_t, always->len + 1);
    ix->n_groups = g_hash_table_size(groups);
    ix->gwords = (ix->n_groups + 63) / 64;
    ix->group_rule = g_new0(uint32_t, ix->n_groups + 1);
    ix->group_bytes = g_new0(uint64_t, (size_t)5 * 256 * ix->gwords + 1);
    ix->group_flags = g_new0(uint64_t, (size_t)4 * 256 * ix->gwords + 1);
    for (guint i = 0; i < always->len; i++) {
        uint32_t id = (uint32_t)keyed[i], g = (uint32_t)(keyed[i] >> 32) - 1;
        ix->always[i] = id;
        ix->always_group[i] = g;
        ix->group_rule[g] = id;
    }
    for (uint32_t g = 0; g < ix->n_groups; g++) {
        const byte_filter *f = &ix->filters[ix->group_rule[g]];
        for (int k = 0; k < 5; k++)
            for (unsigned c = 0; c < 256; c++)
                if ((f->bits[k][c / 64] >> (c % 64)) & 1)
                    ix->group_bytes[((size_t)k * 256 + c) * ix->gwords + g / 64] |= 1ull
                                                                                    << (g % 64);
        for (int k = 0; k < 4; k++)
            for (unsigned c = 0; c < 256; c++)
                if ((f->flags >> (8 * k)) & c)
                    ix->group_flags[((size_t)k * 256 + c) * ix->gwords + g / 64] |= 1ull
                                                                                    << (g % 64);
    }
}

/* --- the index ----------------------------------------------------------------- */

static int by_hash(const void *a, const void *b)
{
    uint32_t x = ((const nerve_str *)a)->hash, y = ((const nerve_str *)b)->hash;
    return x < y ? -1 : x > y;
}

/* How much a test costs: flags, then literals a token must have (a form
 * no literal has fails them at once, rules-vm.c, and most tokens fail
 * them), then entities, then other literals, then regexes (ICU's last). */
static int test_cost(const phase *ph, const test *t)
{
    if (t->key == K_IS)
        return 0;
    if (t->key != K_ENT && !t->negate && !t->n_regex)
        return 1;
    if (t->key == K_ENT)
        return 2;
    for (uint32_t k = 0; k < t->n_regex; k++)
        if (!g_ptr_array_index(ph->dfas,
                               g_array_index(ph->regex_refs, uint32_t, t->regex_first + k)))
            return 5;
    return t->n_regex ? 4 : 3;
}

/* Puts the cheap tests of each constraint first (a constraint is a
 * conjunction: the order changes only what fails first). */
static void order_tests(phase *ph)
{
    for (guint c = 0; c < ph->cons->len; c++) {
        const constraint *cs = &g_array_index(ph->cons, constraint, c);
        test *t = &g_array_index(ph->tests, test, cs->first);
        for (uint32_t i = 1; i < cs->n; i++) /* insertion sort: stable, n is small */
            for (uint32_t j = i; j > 0 && test_cost(ph, &t[j]) < test_cost(ph, &t[j - 1]); j--) {
                test x = t[j];
                t[j] = t[j - 1];
                t[j - 1] = x;
            }
    }
}

/* Whether testing constraint c costs more than looking up a memo. */
static gboolean costly(const phase *ph, const constraint *c)
{
    uint32_t lits = 0;
    for (uint32_t i = 0; i < c->n; i++) {
        const test *t = &g_array_index(ph->tests, test, c->first + i);
        if (t->n_regex)
            return TRUE;
        lits += t->n_lits + t->n_labels;
    }
    return c->n >= 2 || lits > 4;
}

/* Gives the costly constraints memo slots, one per distinct constraint,
 * in their quick records (after quick_records()). */
static void memo_slots(phase *ph)
{
    rule_index *ix = &ph->index;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GString *sig = g_string_new(NULL);
    for (guint c = 0; c < ph->cons->len; c++) {
        if (!costly(ph, &g_array_index(ph->cons, constraint, c)))
            continue;
        g_string_truncate(sig, 0);
        constraint_sig(ph, c, sig);
        gpointer slot = g_hash_table_lookup(seen, sig->str);
        if (!slot) {
            slot = GUINT_TO_POINTER(++ix->n_memo);
            g_hash_table_insert(seen, g_strdup(sig->str), slot);
        }
        ix->quick[c].memo = GPOINTER_TO_UINT(slot) - 1;
    }
    g_string_free(sig, TRUE);
    g_hash_table_destroy(seen);
}

/* The label masks of the rules' first entity steps (rules-vm.c tests an
 * entity starting at a token against them at once). */
static void first_labels(phase *ph)
{
    rule_index *ix = &ph->index;
    uint32_t any = ph->id_labels->len;
    ix->first_labels = g_new0(uint64_t, (size_t)ph->rules->len * ix->label_words + 1);
    ix->first_ent = g_new0(uint8_t, ph->rules->len + 1);
    for (guint r = 0; r < ph->rules->len; r++) {
        const rule *ru = &g_array_index(ph->rules, rule, r);
        uint64_t *mask = ix->first_labels + (size_t)r * ix->label_words;
        for (uint32_t k = 0; k < ru->n_first; k++) {
            const inst *in = &ru->prog[ru->first[k]];
            if (in->op != I_ENT)
                continue;
            ix->first_ent[r] = 1;
            if (in->x == UINT32_MAX) {
                mask[any / 64] |= 1ull << (any % 64);
                continue;
            }
            const labelset *ls = &g_array_index(ph->labelsets, labelset, in->x);
            for (uint32_t i = 0; i < ls->n; i++) {
                uint32_t id = GPOINTER_TO_UINT(g_hash_table_lookup(
                                  ph->ids, g_ptr_array_index(ph->set_labels, ls->first + i))) -
                              1;
                mask[id / 64] |= 1ull << (id % 64);
            }
        }
    }
}

/* The quick records of the constraints (after order_tests(); memo_slots()
 * then gives the costly ones their slots). */
static void quick_records(phase *ph)
{
    rule_index *ix = &ph->index;
    ix->quick = g_new0(cons_quick, ph->cons->len + 1);
    for (guint c = 0; c < ph->cons->len; c++) {
        const constraint *cs = &g_array_index(ph->cons, constraint, c);
        cons_quick *q = &ix->quick[c];
        q->memo = UINT32_MAX;
        q->first = cs->first;
        q->single = cs->n == 1;
        g_assert(cs->n > 0); /* the parser makes none without a test */
        const test *t = &g_array_index(ph->tests, test, cs->first);
        q->key = t->key;
        q->negate = t->negate;
        if (t->key == K_IS) {
            q->quick = Q_IS;
            q->x = t->flags;
        } else if (t->key == K_ENT)
            q->quick = Q_ENT;
        else if (t->n_regex)
            q->quick = Q_SLOW;
        else if (t->n_lits == 1) {
            q->quick = Q_LIT1;
            q->x = g_array_index(ph->lits, nerve_str, t->lits_first).hash;
        } else
            q->quick = Q_LITS;
        if (t->abbrev && q->quick != Q_SLOW && t->key != K_IS && t->key != K_ENT)
            q->quick |= Q_ABBREV;
    }
}

/* The constraints of the rules' first token steps, in the order of
 * rule.first. */
static void first_steps_of(phase *ph)
{
    rule_index *ix = &ph->index;
    ix->firsts = g_new0(rule_firsts, ph->rules->len + 1);
    GArray *all = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (guint r = 0; r < ph->rules->len; r++) {
        const rule *ru = &g_array_index(ph->rules, rule, r);
        ix->firsts[r].first = all->len;
        for (uint32_t k = 0; k < ru->n_first; k++) {
            const inst *in = &ru->prog[ru->first[k]];
            if (in->op == I_TOK)
                g_array_append_val(all, in->x);
        }
        ix->firsts[r].n = ru->nullable ? FIRST_ANY : all->len - ix->firsts[r].first;
    }
    uint32_t sentinel = UINT32_MAX; /* never empty */
    g_array_append_val(all, sentinel);
    ix->first_cons = (uint32_t *)(void *)g_array_free(all, FALSE);
}

void rules_build_index(phase *ph)
{
    /* long literal lists are searched by hash (rules-match.c) */
    for (guint i = 0; i < ph->tests->len; i++) {
        const test *t = &g_array_index(ph->tests, test, i);
        if (t->n_lits > 8)
            qsort(&g_array_index(ph->lits, nerve_str, t->lits_first), t->n_lits, sizeof(nerve_str),
                  by_hash);
    }
    order_tests(ph);
    quick_records(ph);
    memo_slots(ph);
    /* make sure every label of an entity step has an id */
    for (guint i = 0; i < ph->set_labels->len; i++)
        phase_label_id(ph, g_ptr_array_index(ph->set_labels, i));
    guint n_ids = ph->id_labels->len + 1;
    rule_index *ix = &ph->index;
    ix->label_words = ph->id_labels->len / 64 + 1;
    ix->test_labels = g_new0(uint64_t, (size_t)ph->tests->len * ix->label_words + 1);
    for (guint i = 0; i < ph->tests->len; i++) {
        const test *t = &g_array_index(ph->tests, test, i);
        uint64_t *mask = ix->test_labels + (size_t)i * ix->label_words;
        for (uint32_t k = 0; k < t->n_labels; k++) {
            uint32_t id = g_array_index(ph->label_ids, uint32_t, t->labels_first + k);
            mask[id / 64] |= 1ull << (id % 64);
        }
    }
    first_labels(ph);
    first_steps_of(ph);
    builder b;
    b.forms = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, form_lists_free);
    b.start = g_new0(GArray *, n_ids);
    b.cover = g_new0(GArray *, n_ids);
    b.req = g_new0(GArray *, n_ids);
    b.cond = g_new0(GArray *, n_ids);
    b.always = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t r = 0; r < ph->rules->len; r++) {
        const rule *ru = &g_array_index(ph->rules, rule, r);
        if (ru->req_n && ru->req_hi != UINT32_MAX)
            continue; /* windowed: run near its required tokens only */
        gboolean indexed = !ru->nullable;
        for (uint32_t k = 0; k < ru->n_first && indexed; k++)
            indexed = index_step(ph, &b, &ru->prog[ru->first[k]], r);
        if (!indexed)
            g_array_append_val(b.always, r);
    }
    add_reqs(ph, &b);
    GArray *all = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    flatten_forms(ix, b.forms, all);
    g_hash_table_destroy(b.forms);
    flatten_labels(b.start, n_ids, all, &ix->start_first, &ix->start_n);
    flatten_labels(b.cover, n_ids, all, &ix->cover_first, &ix->cover_n);
    flatten_labels(b.req, n_ids, all, &ix->req_first, &ix->req_n);
    flatten_labels(b.cond, n_ids, all, &ix->cond_first, &ix->cond_n);
    for (guint i = 0; i < n_ids; i++) {
        ix->any_start |= ix->start_n[i] > 0;
        ix->any_cover |= ix->cover_n[i] > 0;
    }
    g_free(b.start);
    g_free(b.cover);
    g_free(b.req);
    g_free(b.cond);
    build_filters(ph);
    group_always(ph, b.always);
    g_array_free(b.always, TRUE);
    uint32_t sentinel = UINT32_MAX; /* never empty: no arithmetic on NULL */
    g_array_append_val(all, sentinel);
    ix->rules = (uint32_t *)(void *)g_array_free(all, FALSE);
    uint32_t cap = 16;
    while (cap < 2 * ph->id_labels->len)
        cap *= 2;
    ix->label_mask = cap - 1;
    ix->label_keys = g_new0(const char *, cap);
    ix->label_ids = g_new0(uint32_t, cap);
    for (guint id = 0; id < ph->id_labels->len; id++) {
        const char *label = g_ptr_array_index(ph->id_labels, id);
        uint32_t i = label_slot(label, ix->label_mask);
        while (ix->label_keys[i])
            i = (i + 1) & ix->label_mask;
        ix->label_keys[i] = label;
        ix->label_ids[i] = id;
    }
}

void rules_index_clear(rule_index *ix)
{
    g_free(ix->forms);
    g_free(ix->entries);
    g_free(ix->blocks);
    g_free(ix->rules);
    g_free(ix->start_first);
    g_free(ix->start_n);
    g_free(ix->cover_first);
    g_free(ix->cover_n);
    g_free(ix->req_first);
    g_free(ix->req_n);
    g_free(ix->cond_first);
    g_free(ix->cond_n);
    g_free(ix->always);
    g_free(ix->always_group);
    g_free(ix->group_rule);
    g_free(ix->group_bytes);
    g_free(ix->group_flags);
    g_free(ix->filters);
    g_free(ix->filtered);
    g_free(ix->need);
    g_free(ix->free);
    g_free(ix->marks);
    g_free(ix->quick);
    g_free(ix->firsts);
    g_free(ix->first_cons);
    g_free(ix->test_labels);
    g_free(ix->first_labels);
    g_free(ix->first_ent);
    g_free(ix->gentry);
    g_free(ix->label_keys);
    g_free(ix->label_ids);
    memset(ix, 0, sizeof *ix);
}
