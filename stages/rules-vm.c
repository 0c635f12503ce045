/* rules-vm.c - token tests and the Pike VM that runs one rule's program.
 *
 * A rule tried at a token runs a Pike VM (Thompson NFA simulation, with
 * capture slots per thread): every thread advances one token per step, at
 * most one thread per program step and position, so the work per token is
 * bounded by the program size whatever the nesting ([]*)* or the sentence
 * length.  A try first walks anchored at its token; past ANCHORED_MAX
 * tokens without a match the VM searches leftmost-longest: while threads
 * are alive it also starts new threads at the following tokens (lower
 * priority than older ones) where a first step can match, keeps the match
 * with the earliest start and, for that start, the furthest end; the
 * caller resumes the rule's scan after the match, or after the point
 * where every thread died, so a token is examined by at most
 * ANCHORED_MAX tries of the same rule.  An entity step
 * consumes a whole entity: its thread waits, in order, until the position
 * where the entity ends.
 *
 * Token tests compare the forms the tokenizer and lexicon made, by hash
 * first (and not at all for a form without an id: no literal has its
 * hash, rules-forms.h); entity tests and first entity steps compare label
 * ids by masks; simple ASCII regexes run as DFAs (rules-regex.c), the
 * others through a worker's ICU clone with a cache of answers.  Whether a rule
 * can start at a token is asked often, so the first bytes of the token's
 * forms are checked against the rule's filter (rules-index.c) before its
 * first steps are.
 */
#include <stddef.h>
#include <string.h>
#include <unicode/utext.h>

#include "nerve/hash.h"
#include "rules-match.h"
#include "rules-regex.h"

/* --- token tests -------------------------------------------------------------------- */

static gboolean regex_matches(URegularExpression *re, const nerve_str *form)
{
    UErrorCode st = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, form->s ? form->s : "", form->s ? form->len : 0, &st);
    uregex_setUText(re, &ut, &st);
    UBool m = uregex_matches(re, -1, &st);
    utext_close(&ut);
    return U_SUCCESS(st) && m;
}

/* Whether regex i of the phase, through ICU, matches the whole form. */
static gboolean icu_test(const vm *m, uint32_t i, const nerve_str *f)
{
    rx_slot *x = &m->re[i];
    if (!x->cache) {
        UErrorCode st = U_ZERO_ERROR;
        x->re = uregex_clone(g_ptr_array_index(m->ph->regexes, i), &st);
        x->cache = g_new0(rx_entry, RX_CACHE);
        /* a pattern that backtracks exponentially must not stall the
           stream on one token: ICU gives up, and the token is a no */
        uregex_setTimeLimit(x->re, RX_TIME_LIMIT, &st);
        if (U_FAILURE(st) && x->re) {
            uregex_close(x->re);
            x->re = NULL;
        }
    }
    if (!x->re) /* ICU could not clone it: it matches nothing */
        return FALSE;
    if (!f->s || f->len > RX_FORM)
        return regex_matches(x->re, f);
    rx_entry *e = &x->cache[(f->hash ^ (f->hash >> 9)) & (RX_CACHE - 1)];
    if (e->answer && e->hash == f->hash && e->len == f->len && !memcmp(e->s, f->s, f->len))
        return e->answer == 2;
    gboolean yes = regex_matches(x->re, f);
    e->hash = f->hash;
    e->len = (uint8_t)f->len;
    memcpy(e->s, f->s, f->len);
    e->answer = yes ? 2 : 1;
    return yes;
}

/* Whether distinct regex i of the phase matches the whole form. */
static gboolean regex_test(const vm *m, uint32_t i, const nerve_str *f)
{
    const rx_dfa *dfa = g_ptr_array_index(m->ph->dfas, i);
    if (dfa) {
        int yes = rx_dfa_match(dfa, f->s ? f->s : "", f->s ? f->len : 0);
        if (yes != RX_ASK_ICU)
            return yes == RX_YES;
    }
    return icu_test(m, i, f);
}

