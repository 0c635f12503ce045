/* rules-match.c - running a phase of compiled rules over a document.
 *
 * A phase walks the sentences.  First, per sentence, every token probes
 * the phase's index (rules-index.c) once per distinct hash among its forms
 * (the hashes the tokenizer and lexicon stored): that marks the rules
 * whose requirement the sentence meets, with the last token where a
 * match can start (a match holds its required form req_lo tokens or more
 * after its start: the rule is not tried past that token), and for
 * "windowed" rules (their required form lies at a bounded offset from the
 * start of any match) it records the tokens where a match could start,
 * in per-token buckets.
 * Then, token by token, the rules that may start there are tried: those
 * indexed by the token's forms or by the entities at it, those whose
 * windows are open, and the groups of rules that can start anywhere,
 * filtered by the first bytes of the token's forms.  Every rule is tried
 * at a token only if one of its first steps matches there, and not before
 * its scan position (rules-vm.c runs the program, leftmost-longest).
 *
 * All memory is per-worker scratch reused across documents; regular
 * expressions are cloned per worker on first use.  Nothing is allocated
 * per token.
 */
#include <string.h>

#include "nerve/hash.h"
#include "rules-forms.h"
#include "rules-match.h"
#include "swar.h"

void rules_reserve(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap)
        return;
    size_t c = MAX(n, *cap * 2);
    *p = g_realloc_n(*p, c, sz);
    *cap = c;
}

void rules_reserve_zero(void **p, size_t *cap, size_t n, size_t sz)
{
    size_t old = *cap;
    rules_reserve(p, cap, n, sz);
    if (*cap > old)
        memset((char *)*p + old * sz, 0, (*cap - old) * sz);
}

scratch *scratch_new(void)
{
    scratch *sc = g_new0(scratch, 1);
    sc->regexes = g_ptr_array_new();
    sc->odds = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    sc->regex_counts = g_array_new(FALSE, TRUE, sizeof(guint));
    if (RULES_PROFILE)
        sc->counts = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    return sc;
}

void scratch_free(scratch *sc)
{
    if (!sc)
        return;
    for (guint i = 0; i < sc->regexes->len; i++) {
        rx_slot *res = g_ptr_array_index(sc->regexes, i);
        for (guint k = 0; res && k < g_array_index(sc->regex_counts, guint, i); k++) {
            if (res[k].re)
                uregex_close(res[k].re);
            g_free(res[k].cache);
        }
        g_free(res);
    }
    g_ptr_array_free(sc->regexes, TRUE);
    g_ptr_array_free(sc->odds, TRUE);
    g_array_free(sc->regex_counts, TRUE);
    if (sc->counts)
        g_ptr_array_free(sc->counts, TRUE);
    void *owned[] = {sc->by_start,  sc->ent_list, sc->ent_id,     sc->cover,    sc->starts,
                     sc->ent_span,  sc->ent_here, sc->next_start, sc->tried_at, sc->req_mark,
                     sc->req_end,   sc->ent_at,   sc->pos_any,    sc->active,   sc->gfirst,
                     sc->gend,      sc->gmask,    sc->wins,       sc->win_head, sc->open,
                     sc->win_until, sc->touched,  sc->mark,       sc->stack,    sc->work,
                     sc->best,      sc->memo,     sc->cond_mark,  sc->conded};
    for (guint i = 0; i < G_N_ELEMENTS(owned); i++)
        g_free(owned[i]);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++)
            g_free(sc->wait[i][k]);
    vm_tlist_clear(&sc->a);
    vm_tlist_clear(&sc->b);
    g_free(sc);
}

void rules_prepare_doc(nerve_doc *doc, scratch *sc, const form_group *forms)
{
    token_forms tf;
    form_group_tokens(forms, doc, &tf);
    sc->bytes = tf.bytes;
    sc->gids = tf.gids;
    sc->gphases = tf.gphases;
    sc->gkeys = tf.gkeys;
    sc->flags = tf.flags;
}

/* --- annotations ---------------------------------------------------------------- */

/* The visible entity covering exactly tokens [s, e): preferably one with a
 * label the capture names; -1 when there is none. */
