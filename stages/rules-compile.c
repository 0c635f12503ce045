/* rules-compile.c - syntax trees to programs, and the first-token index.
 *
 * A pattern compiles to a Thompson program (Pike VM instructions: consume
 * a token or an entity, split, jump, save a capture position, assert a
 * sentence edge, match), simulated in rules-match.c.  Splits list the
 * greedy branch first, so among matches of equal length the simulation
 * prefers what greedy quantifiers and left alternatives take.  {m,n}
 * repeats are unrolled (m copies, then n-m nested optional copies); the
 * program size is computed before emitting and bounded by
 * NERVE_RULES_MAX_PROGRAM so that nested counts cannot explode.
 *
 * The index maps what can begin a match to the rules: literal forms (by
 * their nerve_hash, the same hash the tokens carry), entity labels (an
 * entity starts here, or the token lies inside one), and a list of rules
 * that can start anywhere (a wildcard or class test first); those are
 * prefiltered by their first steps before the program runs.
 */
#include <stdlib.h>
#include <string.h>

#include "nerve/hash.h"
#include "rules-internal.h"
#include "rules-regex.h"

/* --- phases ------------------------------------------------------------------- */

phase *phase_new(const char *path)
{
    phase *ph = g_new0(phase, 1);
    ph->path = g_strdup(path);
    ph->rules = g_array_new(FALSE, TRUE, sizeof(rule));
    ph->tests = g_array_new(FALSE, TRUE, sizeof(test));
    ph->cons = g_array_new(FALSE, TRUE, sizeof(constraint));
    ph->lits = g_array_new(FALSE, TRUE, sizeof(nerve_str));
    ph->regexes = g_ptr_array_new_with_free_func((GDestroyNotify)uregex_close);
    ph->dfas = g_ptr_array_new_with_free_func((GDestroyNotify)rx_dfa_free);
    ph->regex_refs = g_array_new(FALSE, TRUE, sizeof(uint32_t));
    ph->regex_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ph->labelsets = g_array_new(FALSE, TRUE, sizeof(labelset));
    ph->set_labels = g_ptr_array_new();
    ph->label_ids = g_array_new(FALSE, TRUE, sizeof(uint32_t));
    ph->reqs = g_array_new(FALSE, TRUE, sizeof(req_key));
    ph->ids = g_hash_table_new(g_direct_hash, g_direct_equal);
    ph->id_labels = g_ptr_array_new();
    ph->strings = g_string_chunk_new(4096);
    ph->nodes = g_ptr_array_new();
    return ph;
}

static void node_free(gpointer p)
{
    node *n = p;
    if (n->kids)
        g_ptr_array_free(n->kids, TRUE);
    g_free(n);
}

void phase_free(phase *ph)
{
    if (!ph)
        return;
    for (guint i = 0; i < ph->rules->len; i++) {
        rule *r = &g_array_index(ph->rules, rule, i);
        g_free(r->prog);
        g_free(r->first);
        for (uint32_t k = 0; r->cap_labels && k < r->n_caps; k++)
            if (r->cap_labels[k])
                g_ptr_array_free(r->cap_labels[k], TRUE);
        g_free(r->cap_labels);
        g_free(r->cap_names);
    }
    for (guint i = 0; i < ph->nodes->len; i++)
        node_free(g_ptr_array_index(ph->nodes, i));
    g_ptr_array_free(ph->nodes, TRUE);
    g_array_free(ph->rules, TRUE);
    g_array_free(ph->tests, TRUE);
    g_array_free(ph->cons, TRUE);
    g_array_free(ph->lits, TRUE);
    g_ptr_array_free(ph->regexes, TRUE);
    g_ptr_array_free(ph->dfas, TRUE);
    g_array_free(ph->regex_refs, TRUE);
    g_hash_table_destroy(ph->regex_ids);
    g_array_free(ph->labelsets, TRUE);
    g_ptr_array_free(ph->set_labels, TRUE);
    g_array_free(ph->label_ids, TRUE);
    g_array_free(ph->reqs, TRUE);
    g_free(ph->index.req_slots);
    g_free(ph->index.need);
    g_free(ph->index.free);
    g_hash_table_destroy(ph->ids);
    g_ptr_array_free(ph->id_labels, TRUE);
    g_string_chunk_free(ph->strings);
    g_free(ph->index.slots);
    g_free(ph->index.rules);
    g_free(ph->index.start_first);
    g_free(ph->index.start_n);
    g_free(ph->index.cover_first);
    g_free(ph->index.cover_n);
    g_free(ph->index.always);
    g_free(ph->index.always_group);
    g_free(ph->path);
    g_free(ph);
}