/* Whether form f is one of the n literals: by hash, then length, then
 * bytes.  Long lists are sorted by hash (rules_build_index); hashes are
 * spread evenly, so the first literal not below f's hash lies near
 * n * hash / 2^32 and a walk from there takes a few steps where a binary
 * search would take log2 n. */
static inline gboolean lits_contain(const nerve_str *lits, uint32_t n, const nerve_str *f)
{
    uint32_t h = f->hash, k = 0;
    if (n > 8) {
        k = (uint32_t)(((uint64_t)h * n) >> 32);
        if (lits[k].hash < h)
            while (++k < n && lits[k].hash < h)
                ;
        else
            while (k && lits[k - 1].hash >= h)
                k--;
        for (; k < n && lits[k].hash == h; k++)
            if (lits[k].len == f->len && !memcmp(lits[k].s, f->s, f->len))
                return TRUE;
        return FALSE;
    }
    for (; k < n; k++)
        if (lits[k].hash == h && lits[k].len == f->len && !memcmp(lits[k].s, f->s, f->len))
            return TRUE;
    return FALSE;
}

static gboolean ent_test(const vm *m, const test *t, uint32_t pos)
{
    const uint64_t *mask = m->sc->cover + (size_t)pos * m->sc->words;
    uint32_t any = m->ph->id_labels->len;
    if (!((mask[any / 64] >> (any % 64)) & 1)) /* no entity covers it (most tokens) */
        return FALSE;
    if (!t->n_labels)
        return TRUE;
    const rule_index *ix = &m->ph->index;
    const uint64_t *labels = ix->test_labels + (size_t)(t - m->tests) * ix->label_words;
    for (uint32_t w = 0; w < ix->label_words; w++)
        if (mask[w] & labels[w])
            return TRUE;
    return FALSE;
}

/* The forms of a token follow each other in the order of the keys. */
_Static_assert(
    offsetof(nerve_token, lower) == offsetof(nerve_token, norm) + K_LOWER * sizeof(nerve_str) &&
        offsetof(nerve_token, lemma) == offsetof(nerve_token, norm) + K_LEMMA * sizeof(nerve_str) &&
        offsetof(nerve_token, shape) == offsetof(nerve_token, norm) + K_SHAPE * sizeof(nerve_str),
    "nerve_token: norm, lower, lemma, shape in the order of test_key");

/* The form of tok a test of key (K_WORD .. K_SHAPE) compares. */
static inline const nerve_str *test_form(const nerve_token *tok, uint8_t key)
{
    if (key == K_LEMMA && !tok->lemma.s)
        return &tok->lower;
    return (const nerve_str *)(const void *)((const char *)tok + offsetof(nerve_token, norm) +
                                             key * sizeof(nerve_str));
}

/* Whether the token at pos passes test t (before its negation). */
static inline gboolean test_ok(const vm *m, const test *t, uint32_t pos)
{
    if (t->key == K_IS)
        return (m->sc->flags[pos] & t->flags) != 0;
    if (t->key == K_ENT)
        return ent_test(m, t, pos);
    const nerve_token *tok = &m->toks[pos];
    const nerve_str *f = test_form(tok, t->key);
    if (t->n_lits) {
        const nerve_str *lits = m->lits + t->lits_first;
        /* a form whose hash no literal of the rules has (id 0, most
           tokens) is in no list */
        if (m->sc->gids[4 * (size_t)pos + t->key] && lits_contain(lits, t->n_lits, f))
            return TRUE;
        if (t->abbrev && (tok->flags & NERVE_TOKEN_ABBREV) && f->len > 1 &&
            f->s[f->len - 1] == '.') {
            nerve_str cut = {f->s, f->len - 1, nerve_hash(f->s, f->len - 1)};
            return lits_contain(lits, t->n_lits, &cut);
        }
    }
    if (!t->n_regex)
        return FALSE;
    const uint32_t *refs = (const uint32_t *)(void *)m->ph->regex_refs->data + t->regex_first;
    for (uint32_t k = 0; k < t->n_regex; k++)
        if (regex_test(m, refs[k], f))
            return TRUE;
    return FALSE;
}