static int32_t entity_at(const vm *m, uint32_t s, uint32_t e, const GPtrArray *labels)
{
    int32_t found = -1;
    for (uint32_t k = m->sc->by_start[s].first; k < m->sc->by_start[s].end; k++) {
        const nerve_entity *x = &m->ents[m->sc->ent_list[k]];
        if (x->tok_end != e)
            continue;
        if (found < 0)
            found = (int32_t)m->sc->ent_list[k];
        for (guint i = 0; labels && i < labels->len; i++)
            if (g_ptr_array_index(labels, i) == x->label)
                return (int32_t)m->sc->ent_list[k];
    }
    return found;
}

static gboolean cap_span(const uint32_t *caps, int k, uint32_t *s, uint32_t *e)
{
    *s = caps[2 + 2 * k];
    *e = caps[3 + 2 * k];
    return *s != UNSET && *e != UNSET && *e > *s;
}

static void add_entity(const vm *m, nerve_doc *doc, uint32_t order, uint32_t number)
{
    const uint32_t *caps = m->sc->best;
    const rule *r = m->r;
    uint32_t s = caps[0], e = caps[1];
    if (r->span_cap >= 0 && !cap_span(caps, r->span_cap, &s, &e))
        return;
    nerve_entity *x = nerve_doc_add_entity(doc);
    x->tok_start = s;
    x->tok_end = e;
    nerve_doc_entity_span(doc, x);
    x->label = r->label;
    x->source = r->source;
    x->attrs = r->attrs;
    x->priority = r->priority;
    x->order = order;
    x->phase = number;
}

static void add_event(const vm *m, nerve_doc *doc, uint32_t order, uint32_t number)
{
    const uint32_t *caps = m->sc->best;
    const rule *r = m->r;
    uint32_t ts, te, s, e, n = 0;
    if (!cap_span(caps, r->trigger_cap, &ts, &te))
        return;
    for (uint32_t k = 0; k < r->n_caps; k++)
        n += (int)k != r->trigger_cap && cap_span(caps, (int)k, &s, &e);
    nerve_event *ev = nerve_doc_add_event(doc, n);
    ev->type = r->label;
    ev->rule = r->name;
    ev->trig_tok_start = ts;
    ev->trig_tok_end = te;
    ev->trig_start = m->toks[ts].start;
    ev->trig_end = m->toks[te - 1].end;
    ev->attrs = r->attrs;
    ev->priority = r->priority;
    ev->order = order;
    ev->phase = number;
    if (!n)
        return;
    nerve_arg *arg = nerve_doc_args(doc, NULL) + ev->arg_first;
    for (uint32_t k = 0; k < r->n_caps; k++) {
        if ((int)k == r->trigger_cap || !cap_span(caps, (int)k, &s, &e))
            continue;
        arg->role = r->roles[k];
        arg->entity = m->ph->uses_entities ? entity_at(m, s, e, r->cap_labels[k]) : -1;
        arg->tok_start = s;
        arg->tok_end = e;
        arg->start = m->toks[s].start;
        arg->end = m->toks[e - 1].end;
        arg++;
    }
}

/* --- a phase ------------------------------------------------------------------ */

typedef struct {
    vm m;
    nerve_doc *doc;
    uint32_t number;
    uint32_t *odds; /* the phase's in scratch::odds */
    uint8_t bit;    /* the phase's bit in the form ids (phase.bit) */
    size_t added;
} run;

/* Tries rule id at pos unless its scan is already past pos or its
 * sentence lacks what it needs. */
static void try_rule(run *rn, uint32_t id, uint32_t pos)
{
    scratch *sc = rn->m.sc;
    if (sc->tried_at[id] == pos || pos < sc->next_start[id] ||
        (rn->m.ph->index.need[id] && (sc->req_mark[id] != sc->req_stamp || pos >= sc->req_end[id])))
        return;
    if (sc->tried_at[id] == UNSET)
        sc->touched[sc->n_touched++] = id;
    sc->tried_at[id] = pos;
    vm *m = &rn->m;
    m->r = m->rules + id;
    m->rid = id;
    m->nslots = 2 + 2 * m->r->n_caps;
    /* the first pass pays when most tries fail; past a few tries, a rule
       that matches at one try in three or more goes straight to the VM */
    uint32_t *odds = rn->odds + 2 * (size_t)id;
    m->first_pass = odds[0] < 32 || odds[1] * 3 < odds[0];
    PROF_RULE(m, id);
    /* most tries of a rule that seldom matches die at its second step:
       two steps tell so before the walk; a try that fails resumes at the
       next token, as vm_search() would */
    if (m->first_pass && !vm_two_steps(m, pos)) {
        m->have = FALSE;
        sc->next_start[id] = MIN(pos + 1, m->sent_end);
        PROF_ADD(m, skips, 1);
    } else
        sc->next_start[id] = vm_search(m, pos);
    PROF_ADD(m, tries, 1);
    PROF_ADD(m, matches, m->have);
    if (++odds[0] == 1u << 30) {
        odds[0] >>= 1;
        odds[1] >>= 1;
    }
    odds[1] += m->have;
    if (!m->have || sc->best[1] <= sc->best[0])
        return;
    if (m->r->is_event)
        add_event(m, rn->doc, id, rn->number);
    else {
        add_entity(m, rn->doc, id, rn->number);
        m->ents = nerve_doc_entities(rn->doc, NULL); /* the store may have moved */
    }
    rn->added++;
}

