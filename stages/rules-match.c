/* rules-match.c - running compiled rules over a document.
 *
 * Each phase walks the sentences token by token.  At a token, the index
 * (rules-compile.c) names the rules whose first step can match there: the
 * token's forms are looked up by the hashes the tokenizer and lexicon
 * stored, the entities starting at or covering the token by label, and
 * the rules that can start anywhere are prefiltered by their first steps.
 *
 * A rule tried at a token runs a Pike VM (Thompson NFA simulation, with
 * capture slots per thread): every thread advances one token per step, at
 * most one thread per program step and position, so the work per token is
 * bounded by the program size whatever the nesting ([]*)* or the sentence
 * length.  The VM searches leftmost-longest: while threads are alive it
 * also starts new threads at the following tokens (lower priority than
 * older ones), keeps the match with the earliest start and, for that
 * start, the furthest end; then the rule's scan resumes after the match,
 * or after the point where every thread died, so no token is examined
 * twice by the same rule.  An entity step consumes a whole entity: its
 * thread waits, in order, until the position where the entity ends.
 *
 * All memory is per-worker scratch reused across documents; regular
 * expressions are cloned per worker on first use.  Nothing is allocated
 * per token.
 */
#include <string.h>
#include <unicode/utext.h>

#include "nerve/hash.h"
#include "rules-internal.h"

#define UNSET UINT32_MAX

typedef struct {
    uint32_t n, cap, caps_cap;
    uint32_t *pc, *until, *caps;
} tlist;

typedef struct {
    uint32_t pc, slot, old; /* slot UNSET: visit pc; else restore slot to old */
} frame;

/* A worker's copy of a regular expression, with a cache of its answers
 * for short forms (forms repeat: the cache saves most ICU calls). */
#define RX_CACHE 512
#define RX_FORM 26
typedef struct {
    uint32_t hash;
    uint8_t len, answer; /* answer: 0 empty, 1 no, 2 yes */
    char s[RX_FORM];
} rx_entry;

typedef struct {
    URegularExpression *re;
    rx_entry *cache;
} rx_slot;

typedef struct {
    uint32_t rule, start, end; /* the rule may start in [start, end] */
} window;

struct scratch {
    GPtrArray *regexes; /* per phase index: rx_slot[n] (lazily filled) */
    GArray *regex_counts;
    /* visible entities */
    uint32_t *ent_first, *ent_list, *ent_id;
    uint64_t *cover;
    size_t cap_tokens, cap_ents, cap_cover;
    uint32_t words; /* cover mask words per token */
    /* rule state */
    uint32_t *next_start, *tried_at;
    size_t cap_rules;
    /* rules whose requirements the current sentence meets (req_mark ==
       req_stamp), and the rules tried anywhere among them */
    uint32_t *req_mark, *active, *active_group;
    size_t cap_req, cap_active;
    uint32_t req_stamp, n_active;
    /* windowed rules: the starts their required tokens allow, sorted by
       start; those open at the current token, each open until win_until */
    window *wins;
    size_t cap_wins, n_wins;
    uint32_t *open, *win_until;
    size_t cap_open, cap_until;
    uint32_t n_open;
    uint32_t longest; /* tokens of the longest visible entity of the sentence */
    /* the VM */
    uint32_t *mark;
    size_t cap_mark;
    uint32_t stamp;
    tlist a, b;
    frame *stack;
    size_t cap_stack;
    uint32_t *work, *best;
    size_t cap_slots;
};

typedef struct {
    const phase *ph;
    const rule *r;
    scratch *sc;
    rx_slot *re;
    const nerve_token *toks;
    const nerve_entity *ents;
    uint32_t sent_start, sent_end;
    uint32_t nslots;
    gboolean have;
} vm;

scratch *scratch_new(void)
{
    scratch *sc = g_new0(scratch, 1);
    sc->regexes = g_ptr_array_new();
    sc->regex_counts = g_array_new(FALSE, TRUE, sizeof(guint));
    return sc;
}

