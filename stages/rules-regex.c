/* rules-regex.c - the simple ASCII regular expressions of rules as DFAs.
 *
 * A /regex/ constraint must match a whole token form.  An ICU call costs
 * about a microsecond (UText setup, a heap clone of the text, the
 * backtracking engine), which made regex tests the largest cost of the
 * rule stage.  Most patterns in rules are small and ASCII: literals,
 * classes, groups, alternation, counted repetition.  For those, matching a
 * whole string is membership in a regular language, which a DFA decides
 * with one table step per byte.  The order in which a backtracking engine
 * tries things (greedy, lazy, left alternative first) does not change
 * whether some whole-string match exists, so only the language counts.
 *
 * The subset; anything else compiles to NULL and ICU decides:
 * - ASCII literals other than the metacharacters \ ^ $ . | ? * + ( ) [ ] { };
 *   a backslash before ASCII punctuation is that character;
 * - . (any character but a line terminator), \d \D \w \W \s \S;
 * - classes [...] of literals, ranges a-z and those escapes, optionally
 *   negated by a leading ^, a - first or last (no nested sets, && or --,
 *   no spaces, { } $ [ or other -: ICU's set syntax gives them meanings);
 * - groups ( ) and (?: ), alternation |, quantifiers ? * + {n} {n,} {n,m},
 *   greedy or lazy (possessive ones change the language);
 * - the i flag, except with a negation (ICU closes sets over case first).
 * The ASCII members of \s \w \d and . are ICU's (checked by the tests
 * against ICU itself for every ASCII character).
 *
 * Non-ASCII input: a pattern whose atoms are all sets of ASCII characters
 * cannot match a non-ASCII character, so the answer is no.  A pattern with
 * ., \w, \d, \s, a negation or the i flag might (ICU folds "ss" with U+00DF
 * and k with U+212A), and then the caller asks ICU.
 *
 * Compiling: recursive descent to a tree, a Thompson NFA, then subset
 * construction over the 128 ASCII bytes; patterns over the size limits
 * (nesting, counts, NFA or DFA states) stay with ICU.
 */
#include "rules-regex.h"

#include <glib.h>
#include <string.h>

#define MAX_DEPTH 50
#define MAX_COUNT 100 /* bounds of {n,m} */
#define MAX_NFA   600
#define MAX_DFA   256

struct rx_dfa {
    uint16_t *next; /* [state * 128 + byte]; state 0 is dead */
    uint8_t *accept;
    uint32_t n_states;
    int wide; /* may match a non-ASCII character */
};

/* --- character sets ------------------------------------------------------------ */

typedef struct {
    uint64_t w[2];
} cset;

static void cset_add(cset *s, unsigned c)
{
    s->w[c >> 6] |= 1ull << (c & 63);
}

static int cset_has(const cset *s, unsigned c)
{
    return (int)((s->w[c >> 6] >> (c & 63)) & 1);
}

static void cset_range(cset *s, unsigned a, unsigned b)
{
    for (unsigned c = a; c <= b; c++)
        cset_add(s, c);
}

/* Adds the other case of every ASCII letter in s. */
static void cset_fold(cset *s)
{
    for (unsigned c = 'a'; c <= 'z'; c++)
        if (cset_has(s, c) || cset_has(s, c - 32)) {
            cset_add(s, c);
            cset_add(s, c - 32);
        }
}

/* --- the tree ------------------------------------------------------------------- */

typedef enum { R_SET, R_CAT, R_ALT, R_REP, R_EMPTY } rkind;

typedef struct rnode rnode;
struct rnode {
    rkind kind;
    cset set;
    int min, max; /* R_REP; max -1: unbounded */
    rnode *a, *b;
};

typedef struct {
    const char *p, *end;
    int icase, wide, bad, depth;
    GPtrArray *nodes; /* rnode*, owned */
} rparser;

static rnode *mk(rparser *ps, rkind kind, rnode *a, rnode *b)
{
    rnode *n = g_new0(rnode, 1);
    n->kind = kind;
    n->a = a;
    n->b = b;
    g_ptr_array_add(ps->nodes, n);
    return n;
}