static void try_list(run *rn, const uint32_t *ids, uint32_t n, uint32_t pos)
{
    for (uint32_t i = 0; i < n; i++)
        try_rule(rn, ids[i], pos);
}

/* Marks the rules of ids as possible in this sentence up to where their
 * required key at tokens [q, last] lets a match start, and for windowed
 * rules notes their required token at q: link_windows() then makes the
 * windows, once the longest entity of the sentence is known. */
static void mark_rules(run *rn, const uint32_t *ids, uint32_t n, uint32_t q, uint32_t last)
{
    scratch *sc = rn->m.sc;
    const rule_mark *marks = rn->m.ph->index.marks;
    uint32_t a = rn->m.sent_start;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t id = ids[k];
        rule_mark r = marks[id];
        PROF_RULE(&rn->m, id);
        PROF_ADD(&rn->m, marks, 1);
        uint32_t end = last + 1 - MIN(last + 1, r.req_lo);
        if (sc->req_mark[id] != sc->req_stamp) {
            if (r.cond_n)
                sc->conded[sc->n_conded++] = id;
            sc->req_end[id] = end;
        } else
            sc->req_end[id] = MAX(sc->req_end[id], end);
        sc->req_mark[id] = sc->req_stamp;
        if (r.req_hi == UNSET || q < a + r.req_lo)
            continue;
        RESERVE(sc->wins, sc->cap_wins, sc->n_wins + 1);
        sc->wins[sc->n_wins++] = (window){id, q - r.req_lo, q};
    }
}

static void mark_conds(scratch *sc, const uint32_t *ids, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        sc->cond_mark[ids[k]] = sc->req_stamp;
}

/* Chains the windows noted by mark_rules(), in that order, under the
 * tokens where their rules may start. */
static void link_windows(run *rn)
{
    scratch *sc = rn->m.sc;
    const rule_mark *marks = rn->m.ph->index.marks;
    uint32_t a = rn->m.sent_start;
    for (uint32_t w = 0; w < sc->n_wins; w++) {
        window *x = &sc->wins[w];
        if (sc->req_mark[x->rule] != sc->req_stamp) /* a condition is not met */
            continue;
        const rule_mark *r = &marks[x->rule];
        uint32_t q = x->next;
        uint64_t hi = (uint64_t)r->req_hi + (uint64_t)r->req_ents * (sc->longest - 1);
        uint32_t start = q - (uint32_t)MIN(hi, (uint64_t)(q - a));
        if (r->anchored) { /* it can start at the sentence's first token only */
            if (start != a)
                continue;
            x->end = a;
        }
        x->next = sc->pos_any[start - a] & 2 ? sc->win_head[start - a] : UNSET;
        sc->win_head[start - a] = w;
        sc->pos_any[start - a] |= 2;
    }
}

/* The first i' >= i (< n) where any[i'] is not zero, or n; any has 8 zero
 * bytes after n.  Eight bytes at a time. */
static inline uint32_t next_marked(const uint8_t *any, uint32_t i, uint32_t n)
{
    for (; i < n; i += 8) {
        uint64_t w = swar_load(any + i);
        if (w)
            return i + (uint32_t)__builtin_ctzll(w) / 8;
    }
    return n;
}

/* What marking a token reads of the index and the scratch, loaded once
 * per sentence into locals: mark_rules() writes the scratch, after which
 * the compiler would load each of them again for every token. */
typedef struct {
    const uint32_t *gids, *gentry, *rules, *blocks;
    uint8_t ent_starts; /* the ent bits that make a token a start */
} marker;

