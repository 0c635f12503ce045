/* rules-internal.h - private: the pieces of the rule engine shared by
 * rules-parse.c (text -> syntax tree), rules-compile.c (tree -> program and
 * index), rules-match.c (program -> entities and events) and rules.c (the
 * public API).
 *
 * One phase = one rule file.  A phase owns everything compiled from its
 * file: constraints, literal strings, regular expressions, label sets,
 * rules with their programs, and the first-token index.
 */
#ifndef NERVE_RULES_INTERNAL_H
#define NERVE_RULES_INTERNAL_H

#include <unicode/uregex.h>

#include "nerve/rules.h"

/* --- syntax tree ---------------------------------------------------------------- */

typedef enum {
    N_TOKEN,   /* one token: cons (-1: any) */
    N_ENTITY,  /* one whole entity: labels (-1: any) */
    N_SEQ,     /* kids in order */
    N_ALT,     /* one of kids */
    N_REPEAT,  /* kids[0] min..max times (max -1: unbounded) */
    N_CAPTURE, /* kids[0] captured as name */
    N_BOL,     /* ^ */
    N_EOL,     /* $ */
} node_kind;

typedef struct node node;
struct node {
    node_kind kind;
    int cons, labels;
    int min, max;
    const char *name;   /* capture name, interned */
    const char *quoted; /* the text of a "quoted" atom */
    GPtrArray *kids;    /* node*, not owned (the phase's node list owns them) */
    uint32_t off;       /* byte offset in the file, for errors */
};

/* --- compiled pieces ------------------------------------------------------------- */

typedef enum { K_WORD, K_LOWER, K_LEMMA, K_SHAPE, K_IS, K_ENT } test_key;

/* One test of a token constraint: key (=|!=) values.  A value list holds
 * literals (lits_first, n_lits in the phase's lits), regular expressions
 * (regex_first, n_regex in its regex_refs: indexes of distinct regexes),
 * token flags (is=) or label ids
 * (ent=; n_labels 0 = any entity). */
typedef struct {
    uint8_t key;
    uint8_t negate;
    uint8_t abbrev; /* "text": also matches an abbreviation token text + "." (Mr.) */
    uint32_t flags;
    uint32_t lits_first, n_lits;
    uint32_t regex_first, n_regex;
    uint32_t labels_first, n_labels; /* label ids in the phase's label_ids */
} test;

typedef struct {
    uint32_t first, n; /* tests */
} constraint;

typedef struct {
    uint32_t first, n; /* interned label pointers in the phase's set_labels */
} labelset;

enum { I_TOK, I_ENT, I_SPLIT, I_JMP, I_SAVE, I_BOL, I_EOL, I_MATCH };

typedef struct {
    uint8_t op;
    uint32_t x, y; /* TOK: constraint; ENT: labelset or UINT32_MAX; SPLIT: x preferred, y;
                      JMP: x; SAVE: slot */
} inst;

/* One step of a precomputed closure (rules-closures.c): a consuming step
 * or MATCH the walk reaches, with the capture slots set on the first path
 * to it (saves_first, n_saves in the rule's clo_saves). */
typedef struct closure_item {
    uint32_t pc, saves_first, n_saves;
    gboolean match; /* the step is MATCH */
} closure_item;

typedef struct {
    const char *name;   /* interned */
    const char *label;  /* interned: entity label or event type */
    const char *source; /* interned "rule:<name>" */
    gboolean is_event;
    int32_t priority;
    const char *attrs; /* packed, owned by the phase, or NULL */
    inst *prog;
    uint32_t n_inst;
    uint32_t n_caps;        /* named captures; slots: 2 (whole) + 2 per capture */
    const char **cap_names; /* interned */
    const char **roles;     /* interned: per capture its name without a _N suffix; in the
                               cap_names block, not freed on its own */
    GPtrArray **cap_labels; /* per capture: labels of the entities it names (for arg refs) */
    int span_cap, trigger_cap;
    uint32_t *first; /* pcs of the consuming steps a match can begin with */
    uint32_t n_first;
    gboolean nullable; /* can match without consuming */
    gboolean anchored; /* every match starts at a sentence start (after ^) */
    /* a match needs one of these in its sentence (req_n 0: nothing known),
       at a token offset in [req_lo, req_hi] from its start (req_hi
       UINT32_MAX: unbounded); with a bound the rule is "windowed": tried
       only at the starts the occurrences allow, not through the index */
    uint32_t req_first, req_n;
    uint32_t req_lo, req_hi, req_ents; /* hi grows by ents * (longest entity - 1) */
    /* conditions: further sets of keys, one of each must be in the
       sentence too (only with a requirement): the condition ids
       rule_conds[cond_first .. cond_first + cond_n) of the phase */
    uint32_t cond_first, cond_n;
    uint32_t line;
    /* precomputed closures (rules-vm.c), NULL when the program is too
       large for them: per variant (1, or 4 with ^ or $: at the sentence
       start, end) and entry step, the items closure[first .. first + n) */
    closure_item *clo;
    uint32_t *clo_first, *clo_n, *clo_saves;
    uint32_t clo_variants;
    /* the same closures as sets of steps for the capture-free first pass
       of vm_search(): per variant and entry step, clo_words words of
       clo_bits (the consuming steps) and clo_match (reaches MATCH); NULL
       when the program has more than RULE_BITS_MAX steps */
    uint64_t *clo_bits;
    uint8_t *clo_match;
    uint32_t clo_words;
} rule;