static void tlist_clear(tlist *l)
{
    g_free(l->pc);
    g_free(l->until);
    g_free(l->caps);
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
    g_array_free(sc->regex_counts, TRUE);
    g_free(sc->ent_first);
    g_free(sc->ent_list);
    g_free(sc->ent_id);
    g_free(sc->cover);
    g_free(sc->next_start);
    g_free(sc->tried_at);
    g_free(sc->req_mark);
    g_free(sc->active);
    g_free(sc->active_group);
    g_free(sc->wins);
    g_free(sc->open);
    g_free(sc->win_until);
    g_free(sc->mark);
    tlist_clear(&sc->a);
    tlist_clear(&sc->b);
    g_free(sc->stack);
    g_free(sc->work);
    g_free(sc->best);
    g_free(sc);
}

/* Grows *p (elements of size sz, capacity *cap) to hold n. */
static void reserve(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap)
        return;
    size_t c = MAX(n, *cap * 2);
    *p = g_realloc_n(*p, c, sz);
    *cap = c;
}

#define RESERVE(ptr, cap, n) reserve((void **)&(ptr), &(cap), (n), sizeof *(ptr))

static void tlist_add(tlist *l, uint32_t pc, uint32_t until, const uint32_t *caps,
                      uint32_t nslots)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->pc = g_renew(uint32_t, l->pc, l->cap);
        l->until = g_renew(uint32_t, l->until, l->cap);
    }
    size_t need = (size_t)(l->n + 1) * nslots, cc = l->caps_cap;
    RESERVE(l->caps, cc, need);
    l->caps_cap = (uint32_t)cc;
    l->pc[l->n] = pc;
    l->until[l->n] = until;
    memcpy(l->caps + (size_t)l->n * nslots, caps, nslots * sizeof(uint32_t));
    l->n++;
}

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

/* Whether distinct regex i of the phase matches the whole form. */
static gboolean regex_test(const vm *m, uint32_t i, const nerve_str *f)
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

