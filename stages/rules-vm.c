/* rules-vm.c - token tests and the Pike VM that runs one rule's program.
 *
 * A rule tried at a token runs a Pike VM (Thompson NFA simulation, with
 * capture slots per thread): every thread advances one token per step, at
 * most one thread per program step and position, so the work per token is
 * bounded by the program size whatever the nesting ([]*)* or the sentence
 * length.  The VM searches leftmost-longest: while threads are alive it
 * also starts new threads at the following tokens (lower priority than
 * older ones) where a first step can match, keeps the match with the
 * earliest start and, for that start, the furthest end; the caller resumes
 * the rule's scan after the match, or after the point where every thread
 * died, so no token is examined twice by the same rule.  An entity step
 * consumes a whole entity: its thread waits, in order, until the position
 * where the entity ends.
 *
 * Token tests compare the forms the tokenizer and lexicon made, by hash
 * first; simple ASCII regexes run as DFAs (rules-regex.c), the others
 * through a worker's ICU clone with a cache of answers.  Whether a rule
 * can start at a token is asked often, so the first bytes of the token's
 * forms are checked against the rule's filter (rules-index.c) before its
 * first steps are.
 */
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

static gboolean lits_contain(const nerve_str *lits, uint32_t n, const nerve_str *f)
{
    if (n > 8) { /* sorted by hash (rules_build_index) */
        uint32_t lo = 0, hi = n;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (lits[mid].hash < f->hash)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < n && lits[lo].hash == f->hash; lo++)
            if (lits[lo].len == f->len && !memcmp(lits[lo].s, f->s, f->len))
                return TRUE;
        return FALSE;
    }
    for (uint32_t k = 0; k < n; k++)
        if (lits[k].hash == f->hash && lits[k].len == f->len && !memcmp(lits[k].s, f->s, f->len))
            return TRUE;
    return FALSE;
}

static gboolean ent_test(const vm *m, const test *t, uint32_t pos)
{
    const uint64_t *mask = m->sc->cover + (size_t)pos * m->sc->words;
    if (!t->n_labels) {
        uint32_t any = m->ph->id_labels->len;
        return (mask[any / 64] >> (any % 64)) & 1;
    }
    const uint32_t *ids = &g_array_index(m->ph->label_ids, uint32_t, t->labels_first);
    for (uint32_t k = 0; k < t->n_labels; k++)
        if ((mask[ids[k] / 64] >> (ids[k] % 64)) & 1)
            return TRUE;
    return FALSE;
}