uint32_t phase_label_id(phase *ph, const char *label)
{
    gpointer v = g_hash_table_lookup(ph->ids, label);
    if (v)
        return GPOINTER_TO_UINT(v) - 1;
    g_ptr_array_add(ph->id_labels, (gpointer)label);
    g_hash_table_insert(ph->ids, (gpointer)label, GUINT_TO_POINTER(ph->id_labels->len));
    ph->uses_entities = TRUE;
    return ph->id_labels->len - 1;
}

/* --- trees ------------------------------------------------------------------------ */

void rules_collect_captures(const node *n, GPtrArray *names)
{
    if (n->kind == N_CAPTURE) {
        gboolean seen = FALSE;
        for (guint i = 0; i < names->len && !seen; i++)
            seen = g_ptr_array_index(names, i) == n->name;
        if (!seen)
            g_ptr_array_add(names, (gpointer)n->name);
    }
    for (guint i = 0; n->kids && i < n->kids->len; i++)
        rules_collect_captures(g_ptr_array_index(n->kids, i), names);
}

/* Labels of the entity steps under n (NULL for @ alone), for arguments. */
static void collect_labels(const phase *ph, const node *n, GPtrArray *out)
{
    if (n->kind == N_ENTITY) {
        if (n->labels < 0)
            g_ptr_array_add(out, NULL);
        else {
            const labelset *ls = &g_array_index(ph->labelsets, labelset, n->labels);
            for (uint32_t i = 0; i < ls->n; i++)
                g_ptr_array_add(out, g_ptr_array_index(ph->set_labels, ls->first + i));
        }
    }
    for (guint i = 0; n->kids && i < n->kids->len; i++)
        collect_labels(ph, g_ptr_array_index(n->kids, i), out);
}

static void capture_labels(const phase *ph, const node *n, rule *r)
{
    if (n->kind == N_CAPTURE) {
        for (uint32_t k = 0; k < r->n_caps; k++)
            if (r->cap_names[k] == n->name) {
                if (!r->cap_labels[k])
                    r->cap_labels[k] = g_ptr_array_new();
                collect_labels(ph, n, r->cap_labels[k]);
            }
    }
    for (guint i = 0; n->kids && i < n->kids->len; i++)
        capture_labels(ph, g_ptr_array_index(n->kids, i), r);
}

/* Program size of n, saturating above the limit. */
static guint64 size_of(const node *n)
{
    const guint64 cap = (guint64)NERVE_RULES_MAX_PROGRAM + 1;
    guint64 s = 0;
    const node *kid = n->kids && n->kids->len ? g_ptr_array_index(n->kids, 0) : NULL;
    switch (n->kind) {
    case N_SEQ:
    case N_ALT:
        for (guint i = 0; i < n->kids->len; i++)
            s += size_of(g_ptr_array_index(n->kids, i));
        if (n->kind == N_ALT)
            s += 2 * (n->kids->len - 1);
        break;
    case N_CAPTURE:
        s = size_of(kid) + 2;
        break;
    case N_REPEAT: {
        guint64 k = size_of(kid);
        s = (guint64)n->min * k + (n->max < 0 ? k + 2 : (guint64)(n->max - n->min) * (k + 1));
        break;
    }
    default:
        s = 1;
    }
    return MIN(s, cap);
}

static uint32_t push(GArray *prog, uint8_t op, uint32_t x, uint32_t y)
{
    inst in = {op, x, y};
    g_array_append_val(prog, in);
    return prog->len - 1;
}

#define PROG(i) g_array_index(prog, inst, (i))