static void *fail(rparser *ps)
{
    ps->bad = 1;
    return NULL;
}

static int at(const rparser *ps, char c)
{
    return ps->p < ps->end && *ps->p == c;
}

/* \d \D \w \W \s \S: adds the ASCII members to s; 0 when c is none. */
static int class_escape(rparser *ps, char c, cset *s)
{
    cset t = {{0, 0}};
    if (c == 'd' || c == 'D')
        cset_range(&t, '0', '9');
    else if (c == 'w' || c == 'W') {
        cset_range(&t, '0', '9');
        cset_range(&t, 'a', 'z');
        cset_range(&t, 'A', 'Z');
        cset_add(&t, '_');
    } else if (c == 's' || c == 'S') {
        cset_range(&t, '\t', '\r');
        cset_add(&t, ' ');
    } else
        return 0;
    if (c >= 'A' && c <= 'Z') {
        t.w[0] = ~t.w[0];
        t.w[1] = ~t.w[1];
        if (ps->icase)
            ps->bad = 1;
    }
    ps->wide = 1;
    s->w[0] |= t.w[0];
    s->w[1] |= t.w[1];
    return 1;
}

/* One character after a backslash, outside or inside a class. */
static int escape(rparser *ps, cset *s)
{
    if (ps->p >= ps->end)
        return 0;
    char c = *ps->p++;
    if ((unsigned char)c >= 0x80)
        return 0;
    if (g_ascii_isalnum(c))
        return class_escape(ps, c, s);
    if ((unsigned char)c < 0x20 || c == 0x7f)
        return 0;
    cset_add(s, (unsigned char)c);
    return 1;
}

static int literal_ok(char c, const char *meta)
{
    return (unsigned char)c >= 0x20 && (unsigned char)c < 0x7f && !strchr(meta, c);
}

/* [...] after the '[' */
static rnode *parse_class(rparser *ps)
{
    rnode *n = mk(ps, R_SET, NULL, NULL);
    int negate = at(ps, '^');
    ps->p += negate;
    if (negate && ps->icase)
        return fail(ps);
    int items = 0;
    while (ps->p < ps->end && *ps->p != ']') {
        char c = *ps->p++;
        if (c == '\\') {
            if (!escape(ps, &n->set))
                return fail(ps);
        } else if (c == '-' && (!items || at(ps, ']'))) /* [-a] [a-]: a hyphen */
            cset_add(&n->set, '-');
        else if (literal_ok(c, "[]{}$&-^ \\")) {
            unsigned lo = (unsigned char)c, hi = lo;
            if (at(ps, '-') && ps->p + 1 < ps->end && ps->p[1] != ']') {
                char d = ps->p[1];
                if (!literal_ok(d, "[]{}$&-^ \\") || (unsigned char)d < lo)
                    return fail(ps);
                hi = (unsigned char)d;
                ps->p += 2;
            }
            cset_range(&n->set, lo, hi);
        } else
            return fail(ps);
        items++;
    }
    if (!at(ps, ']') || !items)
        return fail(ps);
    ps->p++;
    if (ps->icase)
        cset_fold(&n->set);
    if (negate) {
        n->set.w[0] = ~n->set.w[0];
        n->set.w[1] = ~n->set.w[1];
        ps->wide = 1;
    }
    return n;
}

static rnode *parse_alt(rparser *ps);