/* Whether the token at pos passes tests [t, t + n) of a constraint. */
static __attribute__((noinline)) gboolean tests_ok(const vm *m, const test *t, uint32_t n,
                                                   uint32_t pos)
{
    PROF_ADD(m, slow, 1);
    for (; n; n--, t++)
        if (test_ok(m, t, pos) == (gboolean)t->negate)
            return FALSE;
    return TRUE;
}

/* The commonest tests, decided from the constraint's quick record q
 * without a call: a flag test (is=), an entity test at a token no entity
 * covers, a list of literals when the form is no literal of the rules of
 * the test's key (its id is 0, or the id's keys lack it: most tokens),
 * and one literal the form's hash misses (unless the token is an
 * abbreviation the test also takes without its period).  Returns 0 or 1
 * (before negation), or 2: ask test_ok(). */
static inline int quick_test(const vm *m, const cons_quick *q, uint32_t pos)
{
    switch (q->quick & Q_KIND) {
    case Q_IS:
        return (m->sc->flags[pos] & q->x) != 0;
    case Q_ENT: {
        uint32_t any = m->ph->id_labels->len;
        const uint64_t *mask = m->sc->cover + (size_t)pos * m->sc->words;
        return (mask[any / 64] >> (any % 64)) & 1 ? 2 : 0;
    }
    case Q_SLOW:
        return 2;
    default:
        break;
    }
    if ((q->quick & Q_ABBREV) && (m->sc->flags[pos] & NERVE_TOKEN_ABBREV))
        return 2;
    if (!((m->sc->gkeys[m->sc->gids[4 * (size_t)pos + q->key]] >> q->key) & 1))
        return 0;
    if ((q->quick & Q_KIND) != Q_LIT1)
        return 2;
    return q->x == test_form(&m->toks[pos], q->key)->hash ? 2 : 0;
}

/* Whether the token at pos meets constraint cons.  The first test (cheap
 * ones come first, rules_build_index) decides most tokens without a call
 * and without a look at the constraint or its tests (cons_quick).
 * Within a phase a token and the entities visible to it do not change,
 * so the answer of a costly constraint is kept for the sentence
 * (memo_slots() in rules-index.c). */
static inline __attribute__((always_inline)) gboolean tok_ok(const vm *m, uint32_t cons,
                                                             uint32_t pos)
{
    if (cons == UNSET)
        return TRUE;
    const cons_quick *q = m->quick + cons;
    uint32_t skip = 0;
    int r = quick_test(m, q, pos);
    if (r != 2) {
        if (r == q->negate)
            return FALSE;
        if (q->single)
            return TRUE;
        skip = 1;
    }
    uint32_t slot = q->memo;
    const scratch *sc = m->sc;
    uint32_t at = pos - m->sent_start; /* wraps below the sentence */
    if (slot == UNSET || at >= sc->memo_len)
        return tests_ok(m, m->tests + q->first + skip, m->cons[cons].n - skip, pos);
    uint16_t *v = &sc->memo[(size_t)slot * sc->memo_len + at];
    uint16_t gen = sc->memo_gen;
    if (*v >> 1 != gen)
        *v = (uint16_t)(gen << 1 |
                        tests_ok(m, m->tests + q->first + skip, m->cons[cons].n - skip, pos));
    return *v & 1;
}

static gboolean label_ok(const vm *m, uint32_t set, const char *label)
{
    if (set == UNSET)
        return TRUE;
    const labelset *ls = &g_array_index(m->ph->labelsets, labelset, set);
    for (uint32_t i = 0; i < ls->n; i++)
        if (g_ptr_array_index(m->ph->set_labels, ls->first + i) == label)
            return TRUE;
    return FALSE;
}