/* Marks the rules that need the form of key k (a constant, so that the
 * masks fold) with index entry bits f at pos, and the conditions it
 * meets: from the entry's block, past the lists before them. */
static inline __attribute__((always_inline)) void mark_form(run *rn, const marker *mk, uint32_t f,
                                                            int k, uint32_t pos)
{
    if (!(f & (GENTRY_REQ(k) | GENTRY_COND(k))))
        return;
    const uint32_t *b = mk->rules + mk->blocks[GENTRY_ENTRY(f) - 1];
    for (uint32_t before = f & GENTRY_BEFORE_REQ(k); before; before &= before - 1)
        b += 1 + *b;
    if (f & GENTRY_REQ(k)) {
        mark_rules(rn, b + 1, *b, pos, pos);
        b += 1 + *b;
    }
    if (f & GENTRY_COND(k))
        mark_conds(rn->m.sc, b + 1, *b);
}

/* Marks the rules that need the forms of the token at pos or the entities
 * at it (ent: 1 when some start there, 2 when some cover it), and the
 * conditions they meet; whether rules are indexed by them. */
static inline __attribute__((always_inline)) uint8_t mark_token(run *rn, const marker *mk,
                                                                uint32_t pos, uint8_t ent)
{
    const phase *ph = rn->m.ph;
    const rule_index *ix = &ph->index;
    scratch *sc = rn->m.sc;
    const uint32_t *g = mk->gids + 4 * (size_t)pos;
    uint32_t f0 = mk->gentry[g[0]], f1 = mk->gentry[g[1]], f2 = mk->gentry[g[2]],
             f3 = mk->gentry[g[3]];
    uint8_t starts = (ent & mk->ent_starts) || (f0 & GENTRY_START(0)) || (f1 & GENTRY_START(1)) ||
                     (f2 & GENTRY_START(2));
    mark_form(rn, mk, f0, K_WORD, pos);
    mark_form(rn, mk, f1, K_LOWER, pos);
    mark_form(rn, mk, f2, K_LEMMA, pos);
    mark_form(rn, mk, f3, K_SHAPE, pos);
    if (ent & 1) {
        uint32_t any = ph->id_labels->len;
        ent_range by = sc->by_start[pos];
        for (uint32_t k = by.first; k < by.end; k++) {
            /* [ent=X] holds at every token of the entity */
            uint32_t id = sc->ent_id[k], last = sc->ent_span[k].end - 1;
            if (id != UNSET && ix->req_n[id])
                mark_rules(rn, ix->rules + ix->req_first[id], ix->req_n[id], pos, last);
            if (id != UNSET && ix->cond_n[id])
                mark_conds(sc, ix->rules + ix->cond_first[id], ix->cond_n[id]);
        }
        /* the rules that need any entity, once: the longest comes first */
        uint32_t last = sc->ent_span[by.first].end - 1;
        if (ix->req_n[any])
            mark_rules(rn, ix->rules + ix->req_first[any], ix->req_n[any], pos, last);
        if (ix->cond_n[any])
            mark_conds(sc, ix->rules + ix->cond_first[any], ix->cond_n[any]);
    }
    return starts;
}

/* Lists, by group, the rules tried anywhere that the sentence [a, b)
 * allows, and the tokens where they are tried. */
static void activate_groups(run *rn, uint32_t a, uint32_t b)
{
    const rule_index *ix = &rn->m.ph->index;
    scratch *sc = rn->m.sc;
    memset(sc->gmask, 0, ix->gwords * sizeof(uint64_t));
    uint32_t n = 0, flags = 0;
    for (uint32_t i = 0; i < ix->n_always; i++) {
        uint32_t id = ix->always[i], g = ix->always_group[i];
        if (sc->req_mark[id] != sc->req_stamp)
            continue;
        if (!((sc->gmask[g / 64] >> (g % 64)) & 1)) {
            sc->gmask[g / 64] |= 1ull << (g % 64);
            sc->gfirst[g] = n;
            flags |= ix->filters[id].flags; /* a group's rules share their filter */
        }
        sc->gend[g] = n + 1;
        sc->active[n++] = id;
    }
    sc->n_active = n;
    /* a token without one of the flags some group needs starts none: the
       token loop skips it as it skips tokens without index entries */
    sc->every = n && flags == UINT32_MAX;
    if (!n || sc->every)
        return;
    const uint32_t *tf = sc->flags + a;
    uint8_t *any = sc->pos_any;
    for (uint32_t i = 0; i < b - a; i++)
        any[i] |= (tf[i] & flags) ? 4 : 0;
}