static gboolean test_ok(const vm *m, const test *t, uint32_t pos)
{
    const nerve_token *tok = &m->toks[pos];
    const nerve_str *f;
    switch (t->key) {
    case K_IS:
        return (tok->flags & t->flags) != 0;
    case K_ENT:
        return ent_test(m, t, pos);
    case K_WORD:
        f = &tok->norm;
        break;
    case K_LOWER:
        f = &tok->lower;
        break;
    case K_LEMMA:
        f = tok->lemma.s ? &tok->lemma : &tok->lower;
        break;
    default:
        f = &tok->shape;
        break;
    }
    if (t->n_lits) {
        const nerve_str *lits = (const nerve_str *)(void *)m->ph->lits->data + t->lits_first;
        if (lits_contain(lits, t->n_lits, f))
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

static gboolean tok_ok(const vm *m, uint32_t cons, uint32_t pos)
{
    if (cons == UNSET)
        return TRUE;
    const constraint *c = (const constraint *)(void *)m->ph->cons->data + cons;
    const test *tests = (const test *)(void *)m->ph->tests->data + c->first;
    for (uint32_t i = 0; i < c->n; i++)
        if (test_ok(m, &tests[i], pos) == (gboolean)tests[i].negate)
            return FALSE;
    return TRUE;
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

static inline gboolean bytes_ok(const byte_filter *f, const uint8_t *b)
{
    return (f->bits[0][b[0] >> 6] >> (b[0] & 63)) & (f->bits[1][b[1] >> 6] >> (b[1] & 63)) &
           (f->bits[2][b[2] >> 6] >> (b[2] & 63)) & (f->bits[3][b[3] >> 6] >> (b[3] & 63)) & 1;
}

gboolean vm_can_start(const vm *m, uint32_t id, uint32_t pos)
{
    const rule_index *ix = &m->ph->index;
    if (ix->filtered[id] && !bytes_ok(&ix->filters[id], m->sc->bytes + 4 * (size_t)pos))
        return FALSE;
    const rule *r = (const rule *)(void *)m->ph->rules->data + id;
    if (r->nullable)
        return TRUE;
    for (uint32_t k = 0; k < r->n_first; k++) {
        const inst *in = &r->prog[r->first[k]];
        if (in->op == I_TOK && tok_ok(m, in->x, pos))
            return TRUE;
        if (in->op == I_ENT)
            for (uint32_t j = m->sc->ent_first[pos]; j < m->sc->ent_first[pos + 1]; j++)
                if (label_ok(m, in->x, m->ents[m->sc->ent_list[j]].label))
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

static inline void copy_slots(uint32_t *to, const uint32_t *from, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        to[i] = from[i];
}

static inline void tlist_add(tlist *l, uint32_t pc, uint32_t until, const uint32_t *caps,
                             uint32_t nslots)
{
    if (l->n == l->cap || (size_t)(l->n + 1) * nslots > l->caps_cap)
        tlist_grow(l, nslots);
    l->pc[l->n] = pc;
    l->until[l->n] = until;
    copy_slots(l->caps + (size_t)l->n * nslots, caps, nslots);
    l->n++;
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
    if (!m->have || sc->work[0] < sc->best[0] || (sc->work[0] == sc->best[0] && pos > sc->best[1])) {
        copy_slots(sc->best, sc->work, m->nslots);
        sc->best[1] = pos;
        m->have = TRUE;
    }
}

/* Adds the thread at pc with caps, following non-consuming steps at pos;
 * mark[] (stamp) keeps one thread per step and position. */
static void add_thread(vm *m, tlist *l, uint32_t pc0, uint32_t pos, const uint32_t *caps)
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
    for (uint32_t i = 0; i < c->n; i++) {
        const uint32_t *caps = c->caps + (size_t)i * m->nslots;
        if (m->have && caps[0] > sc->best[0])
            continue;
        uint32_t pc = c->pc[i];
        if (c->until[i] > pos) { /* waiting inside an entity */
            if (c->until[i] == pos + 1)
                add_thread(m, n, pc, pos + 1, caps);
            else
                tlist_add(n, pc, c->until[i], caps, m->nslots);
            continue;
        }
        const inst *in = &m->r->prog[pc];
        if (in->op == I_TOK) {
            if (tok_ok(m, in->x, pos))
                add_thread(m, n, pc + 1, pos + 1, caps);
            continue;
        }
        for (uint32_t k = sc->ent_first[pos]; k < sc->ent_first[pos + 1]; k++) {
            const nerve_entity *e = &m->ents[sc->ent_list[k]];
            if (e->tok_end > m->sent_end || !label_ok(m, in->x, e->label))
                continue;
            if (e->tok_end == pos + 1)
                add_thread(m, n, pc + 1, pos + 1, caps);
            else
                tlist_add(n, pc + 1, e->tok_end, caps, m->nslots);
        }
    }
}

uint32_t vm_search(vm *m, uint32_t p0)
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
        n->n = 0;
        next_stamp(m);
        step(m, c, n, pos);
        /* a new start only where a first step can match */
        if (!m->have && pos + 1 < m->sent_end && vm_can_start(m, m->rid, pos + 1))
            add_thread(m, n, 0, pos + 1, fresh);
        tlist *t = c;
        c = n;
        n = t;
        pos++;
    }
    if (m->have && sc->best[1] > sc->best[0])
        return sc->best[1];
    if (m->have)
        return MIN(sc->best[0] + 1, m->sent_end);
    return MIN(pos + 1, m->sent_end);
}