gboolean vm_first_steps_ok(const vm *m, uint32_t id, uint32_t pos)
{
    const rule_index *ix = &m->ph->index;
    rule_firsts fs = ix->firsts[id];
    if (fs.n == FIRST_ANY)
        return TRUE;
    /* the entity steps at once: an entity starting here with one of their
       labels (the ids of visible entities, ent_id; UNSET: a label no rule
       of the phase names), or any */
    const scratch *sc = m->sc;
    if (ix->first_ent[id] && sc->by_start[pos].first < sc->by_start[pos].end) {
        const uint64_t *mask = ix->first_labels + (size_t)id * ix->label_words;
        uint32_t any = m->ph->id_labels->len;
        if ((mask[any / 64] >> (any % 64)) & 1)
            return TRUE;
        for (uint32_t j = sc->by_start[pos].first; j < sc->by_start[pos].end; j++) {
            uint32_t l = sc->ent_id[j];
            if (l != UNSET && (mask[l / 64] >> (l % 64)) & 1)
                return TRUE;
        }
    }
    const uint32_t *cons = ix->first_cons + fs.first;
    for (uint32_t k = 0; k < fs.n; k++) {
        PROF_ADD(m, start_tests, 1);
        if (tok_ok(m, cons[k], pos))
            return TRUE;
    }
    return FALSE;
}

/* Where the next visible entity at pos, from *k on, that an entity step
 * of labelset set consumes ends (within the sentence); 0 when none is
 * left.  *k moves past it. */
static inline uint32_t next_entity_end(const vm *m, uint32_t set, uint32_t pos, uint32_t *k)
{
    const scratch *sc = m->sc;
    for (; *k < sc->by_start[pos].end; (*k)++) {
        const nerve_entity *e = &m->ents[sc->ent_list[*k]];
        if (e->tok_end <= m->sent_end && label_ok(m, set, e->label)) {
            (*k)++;
            return e->tok_end;
        }
    }
    return 0;
}

/* --- two steps ------------------------------------------------------------------------- */

/* The closure items of entry step pc of r at pos (its ^ and $ variant). */
static inline const closure_item *closure_at(const vm *m, uint32_t pc, uint32_t pos, uint32_t *n)
{
    const rule *r = m->r;
    uint32_t at = pc;
    if (r->clo_variants > 1)
        at += r->n_inst * ((pos == m->sent_start) | (uint32_t)(pos == m->sent_end) << 1);
    *n = r->clo_n[at];
    return r->clo + r->clo_first[at];
}

/* Whether a walk at pos from entry step pc takes a step: MATCH is
 * reached, or a consuming step matches at pos. */
static gboolean step_alive(const vm *m, uint32_t pc, uint32_t pos)
{
    uint32_t n;
    const closure_item *it = closure_at(m, pc, pos, &n);
    for (; n; n--, it++) {
        if (it->match)
            return TRUE;
        if (pos >= m->sent_end)
            continue;
        const inst *in = &m->r->prog[it->pc];
        uint32_t k = m->sc->by_start[pos].first;
        if (in->op == I_TOK ? tok_ok(m, in->x, pos) : next_entity_end(m, in->x, pos, &k) != 0)
            return TRUE;
    }
    return FALSE;
}

gboolean vm_two_steps(const vm *m, uint32_t pos)
{
    const rule *r = m->r;
    if (!r->clo)
        return TRUE;
    uint32_t n;
    const closure_item *it = closure_at(m, 0, pos, &n);
    for (; n; n--, it++) {
        if (it->match)
            return TRUE;
        const inst *in = &r->prog[it->pc];
        if (in->op == I_TOK) {
            if (tok_ok(m, in->x, pos) && step_alive(m, it->pc + 1, pos + 1))
                return TRUE;
            continue;
        }
        /* a thread in an entity waits for its end: the next step is there */
        for (uint32_t k = m->sc->by_start[pos].first, end;
             (end = next_entity_end(m, in->x, pos, &k));)
            if (step_alive(m, it->pc + 1, end))
                return TRUE;
    }
    return FALSE;
}

/* --- the VM --------------------------------------------------------------------------- */

void vm_tlist_clear(tlist *l)
{
    g_free(l->pc);
    g_free(l->until);
    g_free(l->caps);
}