/* Marks the rules whose requirements the sentence [a, b) meets, the
 * windows of windowed rules, and the rules tried anywhere. */
static void mark_sentence(run *rn, uint32_t a, uint32_t b)
{
    const phase *ph = rn->m.ph;
    const rule_index *ix = &ph->index;
    scratch *sc = rn->m.sc;
    if (++sc->req_stamp == 0) {
        memset(sc->req_mark, 0, sc->cap_req * sizeof(uint32_t));
        memset(sc->cond_mark, 0, sc->cap_cond * sizeof(uint32_t));
        sc->req_stamp = 1;
    }
    for (uint32_t i = 0; i < ix->n_free; i++) {
        sc->req_mark[ix->free[i]] = sc->req_stamp;
        sc->req_end[ix->free[i]] = UNSET;
    }
    sc->n_wins = 0;
    /* win_head is not cleared: link_windows() sets a token's head first */
    RESERVE(sc->win_head, sc->cap_head, (size_t)(b - a) + 1);
    RESERVE(sc->pos_any, sc->cap_pos_any, (size_t)(b - a) + 8);
    sc->longest = 1;
    sc->memo_len = b - a;
    size_t need = (size_t)ix->n_memo * (b - a) + 1;
    /* answers of earlier sentences carry older generations: the memo is
       cleared only when the generation wraps or the memo grows, and then
       only as far as sentences wrote since the last clearing */
    if (need > sc->cap_memo || ++sc->memo_gen > MEMO_GEN_MAX) {
        size_t old = sc->cap_memo;
        RESERVE_ZERO(sc->memo, sc->cap_memo, need);
        memset(sc->memo, 0, MIN(sc->memo_dirty, old) * sizeof *sc->memo);
        sc->memo_dirty = 0;
        sc->memo_gen = 1;
    }
    sc->memo_dirty = MAX(sc->memo_dirty, need);
    /* most tokens have no form of the phase's index and no entity: eight
       tokens at a time, only the others go through mark_token().  A token
       inside an entity (not its first) matters only to cover lists */
    const uint8_t *gp = sc->gphases, *at = sc->ent_at;
    uint8_t *any = sc->pos_any, ents = ph->uses_entities ? 1 | (uint8_t)ix->any_cover << 1 : 0;
    uint64_t want = SWAR_ONES * rn->bit, ents8 = SWAR_ONES * ents;
    const marker mk = {sc->gids, ix->gentry, ix->rules, ix->blocks,
                       (uint8_t)((uint8_t)ix->any_start | (uint8_t)ix->any_cover << 1)};
    memset(any, 0, b - a + 8);
    for (uint32_t pos = a; pos < b; pos += 8) {
        /* one bit per token to look at: the loop clears the lowest */
        uint64_t w = swar_nonzero((swar_load(gp + pos) & want) | (swar_load(at + pos) & ents8));
        if (b - pos < 8)
            w &= (1ull << 8 * (b - pos)) - 1;
        for (; w; w &= w - 1) {
            uint32_t p = pos + (uint32_t)__builtin_ctzll(w) / 8;
            any[p - a] = mark_token(rn, &mk, p, at[p] & ents);
            /* the longest of the entities at p comes first */
            if (at[p] & ents & 1) {
                ent_range sp = sc->ent_span[sc->by_start[p].first];
                sc->longest = MAX(sc->longest, sp.end - sp.first);
            }
        }
    }
    /* [ent=X] also holds inside an X begun before the sentence: one
       covers its first token */
    for (uint32_t w = 0; ph->uses_entities && w < sc->words; w++)
        for (uint64_t bits = sc->cover[(size_t)a * sc->words + w]; bits; bits &= bits - 1) {
            uint32_t id = w * 64 + (uint32_t)__builtin_ctzll(bits);
            mark_conds(sc, ix->rules + ix->cond_first[id], ix->cond_n[id]);
        }
    /* a rule whose requirement the sentence meets but not one of its
       conditions cannot match here (link_windows() checks req_mark too) */
    const uint32_t *conds = (const uint32_t *)(void *)ph->rule_conds->data;
    for (uint32_t i = 0; i < sc->n_conded; i++) {
        const rule_mark *r = &ix->marks[sc->conded[i]];
        for (uint32_t c = r->cond_first; c < r->cond_first + r->cond_n; c++)
            if (sc->cond_mark[conds[c]] != sc->req_stamp) {
                sc->req_mark[sc->conded[i]] = 0;
                break;
            }
    }
    sc->n_conded = 0;
    link_windows(rn);
    sc->n_open = 0;
    sc->n_active = 0;
    sc->every = FALSE;
    if (ix->n_groups)
        activate_groups(rn, a, b);
}