static void emit(GArray *prog, const node *n, const rule *r)
{
    const node *kid = n->kids && n->kids->len ? g_ptr_array_index(n->kids, 0) : NULL;
    switch (n->kind) {
    case N_TOKEN:
        push(prog, I_TOK, n->cons < 0 ? UINT32_MAX : (uint32_t)n->cons, 0);
        break;
    case N_ENTITY:
        push(prog, I_ENT, n->labels < 0 ? UINT32_MAX : (uint32_t)n->labels, 0);
        break;
    case N_SEQ:
        for (guint i = 0; i < n->kids->len; i++)
            emit(prog, g_ptr_array_index(n->kids, i), r);
        break;
    case N_ALT: {
        g_autoptr(GArray) jumps = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        for (guint i = 0; i < n->kids->len; i++) {
            if (i + 1 == n->kids->len) {
                emit(prog, g_ptr_array_index(n->kids, i), r);
                break;
            }
            uint32_t s = push(prog, I_SPLIT, prog->len + 1, 0);
            emit(prog, g_ptr_array_index(n->kids, i), r);
            uint32_t j = push(prog, I_JMP, 0, 0);
            g_array_append_val(jumps, j);
            PROG(s).y = prog->len;
        }
        for (guint i = 0; i < jumps->len; i++)
            PROG(g_array_index(jumps, uint32_t, i)).x = prog->len;
        break;
    }
    case N_REPEAT: {
        for (int i = 0; i < n->min; i++)
            emit(prog, kid, r);
        if (n->max < 0) {
            uint32_t loop = push(prog, I_SPLIT, prog->len + 1, 0);
            emit(prog, kid, r);
            push(prog, I_JMP, loop, 0);
            PROG(loop).y = prog->len;
            break;
        }
        g_autoptr(GArray) splits = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        for (int i = n->min; i < n->max; i++) {
            uint32_t s = push(prog, I_SPLIT, prog->len + 1, 0);
            g_array_append_val(splits, s);
            emit(prog, kid, r);
        }
        for (guint i = 0; i < splits->len; i++)
            PROG(g_array_index(splits, uint32_t, i)).y = prog->len;
        break;
    }
    case N_CAPTURE: {
        uint32_t k = 0;
        while (r->cap_names[k] != n->name)
            k++;
        push(prog, I_SAVE, 2 + 2 * k, 0);
        emit(prog, kid, r);
        push(prog, I_SAVE, 3 + 2 * k, 0);
        break;
    }
    case N_BOL:
        push(prog, I_BOL, 0, 0);
        break;
    case N_EOL:
        push(prog, I_EOL, 0, 0);
        break;
    }
}

/* The consuming steps reachable from pc 0 without consuming (asserts are
 * assumed to hold), and whether MATCH is. */
