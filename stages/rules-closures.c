/* rules-closures.c - the closures of a rule's program, computed once per
 * rule when it is compiled, for the Pike VM (rules-vm.c) and its first
 * pass.
 */
#include <string.h>

#include "rules-internal.h"

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

typedef struct {
    const rule *r;
    GArray *items, *saves, *path; /* closure_item, uint32_t, uint32_t */
    uint8_t *seen;
    uint32_t *stack;
    size_t budget;
} clo_builder;

static gboolean closure_of(clo_builder *b, uint32_t pc0, gboolean bol, gboolean eol)
{
    const rule *r = b->r;
    memset(b->seen, 0, r->n_inst);
    g_array_set_size(b->path, 0);
    size_t top = 0;
    b->stack[top++] = pc0;
    while (top) {
        uint32_t pc = b->stack[--top];
        if (pc == RESTORE) {
            g_array_set_size(b->path, b->path->len - 1);
            continue;
        }
        if (b->seen[pc])
            continue;
        b->seen[pc] = 1;
        if (b->budget < 1 + b->path->len)
            return FALSE;
        b->budget -= 1 + b->path->len;
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
            g_array_append_val(b->path, in->x);
            b->stack[top++] = RESTORE;
            b->stack[top++] = pc + 1;
            break;
        case I_BOL:
        case I_EOL:
            if (in->op == I_BOL ? bol : eol)
                b->stack[top++] = pc + 1;
            break;
        default: {
            closure_item it = {pc, b->saves->len, b->path->len, in->op == I_MATCH};
            g_array_append_vals(b->saves, b->path->data, b->path->len);
            g_array_append_val(b->items, it);
        }
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
    clo_builder b = {r,
                     g_array_new(FALSE, FALSE, sizeof(closure_item)),
                     g_array_new(FALSE, FALSE, sizeof(uint32_t)),
                     g_array_new(FALSE, FALSE, sizeof(uint32_t)),
                     g_malloc(n),
                     g_new(uint32_t, 2 * (size_t)n + 2),
                     32 * (size_t)n + 1024};
    r->clo_first = g_new0(uint32_t, (size_t)variants * n);
    r->clo_n = g_new0(uint32_t, (size_t)variants * n);
    gboolean ok = TRUE;
    for (uint32_t v = 0; v < variants && ok; v++)
        for (uint32_t pc = 0; pc < n && ok; pc++) {
            if (pc && r->prog[pc - 1].op != I_TOK && r->prog[pc - 1].op != I_ENT)
                continue; /* not an entry */
            uint32_t first = b.items->len;
            ok = closure_of(&b, pc, v & 1, (v >> 1) & 1);
            r->clo_first[(size_t)v * n + pc] = first;
            r->clo_n[(size_t)v * n + pc] = b.items->len - first;
        }
    g_free(b.seen);
    g_free(b.stack);
    g_array_free(b.path, TRUE);
    uint32_t zero = 0; /* never empty: no arithmetic on NULL */
    g_array_append_val(b.saves, zero);
    r->clo_saves = (uint32_t *)(void *)g_array_free(b.saves, FALSE);
    r->clo = (closure_item *)(void *)g_array_free(b.items, FALSE);
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
