/* rules-compile.c - syntax trees to programs, and what each rule needs.
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
 * Each rule also gets its first steps (the consuming steps a match can
 * begin with) and a requirement: forms or entity labels one of which every
 * match needs, at a bounded token offset from its start when the pattern
 * allows it.  rules-index.c turns both into the phase's index.
 */
#include <string.h>

#include "nerve/hash.h"
#include "nerve/writer.h"
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
    ph->conds = g_array_new(FALSE, TRUE, sizeof(uint32_t));
    ph->rule_conds = g_array_new(FALSE, TRUE, sizeof(uint32_t));
    ph->cond_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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
        rules_closures_free(r);
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
    g_array_free(ph->conds, TRUE);
    g_array_free(ph->rule_conds, TRUE);
    g_hash_table_destroy(ph->cond_ids);
    g_hash_table_destroy(ph->ids);
    g_ptr_array_free(ph->id_labels, TRUE);
    g_string_chunk_free(ph->strings);
    rules_index_clear(&ph->index);
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
/* --- simplification ------------------------------------------------------------- */

/* The only test of a one-token node that matches one of a list of forms,
 * or NULL: [lower=a|b], "word". */
static const test *literal_test(const phase *ph, const node *n)
{
    if (n->kind != N_TOKEN || n->cons < 0)
        return NULL;
    const constraint *c = &g_array_index(ph->cons, constraint, n->cons);
    if (c->n != 1)
        return NULL;
    const test *t = &g_array_index(ph->tests, test, c->first);
    if (t->negate || t->n_regex || t->n_labels || t->flags || !t->n_lits || t->key > K_SHAPE)
        return NULL;
    return t;
}

/* Rewrites alternatives of single literal tokens into one token with the
 * list of their forms: ("nearly" | "almost" | "about") runs as
 * [lower=nearly|almost|about], one thread and one hashed lookup instead of
 * a thread per word.  Nested alternatives are flattened first.  The
 * matches are the same: such alternatives consume one token and set no
 * capture, so they lead to the same state, and merged into the first of
 * them they keep its preference over the others.  Nodes may be shared by
 * several rules (defines): the rewrite is idempotent and makes new
 * constraints, never changing one in place. */
static void simplify(phase *ph, node *n)
{
    if (!n->kids)
        return;
    for (guint i = 0; i < n->kids->len; i++)
        simplify(ph, g_ptr_array_index(n->kids, i));
    if (n->kind != N_ALT)
        return;
    for (guint i = 0; i < n->kids->len;) {
        node *k = g_ptr_array_index(n->kids, i);
        if (k->kind != N_ALT) {
            i++;
            continue;
        }
        g_ptr_array_remove_index(n->kids, i);
        for (guint j = 0; j < k->kids->len; j++)
            g_ptr_array_insert(n->kids, (gint)(i + j), g_ptr_array_index(k->kids, j));
    }
    for (guint i = 0; i < n->kids->len; i++) {
        const node *first = g_ptr_array_index(n->kids, i);
        const test *t0 = literal_test(ph, first);
        if (!t0)
            continue;
        test merged = *t0;
        GArray *lits = g_array_new(FALSE, FALSE, sizeof(nerve_str));
        g_array_append_vals(lits, &g_array_index(ph->lits, nerve_str, t0->lits_first), t0->n_lits);
        for (guint j = i + 1; j < n->kids->len;) {
            const test *t = literal_test(ph, g_ptr_array_index(n->kids, j));
            if (!t || t->key != merged.key || t->abbrev != merged.abbrev) {
                j++;
                continue;
            }
            g_array_append_vals(lits, &g_array_index(ph->lits, nerve_str, t->lits_first),
                                t->n_lits);
            g_ptr_array_remove_index(n->kids, j);
        }
        if (lits->len > t0->n_lits) {
            merged.lits_first = ph->lits->len;
            merged.n_lits = lits->len;
            g_array_append_vals(ph->lits, lits->data, lits->len);
            g_array_append_val(ph->tests, merged);
            constraint c = {ph->tests->len - 1, 1};
            g_array_append_val(ph->cons, c);
            node *one = g_new0(node, 1);
            *one = *first;
            one->kids = NULL;
            one->cons = (int)ph->cons->len - 1;
            g_ptr_array_add(ph->nodes, one);
            n->kids->pdata[i] = one;
        }
        g_array_free(lits, TRUE);
    }
}

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

/* Appends to first the consuming steps reachable from pc 0 without
 * consuming (asserts are assumed to hold; with stop_at_bol a ^ ends a
 * path) and sets *match when MATCH is reachable. */
static void entry_steps(const rule *r, gboolean stop_at_bol, GArray *first, gboolean *match)
{
    g_autofree guint8 *seen = g_malloc0(r->n_inst);
    g_autoptr(GArray) stack = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    uint32_t pc = 0;
    *match = FALSE;
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
            *match = TRUE;
            break;
        case I_BOL:
            if (!stop_at_bol)
                g_array_append_val(stack, next);
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
}