/* The most conditions a rule keeps, and the most keys of one. */
#define RULE_CONDS     8
#define RULE_COND_KEYS 64

/* The largest program whose closures are also kept as step sets. */
#define RULE_BITS_MAX 512

/* What a token may be like for a step to match: per form key (K_WORD,
 * K_LOWER, K_LEMMA, K_SHAPE) a set of the bytes the form may begin with
 * (byte 0 stands for an empty form and is always in), and as key
 * F_ENTITY whether an entity may start at it or not (bits 1, 0 of
 * bits[F_ENTITY][0]); the token flags one of which it must have (all
 * ones: any token), and whether it must be the first of its sentence
 * (every first step lies after a ^). */
#define F_ENTITY 4
typedef struct {
    uint64_t bits[5][4];
    uint32_t flags;
    gboolean bol;
} byte_filter;

/* The rules of a form (a literal of the rules, by its nerve_hash): per key
 * K_WORD, K_LOWER, K_LEMMA, the rules whose first step needs the form
 * (start) and the rules that need it somewhere in the sentence (req).
 * The lists of a form lie in one block in rule_index.rules (its offset in
 * rule_index.blocks), each that is not empty after its length, in the
 * order req and cond of K_WORD, of K_LOWER, K_LEMMA, K_SHAPE, then start
 * of K_WORD, K_LOWER, K_LEMMA: so that marking a token (which reads req
 * and cond of a key) finds them with their lengths in the cache line of
 * the block, without loading the entry.  The entry keeps where the start
 * lists begin (try_starts()) and the lengths of all (the GENTRY_* bits). */
typedef struct {
    uint32_t start_first[3], start_n[3];
    uint32_t req_n[4];  /* also K_SHAPE: requirements by shape */
    uint32_t cond_n[4]; /* the conditions (ids) the form meets */
} form_entry;

/* A gentry value: the entry + 1 in the low GENTRY_ENTRY_BITS bits (0:
 * none), then bits for the keys whose start, req and cond lists are not
 * empty.  A phase has fewer than GENTRY_MAX entries (rules.c checks). */
#define GENTRY_ENTRY_BITS 21
#define GENTRY_MAX        ((1u << GENTRY_ENTRY_BITS) - 1)
#define GENTRY_ENTRY(v)   ((v)&GENTRY_MAX)
#define GENTRY_START(k)   (1u << (GENTRY_ENTRY_BITS + (k)))     /* k < 3 */
#define GENTRY_REQ(k)     (1u << (GENTRY_ENTRY_BITS + 3 + (k))) /* k < 4 */
#define GENTRY_COND(k)    (1u << (GENTRY_ENTRY_BITS + 7 + (k))) /* k < 4 */

/* What tok_ok() (rules-vm.c) reads of a constraint, 16 bytes in one
 * load: its memo slot, and how its first test (the cheapest,
 * order_tests()) decides most tokens without looking at the test: by a
 * token flag (Q_IS: flags x), an entity covering the token (Q_ENT), the
 * form's id and keys (Q_LITS), those and one literal's hash (Q_LIT1: hash
 * x); Q_ABBREV with a "text" test (an abbreviation token asks the test);
 * Q_SLOW: a regex, the test decides. */
enum { Q_IS, Q_ENT, Q_LITS, Q_LIT1, Q_SLOW, Q_KIND = 7, Q_ABBREV = 8 };
typedef struct {
    uint32_t x;
    uint32_t memo;  /* UINT32_MAX: not memoised; else its slot (memo_slots()) */
    uint32_t first; /* its tests: those of the constraint */
    uint8_t quick;  /* Q_* */
    uint8_t key;    /* of the first test */
    uint8_t negate; /* of the first test */
    uint8_t single; /* the constraint has that one test */
} cons_quick;

/* Of a rule, where its first token steps' constraints lie in
 * rule_index.first_cons (UINT32_MAX: any token); n FIRST_ANY when it is
 * nullable (any token may start it). */