static rnode *parse_atom(rparser *ps)
{
    char c = *ps->p++;
    rnode *n;
    switch (c) {
    case '(':
        if (at(ps, '?')) {
            if (ps->p + 1 >= ps->end || ps->p[1] != ':')
                return fail(ps);
            ps->p += 2;
        }
        if (++ps->depth > MAX_DEPTH)
            return fail(ps);
        n = parse_alt(ps);
        ps->depth--;
        if (!n || !at(ps, ')'))
            return fail(ps);
        ps->p++;
        return n;
    case '[':
        return parse_class(ps);
    case '.':
        n = mk(ps, R_SET, NULL, NULL);
        cset_range(&n->set, 0, 127);
        n->set.w[0] &= ~(0xFull << '\n'); /* \n \v \f \r are line terminators */
        ps->wide = 1;
        return n;
    case '\\':
        n = mk(ps, R_SET, NULL, NULL);
        if (!escape(ps, &n->set))
            return fail(ps);
        break;
    default:
        if (!literal_ok(c, "^$|?*+()[]{}"))
            return fail(ps);
        n = mk(ps, R_SET, NULL, NULL);
        cset_add(&n->set, (unsigned char)c);
    }
    if (ps->icase)
        cset_fold(&n->set);
    return n;
}

static int read_int(rparser *ps, int *v)
{
    if (ps->p >= ps->end || !g_ascii_isdigit(*ps->p))
        return 0;
    *v = 0;
    while (ps->p < ps->end && g_ascii_isdigit(*ps->p)) {
        *v = *v * 10 + (*ps->p++ - '0');
        if (*v > MAX_COUNT)
            return 0;
    }
    return 1;
}

/* A quantifier after an atom, or 0 when there is none (-1: bad). */
static int parse_quant(rparser *ps, int *min, int *max)
{
    char c = ps->p < ps->end ? *ps->p : 0;
    if (c == '?' || c == '*' || c == '+') {
        ps->p++;
        *min = c == '+';
        *max = c == '?' ? 1 : -1;
    } else if (c == '{') {
        ps->p++;
        if (!read_int(ps, min))
            return -1;
        *max = *min;
        if (at(ps, ',')) {
            ps->p++;
            *max = -1;
            if (!at(ps, '}') && (!read_int(ps, max) || *max < *min))
                return -1;
        }
        if (!at(ps, '}'))
            return -1;
        ps->p++;
    } else
        return 0;
    if (at(ps, '?')) /* lazy: the same language */
        ps->p++;
    else if (at(ps, '+')) /* possessive: not */
        return -1;
    return 1;
}

static rnode *parse_cat(rparser *ps)
{
    rnode *seq = mk(ps, R_EMPTY, NULL, NULL);
    while (ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
        rnode *atom = parse_atom(ps);
        if (!atom)
            return fail(ps);
        int min, max, q = parse_quant(ps, &min, &max);
        if (q < 0)
            return fail(ps);
        if (q) { /* one quantifier: ICU reads a+* otherwise */
            atom = mk(ps, R_REP, atom, NULL);
            atom->min = min;
            atom->max = max;
        }
        seq = mk(ps, R_CAT, seq, atom);
    }
    return seq;
}

static rnode *parse_alt(rparser *ps)
{
    rnode *n = parse_cat(ps);
    while (n && at(ps, '|')) {
        ps->p++;
        rnode *b = parse_cat(ps);
        n = b ? mk(ps, R_ALT, n, b) : NULL;
    }
    return n;
}

/* --- the NFA ---------------------------------------------------------------------- */

typedef struct {
    int set; /* 1: consume a member of cs then go to out; 0: epsilon to out, alt */
    cset cs;
    uint32_t out, alt; /* UINT32_MAX: none */
} nstate;

typedef struct {
    GArray *st; /* nstate */
    int bad;
} nfa;

#define NONE UINT32_MAX

static uint32_t add_state(nfa *a, int set, const cset *cs, uint32_t out, uint32_t alt)
{
    if (a->st->len >= MAX_NFA) {
        a->bad = 1;
        return NONE;
    }
    nstate s = {set, cs ? *cs : (cset){{0, 0}}, out, alt};
    g_array_append_val(a->st, s);
    return a->st->len - 1;
}