static void first_steps(rule *r)
{
    g_autofree guint8 *seen = g_malloc0(r->n_inst);
    g_autoptr(GArray) stack = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_autoptr(GArray) first = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    uint32_t pc = 0;
    g_array_append_val(stack, pc);
    while (stack->len) {
        pc = g_array_index(stack, uint32_t, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        if (seen[pc])
            continue;
        seen[pc] = 1;
        const inst *in = &r->prog[pc];
        uint32_t next = pc + 1;
        switch (in->op) {
        case I_TOK:
        case I_ENT:
            g_array_append_val(first, pc);
            break;
        case I_MATCH:
            r->nullable = TRUE;
            break;
        case I_SPLIT:
            g_array_append_val(stack, in->y);
            g_array_append_val(stack, in->x);
            break;
        case I_JMP:
            g_array_append_val(stack, in->x);
            break;
        default:
            g_array_append_val(stack, next);
        }
    }
    r->n_first = first->len;
    r->first = (uint32_t *)(void *)g_array_free(g_steal_pointer(&first), FALSE);
}

/* --- requirements ------------------------------------------------------------ */

static void add_req(GArray *out, uint8_t key, uint32_t hash)
{
    req_key k = {key, hash};
    g_array_append_val(out, k);
}

/* The literal forms or entity labels one of which a token of cons must
 * have; FALSE when nothing is required. */
static gboolean token_req(phase *ph, int cons, GArray *out)
{
    if (cons < 0)
        return FALSE;
    const constraint *c = &g_array_index(ph->cons, constraint, cons);
    for (uint32_t i = 0; i < c->n; i++) {
        const test *t = &g_array_index(ph->tests, test, c->first + i);
        if (t->negate || t->n_regex || !t->n_lits || t->key > K_LEMMA)
            continue;
        for (uint32_t k = 0; k < t->n_lits; k++) {
            const nerve_str *v = &g_array_index(ph->lits, nerve_str, t->lits_first + k);
            add_req(out, t->key, v->hash);
            if (t->abbrev) {
                g_autofree char *dot = g_strdup_printf("%.*s.", (int)v->len, v->s);
                add_req(out, t->key, nerve_hash(dot, v->len + 1));
            }
        }
        return TRUE;
    }
    for (uint32_t i = 0; i < c->n; i++) {
        const test *t = &g_array_index(ph->tests, test, c->first + i);
        if (t->negate || t->key != K_ENT)
            continue;
        if (!t->n_labels)
            add_req(out, K_ENT, UINT32_MAX);
        for (uint32_t k = 0; k < t->n_labels; k++)
            add_req(out, K_ENT, g_array_index(ph->label_ids, uint32_t, t->labels_first + k));
        return TRUE;
    }
    return FALSE;
}

#define INF UINT32_MAX

static uint32_t add_sat(uint32_t a, uint32_t b)
{
    return a == INF || b == INF || (uint64_t)a + b >= INF ? INF : a + b;
}

static uint32_t mul_sat(uint32_t a, int k)
{
    if (k < 0)
        return a ? INF : 0;
    return a == INF ? (k ? INF : 0) : (uint64_t)a * (uint32_t)k >= INF ? INF : a * (uint32_t)k;
}

/* Bounds of the number of tokens a node consumes, counting each entity
 * as one token; ents: how many entities at most (each adds its length
 * minus one to hi). */
typedef struct {
    uint32_t lo, hi, ents;
} extent;

static extent length_of(const node *n)
{
    const node *kid = n->kids && n->kids->len ? g_ptr_array_index(n->kids, 0) : NULL;
    extent e = {0, 0, 0}, k;
    switch (n->kind) {
    case N_TOKEN:
        return (extent){1, 1, 0};
    case N_ENTITY:
        return (extent){1, 1, 1};
    case N_CAPTURE:
        return length_of(kid);
    case N_REPEAT:
        k = length_of(kid);
        return (extent){mul_sat(k.lo, n->min), mul_sat(k.hi, n->max), mul_sat(k.ents, n->max)};
    case N_SEQ:
        for (guint i = 0; i < n->kids->len; i++) {
            k = length_of(g_ptr_array_index(n->kids, i));
            e = (extent){add_sat(e.lo, k.lo), add_sat(e.hi, k.hi), add_sat(e.ents, k.ents)};
        }
        return e;
    case N_ALT:
        e.lo = INF;
        for (guint i = 0; i < n->kids->len; i++) {
            k = length_of(g_ptr_array_index(n->kids, i));
            e = (extent){MIN(e.lo, k.lo), MAX(e.hi, k.hi), MAX(e.ents, k.ents)};
        }
        return e;
    default:
        return e;
    }
}

/* A requirement: keys one of which every match needs, at a token offset
 * in [lo, hi + ents * (longest entity - 1)] from the match's start (hi or
 * ents INF: anywhere after lo). */
typedef struct {
    GArray *keys;
    uint32_t lo, hi, ents;
} req;

/* How selective a requirement is (lower is better): literals are rarer
 * than entities, and a bounded offset lets the rule run only near them. */
static guint req_cost(const req *q)
{
    guint cost = q->keys->len + (q->hi == INF || q->ents == INF ? 500 : 0);
    for (guint i = 0; i < q->keys->len; i++)
        if (g_array_index(q->keys, req_key, i).key == K_ENT)
            return cost + 1000;
    return cost;
}

/* Appends to q->keys the keys one of which every match of n needs in its
 * sentence and sets the offset range; FALSE (keys unchanged) when there is
 * no such set. */
static gboolean requirement(phase *ph, const node *n, req *q)
{
    guint mark = q->keys->len;
    const node *kid = n->kids && n->kids->len ? g_ptr_array_index(n->kids, 0) : NULL;
    q->lo = q->hi = q->ents = 0;
    switch (n->kind) {
    case N_TOKEN:
        return token_req(ph, n->cons, q->keys);
    case N_ENTITY:
        if (n->labels < 0) {
            add_req(q->keys, K_ENT, UINT32_MAX);
            return TRUE;
        } else {
            const labelset *ls = &g_array_index(ph->labelsets, labelset, n->labels);
            for (uint32_t i = 0; i < ls->n; i++)
                add_req(q->keys, K_ENT,
                        phase_label_id(ph, g_ptr_array_index(ph->set_labels, ls->first + i)));
        }
        return TRUE;
    case N_CAPTURE:
        return requirement(ph, kid, q);
    case N_REPEAT:
        return n->min > 0 && requirement(ph, kid, q);
    case N_ALT: {
        uint32_t lo = INF, hi = 0, ents = 0;
        for (guint i = 0; i < n->kids->len; i++) {
            if (!requirement(ph, g_ptr_array_index(n->kids, i), q)) {
                g_array_set_size(q->keys, mark);
                return FALSE;
            }
            lo = MIN(lo, q->lo);
            hi = MAX(hi, q->hi);
            ents = MAX(ents, q->ents);
        }
        q->lo = lo;
        q->hi = hi;
        q->ents = ents;
        return TRUE;
    }
    case N_SEQ: {
        req best = {NULL, 0, 0, 0};
        extent before = {0, 0, 0};
        for (guint i = 0; i < n->kids->len; i++) {
            const node *k = g_ptr_array_index(n->kids, i);
            req tmp = {g_array_new(FALSE, FALSE, sizeof(req_key)), 0, 0, 0};
            if (requirement(ph, k, &tmp)) {
                tmp.lo = add_sat(tmp.lo, before.lo);
                tmp.hi = add_sat(tmp.hi, before.hi);
                tmp.ents = add_sat(tmp.ents, before.ents);
                if (!best.keys || req_cost(&tmp) < req_cost(&best)) {
                    if (best.keys)
                        g_array_free(best.keys, TRUE);
                    best = tmp;
                    tmp.keys = NULL;
                }
            }
            if (tmp.keys)
                g_array_free(tmp.keys, TRUE);
            extent e = length_of(k);
            before = (extent){add_sat(before.lo, e.lo), add_sat(before.hi, e.hi),
                              add_sat(before.ents, e.ents)};
        }
        if (!best.keys)
            return FALSE;
        g_array_append_vals(q->keys, best.keys->data, best.keys->len);
        q->lo = best.lo;
        q->hi = best.hi;
        q->ents = best.ents;
        g_array_free(best.keys, TRUE);
        return TRUE;
    }
    default:
        return FALSE;
    }
}

gboolean rules_compile_rule(phase *ph, rule *r, const node *pattern, size_t at, errors *er)
{
    guint64 size = size_of(pattern) + 3;
    if (size > NERVE_RULES_MAX_PROGRAM) {
        errors_add(er, at, "pattern too large: over %d steps (limit max-pattern-size)",
                   NERVE_RULES_MAX_PROGRAM);
        return FALSE;
    }
    GArray *prog = g_array_sized_new(FALSE, FALSE, sizeof(inst), (guint)size);
    push(prog, I_SAVE, 0, 0);
    emit(prog, pattern, r);
    push(prog, I_SAVE, 1, 0);
    push(prog, I_MATCH, 0, 0);
    r->n_inst = prog->len;
    r->prog = (inst *)(void *)g_array_free(prog, FALSE);
    ph->max_inst = MAX(ph->max_inst, r->n_inst);
    r->cap_labels = g_new0(GPtrArray *, r->n_caps + 1);
    capture_labels(ph, pattern, r);
    first_steps(r);
    req q = {g_array_new(FALSE, FALSE, sizeof(req_key)), 0, 0, 0};
    if (!r->nullable && requirement(ph, pattern, &q)) {
        r->req_first = ph->reqs->len;
        r->req_n = q.keys->len;
        r->req_lo = q.lo;
        r->req_hi = q.ents == INF ? INF : q.hi;
        r->req_ents = q.ents;
        g_array_append_vals(ph->reqs, q.keys->data, q.keys->len);
        /* entities are indexed by their start: a window would need the
           tokens they cover too */
        for (guint i = 0; i < q.keys->len; i++)
            if (g_array_index(q.keys, req_key, i).key == K_ENT)
                r->req_hi = INF;
    }
    g_array_free(q.keys, TRUE);
    return TRUE;
}

/* --- the index ----------------------------------------------------------------- */

typedef struct {
    GHashTable *lits;  /* (key << 32 | hash) -> GArray of rule ids */
    GArray **start;    /* per label id (+ any) */
    GArray **cover;
    GArray *always;
} index_builder;

static void add_to(GArray **slot, uint32_t rule_id)
{
    if (!*slot)
        *slot = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *a = *slot;
    if (!a->len || g_array_index(a, uint32_t, a->len - 1) != rule_id)
        g_array_append_val(a, rule_id);
}

static void add_lit_key(index_builder *b, uint8_t key, uint32_t hash, uint32_t rule_id)
{
    guint64 k = (guint64)key << 32 | hash;
    GArray *a = g_hash_table_lookup(b->lits, &k);
    if (!a) {
        guint64 *kp = g_new(guint64, 1);
        *kp = k;
        a = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        g_hash_table_insert(b->lits, kp, a);
    }
    add_to(&a, rule_id);
}

/* Indexes one first step of rule rule_id; FALSE when it can start anywhere. */
static gboolean index_step(phase *ph, index_builder *b, const inst *in, uint32_t rule_id)
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
            add_lit_key(b, t->key, v->hash, rule_id);
            if (t->abbrev) { /* the abbreviation token: text + "." */
                g_autofree char *dot = g_strdup_printf("%.*s.", (int)v->len, v->s);
                add_lit_key(b, t->key, nerve_hash(dot, v->len + 1), rule_id);
            }
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

/* Fills an open-addressing table of lists (key, hash) -> rules over all. */
static index_slot *flatten_table(GHashTable *lists, uint32_t *cap, GArray *all)
{
    guint n = g_hash_table_size(lists);
    *cap = 16;
    while (*cap < n * 2)
        *cap *= 2;
    index_slot *slots = g_new(index_slot, *cap);
    for (uint32_t i = 0; i < *cap; i++)
        slots[i].key = 0xFF;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, lists);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        guint64 key = *(guint64 *)k;
        GArray *list = v;
        uint32_t hash = (uint32_t)key, i = hash & (*cap - 1);
        while (slots[i].key != 0xFF)
            i = (i + 1) & (*cap - 1);
        slots[i] = (index_slot){hash, (uint8_t)(key >> 32), all->len, list->len};
        g_array_append_vals(all, list->data, list->len);
    }
    return slots;
}