/* The rule's first steps, whether it can match without consuming, and
 * whether every start lies after a ^. */
static void first_steps(rule *r)
{
    g_autoptr(GArray) first = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_autoptr(GArray) free_steps = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    gboolean free_match;
    entry_steps(r, FALSE, first, &r->nullable);
    entry_steps(r, TRUE, free_steps, &free_match);
    r->anchored = !free_steps->len && !free_match;
    r->n_first = first->len;
    r->first = (uint32_t *)(void *)g_array_free(g_steal_pointer(&first), FALSE);
}

/* --- requirements ------------------------------------------------------------ */

static void add_req(GArray *out, uint8_t key, uint32_t hash)
{
    req_key k = {key, hash};
    g_array_append_val(out, k);
}

/* How often a literal form is likely to occur, as a weight: short forms
 * (punctuation, "of", "the") are the frequent ones in any language, so a
 * requirement on them lets a rule run in nearly every sentence.  Shapes
 * with a digit (dddd, ddx) are rare; other shapes (Xxxxx, xxxx) are not. */
static guint lit_weight(uint8_t key, const nerve_str *v)
{
    static const guint by_len[] = {200, 200, 60, 25, 4};
    if (key == K_SHAPE)
        return memchr(v->s, 'd', v->len) ? 4 : 400;
    return v->len < G_N_ELEMENTS(by_len) ? by_len[v->len] : 1;
}

/* Appends to out the literal forms or entity labels one of which a token
 * of cons must have, adding their weight to *weight; FALSE when nothing is
 * required. */