#define FIRST_ANY UINT32_MAX
typedef struct {
    uint32_t first, n;
} rule_firsts;

/* The lists that come before the req list of key k in a block (see
 * form_entry), and before its cond list. */
#define GENTRY_BEFORE_REQ(k)                                                                       \
    ((GENTRY_REQ(0) | GENTRY_COND(0)) * (((k) > 0) ? 1u : 0u) |                                    \
     (GENTRY_REQ(1) | GENTRY_COND(1)) * (((k) > 1) ? 1u : 0u) |                                    \
     (GENTRY_REQ(2) | GENTRY_COND(2)) * (((k) > 2) ? 1u : 0u))
#define GENTRY_BEFORE_COND(k) (GENTRY_BEFORE_REQ(k) | GENTRY_REQ(k))

/* Of a rule, the fields marking it as possible in a sentence reads
 * (rules-match.c), copied from the rule: its requirement's offsets, its
 * conditions, whether it is anchored. */
typedef struct {
    uint32_t req_lo, req_hi, req_ents;
    uint32_t cond_first;
    uint8_t cond_n; /* at most RULE_CONDS */
    uint8_t anchored;
} rule_mark;

/* The index of a phase (rules-index.c): which rules can start at a token,
 * and which can match in a sentence at all. */
typedef struct {
    /* forms: open addressing, hash << 32 | (entry + 1), 0 empty */
    uint64_t *forms;
    uint32_t forms_mask;
    form_entry *entries;
    uint32_t n_entries;
    uint32_t *blocks; /* per entry: where its block begins in rules */
    uint32_t *rules;  /* rule lists */
    /* per label id (id n_label_ids: any entity): rules whose first step is
       an entity of it (start), a token inside one (cover), and rules that
       need one starting in the sentence (req) */
    uint32_t *start_first, *start_n, *cover_first, *cover_n, *req_first, *req_n;
    /* per label id (+ any): the conditions an entity of it meets */
    uint32_t *cond_first, *cond_n;
    uint32_t n_conds;
    gboolean any_start, any_cover; /* some start, some cover list is not empty */
    /* rules tried anywhere, sorted by group: rules with equal first steps */
    uint32_t *always, *always_group;
    uint32_t n_always, n_groups, gwords;
    uint32_t *group_rule;  /* per group: one of its rules */
    uint64_t *group_bytes; /* [key][byte][gwords]: groups a token with that byte allows */
    /* [k][byte][gwords]: the groups one of whose token flags (the filter
       needs one) lies in byte k of a token's flags with that value: a
       token allows the union over its four bytes (is=number tried only at
       numbers) */
    uint64_t *group_flags;
    byte_filter *filters; /* per rule: its first steps */
    uint8_t *filtered;    /* per rule: its filter excludes something */
    uint8_t *need;        /* per rule: 1 when it has a requirement */
    /* per rule: what marking reads of it (for every token with a form it
       requires), 20 bytes instead of the rule's 200: a sentence's marks
       load no rule */
    rule_mark *marks;
    uint32_t *free; /* rules without one */
    uint32_t n_free;
    /* per constraint, its quick record with its memo slot (UINT32_MAX:
       not memoised).  Costly constraints (long word lists, several tests,
       regexes) that are equal share a slot, so that within a sentence each
       is tested once per token, whatever the rules and threads that ask
       (rules-vm.c); n_memo slots */
    cons_quick *quick;
    uint32_t n_memo;
    /* per rule, its first token steps (the entity steps: first_labels) */
    rule_firsts *firsts;
    uint32_t *first_cons;
    /* per test, label_words words: the label ids of its ent= values, as
       the masks of the ids covering a token are (rules-match.c); per
       rule, the label ids of its first entity steps (bit n_label_ids: any
       entity), and whether it has one */
    uint64_t *test_labels, *first_labels;
    uint8_t *first_ent;
    uint32_t label_words;
    /* per form id of the phase's group (rules-forms.h): this phase's entry
       + 1, or 0, with GENTRY_* bits saying which of the entry's lists are
       not empty; so a token's forms are looked up once for all phases,
       and most tokens need no look at the entry itself */
    uint32_t *gentry;
    /* the label ids by interned label (label_id()): open addressing over
       the pointers, NULL empty */
    const char **label_keys;
    uint32_t *label_ids;
    uint32_t label_mask;
} rule_index;

/* The slot of label's pointer in label_keys. */
static inline uint32_t label_slot(const char *label, uint32_t mask)
{
    return (uint32_t)(((uintptr_t)label >> 3) * 0x9E3779B97F4A7C15ull >> 40) & mask;
}

/* The phase's id of an interned label, or UINT32_MAX for a label no rule
 * of the phase names: asked for every visible entity in every phase. */