/* The requirement table: which rules each form or label lets run. */
static void build_reqs(phase *ph, GArray *all)
{
    index_builder b;
    b.lits = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                   (GDestroyNotify)g_array_unref);
    for (uint32_t r = 0; r < ph->rules->len; r++) {
        const rule *ru = &g_array_index(ph->rules, rule, r);
        for (uint32_t k = 0; k < ru->req_n; k++) {
            req_key q = g_array_index(ph->reqs, req_key, ru->req_first + k);
            if (q.key == K_ENT && q.hash == UINT32_MAX)
                q.hash = ph->id_labels->len;
            add_lit_key(&b, q.key, q.hash, r);
        }
    }
    ph->index.req_slots = flatten_table(b.lits, &ph->index.req_cap, all);
    g_hash_table_destroy(b.lits);
    ph->index.need = g_new0(uint8_t, ph->rules->len + 1);
    ph->index.free = g_new0(uint32_t, ph->rules->len + 1);
    for (uint32_t r = 0; r < ph->rules->len; r++) {
        ph->index.need[r] = g_array_index(ph->rules, rule, r).req_n > 0;
        if (!ph->index.need[r])
            ph->index.free[ph->index.n_free++] = r;
    }
}

/* Flattens the per-label lists into (first, n) pairs over out. */
static void flatten_labels(GArray **lists, guint n, GArray *out, uint32_t **first, uint32_t **count)
{
    *first = g_new0(uint32_t, n);
    *count = g_new0(uint32_t, n);
    for (guint i = 0; i < n; i++) {
        if (!lists[i])
            continue;
        (*first)[i] = out->len;
        (*count)[i] = lists[i]->len;
        g_array_append_vals(out, lists[i]->data, lists[i]->len);
        g_array_free(lists[i], TRUE);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
    return x < y ? -1 : x > y;
}

static int by_hash(const void *a, const void *b)
{
    uint32_t x = ((const nerve_str *)a)->hash, y = ((const nerve_str *)b)->hash;
    return x < y ? -1 : x > y;
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
        g_string_append_printf(sig, "%u,%u,%u,%u:", t->key, t->negate, t->abbrev, t->flags);
        for (uint32_t k = 0; k < t->n_lits; k++) {
            const nerve_str *v = &g_array_index(ph->lits, nerve_str, t->lits_first + k);
            g_string_append_printf(sig, "%u:", v->len);
            g_string_append_len(sig, v->s, v->len);
        }
        for (uint32_t k = 0; k < t->n_regex; k++)
            g_string_append_printf(sig, "/%u", g_array_index(ph->regex_refs, uint32_t,
                                                            t->regex_first + k));
        for (uint32_t k = 0; k < t->n_labels; k++)
            g_string_append_printf(sig, "@%u", g_array_index(ph->label_ids, uint32_t,
                                                            t->labels_first + k));
        g_string_append_c(sig, '&');
    }
    g_string_append_c(sig, ';');
}