static void tlist_grow(tlist *l, uint32_t nslots)
{
    l->cap = l->cap ? l->cap * 2 : 64;
    l->pc = g_renew(uint32_t, l->pc, l->cap);
    l->until = g_renew(uint32_t, l->until, l->cap);
    size_t cc = l->caps_cap;
    RESERVE(l->caps, cc, (size_t)l->cap * nslots);
    l->caps_cap = (uint32_t)cc;
}

/* n is even (2 + 2 per capture): the slots are copied four, then two
 * at a time. */
static inline void copy_slots(uint32_t *to, const uint32_t *from, uint32_t n)
{
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4)
        memcpy(to + i, from + i, 4 * sizeof *to);
    if (i < n)
        memcpy(to + i, from + i, 2 * sizeof *to);
}

/* Makes room in l for k more threads. */
static inline void tlist_reserve(tlist *l, uint32_t k, uint32_t nslots)
{
    while (l->n + k > l->cap || (size_t)(l->n + k) * nslots > l->caps_cap)
        tlist_grow(l, nslots);
}

/* Appends a thread; returns its capture slots. */
static inline uint32_t *tlist_add(tlist *l, uint32_t pc, uint32_t until, const uint32_t *caps,
                                  uint32_t nslots)
{
    if (l->n == l->cap || (size_t)(l->n + 1) * nslots > l->caps_cap)
        tlist_grow(l, nslots);
    l->pc[l->n] = pc;
    l->until[l->n] = until;
    uint32_t *to = l->caps + (size_t)l->n * nslots;
    copy_slots(to, caps, nslots);
    l->n++;
    return to;
}

/* The stack has room for 2 frames per step of the program (prepare() in
 * rules-match.c): each step is visited once per position and pushes at
 * most 2. */
static inline void push_frame(scratch *sc, size_t *top, uint32_t pc, uint32_t slot, uint32_t old)
{
    sc->stack[(*top)++] = (frame){pc, slot, old};
}

static void record(vm *m, uint32_t pos)
{
    scratch *sc = m->sc;
    if (!m->have || sc->work[0] < sc->best[0] ||
        (sc->work[0] == sc->best[0] && pos > sc->best[1])) {
        copy_slots(sc->best, sc->work, m->nslots);
        sc->best[1] = pos;
        m->have = TRUE;
    }
}

/* Adds the thread at pc with caps, following non-consuming steps at pos;
 * mark[] (stamp) keeps one thread per step and position. */
static void add_thread_dfs(vm *m, tlist *l, uint32_t pc0, uint32_t pos, const uint32_t *caps)
{
    scratch *sc = m->sc;
    uint32_t *work = sc->work, *mark = sc->mark, stamp = sc->stamp;
    const inst *prog = m->r->prog;
    copy_slots(work, caps, m->nslots);
    size_t top = 0;
    push_frame(sc, &top, pc0, UNSET, 0);
    while (top) {
        frame f = sc->stack[--top];
        if (f.slot != UNSET) {
            work[f.slot] = f.old;
            continue;
        }
        if (mark[f.pc] == stamp)
            continue;
        mark[f.pc] = stamp;
        const inst *in = &prog[f.pc];
        switch (in->op) {
        case I_JMP:
            push_frame(sc, &top, in->x, UNSET, 0);
            break;
        case I_SPLIT:
            push_frame(sc, &top, in->y, UNSET, 0);
            push_frame(sc, &top, in->x, UNSET, 0);
            break;
        case I_SAVE:
            push_frame(sc, &top, 0, in->x, work[in->x]);
            work[in->x] = pos;
            push_frame(sc, &top, f.pc + 1, UNSET, 0);
            break;
        case I_BOL:
        case I_EOL:
            if (pos == (in->op == I_BOL ? m->sent_start : m->sent_end))
                push_frame(sc, &top, f.pc + 1, UNSET, 0);
            break;
        case I_MATCH:
            record(m, pos);
            break;
        default:
            tlist_add(l, f.pc, pos, work, m->nslots);
        }
    }
}

/* add_thread_dfs() through the precomputed closure of pc0: the same
 * threads with the same captures (see rules_closures()).  The list's
 * room is made first, so that its fields stay in registers. */