static inline uint32_t label_id(const rule_index *ix, const char *label)
{
    uint32_t i = label_slot(label, ix->label_mask);
    while (ix->label_keys[i] && ix->label_keys[i] != label)
        i = (i + 1) & ix->label_mask;
    return ix->label_keys[i] ? ix->label_ids[i] : UINT32_MAX;
}

typedef struct {
    uint8_t key; /* K_WORD, K_LOWER, K_LEMMA, or K_ENT (hash = label id) */
    uint32_t hash;
} req_key;

typedef struct {
    char *path;
    uint32_t number;       /* phase number: 1 + file index */
    GArray *rules;         /* rule */
    GArray *tests;         /* test */
    GArray *cons;          /* constraint */
    GArray *lits;          /* nerve_str */
    GPtrArray *regexes;    /* URegularExpression*, distinct (originals, cloned per worker) */
    GPtrArray *dfas;       /* rx_dfa* per regex, NULL where ICU must decide (rules-regex.c) */
    GArray *regex_refs;    /* uint32_t indexes into regexes, per test */
    GHashTable *regex_ids; /* "flags/pattern" -> index + 1 */
    GArray *labelsets;     /* labelset */
    GPtrArray *set_labels; /* interned labels of label sets */
    GArray *label_ids;     /* uint32_t label ids of ent= tests */
    GArray *reqs;          /* req_key of the rules' requirements and conditions */
    GArray *conds;         /* per condition id 2 uint32_t: its keys' first in reqs, count */
    GArray *rule_conds;    /* uint32_t condition ids of the rules (rule.cond_first) */
    /* the distinct key sets of conditions (their keys spelled out) -> id + 1:
       rules with the same condition share its id, so that a token or an
       entity meeting it marks it once, not once per rule */
    GHashTable *cond_ids;
    GHashTable *ids;              /* interned label -> id + 1 */
    GPtrArray *id_labels;         /* id -> interned label */
    uint32_t max_inst, max_slots; /* of its rules' programs */
    rule_index index;
    GStringChunk *strings;
    GPtrArray *nodes; /* node*, freed with the phase */
    gboolean uses_entities;
    uint8_t bit; /* its bit in its group's form ids (PHASE_BIT, rules-forms.h) */
} phase;

phase *phase_new(const char *path);
void phase_free(phase *ph);

/* The id of an interned label in ph (assigned on first use). */
uint32_t phase_label_id(phase *ph, const char *label);

/* --- the parser ----------------------------------------------------------------- */

/* Error list of one file: lines "FILE:LINE:COL: message"; and its notes
 * (char*, "FILE:LINE:COL: note: message"): what is no error but cannot
 * work as written. */
typedef struct {
    const char *path;
    const char *text;
    size_t len;
    GArray *line_starts; /* size_t */
    GString *out;
    guint n;
    GPtrArray *notes;
} errors;

void errors_add(errors *er, size_t off, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void errors_note(errors *er, size_t off, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Parses (text, len) into ph (rules compiled through rules-compile.c);
 * errors are added to er. */
void rules_parse(phase *ph, const char *text, size_t len, const nerve_tokenizer *tk,
                 const nerve_normalize_options *norm, errors *er);

/* --- the compiler ------------------------------------------------------------- */

/* Compiles the pattern tree of r into r->prog; FALSE (and an error at
 * byte offset at, the pattern's start) when it is too large. */
gboolean rules_compile_rule(phase *ph, rule *r, node *pattern, size_t at, errors *er);
/* --- the index (rules-index.c) ------------------------------------------------ */

/* Builds ph->index once all rules are compiled. */
void rules_build_index(phase *ph);
void rules_index_clear(rule_index *ix);
/* Walks the tree: the capture names in order of first appearance. */
void rules_collect_captures(const node *n, GPtrArray *names);

/* --- the matcher ----------------------------------------------------------------- */

typedef struct scratch scratch;
scratch *scratch_new(void);
void scratch_free(scratch *sc);
/* Prepares sc for the phases of the group forms to run over doc: its
 * tokens' forms (rules-forms.h), borrowed from doc. */
struct form_group;
void rules_prepare_doc(nerve_doc *doc, scratch *sc, const struct form_group *forms);
/* Runs one phase over doc with sc (owned by the calling thread), after
 * rules_prepare_doc(). */
void rules_run_phase(const phase *ph, guint phase_index, nerve_doc *doc, scratch *sc);
/* Precomputes the closures of r's program for the VM (rules-closures.c). */
void rules_closures(rule *r);
void rules_closures_free(rule *r);
/* Merges events of the same type and trigger tokens. */
void rules_merge_events(nerve_doc *doc);

#endif