/* Opens the windows that begin at pos (heads: some do), and tries the
 * windowed rules open at pos. */
static void try_windows(run *rn, uint32_t pos, uint8_t heads)
{
    scratch *sc = rn->m.sc;
    for (uint32_t w = heads ? sc->win_head[pos - rn->m.sent_start] : UNSET; w != UNSET;
         w = sc->wins[w].next) {
        const window *x = &sc->wins[w];
        if (sc->win_until[x->rule] == UNSET || sc->win_until[x->rule] < pos) {
            if (sc->win_until[x->rule] == UNSET)
                sc->open[sc->n_open++] = x->rule;
            sc->win_until[x->rule] = x->end;
        } else
            sc->win_until[x->rule] = MAX(sc->win_until[x->rule], x->end);
    }
    for (uint32_t i = 0; i < sc->n_open;) {
        uint32_t id = sc->open[i];
        if (sc->win_until[id] < pos) {
            sc->win_until[id] = UNSET;
            sc->open[i] = sc->open[--sc->n_open];
            continue;
        }
        /* no match can start where no first step matches */
        if (pos >= sc->next_start[id] && sc->tried_at[id] != pos && vm_can_start(&rn->m, id, pos))
            try_rule(rn, id, pos);
        i++;
    }
}

/* Tries the groups of rules tried anywhere whose first steps the token's
 * first bytes allow; each group's first steps are tested once. */
static void try_group(run *rn, uint32_t g, uint32_t pos)
{
    scratch *sc = rn->m.sc;
    int ok = -1;
    for (uint32_t i = sc->gfirst[g]; i < sc->gend[g] && ok; i++) {
        uint32_t id = sc->active[i];
        if (pos < sc->next_start[id] || sc->tried_at[id] == pos || pos >= sc->req_end[id])
            continue;
        if (ok < 0)
            ok = vm_can_start(&rn->m, rn->m.ph->index.group_rule[g], pos);
        if (ok)
            try_rule(rn, id, pos);
    }
}

static void try_groups(run *rn, uint32_t pos)
{
    const rule_index *ix = &rn->m.ph->index;
    const scratch *sc = rn->m.sc;
    const uint8_t *b = sc->bytes + 4 * (size_t)pos;
    uint32_t fl = sc->flags[pos];
    size_t gw = ix->gwords;
    if (gw == 1) { /* up to 64 groups: one word, no loop */
        const uint64_t *t = ix->group_bytes, *f = ix->group_flags;
        uint64_t bits = sc->gmask[0] & t[b[0]] & t[256 + b[1]] & t[512 + b[2]] & t[768 + b[3]] &
                        t[1024 + sc->ent_here[pos]] &
                        (f[fl & 255] | f[256 + (fl >> 8 & 255)] | f[512 + (fl >> 16 & 255)] |
                         f[768 + (fl >> 24)]);
        for (; bits; bits &= bits - 1)
            try_group(rn, (uint32_t)__builtin_ctzll(bits), pos);
        return;
    }
    const uint64_t *t0 = ix->group_bytes + (size_t)b[0] * gw,
                   *t1 = ix->group_bytes + (256 + (size_t)b[1]) * gw,
                   *t2 = ix->group_bytes + (512 + (size_t)b[2]) * gw,
                   *t3 = ix->group_bytes + (768 + (size_t)b[3]) * gw,
                   *t4 = ix->group_bytes + (1024 + (size_t)sc->ent_here[pos]) * gw,
                   *f0 = ix->group_flags + (fl & 255) * gw,
                   *f1 = ix->group_flags + (256 + (fl >> 8 & 255)) * gw,
                   *f2 = ix->group_flags + (512 + (fl >> 16 & 255)) * gw,
                   *f3 = ix->group_flags + (768 + (fl >> 24)) * gw;
    for (size_t w = 0; w < gw; w++) {
        uint64_t bits =
            sc->gmask[w] & t0[w] & t1[w] & t2[w] & t3[w] & t4[w] & (f0[w] | f1[w] | f2[w] | f3[w]);
        for (; bits; bits &= bits - 1)
            try_group(rn, (uint32_t)(w * 64) + (uint32_t)__builtin_ctzll(bits), pos);
    }
}