static void add_thread(vm *m, tlist *l, uint32_t pc0, uint32_t pos, const uint32_t *caps)
{
    const rule *r = m->r;
    PROF_ADD(m, threads, 1);
    if (!r->clo) {
        add_thread_dfs(m, l, pc0, pos, caps);
        return;
    }
    scratch *sc = m->sc;
    uint32_t *mark = sc->mark, stamp = sc->stamp, at = pc0, nslots = m->nslots;
    if (r->clo_variants > 1)
        at += r->n_inst * ((pos == m->sent_start) | (uint32_t)(pos == m->sent_end) << 1);
    const closure_item *it = r->clo + r->clo_first[at];
    uint32_t k = r->clo_n[at];
    tlist_reserve(l, k, nslots);
    uint32_t n = l->n, *pcs = l->pc, *until = l->until, *to = l->caps + (size_t)n * nslots;
    const uint32_t *saves = r->clo_saves;
    for (; k; k--, it++) {
        if (mark[it->pc] == stamp)
            continue;
        mark[it->pc] = stamp;
        const uint32_t *save = saves + it->saves_first, *end = save + it->n_saves;
        if (it->match) {
            copy_slots(sc->work, caps, nslots);
            for (; save < end; save++)
                sc->work[*save] = pos;
            record(m, pos);
            continue;
        }
        copy_slots(to, caps, nslots);
        for (; save < end; save++)
            to[*save] = pos;
        pcs[n] = it->pc;
        until[n++] = pos;
        to += nslots;
    }
    l->n = n;
}

static void next_stamp(vm *m)
{
    if (++m->sc->stamp == 0) {
        memset(m->sc->mark, 0, m->sc->cap_mark * sizeof(uint32_t));
        m->sc->stamp = 1;
    }
}

/* Moves the threads of c (at pos) to n (at pos + 1). */
static void step(vm *m, tlist *c, tlist *n, uint32_t pos)
{
    scratch *sc = m->sc;
    /* c does not change while n grows: its fields are read once */
    const uint32_t *pcs = c->pc, *until = c->until, *caps = c->caps, nslots = m->nslots;
    const inst *prog = m->r->prog;
    for (uint32_t i = 0, nc = c->n; i < nc; i++, caps += nslots) {
        if (m->have && caps[0] > sc->best[0])
            continue;
        uint32_t pc = pcs[i];
        if (until[i] > pos) { /* waiting inside an entity */
            if (until[i] == pos + 1)
                add_thread(m, n, pc, pos + 1, caps);
            else
                tlist_add(n, pc, until[i], caps, nslots);
            continue;
        }
        const inst *in = &prog[pc];
        if (in->op == I_TOK) {
            PROF_ADD(m, tests, 1);
            if (tok_ok(m, in->x, pos))
                add_thread(m, n, pc + 1, pos + 1, caps);
            continue;
        }
        for (uint32_t k = sc->by_start[pos].first, end;
             (end = next_entity_end(m, in->x, pos, &k));) {
            if (end == pos + 1)
                add_thread(m, n, pc + 1, pos + 1, caps);
            else
                tlist_add(n, pc + 1, end, caps, nslots);
        }
    }
}

/* --- the first pass ------------------------------------------------------------------ */

/* Most tries find no match.  Without a match, which steps are alive at a
 * position does not depend on the captures: the VM keeps one thread per
 * step, whatever its slots.  So a first pass runs the same walk over sets
 * of steps, with no slots to copy; only when it reaches MATCH does the VM
 * run, from the same token, for the captures and the longest end.  A rule
 * without captures needs only the longest end: its walk over sets goes on
 * to where its threads die, and the VM does not run. */

/* Adds the closure of entry step pc at pos to the set; whether it reaches
 * MATCH. */