/* Orders the rules tried anywhere so that rules with the same first steps
 * are adjacent (always_group: the group of each), so that a token tests
 * each distinct first step once. */
static void group_always(phase *ph, GArray *always)
{
    g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree guint64 *keyed = g_new(guint64, always->len + 1);
    for (guint i = 0; i < always->len; i++) {
        uint32_t id = g_array_index(always, uint32_t, i);
        const rule *r = &g_array_index(ph->rules, rule, id);
        GString *sig = g_string_new(r->nullable ? "nullable" : "");
        for (uint32_t k = 0; k < r->n_first && !r->nullable; k++) {
            const inst *in = &r->prog[r->first[k]];
            if (in->op == I_ENT)
                g_string_append_printf(sig, "E%u;", in->x);
            else
                constraint_sig(ph, in->x, sig);
        }
        gpointer g = g_hash_table_lookup(groups, sig->str);
        if (!g) {
            g = GUINT_TO_POINTER(g_hash_table_size(groups) + 1);
            g_hash_table_insert(groups, g_strdup(sig->str), g);
        }
        g_string_free(sig, TRUE);
        keyed[i] = (guint64)GPOINTER_TO_UINT(g) << 32 | id;
    }
    qsort(keyed, always->len, sizeof(guint64), cmp_u64);
    ph->index.always_group = g_new0(uint32_t, always->len + 1);
    for (guint i = 0; i < always->len; i++) {
        g_array_index(always, uint32_t, i) = (uint32_t)keyed[i];
        ph->index.always_group[i] = (uint32_t)(keyed[i] >> 32);
    }
}