/* Builds n in front of state next; returns the entry state. */
static uint32_t build(nfa *a, const rnode *n, uint32_t next)
{
    if (a->bad)
        return NONE;
    switch (n->kind) {
    case R_SET:
        return add_state(a, 1, &n->set, next, NONE);
    case R_CAT:
        return build(a, n->a, build(a, n->b, next));
    case R_ALT: {
        uint32_t x = build(a, n->a, next), y = build(a, n->b, next);
        return add_state(a, 0, NULL, x, y);
    }
    case R_REP: {
        uint32_t s = next;
        if (n->max < 0) { /* a loop: split(body -> split, next) */
            uint32_t loop = add_state(a, 0, NULL, NONE, next);
            if (loop == NONE)
                return NONE;
            uint32_t body = build(a, n->a, loop);
            g_array_index(a->st, nstate, loop).out = body;
            s = loop;
        } else /* optional copies: x? x? ... has the language of x{0,k} */
            for (int i = n->min; i < n->max && !a->bad; i++) {
                uint32_t body = build(a, n->a, s);
                s = add_state(a, 0, NULL, body, s);
            }
        for (int i = 0; i < n->min && !a->bad; i++)
            s = build(a, n->a, s);
        return s;
    }
    default:
        return next;
    }
}

/* --- subset construction ------------------------------------------------------- */

typedef struct {
    const nfa *a;
    uint32_t words;  /* per state set */
    GArray *sets;    /* uint64_t words per DFA state */
    GHashTable *ids; /* GBytes -> id + 1 */
    GArray *stack;   /* uint32_t */
} subset;

static void closure(subset *sb, uint64_t *set)
{
    GArray *stack = sb->stack;
    g_array_set_size(stack, 0);
    for (uint32_t i = 0; i < sb->words * 64; i++)
        if ((set[i / 64] >> (i % 64)) & 1)
            g_array_append_val(stack, i);
    while (stack->len) {
        uint32_t i = g_array_index(stack, uint32_t, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        const nstate *s = &g_array_index(sb->a->st, nstate, i);
        if (s->set)
            continue;
        uint32_t to[2] = {s->out, s->alt};
        for (int k = 0; k < 2; k++)
            if (to[k] != NONE && !((set[to[k] / 64] >> (to[k] % 64)) & 1)) {
                set[to[k] / 64] |= 1ull << (to[k] % 64);
                g_array_append_val(stack, to[k]);
            }
    }
}

/* The id of the DFA state for set (added when new); 0 for the empty set. */
static uint32_t intern_set(subset *sb, const uint64_t *set)
{
    gboolean empty = TRUE;
    for (uint32_t w = 0; w < sb->words && empty; w++)
        empty = set[w] == 0;
    if (empty)
        return 0;
    GBytes *key = g_bytes_new(set, sb->words * sizeof(uint64_t));
    gpointer v = g_hash_table_lookup(sb->ids, key);
    if (v) {
        g_bytes_unref(key);
        return GPOINTER_TO_UINT(v) - 1;
    }
    uint32_t id = sb->sets->len / sb->words;
    g_array_append_vals(sb->sets, set, sb->words);
    g_hash_table_insert(sb->ids, key, GUINT_TO_POINTER(id + 1));
    return id;
}

static rx_dfa *determinize(const nfa *a, uint32_t start, uint32_t final)
{
    subset sb = {
        a, (a->st->len + 63) / 64, g_array_new(FALSE, TRUE, sizeof(uint64_t)),
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL),
        g_array_new(FALSE, FALSE, sizeof(uint32_t))};
    g_autofree uint64_t *cur = g_new0(uint64_t, sb.words);
    g_autofree uint64_t *nxt = g_new0(uint64_t, sb.words);
    g_autofree uint32_t *live = g_new(uint32_t, a->st->len);
    g_array_set_size(sb.sets, sb.words); /* state 0: dead, the empty set */
    cur[start / 64] |= 1ull << (start % 64);
    closure(&sb, cur);
    intern_set(&sb, cur);
    GArray *next = g_array_new(FALSE, TRUE, sizeof(uint16_t));
    gboolean ok = TRUE;
    for (uint32_t d = 0; ok && d < sb.sets->len / sb.words; d++) {
        g_array_set_size(next, (d + 1) * 128);
        memcpy(cur, &g_array_index(sb.sets, uint64_t, (size_t)d * sb.words),
               sb.words * sizeof(uint64_t));
        uint32_t n_live = 0; /* the consuming states of the set */
        for (uint32_t i = 0; i < a->st->len; i++)
            if (((cur[i / 64] >> (i % 64)) & 1) && g_array_index(a->st, nstate, i).set)
                live[n_live++] = i;
        for (unsigned c = 0; c < 128 && ok; c++) {
            /* a byte that every consuming state takes or refuses as the one
               before leads where it does (classes and ranges: most bytes),
               without a closure */
            gboolean same = c > 0;
            for (uint32_t k = 0; k < n_live && same; k++) {
                const cset *cs = &g_array_index(a->st, nstate, live[k]).cs;
                same = cset_has(cs, c) == cset_has(cs, c - 1);
            }
            if (same) {
                g_array_index(next, uint16_t, (size_t)d * 128 + c) =
                    g_array_index(next, uint16_t, (size_t)d * 128 + c - 1);
                continue;
            }
            memset(nxt, 0, sb.words * sizeof(uint64_t));
            for (uint32_t k = 0; k < n_live; k++) {
                const nstate *s = &g_array_index(a->st, nstate, live[k]);
                if (cset_has(&s->cs, c))
                    nxt[s->out / 64] |= 1ull << (s->out % 64);
            }
            closure(&sb, nxt);
            uint32_t to = intern_set(&sb, nxt);
            ok = to < MAX_DFA;
            g_array_index(next, uint16_t, (size_t)d * 128 + c) = (uint16_t)to;
        }
    }
    rx_dfa *dfa = NULL;
    if (ok) {
        dfa = g_new0(rx_dfa, 1);
        dfa->n_states = sb.sets->len / sb.words;
        dfa->accept = g_new0(uint8_t, dfa->n_states);
        for (uint32_t d = 1; d < dfa->n_states; d++)
            dfa->accept[d] = (g_array_index(sb.sets, uint64_t, (size_t)d * sb.words + final / 64) >>
                              (final % 64)) &
                             1;
        dfa->next = (uint16_t *)(void *)g_array_free(next, FALSE);
    } else
        g_array_free(next, TRUE);
    g_array_free(sb.sets, TRUE);
    g_hash_table_destroy(sb.ids);
    g_array_free(sb.stack, TRUE);
    return dfa;
}

