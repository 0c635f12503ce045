/* rules-match.h - private: the matcher's per-worker state, shared by
 * rules-match.c (a phase over a document: sentences, positions, the index,
 * windows, annotations), rules-visible.c (the entities a phase sees) and
 * rules-vm.c (token tests and the Pike VM). */
#ifndef NERVE_RULES_MATCH_H
#define NERVE_RULES_MATCH_H

#include "rules-internal.h"
#include "rules-profile.h"

#define UNSET UINT32_MAX

/* Threads of the VM at one position: program counter, the position they
 * wait for (inside an entity) and nslots capture slots each. */
typedef struct {
    uint32_t n, cap, caps_cap;
    uint32_t *pc, *until, *caps;
} tlist;

typedef struct {
    uint32_t pc, slot, old; /* slot UNSET: visit pc; else restore slot to old */
} frame;

/* The generations of the constraint memo (scratch.memo) before it is
 * cleared: 15 bits, so that clearing (as much as the longest sentence
 * wrote) is rare; with 7 bits it came every 127 sentences and phases,
 * 0.3% of the pipeline's instructions. */
#define MEMO_GEN_MAX 32767

/* A worker's copy of a regular expression that only ICU decides, with a
 * cache of its answers for short forms. */
#define RX_CACHE 512
#define RX_FORM  26
/* ICU's limit per match, in its steps (of the order of a millisecond
 * each): a whole-token match normally takes microseconds */
#define RX_TIME_LIMIT 50
typedef struct {
    uint32_t hash;
    uint8_t len, answer; /* answer: 0 empty, 1 no, 2 yes */
    char s[RX_FORM];
} rx_entry;

typedef struct {
    URegularExpression *re;
    rx_entry *cache;
} rx_slot;

/* A range [first, end): of ent_list (the visible entities starting at a
 * token) or of tokens (an entity's span). */
typedef struct {
    uint32_t first, end;
} ent_range;

/* A windowed rule may start in [start, end]; windows of one start are
 * chained (next: a window index, UNSET at the end; while mark_sentence()
 * walks the sentence, the token of the requirement instead). */
typedef struct {
    uint32_t rule, end, next;
} window;