void rules_build_index(phase *ph)
{
    /* long literal lists are searched by hash (rules-match.c) */
    for (guint i = 0; i < ph->tests->len; i++) {
        const test *t = &g_array_index(ph->tests, test, i);
        if (t->n_lits > 8)
            qsort(&g_array_index(ph->lits, nerve_str, t->lits_first), t->n_lits,
                  sizeof(nerve_str), by_hash);
    }
    /* make sure every label of an entity step has an id */
    for (guint i = 0; i < ph->set_labels->len; i++)
        phase_label_id(ph, g_ptr_array_index(ph->set_labels, i));
    guint n_ids = ph->id_labels->len + 1;
    index_builder b;
    b.lits = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                   (GDestroyNotify)g_array_unref);
    b.start = g_new0(GArray *, n_ids);
    b.cover = g_new0(GArray *, n_ids);
    b.always = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t r = 0; r < ph->rules->len; r++) {
        const rule *ru = &g_array_index(ph->rules, rule, r);
        if (ru->req_n && ru->req_hi != INF)
            continue; /* windowed: run near its required tokens only */
        gboolean indexed = !ru->nullable;
        for (uint32_t k = 0; k < ru->n_first && indexed; k++)
            indexed = index_step(ph, &b, &ru->prog[ru->first[k]], r);
        if (!indexed)
            g_array_append_val(b.always, r);
    }
    rule_index *ix = &ph->index;
    GArray *all = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    ix->slots = flatten_table(b.lits, &ix->cap, all);
    g_hash_table_destroy(b.lits);
    build_reqs(ph, all);
    flatten_labels(b.start, n_ids, all, &ix->start_first, &ix->start_n);
    flatten_labels(b.cover, n_ids, all, &ix->cover_first, &ix->cover_n);
    g_free(b.start);
    g_free(b.cover);
    group_always(ph, b.always);
    ix->n_always = b.always->len;
    ix->always = (uint32_t *)(void *)g_array_free(b.always, FALSE);
    uint32_t sentinel = UINT32_MAX; /* never empty: no arithmetic on NULL */
    g_array_append_val(all, sentinel);
    ix->rules = (uint32_t *)(void *)g_array_free(all, FALSE);
}