/* Tries the rules indexed by the forms of the token at pos or by the
 * entities at it. */
static void try_starts(run *rn, uint32_t pos)
{
    const phase *ph = rn->m.ph;
    const rule_index *ix = &ph->index;
    scratch *sc = rn->m.sc;
    const uint32_t *g = sc->gids + 4 * (size_t)pos;
    for (int k = 0; k < 3; k++) {
        uint32_t f = ix->gentry[g[k]];
        if (f & GENTRY_START(k)) {
            const form_entry *e = &ix->entries[GENTRY_ENTRY(f) - 1];
            try_list(rn, ix->rules + e->start_first[k], e->start_n[k], pos);
        }
    }
    if (ph->uses_entities) {
        uint32_t any = ph->id_labels->len;
        for (uint32_t k = sc->by_start[pos].first; k < sc->by_start[pos].end; k++)
            if (sc->ent_id[k] != UNSET)
                try_list(rn, ix->rules + ix->start_first[sc->ent_id[k]], ix->start_n[sc->ent_id[k]],
                         pos);
        if (sc->by_start[pos].first < sc->by_start[pos].end)
            try_list(rn, ix->rules + ix->start_first[any], ix->start_n[any], pos);
        const uint64_t *mask = sc->cover + (size_t)pos * sc->words;
        for (uint32_t w = 0; w < sc->words; w++)
            for (uint64_t bits = mask[w]; bits; bits &= bits - 1) {
                uint32_t id = w * 64 + (uint32_t)__builtin_ctzll(bits);
                try_list(rn, ix->rules + ix->cover_first[id], ix->cover_n[id], pos);
            }
    }
}

/* Makes sure sc has room for ph's programs, rules and groups and its
 * regex clones. */
static void prepare(scratch *sc, const phase *ph, guint index)
{
    RESERVE(sc->stack, sc->cap_stack, 2 * (size_t)ph->max_inst + 8);
    if (ph->max_inst > sc->cap_mark) {
        sc->mark = g_renew(uint32_t, sc->mark, ph->max_inst);
        memset(sc->mark, 0, ph->max_inst * sizeof(uint32_t));
        sc->cap_mark = ph->max_inst;
        sc->stamp = 0;
    }
    /* next_start, tried_at and win_until are back to 0, UNSET, UNSET after
       every phase (the rules touched are reset): set only when grown */
    size_t nr = ph->rules->len;
    if (nr + 1 > sc->cap_rules) {
        sc->next_start = g_renew(uint32_t, sc->next_start, nr + 1);
        sc->tried_at = g_renew(uint32_t, sc->tried_at, nr + 1);
        sc->win_until = g_renew(uint32_t, sc->win_until, nr + 1);
        sc->touched = g_renew(uint32_t, sc->touched, nr + 1);
        sc->open = g_renew(uint32_t, sc->open, nr + 1);
        sc->conded = g_renew(uint32_t, sc->conded, nr + 1);
        memset(sc->next_start, 0, (nr + 1) * sizeof(uint32_t));
        memset(sc->tried_at, 0xFF, (nr + 1) * sizeof(uint32_t));
        memset(sc->win_until, 0xFF, (nr + 1) * sizeof(uint32_t));
        sc->cap_rules = nr + 1;
    }
    sc->n_touched = 0;
    const rule_index *ix = &ph->index;
    if (ix->n_conds + 1 > sc->cap_cond) { /* 0 is no stamp */
        sc->cond_mark = g_renew(uint32_t, sc->cond_mark, ix->n_conds + 1);
        memset(sc->cond_mark, 0, (ix->n_conds + 1) * sizeof(uint32_t));
        sc->cap_cond = ix->n_conds + 1;
    }
    if (nr + 1 > sc->cap_req) { /* the stamps start again: no mark may be left */
        sc->req_mark = g_renew(uint32_t, sc->req_mark, nr + 1);
        sc->req_end = g_renew(uint32_t, sc->req_end, nr + 1);
        memset(sc->req_mark, 0, (nr + 1) * sizeof(uint32_t));
        memset(sc->cond_mark, 0, sc->cap_cond * sizeof(uint32_t));
        sc->cap_req = nr + 1;
        sc->req_stamp = 0;
    }
    RESERVE(sc->active, sc->cap_active, ix->n_always + 1);
    size_t cg = sc->cap_groups;
    RESERVE(sc->gfirst, cg, ix->n_groups + 1);
    RESERVE(sc->gend, sc->cap_groups, ix->n_groups + 1);
    RESERVE(sc->gmask, sc->cap_gmask, ix->gwords + 1);
    sc->n_open = 0;
    size_t cs = sc->cap_slots;
    RESERVE(sc->work, cs, 2 * (size_t)ph->max_slots);
    RESERVE(sc->best, sc->cap_slots, 2 * (size_t)ph->max_slots);
    while (sc->odds->len <= index)
        g_ptr_array_add(sc->odds, g_array_new(FALSE, TRUE, sizeof(uint32_t)));
    GArray *odds = g_ptr_array_index(sc->odds, index);
    if (odds->len < 2 * nr)
        g_array_set_size(odds, 2 * (guint)nr);
    while (sc->regexes->len <= index) {
        guint zero = 0;
        g_ptr_array_add(sc->regexes, NULL);
        g_array_append_val(sc->regex_counts, zero);
    }
    if (!g_ptr_array_index(sc->regexes, index) && ph->regexes->len) {
        sc->regexes->pdata[index] = g_new0(rx_slot, ph->regexes->len);
        g_array_index(sc->regex_counts, guint, index) = ph->regexes->len;
    }
}