static inline gboolean add_set(const vm *m, uint64_t *set, uint32_t pc, uint32_t pos)
{
    const rule *r = m->r;
    size_t at = pc;
    if (r->clo_variants > 1)
        at += r->n_inst * ((pos == m->sent_start) | (size_t)(pos == m->sent_end) << 1);
    const uint64_t *bits = r->clo_bits + at * r->clo_words;
    PROF_ADD(m, threads, 1);
    for (uint32_t w = 0; w < r->clo_words; w++)
        set[w] |= bits[w];
    return r->clo_match[at];
}

/* Queues a thread waiting inside an entity until `until` (once). */
static void add_wait(scratch *sc, int next, uint32_t *n, uint32_t pc, uint32_t until)
{
    uint32_t *pcs = sc->wait[next][0], *untils = sc->wait[next][1];
    for (uint32_t i = 0; i < *n; i++)
        if (pcs[i] == pc && untils[i] == until)
            return;
    if (*n == sc->cap_wait[next]) {
        size_t cap = sc->cap_wait[next];
        RESERVE(sc->wait[next][0], cap, *n + 1);
        cap = sc->cap_wait[next];
        RESERVE(sc->wait[next][1], cap, *n + 1);
        sc->cap_wait[next] = cap;
    }
    sc->wait[next][0][*n] = pc;
    sc->wait[next][1][*n] = until;
    (*n)++;
}

/* Outcomes of a walk from p0. */
enum { WALK_NONE, WALK_MATCH, WALK_LONG };

/* The walk of vm_search() from p0 without captures: WALK_MATCH as soon as
 * a thread reaches MATCH; WALK_NONE when no match is found, with *resume
 * where vm_search() resumes.  Anchored (starts at p0 only), WALK_LONG
 * when threads are still alive ANCHORED_MAX tokens on without a match.
 * With longest (anchored only), the walk goes on after a match, to where
 * the threads die, and then *end is the furthest end of a match. */
static int first_pass(vm *m, uint32_t p0, gboolean anchored, gboolean longest, uint32_t *resume,
                      uint32_t *match_end)
{
    const rule *r = m->r;
    scratch *sc = m->sc;
    const inst *prog = r->prog;
    uint64_t sets[2][RULE_BITS_MAX / 64];
    uint64_t *cur = sets[0], *next = sets[1];
    uint32_t words = r->clo_words, n_wait = 0, cw = 0;
    gboolean have = FALSE;
    cur[0] = 0;
    if (words > 1)
        memset(cur + 1, 0, (words - 1) * sizeof *cur);
    if (add_set(m, cur, 0, p0)) {
        if (!longest)
            return WALK_MATCH;
        have = TRUE;
        *match_end = p0;
    }
    uint32_t pos = p0;
    for (;;) {
        uint64_t live = 0;
        for (uint32_t w = 0; w < words; w++)
            live |= cur[w];
        if ((!live && !n_wait) || pos >= m->sent_end)
            break;
        if (anchored && !have && pos - p0 == ANCHORED_MAX)
            return WALK_LONG;
        PROF_ADD(m, positions, 1);
        PROF_ADD(m, words, words);
        next[0] = 0; /* a program of up to 64 steps: no call */
        if (words > 1)
            memset(next + 1, 0, (words - 1) * sizeof *next);
        uint32_t n_next = 0;
        gboolean hit = FALSE;
        for (uint32_t i = 0; i < n_wait; i++) {
            uint32_t pc = sc->wait[cw][0][i], until = sc->wait[cw][1][i];
            if (until == pos + 1)
                hit |= add_set(m, next, pc, pos + 1);
            else
                add_wait(sc, !cw, &n_next, pc, until);
        }
        for (uint32_t w = 0; w < words; w++)
            for (uint64_t bits = cur[w]; bits; bits &= bits - 1) {
                uint32_t pc = w * 64 + (uint32_t)__builtin_ctzll(bits);
                const inst *in = &prog[pc];
                if (in->op == I_TOK) {
                    PROF_ADD(m, tests, 1);
                    if (tok_ok(m, in->x, pos))
                        hit |= add_set(m, next, pc + 1, pos + 1);
                    continue;
                }
                for (uint32_t k = sc->by_start[pos].first, end;
                     (end = next_entity_end(m, in->x, pos, &k));) {
                    if (end == pos + 1)
                        hit |= add_set(m, next, pc + 1, pos + 1);
                    else
                        add_wait(sc, !cw, &n_next, pc + 1, end);
                }
            }
        if (hit && !longest)
            return WALK_MATCH;
        if (hit) {
            have = TRUE;
            *match_end = pos + 1;
        }
        if (!anchored && pos + 1 < m->sent_end && vm_can_start(m, m->rid, pos + 1) &&
            add_set(m, next, 0, pos + 1))
            return WALK_MATCH;
        uint64_t *t = cur;
        cur = next;
        next = t;
        cw = !cw;
        n_wait = n_next;
        pos++;
    }
    if (have) {
        *resume = *match_end > p0 ? *match_end : MIN(p0 + 1, m->sent_end);
        return WALK_MATCH;
    }
    *resume = MIN((anchored ? p0 : pos) + 1, m->sent_end);
    return WALK_NONE;
}

