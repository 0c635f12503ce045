/* rules-closures.c - the closures of a rule's program, computed once per
 * rule when it is compiled, for the Pike VM (rules-vm.c) and its first
 * pass.
 */
#include <string.h>

#include "rules-internal.h"
#include "rules-match.h"

/* Adding a thread at an entry step (0, or the step after a consuming one)
 * follows splits, jumps, captures and assertions to the consuming steps
 * and MATCH it leads to, depth first, at most once each.  That walk only
 * depends on the program and, through ^ and $, on whether the position is
 * the sentence's start or end, so it is done once per entry and variant
 * here: the items in the order of the walk, each with the capture slots
 * set on the first path to it.  With other threads already at the
 * position, the walk of add_thread_dfs() stops at steps they took, and
 * every step reachable from those was taken too: skipping the items
 * already marked gives the same threads with the same captures.  A walk
 * over budget (huge programs) leaves the rule to add_thread_dfs()
 * (rules-vm.c). */

#define RESTORE UINT32_MAX

/* The builder's lists are plain arrays grown by doubling: a program of a
 * few hundred steps has tens of thousands of items, and an append through
 * GArray cost more than the walk itself (15% of loading models/en). */
typedef struct {
    const rule *r;
    closure_item *items;
    uint32_t *saves, *path;
    size_t n_items, cap_items, n_saves, cap_saves, n_path;
    /* per step: the walk that last visited it (walks are numbered from 1) */
    uint32_t *seen, walk;
    uint32_t *stack;
    size_t budget;
} clo_builder;

static gboolean closure_of(clo_builder *b, uint32_t pc0, gboolean bol, gboolean eol)
{
    const rule *r = b->r;
    uint32_t walk = ++b->walk;
    b->n_path = 0;
    size_t top = 0;
    b->stack[top++] = pc0;
    while (top) {
        uint32_t pc = b->stack[--top];
        if (pc == RESTORE) {
            b->n_path--;
            continue;
        }
        if (b->seen[pc] == walk)
            continue;
        b->seen[pc] = walk;
        if (b->budget < 1 + b->n_path)
            return FALSE;
        b->budget -= 1 + b->n_path;
        const inst *in = &r->prog[pc];
        switch (in->op) {
        case I_JMP:
            b->stack[top++] = in->x;
            break;
        case I_SPLIT:
            b->stack[top++] = in->y;
            b->stack[top++] = in->x;
            break;
        case I_SAVE:
            /* a path holds each SAVE step once: at most n_inst */
            b->path[b->n_path++] = in->x;
            b->stack[top++] = RESTORE;
            b->stack[top++] = pc + 1;
            break;
        case I_BOL:
        case I_EOL:
            if (in->op == I_BOL ? bol : eol)
                b->stack[top++] = pc + 1;
            break;
        default:
            RESERVE(b->items, b->cap_items, b->n_items + 1);
            RESERVE(b->saves, b->cap_saves, b->n_saves + b->n_path);
            b->items[b->n_items++] =
                (closure_item){pc, (uint32_t)b->n_saves, (uint32_t)b->n_path, in->op == I_MATCH};
            if (b->n_path)
                memcpy(b->saves + b->n_saves, b->path, b->n_path * sizeof *b->path);
            b->n_saves += b->n_path;
        }
    }
    return TRUE;
}

void rules_closures(rule *r)
{
    uint32_t n = r->n_inst, variants = 1;
    for (uint32_t pc = 0; pc < n; pc++)
        if (r->prog[pc].op == I_BOL || r->prog[pc].op == I_EOL)
            variants = 4;
    clo_builder b = {.r = r,
                     .path = g_new(uint32_t, (size_t)n + 1),
                     .seen = g_new0(uint32_t, (size_t)n + 1),
                     .stack = g_new(uint32_t, 2 * (size_t)n + 2),
                     .budget = 32 * (size_t)n + 1024};
    RESERVE(b.items, b.cap_items, 64);
    RESERVE(b.saves, b.cap_saves, 64);
    r->clo_first = g_new0(uint32_t, (size_t)variants * n);
    r->clo_n = g_new0(uint32_t, (size_t)variants * n);
    gboolean ok = TRUE;
    for (uint32_t v = 0; v < variants && ok; v++)
        for (uint32_t pc = 0; pc < n && ok; pc++) {
            if (pc && r->prog[pc - 1].op != I_TOK && r->prog[pc - 1].op != I_ENT)
                continue; /* not an entry */
            uint32_t first = (uint32_t)b.n_items;
            ok = closure_of(&b, pc, v & 1, (v >> 1) & 1);
            r->clo_first[(size_t)v * n + pc] = first;
            r->clo_n[(size_t)v * n + pc] = (uint32_t)b.n_items - first;
        }
    g_free(b.seen);
    g_free(b.stack);
    g_free(b.path);
    /* never empty: no arithmetic on NULL */
    RESERVE(b.saves, b.cap_saves, b.n_saves + 1);
    b.saves[b.n_saves] = 0;
    r->clo_saves = b.saves;
    r->clo = b.items;
    r->clo_variants = variants;
    if (!ok || !r->clo) {
        rules_closures_free(r);
        return;
    }
    if (n > RULE_BITS_MAX)
        return;
    uint32_t words = (n + 63) / 64;
    r->clo_words = words;
    r->clo_bits = g_new0(uint64_t, (size_t)variants * n * words);
    r->clo_match = g_new0(uint8_t, (size_t)variants * n);
    for (size_t at = 0; at < (size_t)variants * n; at++)
        for (uint32_t k = 0; k < r->clo_n[at]; k++) {
            const closure_item *it = &r->clo[r->clo_first[at] + k];
            if (it->match)
                r->clo_match[at] = 1;
            else
                r->clo_bits[at * words + it->pc / 64] |= 1ull << (it->pc % 64);
        }
}

void rules_closures_free(rule *r)
{
    g_free(r->clo);
    g_free(r->clo_first);
    g_free(r->clo_n);
    g_free(r->clo_saves);
    g_free(r->clo_bits);
    g_free(r->clo_match);
    r->clo_bits = NULL;
    r->clo_match = NULL;
    r->clo_words = 0;
    r->clo = NULL;
    r->clo_first = r->clo_n = r->clo_saves = NULL;
}