void rules_run_phase(const phase *ph, guint index, nerve_doc *doc, scratch *sc)
{
    size_t n_tok, n_sent;
    const nerve_token *toks = nerve_doc_tokens(doc, &n_tok);
    const nerve_sentence *sents = nerve_doc_sentences(doc, &n_sent);
    if (!n_tok || !ph->rules->len)
        return;
    prepare(sc, ph, index);
    rules_build_visibility(ph, doc, sc, n_tok);
    run rn;
    memset(&rn, 0, sizeof rn);
    rn.m.ph = ph;
    rn.m.rules = (const rule *)(void *)ph->rules->data;
    rn.m.cons = (const constraint *)(void *)ph->cons->data;
    rn.m.tests = (const test *)(void *)ph->tests->data;
    rn.m.lits = (const nerve_str *)(void *)ph->lits->data;
    rn.m.quick = ph->index.quick;
    rn.m.sc = sc;
    rn.m.re = g_ptr_array_index(sc->regexes, index);
    rn.odds = (uint32_t *)(void *)((GArray *)g_ptr_array_index(sc->odds, index))->data;
    rn.m.toks = toks;
    rn.m.ents = nerve_doc_entities(doc, NULL);
    rn.doc = doc;
    rn.number = ph->number;
    rn.bit = ph->bit;
    if (RULES_PROFILE)
        rn.m.counts = rules_profile_counts(sc->counts, index, ph->rules->len);
    for (size_t k = 0; k < n_sent; k++) {
        rn.m.sent_start = sents[k].tok_start;
        rn.m.sent_end = sents[k].tok_end;
        mark_sentence(&rn, sents[k].tok_start, sents[k].tok_end);
        uint32_t a = sents[k].tok_start, b = sents[k].tok_end;
        const uint8_t *any = sc->pos_any;
        for (uint32_t pos = a; pos < b; pos++) {
            /* with no rule tried at every token and no window open,
               nothing is tried before the next token with index entries,
               windows or the flags of the rules tried anywhere */
            if (!sc->every && !sc->n_open && (pos = a + next_marked(any, pos - a, b - a)) >= b)
                break;
            uint8_t f = any[pos - a];
            if (sc->every || (f & 4))
                try_groups(&rn, pos);
            if (f & 1)
                try_starts(&rn, pos);
            if (sc->n_open || (f & 2))
                try_windows(&rn, pos, f & 2);
        }
        for (uint32_t i = 0; i < sc->n_open; i++)
            sc->win_until[sc->open[i]] = UNSET;
        sc->n_open = 0;
    }
    rules_clear_visibility(sc);
    for (uint32_t i = 0; i < sc->n_touched; i++) {
        sc->next_start[sc->touched[i]] = 0;
        sc->tried_at[sc->touched[i]] = UNSET;
    }
    if (rn.added) {
        nerve_doc_resolve_entities(doc);
        rules_merge_events(doc);
    }
}