/* The VM from p0 (see vm_search()): WALK_LONG when anchored and no match
 * is found within ANCHORED_MAX tokens while threads are alive. */
static int run_vm(vm *m, uint32_t p0, gboolean anchored, uint32_t *resume)
{
    scratch *sc = m->sc;
    tlist *c = &sc->a, *n = &sc->b;
    uint32_t *fresh = sc->best + m->nslots; /* all unset */
    for (uint32_t i = 0; i < m->nslots; i++)
        fresh[i] = UNSET;
    c->n = 0;
    m->have = FALSE;
    next_stamp(m);
    add_thread(m, c, 0, p0, fresh);
    uint32_t pos = p0;
    while (c->n && pos < m->sent_end) {
        if (anchored && !m->have && pos - p0 == ANCHORED_MAX)
            return WALK_LONG;
        n->n = 0;
        next_stamp(m);
        PROF_ADD(m, positions, 1);
        step(m, c, n, pos);
        /* a new start only where a first step can match */
        if (!anchored && !m->have && pos + 1 < m->sent_end && vm_can_start(m, m->rid, pos + 1))
            add_thread(m, n, 0, pos + 1, fresh);
        tlist *t = c;
        c = n;
        n = t;
        pos++;
    }
    if (m->have && sc->best[1] > sc->best[0])
        *resume = sc->best[1];
    else if (m->have)
        *resume = MIN(sc->best[0] + 1, m->sent_end);
    else
        *resume = MIN((anchored ? p0 : pos) + 1, m->sent_end);
    return m->have ? WALK_MATCH : WALK_NONE;
}

/* Most tries end within a few tokens: a walk anchored at p0 spares the
 * test of every later token as a start.  The caller tries the rule again
 * at every later token where it can start, so an anchored walk that finds
 * nothing resumes at p0 + 1, and the matches are the same.  A walk still
 * alive ANCHORED_MAX tokens on is done again unanchored, so that no rule
 * walks the same tokens from many starts: the work per token stays
 * bounded by the program size. */
uint32_t vm_search(vm *m, uint32_t p0)
{
    uint32_t resume, end;
    int got = WALK_MATCH;
    /* a rule without captures needs only the match's end: the walk over
       sets of steps finds it (anchored, the match starts at p0) */
    if (!m->r->n_caps && m->r->clo_bits) {
        got = first_pass(m, p0, TRUE, TRUE, &resume, &end);
        m->have = got == WALK_MATCH;
        if (m->have) {
            m->sc->best[0] = p0;
            m->sc->best[1] = end;
        }
        if (got != WALK_LONG)
            return resume;
    }
    if (m->first_pass && m->r->clo_bits) {
        got = first_pass(m, p0, TRUE, FALSE, &resume, &end);
        if (got == WALK_LONG)
            got = first_pass(m, p0, FALSE, FALSE, &resume, &end);
    }
    if (got == WALK_NONE) {
        m->have = FALSE;
        return resume;
    }
    if (run_vm(m, p0, TRUE, &resume) == WALK_LONG)
        run_vm(m, p0, FALSE, &resume);
    return resume;
}