static gboolean token_req(phase *ph, int cons, GArray *out, guint *weight)
{
    if (cons < 0)
        return FALSE;
    const constraint *c = &g_array_index(ph->cons, constraint, cons);
    for (uint32_t i = 0; i < c->n; i++) {
        const test *t = &g_array_index(ph->tests, test, c->first + i);
        if (t->negate || t->n_regex || !t->n_lits || t->key > K_SHAPE)
            continue;
        for (uint32_t k = 0; k < t->n_lits; k++) {
            const nerve_str *v = &g_array_index(ph->lits, nerve_str, t->lits_first + k);
            add_req(out, t->key, v->hash);
            *weight += lit_weight(t->key, v);
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
        *weight += t->n_labels ? t->n_labels : 1;
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
    guint weight; /* of the keys: lit_weight() */
} req;

/* What an entity requirement with a window adds to its cost: about what a
 * frequent short word weighs (lit_weight()).  Measured on the English
 * model (instructions over 2 MB of news): 100 beats 60, 150 and 1000 by
 * 3-6%; below 40 rules start waiting for helper labels found at most
 * tokens (TITLE, GIVEN) and it gets far slower. */
#define ENT_COST 100

/* How selective a requirement is (lower is better): literals are rarer
 * than entities, and a bounded offset lets the rule run only near them. */
static guint req_cost(const req *q)
{
    gboolean unbounded = q->hi == INF || q->ents == INF;
    guint cost = q->weight + (unbounded ? 500 : 0);
    for (guint i = 0; i < q->keys->len; i++)
        if (g_array_index(q->keys, req_key, i).key == K_ENT)
            return cost + (unbounded ? 1000 : ENT_COST);
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
        if (!token_req(ph, n->cons, q->keys, &q->weight))
            return FALSE;
        /* [ent=X] holds at any token inside an X, but entities are indexed
           by their first token: no window (an entity step @X, below,
           begins its entity and can have one) */
        if (g_array_index(q->keys, req_key, mark).key == K_ENT)
            q->hi = INF;
        return TRUE;
    case N_ENTITY:
        if (n->labels < 0) {
            add_req(q->keys, K_ENT, UINT32_MAX);
            q->weight++;
            return TRUE;
        } else {
            const labelset *ls = &g_array_index(ph->labelsets, labelset, n->labels);
            q->weight += ls->n;
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
        guint weight = q->weight;
        for (guint i = 0; i < n->kids->len; i++) {
            if (!requirement(ph, g_ptr_array_index(n->kids, i), q)) {
                g_array_set_size(q->keys, mark);
                q->weight = weight;
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
        req best = {NULL, 0, 0, 0, 0};
        extent before = {0, 0, 0};
        for (guint i = 0; i < n->kids->len; i++) {
            const node *k = g_ptr_array_index(n->kids, i);
            req tmp = {g_array_new(FALSE, FALSE, sizeof(req_key)), 0, 0, 0, 0};
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
        q->weight += best.weight;
        g_array_free(best.keys, TRUE);
        return TRUE;
    }
    default:
        return FALSE;
    }
}

/* Appends to sets (req) the requirement of every element that every
 * match of n contains: the elements of its sequences, through captures
 * and repetitions of at least one. */
static void conditions(phase *ph, const node *n, GArray *sets)
{
    const node *kid = n->kids && n->kids->len ? g_ptr_array_index(n->kids, 0) : NULL;
    if (n->kind == N_CAPTURE || (n->kind == N_REPEAT && n->min > 0)) {
        conditions(ph, kid, sets);
        return;
    }
    if (n->kind == N_SEQ) {
        for (guint i = 0; i < n->kids->len; i++)
            conditions(ph, g_ptr_array_index(n->kids, i), sets);
        return;
    }
    req q = {g_array_new(FALSE, FALSE, sizeof(req_key)), 0, 0, 0, 0};
    if (requirement(ph, n, &q))
        g_array_append_val(sets, q);
    else
        g_array_free(q.keys, TRUE);
}

/* Field by field: req_key has padding, which add_req() leaves
 * uninitialised. */
static gboolean same_keys(const GArray *a, const req_key *b, uint32_t n)
{
    if (a->len != n)
        return FALSE;
    for (uint32_t i = 0; i < n; i++) {
        const req_key *x = &g_array_index(a, req_key, i);
        if (x->key != b[i].key || x->hash != b[i].hash)
            return FALSE;
    }
    return TRUE;
}

static int by_weight(const void *a, const void *b)
{
    guint x = ((const req *)a)->weight, y = ((const req *)b)->weight;
    return x < y ? -1 : x > y;
}

/* The weight (lit_weight()) above which a condition is not kept: a
 * frequent form costs a mark at every token that has it and is in most
 * sentences anyway.  Measured on the English model (instructions over 2
 * MB of news): 300 beats 60, 200, 600 and 1000 by 1-2%. */
#define COND_WEIGHT 300

/* The conditions of r besides its requirement: other sets of keys one of
 * which each must be in a sentence for r to match there (the rarest
 * first, at most RULE_CONDS).  Its requirement lets r run near its keys;
 * these only stop it in sentences that lack one of theirs. */

static void add_conditions(phase *ph, rule *r, const node *pattern)
{
    GArray *sets = g_array_new(FALSE, FALSE, sizeof(req));
    conditions(ph, pattern, sets);
    g_array_sort(sets, by_weight);
    r->cond_first = ph->rule_conds->len;
    GString *sig = g_string_new(NULL);
    for (guint i = 0; i < sets->len; i++) {
        req *q = &g_array_index(sets, req, i);
        const req_key *primary = &g_array_index(ph->reqs, req_key, r->req_first);
        if (r->cond_n < RULE_CONDS && q->keys->len <= RULE_COND_KEYS && q->weight < COND_WEIGHT &&
            !same_keys(q->keys, primary, r->req_n)) {
            g_string_truncate(sig, 0);
            for (guint k = 0; k < q->keys->len; k++) {
                const req_key *x = &g_array_index(q->keys, req_key, k);
                nerve_append_uint(sig, x->key);
                g_string_append_c(sig, ':');
                nerve_append_uint(sig, x->hash);
                g_string_append_c(sig, ',');
            }
            uint32_t id = GPOINTER_TO_UINT(g_hash_table_lookup(ph->cond_ids, sig->str));
            if (!id) {
                uint32_t range[2] = {ph->reqs->len, q->keys->len};
                g_array_append_vals(ph->conds, range, 2);
                g_array_append_vals(ph->reqs, q->keys->data, q->keys->len);
                id = ph->conds->len / 2;
                g_hash_table_insert(ph->cond_ids, g_strdup(sig->str), GUINT_TO_POINTER(id));
            }
            id--;
            g_array_append_val(ph->rule_conds, id);
            r->cond_n++;
        }
        g_array_free(q->keys, TRUE);
    }
    g_string_free(sig, TRUE);
    g_array_free(sets, TRUE);
}

gboolean rules_compile_rule(phase *ph, rule *r, node *pattern, size_t at, errors *er)
{
    simplify(ph, pattern);
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
    ph->max_slots = MAX(ph->max_slots, 2 + 2 * r->n_caps);
    r->cap_labels = g_new0(GPtrArray *, r->n_caps + 1);
    capture_labels(ph, pattern, r);
    first_steps(r);
    rules_closures(r);
    req q = {g_array_new(FALSE, FALSE, sizeof(req_key)), 0, 0, 0, 0};
    if (!r->nullable && requirement(ph, pattern, &q)) {
        r->req_first = ph->reqs->len;
        r->req_n = q.keys->len;
        r->req_lo = q.lo;
        r->req_hi = q.ents == INF ? INF : q.hi;
        r->req_ents = q.ents;
        g_array_append_vals(ph->reqs, q.keys->data, q.keys->len);
        add_conditions(ph, r, pattern);
    }
    g_array_free(q.keys, TRUE);
    return TRUE;
}