/* --- the API ------------------------------------------------------------------- */

rx_dfa *rx_dfa_compile(const char *pat, size_t len, int icase)
{
    rparser ps = {
        pat, pat + len, icase != 0, icase != 0, 0, 0, g_ptr_array_new_with_free_func(g_free)};
    rnode *root = parse_alt(&ps);
    rx_dfa *dfa = NULL;
    if (root && !ps.bad && ps.p == ps.end) {
        nfa a = {g_array_new(FALSE, FALSE, sizeof(nstate)), 0};
        uint32_t final = add_state(&a, 0, NULL, NONE, NONE);
        uint32_t start = build(&a, root, final);
        if (!a.bad)
            dfa = determinize(&a, start, final);
        g_array_free(a.st, TRUE);
    }
    if (dfa)
        dfa->wide = ps.wide;
    g_ptr_array_free(ps.nodes, TRUE);
    return dfa;
}

void rx_dfa_free(rx_dfa *d)
{
    if (!d)
        return;
    g_free(d->next);
    g_free(d->accept);
    g_free(d);
}

void rx_dfa_first_bytes(const rx_dfa *d, uint64_t out[4])
{
    for (unsigned c = 0; c < 128; c++)
        if (d->next[128 + c])
            out[c / 64] |= 1ull << (c % 64);
    if (d->wide)
        out[2] = out[3] = ~0ull;
}

int rx_dfa_match(const rx_dfa *d, const char *s, size_t len)
{
    uint32_t st = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            if (d->wide)
                return RX_ASK_ICU;
            return RX_NO;
        }
        st = d->next[st * 128 + c];
        if (!st) { /* dead; a non-ASCII character later could not revive it */
            return RX_NO;
        }
    }
    return d->accept[st] ? RX_YES : RX_NO;
}