struct scratch {
    GPtrArray *regexes; /* per phase index: rx_slot[n] (lazily filled) */
    /* per phase index: a GArray of per rule its tries and matches so far
       (2 uint32_t), whose ratio decides whether vm_search() makes a first
       pass */
    GPtrArray *odds;
    GArray *regex_counts;
    /* the forms of the document's tokens (token_forms, rules-forms.h),
       borrowed from it by rules_prepare_doc() */
    const uint8_t *bytes;
    const uint32_t *gids;
    const uint8_t *gphases;
    const uint8_t *gkeys;
    const uint32_t *flags; /* the tokens' flags, packed */
    /* visible entities (rules_build_visibility()): ent_list, ent_id (label id or
       UNSET) and ent_span (their tokens), n_vis of them, grouped by start
       token (longest first within a group; the groups in no particular
       order); per token by_start, where its entities
       lie in them ({0, 0}: none), and cover, a mask of the label ids
       covering it.  by_start, cover, ent_here and ent_at are zero over
       their whole capacity outside rules_run_phase(): a phase sets them
       only at the tokens its entities touch and clears those at its end
       (rules_clear_visibility()), so that no phase pays per token of the
       document.  starts: the distinct start tokens (cap_ents) */
    uint32_t *ent_list, *ent_id, *starts;
    ent_range *ent_span, *by_start;
    uint32_t n_vis;
    uint64_t *cover;
    uint8_t *ent_here; /* per token: 1 when a visible entity starts at it */
    uint8_t *ent_at;   /* per token: 1 when one starts at it, | 2 when one covers it (as
                          gphases: 8 bytes more, zero) */
    size_t cap_ents, cap_by_start, cap_cover, cap_here, cap_at;
    uint32_t words; /* cover mask words per token */
    /* per rule (cap_rules): where its scan resumes, where it was last tried
       (0 and UNSET outside rules_run_phase: the rules tried are listed in
       touched), until where its windows are open (UNSET: closed); open:
       the rules with open windows */
    uint32_t *next_start, *tried_at, *touched, *win_until, *open;
    size_t cap_rules;
    uint32_t n_touched, n_open;
    /* rules whose requirements the sentence meets (req_mark == req_stamp),
       conditions it meets (cond_mark == req_stamp); for a rule marked,
       req_end: one past the last token where a match can start, given
       the last token of its sentence with a required key (a match holds
       one req_lo or more tokens after its start) */
    uint32_t *req_mark, *cond_mark, *req_end;
    size_t cap_req, cap_cond;
    uint32_t req_stamp;
    /* the rules with conditions marked in this sentence (cap_rules) */
    uint32_t *conded, n_conded;
    /* per token of the sentence: 1 when some rule is indexed by its forms
       or entities, | 2 when windows begin at it, | 4 when it has one of
       the token flags the active groups need (see every) (and 8 bytes 0
       more, for swar_load()) */
    uint8_t *pos_any;
    size_t cap_pos_any;
    /* the rules tried anywhere that the sentence allows, by group: group g
       holds active[gfirst[g] .. gend[g]) (n_active in all); gmask: the
       groups with any */
    uint32_t *active, *gfirst, *gend, n_active;
    /* whether the active groups are tried at every token; when not, at the
       tokens pos_any marks with 4 (every group needs one of some flags:
       [is=number ...]) */
    gboolean every;
    uint64_t *gmask;
    size_t cap_active, cap_groups, cap_gmask;
    /* windowed rules: windows by start (win_head per token of the
       sentence, set where pos_any has 2, else stale) */
    window *wins;
    uint32_t *win_head;
    size_t cap_wins, n_wins, cap_head;
    uint32_t longest; /* tokens of the longest visible entity of the sentence */
    /* answers of the memoised constraints: memo[slot * memo_len + token of
       the sentence] = gen << 1 | yes, where gen (1..MEMO_GEN_MAX) numbers
       the sentences run since the memo was last cleared; an entry of
       another generation is unknown */
    uint16_t *memo;
    size_t cap_memo, memo_dirty; /* entries written since the last clearing */
    uint32_t memo_len;
    uint16_t memo_gen;
    /* the VM */
    uint32_t *mark;
    size_t cap_mark;
    uint32_t stamp;
    tlist a, b;
    /* the first pass: threads waiting inside an entity (step, until), now
       and next */
    uint32_t *wait[2][2];
    size_t cap_wait[2];
    frame *stack;
    size_t cap_stack;
    uint32_t *work, *best;
    size_t cap_slots;
    /* per phase index: a GArray of rule_counts per rule; made only when
       counting is compiled in (rules-profile.h) */
    GPtrArray *counts;
    rule_counts *prof; /* the counts of the rule being tried or tested (PROF_RULE) */
};

/* One rule being run over one sentence. */
typedef struct {
    const phase *ph;
    /* the phase's rules, constraints, tests, literals and constraints'
       quick records (ph->cons->data ...: read at every try and token
       test, kept a load away) */
    const rule *rules;
    const constraint *cons;
    const test *tests;
    const nerve_str *lits;
    const cons_quick *quick;
    const rule *r;
    uint32_t rid; /* r's index */
    scratch *sc;
    rx_slot *re;
    const nerve_token *toks;
    const nerve_entity *ents; /* the document's (refreshed after adding one) */
    uint32_t sent_start, sent_end;
    uint32_t nslots;
    gboolean have;
    gboolean first_pass; /* vm_search(): try without captures first */
    rule_counts *counts; /* the phase's, when counting is compiled in (PROF_ADD) */
} vm;