static gboolean test_ok(const vm *m, const test *t, uint32_t pos)
{
    const nerve_token *tok = &m->toks[pos];
    const nerve_str *f;
    switch (t->key) {
    case K_IS:
        return (tok->flags & t->flags) != 0;
    case K_ENT: {
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
    if (t->n_lits &&
        lits_contain(&g_array_index(m->ph->lits, nerve_str, t->lits_first), t->n_lits, f))
        return TRUE;
    if (t->abbrev && (tok->flags & NERVE_TOKEN_ABBREV) && f->len > 1 && f->s[f->len - 1] == '.') {
        nerve_str cut = {f->s, f->len - 1, nerve_hash(f->s, f->len - 1)};
        return lits_contain(&g_array_index(m->ph->lits, nerve_str, t->lits_first), t->n_lits, &cut);
    }
    if (!t->n_regex)
        return FALSE;
    const uint32_t *refs = &g_array_index(m->ph->regex_refs, uint32_t, t->regex_first);
    for (uint32_t k = 0; k < t->n_regex; k++)
        if (regex_test(m, refs[k], f))
            return TRUE;
    return FALSE;
}

static gboolean tok_ok(const vm *m, uint32_t cons, uint32_t pos)
{
    if (cons == UNSET)
        return TRUE;
    const constraint *c = &g_array_index(m->ph->cons, constraint, cons);
    const test *tests = &g_array_index(m->ph->tests, test, c->first);
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

/* --- the VM --------------------------------------------------------------------------- */

/* The stack has room for 2 frames per step of the program (prepare()):
 * each step is visited once per position and pushes at most 2. */
static inline void push_frame(scratch *sc, size_t *top, uint32_t pc, uint32_t slot, uint32_t old)
{
    sc->stack[(*top)++] = (frame){pc, slot, old};
}

static void record(vm *m, uint32_t pos)
{
    scratch *sc = m->sc;
    if (!m->have || sc->work[0] < sc->best[0] || (sc->work[0] == sc->best[0] && pos > sc->best[1])) {
        memcpy(sc->best, sc->work, m->nslots * sizeof(uint32_t));
        sc->best[1] = pos;
        m->have = TRUE;
    }
}

/* Adds the thread at pc with caps, following non-consuming steps at pos;
 * mark[] (stamp) keeps one thread per step and position. */
static void add_thread(vm *m, tlist *l, uint32_t pc0, uint32_t pos, const uint32_t *caps)
{
    scratch *sc = m->sc;
    uint32_t *work = sc->work;
    memcpy(work, caps, m->nslots * sizeof(uint32_t));
    size_t top = 0;
    push_frame(sc, &top, pc0, UNSET, 0);
    while (top) {
        frame f = sc->stack[--top];
        if (f.slot != UNSET) {
            work[f.slot] = f.old;
            continue;
        }
        if (sc->mark[f.pc] == sc->stamp)
            continue;
        sc->mark[f.pc] = sc->stamp;
        const inst *in = &m->r->prog[f.pc];
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

static gboolean can_start(const vm *m, const rule *r, uint32_t pos);

/* Searches from p0 for the leftmost-longest match of m->r; returns the
 * position where the rule's scan may resume.  The match is in sc->best
 * when m->have. */
static uint32_t search(vm *m, uint32_t p0)
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
        if (!m->have && pos + 1 < m->sent_end && can_start(m, m->r, pos + 1))
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

/* --- visible entities --------------------------------------------------------------- */

/* Indexes the entities a phase sees: by start token (longest first, then
 * in store order) with their label ids, and per token a mask of the label
 * ids covering it (bit n_ids: any entity). */
static void build_visibility(const phase *ph, nerve_doc *doc, scratch *sc, size_t n_tok)
{
    size_t n_ent;
    const nerve_entity *ents = nerve_doc_entities(doc, &n_ent);
    uint32_t n_ids = ph->id_labels->len, *first;
    sc->words = n_ids / 64 + 1;
    RESERVE(sc->ent_first, sc->cap_tokens, n_tok + 2);
    size_t cap = sc->cap_ents;
    RESERVE(sc->ent_list, cap, n_ent + 1);
    RESERVE(sc->ent_id, sc->cap_ents, n_ent + 1);
    RESERVE(sc->cover, sc->cap_cover, (n_tok + 1) * sc->words);
    first = sc->ent_first;
    memset(first, 0, (n_tok + 2) * sizeof(uint32_t));
    memset(sc->cover, 0, (n_tok + 1) * sc->words * sizeof(uint64_t));
    for (size_t i = 0; i < n_ent; i++)
        if (!(ents[i].flags & NERVE_ENTITY_DROPPED) && ents[i].tok_end <= n_tok &&
            ents[i].tok_start < ents[i].tok_end)
            first[ents[i].tok_start + 1]++;
    for (size_t t = 0; t < n_tok; t++)
        first[t + 1] += first[t];
    for (size_t i = 0; i < n_ent; i++) {
        const nerve_entity *e = &ents[i];
        if ((e->flags & NERVE_ENTITY_DROPPED) || e->tok_end > n_tok || e->tok_start >= e->tok_end)
            continue;
        gpointer id = g_hash_table_lookup(ph->ids, e->label);
        uint32_t bit = id ? GPOINTER_TO_UINT(id) - 1 : UNSET;
        /* insertion keeps the bucket longest first */
        uint32_t at = first[e->tok_start]++;
        sc->ent_list[at] = (uint32_t)i;
        sc->ent_id[at] = bit;
        for (uint32_t t = e->tok_start; t < e->tok_end; t++) {
            uint64_t *mask = sc->cover + (size_t)t * sc->words;
            mask[n_ids / 64] |= 1ull << (n_ids % 64);
            if (bit != UNSET)
                mask[bit / 64] |= 1ull << (bit % 64);
        }
    }
    memmove(first + 1, first, n_tok * sizeof(uint32_t));
    first[0] = 0;
    for (size_t t = 0; t < n_tok; t++) /* longest first within each start */
        for (uint32_t k = first[t] + 1; k < first[t + 1]; k++)
            for (uint32_t j = k; j > first[t] && ents[sc->ent_list[j]].tok_end >
                                                     ents[sc->ent_list[j - 1]].tok_end;
                 j--) {
                uint32_t x = sc->ent_list[j], y = sc->ent_id[j];
                sc->ent_list[j] = sc->ent_list[j - 1];
                sc->ent_id[j] = sc->ent_id[j - 1];
                sc->ent_list[j - 1] = x;
                sc->ent_id[j - 1] = y;
            }
}

/* --- annotations ---------------------------------------------------------------- */

/* The visible entity covering exactly tokens [s, e): preferably one with a
 * label the capture names; -1 when there is none. */
static int32_t entity_at(const vm *m, uint32_t s, uint32_t e, const GPtrArray *labels)
{
    int32_t found = -1;
    for (uint32_t k = m->sc->ent_first[s]; k < m->sc->ent_first[s + 1]; k++) {
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
    size_t added;
} run;

/* Tries rule id at pos unless its scan is already past pos. */
static void try_rule(run *rn, uint32_t id, uint32_t pos)
{
    scratch *sc = rn->m.sc;
    if (sc->tried_at[id] == pos || pos < sc->next_start[id] ||
        (sc->req_mark[id] != sc->req_stamp && rn->m.ph->index.need[id]))
        return;
    sc->tried_at[id] = pos;
    vm *m = &rn->m;
    m->r = &g_array_index(m->ph->rules, rule, id);
    m->nslots = 2 + 2 * m->r->n_caps;
    m->ents = nerve_doc_entities(rn->doc, NULL);
    sc->next_start[id] = search(m, pos);
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

static void try_literals(run *rn, uint8_t key, uint32_t hash, uint32_t pos)
{
    const rule_index *ix = &rn->m.ph->index;
    for (uint32_t i = hash & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
        const index_slot *sl = &ix->slots[i];
        if (sl->key == 0xFF)
            return;
        if (sl->hash == hash && sl->key == key)
            try_list(rn, ix->rules + sl->first, sl->n, pos);
    }
}

/* Whether a first step of r can match at pos (for rules tried anywhere). */
static gboolean can_start(const vm *m, const rule *r, uint32_t pos)
{
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

/* Marks the rules needing (key, hash) as possible in this sentence, or
 * for windowed rules, records where they may start given the occurrence
 * at token q. */
static void mark_list(run *rn, uint8_t key, uint32_t hash, uint32_t q)
{
    scratch *sc = rn->m.sc;
    const rule_index *ix = &rn->m.ph->index;
    const rule *rules = &g_array_index(rn->m.ph->rules, rule, 0);
    for (uint32_t i = hash & (ix->req_cap - 1);; i = (i + 1) & (ix->req_cap - 1)) {
        const index_slot *sl = &ix->req_slots[i];
        if (sl->key == 0xFF)
            return;
        if (sl->hash != hash || sl->key != key)
            continue;
        for (uint32_t k = 0; k < sl->n; k++) {
            uint32_t id = ix->rules[sl->first + k];
            const rule *r = &rules[id];
            sc->req_mark[id] = sc->req_stamp;
            if (r->req_hi == UNSET)
                continue;
            if (q < rn->m.sent_start + r->req_lo)
                continue;
            uint64_t hi = (uint64_t)r->req_hi + (uint64_t)r->req_ents * (sc->longest - 1);
            uint32_t end = q - r->req_lo;
            uint32_t start = q - (uint32_t)MIN(hi, (uint64_t)(q - rn->m.sent_start));
            RESERVE(sc->wins, sc->cap_wins, sc->n_wins + 1);
            sc->wins[sc->n_wins++] = (window){id, start, end};
        }
    }
}

static int by_start(const void *a, const void *b)
{
    const window *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Marks the rules whose requirements the sentence [a, b) meets, lists the
 * rules tried anywhere that may run in it, and the windows of windowed
 * rules. */
static void mark_sentence(run *rn, uint32_t a, uint32_t b)
{
    const phase *ph = rn->m.ph;
    const rule_index *ix = &ph->index;
    scratch *sc = rn->m.sc;
    if (++sc->req_stamp == 0) {
        memset(sc->req_mark, 0, sc->cap_req * sizeof(uint32_t));
        sc->req_stamp = 1;
    }
    for (uint32_t i = 0; i < ix->n_free; i++)
        sc->req_mark[ix->free[i]] = sc->req_stamp;
    sc->n_wins = 0;
    sc->longest = 1;
    for (uint32_t k = sc->ent_first[a]; ph->uses_entities && k < sc->ent_first[b]; k++) {
        const nerve_entity *e = &rn->m.ents[sc->ent_list[k]];
        sc->longest = MAX(sc->longest, e->tok_end - e->tok_start);
    }
    for (uint32_t pos = a; pos < b; pos++) {
        const nerve_token *t = &rn->m.toks[pos];
        mark_list(rn, K_LOWER, t->lower.hash, pos);
        mark_list(rn, K_WORD, t->norm.hash, pos);
        mark_list(rn, K_LEMMA, t->lemma.s ? t->lemma.hash : t->lower.hash, pos);
        for (uint32_t k = sc->ent_first[pos]; ph->uses_entities && k < sc->ent_first[pos + 1]; k++) {
            if (sc->ent_id[k] != UNSET)
                mark_list(rn, K_ENT, sc->ent_id[k], pos);
            mark_list(rn, K_ENT, ph->id_labels->len, pos);
        }
    }
    if (sc->n_wins > 1)
        qsort(sc->wins, sc->n_wins, sizeof(window), by_start);
    sc->n_open = 0;
    sc->n_active = 0;
    for (uint32_t i = 0; i < ix->n_always; i++)
        if (sc->req_mark[ix->always[i]] == sc->req_stamp) {
            sc->active_group[sc->n_active] = ix->always_group[i];
            sc->active[sc->n_active++] = ix->always[i];
        }
}

/* Tries the windowed rules open at pos; *next walks the sorted windows. */
static void try_windows(run *rn, uint32_t pos, size_t *next)
{
    scratch *sc = rn->m.sc;
    for (; *next < sc->n_wins && sc->wins[*next].start <= pos; (*next)++) {
        const window *w = &sc->wins[*next];
        if (sc->win_until[w->rule] == UNSET || sc->win_until[w->rule] < pos) {
            if (sc->win_until[w->rule] == UNSET)
                sc->open[sc->n_open++] = w->rule;
            sc->win_until[w->rule] = w->end;
        } else
            sc->win_until[w->rule] = MAX(sc->win_until[w->rule], w->end);
    }
    for (uint32_t i = 0; i < sc->n_open;) {
        uint32_t id = sc->open[i];
        if (sc->win_until[id] < pos) {
            sc->win_until[id] = UNSET;
            sc->open[i] = sc->open[--sc->n_open];
            continue;
        }
        try_rule(rn, id, pos);
        i++;
    }
}

static void try_position(run *rn, uint32_t pos)
{
    const phase *ph = rn->m.ph;
    const rule_index *ix = &ph->index;
    const nerve_token *t = &rn->m.toks[pos];
    scratch *sc = rn->m.sc;
    try_literals(rn, K_LOWER, t->lower.hash, pos);
    try_literals(rn, K_WORD, t->norm.hash, pos);
    try_literals(rn, K_LEMMA, t->lemma.s ? t->lemma.hash : t->lower.hash, pos);
    if (ph->uses_entities) {
        uint32_t any = ph->id_labels->len;
        for (uint32_t k = sc->ent_first[pos]; k < sc->ent_first[pos + 1]; k++)
            if (sc->ent_id[k] != UNSET)
                try_list(rn, ix->rules + ix->start_first[sc->ent_id[k]],
                         ix->start_n[sc->ent_id[k]], pos);
        if (sc->ent_first[pos] < sc->ent_first[pos + 1])
            try_list(rn, ix->rules + ix->start_first[any], ix->start_n[any], pos);
        const uint64_t *mask = sc->cover + (size_t)pos * sc->words;
        for (uint32_t w = 0; w < sc->words; w++)
            for (uint64_t bits = mask[w]; bits; bits &= bits - 1) {
                uint32_t id = w * 64 + (uint32_t)__builtin_ctzll(bits);
                try_list(rn, ix->rules + ix->cover_first[id], ix->cover_n[id], pos);
            }
    }
    /* rules with equal first steps are adjacent: test those steps once */
    uint32_t group = UNSET;
    gboolean ok = FALSE;
    rn->m.ents = nerve_doc_entities(rn->doc, NULL);
    for (uint32_t i = 0; i < sc->n_active; i++) {
        uint32_t id = sc->active[i];
        if (pos < sc->next_start[id] || sc->tried_at[id] == pos)
            continue;
        if (sc->active_group[i] != group) {
            group = sc->active_group[i];
            ok = can_start(&rn->m, &g_array_index(ph->rules, rule, id), pos);
            rn->m.ents = nerve_doc_entities(rn->doc, NULL);
        }
        if (ok)
            try_rule(rn, id, pos);
    }
}

/* Makes sure sc has room for ph's programs and rules and its regex clones. */
static void prepare(scratch *sc, const phase *ph, guint index)
{
    RESERVE(sc->stack, sc->cap_stack, 2 * (size_t)ph->max_inst + 8);
    if (ph->max_inst > sc->cap_mark) {
        sc->mark = g_renew(uint32_t, sc->mark, ph->max_inst);
        memset(sc->mark, 0, ph->max_inst * sizeof(uint32_t));
        sc->cap_mark = ph->max_inst;
        sc->stamp = 0;
    }
    size_t nr = ph->rules->len, cap = sc->cap_rules;
    RESERVE(sc->next_start, cap, nr + 1);
    RESERVE(sc->tried_at, sc->cap_rules, nr + 1);
    memset(sc->next_start, 0, (nr + 1) * sizeof(uint32_t));
    memset(sc->tried_at, 0xFF, (nr + 1) * sizeof(uint32_t));
    if (nr + 1 > sc->cap_req) {
        sc->req_mark = g_renew(uint32_t, sc->req_mark, nr + 1);
        memset(sc->req_mark, 0, (nr + 1) * sizeof(uint32_t));
        sc->cap_req = nr + 1;
        sc->req_stamp = 0;
    }
    size_t ca = sc->cap_active;
    RESERVE(sc->active, ca, ph->index.n_always + 1);
    RESERVE(sc->active_group, sc->cap_active, ph->index.n_always + 1);
    RESERVE(sc->open, sc->cap_open, nr + 1);
    if (nr + 1 > sc->cap_until) {
        sc->win_until = g_renew(uint32_t, sc->win_until, nr + 1);
        sc->cap_until = nr + 1;
    }
    memset(sc->win_until, 0xFF, (nr + 1) * sizeof(uint32_t));
    sc->n_open = 0;
    uint32_t slots = 0;
    for (guint i = 0; i < ph->rules->len; i++)
        slots = MAX(slots, 2 + 2 * g_array_index(ph->rules, rule, i).n_caps);
    size_t cs = sc->cap_slots;
    RESERVE(sc->work, cs, 2 * (size_t)slots);
    RESERVE(sc->best, sc->cap_slots, 2 * (size_t)slots);
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
    build_visibility(ph, doc, sc, n_tok);
    run rn;
    memset(&rn, 0, sizeof rn);
    rn.m.ph = ph;
    rn.m.sc = sc;
    rn.m.re = g_ptr_array_index(sc->regexes, index);
    rn.m.toks = toks;
    rn.doc = doc;
    rn.number = ph->number;
    for (size_t k = 0; k < n_sent; k++) {
        rn.m.sent_start = sents[k].tok_start;
        rn.m.sent_end = sents[k].tok_end;
        rn.m.ents = nerve_doc_entities(doc, NULL);
        mark_sentence(&rn, sents[k].tok_start, sents[k].tok_end);
        size_t next = 0;
        for (uint32_t pos = sents[k].tok_start; pos < sents[k].tok_end; pos++) {
            try_position(&rn, pos);
            if (sc->n_wins)
                try_windows(&rn, pos, &next);
        }
        for (uint32_t i = 0; i < sc->n_open; i++)
            sc->win_until[sc->open[i]] = UNSET;
        sc->n_open = 0;
    }
    if (rn.added) {
        nerve_doc_resolve_entities(doc);
        rules_merge_events(doc);
    }
}