/* Grows *p (elements of size sz, capacity *cap) to hold n. */
void rules_reserve(void **p, size_t *cap, size_t n, size_t sz);
#define RESERVE(ptr, cap, n) rules_reserve((void **)&(ptr), &(cap), (n), sizeof *(ptr))
/* The same, with the new elements zero: for the arrays kept zero between
 * phases. */
void rules_reserve_zero(void **p, size_t *cap, size_t n, size_t sz);
#define RESERVE_ZERO(ptr, cap, n) rules_reserve_zero((void **)&(ptr), &(cap), (n), sizeof *(ptr))

/* --- rules-visible.c ------------------------------------------------------------ */

/* Indexes the entities phase ph sees in doc (n_tok tokens): grouped by
 * start token (longest first, then in store order) with their label ids
 * and spans, and per token a mask of the label ids covering it (bit
 * n_ids: any entity); see scratch.  The per-token arrays are zero on
 * entry and rules_clear_visibility() clears them again. */
void rules_build_visibility(const phase *ph, nerve_doc *doc, scratch *sc, size_t n_tok);
/* Zeroes what rules_build_visibility() set, from the spans it recorded
 * (the store may have changed since). */
void rules_clear_visibility(scratch *sc);

/* --- rules-vm.c ------------------------------------------------------------------- */

/* Whether a first step of rule id matches at pos, its filter passed; out
 * of line, so that a token the filter rejects costs no saving of
 * registers. */
gboolean vm_first_steps_ok(const vm *m, uint32_t id, uint32_t pos);

/* The terms of the filter, the one that most often fails first (in the
 * English model: the token flags, then ^, then whether an entity starts
 * here; the first bytes seldom fail), so that most tokens cost a load and
 * a test. */
static inline gboolean filter_ok(const vm *m, const byte_filter *f, uint32_t pos)
{
    if (!(m->sc->flags[pos] & f->flags) || (f->bol && pos != m->sent_start) ||
        !((f->bits[F_ENTITY][0] >> m->sc->ent_here[pos]) & 1))
        return FALSE;
    const uint8_t *b = m->sc->bytes + 4 * (size_t)pos;
    return (f->bits[0][b[0] >> 6] >> (b[0] & 63)) & (f->bits[1][b[1] >> 6] >> (b[1] & 63)) &
           (f->bits[2][b[2] >> 6] >> (b[2] & 63)) & (f->bits[3][b[3] >> 6] >> (b[3] & 63)) & 1;
}

/* Whether a first step of rule id can match at pos.  Inline: windows ask
 * at every token they span, and the filter rejects most. */
static inline gboolean vm_can_start(const vm *m, uint32_t id, uint32_t pos)
{
    const rule_index *ix = &m->ph->index;
    PROF_RULE(m, id);
    PROF_ADD(m, starts, 1);
    if (ix->filtered[id] && !filter_ok(m, &ix->filters[id], pos))
        return FALSE;
    return vm_first_steps_ok(m, id, pos);
}

/* Whether a match of m->r can start at pos as far as its first two steps
 * tell (the first step matches, and the second, or the match ends, where
 * it ends): a try that fails it finds nothing, as vm_search() would after
 * two tokens, at the cost of a few token tests.  TRUE when the rule has no
 * precomputed closures. */
gboolean vm_two_steps(const vm *m, uint32_t pos);

/* How far a walk anchored at its start goes before it is done again
 * unanchored (vm_search()). */
#define ANCHORED_MAX 16

/* Searches from p0 for the leftmost-longest match of m->r; returns the
 * position where the rule's scan may resume, which may be p0 + 1 even
 * when a match starts later: the caller tries the rule at every token
 * where it can start.  The match is in sc->best (slots: 0, 1 the match,
 * 2 + 2k, 3 + 2k capture k) when m->have. */
uint32_t vm_search(vm *m, uint32_t p0);

void vm_tlist_clear(tlist *l);

#endif
