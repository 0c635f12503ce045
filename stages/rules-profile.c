/* rules-profile.c - the report of the per-rule counts (rules-profile.h).
 *
 * The counts are kept per worker (in its scratch, no locking while
 * documents run) and summed here.  A rule's "work" weighs its counts by
 * what each costs (work_of()), so that rules rank close to the order
 * callgrind would give them; the counts themselves say why a rule costs
 * what it does.
 */
#include <stdio.h>
#include <string.h>

#include "rules-internal.h"
#include "rules-profile.h"

rule_counts *rules_profile_counts(GPtrArray *counts, guint i, guint n_rules)
{
    while (counts->len <= i)
        g_ptr_array_add(counts, g_array_new(FALSE, TRUE, sizeof(rule_counts)));
    GArray *a = g_ptr_array_index(counts, i);
    if (a->len < n_rules)
        g_array_set_size(a, n_rules);
    return (rule_counts *)(void *)a->data;
}

typedef struct {
    const phase *ph;
    uint32_t id;
    rule_counts c;
    uint64_t work;
} row;

/* Instructions per unit of each count, from callgrind's figures of the
 * functions that do the work (the English model over news text: e.g.
 * tests_ok() takes 110 per call, mark_rules() 65 per rule marked, a step
 * of a first pass 150 plus 50 per word of its sets): work is an estimate
 * of the instructions a rule costs in the matcher, not a measure, good
 * for ranking rules. */
static uint64_t work_of(const rule_counts *c)
{
    return 65 * c->marks + 30 * c->starts + 80 * c->start_tests + 140 * c->tries +
           150 * c->positions + 50 * c->words + 50 * c->tests + 110 * c->slow + 60 * c->threads;
}

static int by_work(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->work != y->work)
        return x->work < y->work ? 1 : -1;
    if (x->ph->number != y->ph->number)
        return x->ph->number < y->ph->number ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void header(GString *out)
{
    g_string_append_printf(out, "%6s %10s %8s %9s %9s %8s %8s %9s %9s %9s %9s %9s %8s  %s\n",
                           "share", "work", "marks", "starts", "st_tests", "tries", "skips",
                           "positions", "words", "tests", "slow", "threads", "matches", "rule");
}

static void write_counts(GString *out, double share, uint64_t work, const rule_counts *c)
{
    g_string_append_printf(out, "%5.1f%% %10" G_GUINT64_FORMAT, share, work);
    const uint64_t v[] = {c->marks, c->starts, c->start_tests, c->tries,   c->skips,  c->positions,
                          c->words, c->tests,  c->slow,        c->threads, c->matches};
    const int width[] = {8, 9, 9, 8, 8, 9, 9, 9, 9, 9, 8};
    for (guint i = 0; i < G_N_ELEMENTS(v); i++)
        g_string_append_printf(out, " %*" G_GUINT64_FORMAT, width[i], v[i]);
    g_string_append(out, "  ");
}

static void write_row(GString *out, const row *r, uint64_t total)
{
    const rule *ru = &g_array_index(r->ph->rules, rule, r->id);
    g_autofree char *base = g_path_get_basename(r->ph->path);
    write_counts(out, total ? 100.0 * (double)r->work / (double)total : 0.0, r->work, &r->c);
    g_string_append_printf(out, "%s:%u %s (%u steps)\n", base, ru->line, ru->name, ru->n_inst);
}

static void add_counts(rule_counts *to, const rule_counts *c)
{
    to->marks += c->marks;
    to->starts += c->starts;
    to->start_tests += c->start_tests;
    to->tries += c->tries;
    to->skips += c->skips;
    to->positions += c->positions;
    to->words += c->words;
    to->tests += c->tests;
    to->slow += c->slow;
    to->threads += c->threads;
    to->matches += c->matches;
}

void rules_profile_write(GString *out, const GPtrArray *phases, const GPtrArray *const *counts,
                         guint n_counts, guint top)
{
    g_autoptr(GArray) all = g_array_new(FALSE, TRUE, sizeof(row));
    uint64_t grand = 0;
    for (guint p = 0; p < phases->len; p++) {
        const phase *ph = g_ptr_array_index(phases, p);
        guint first = all->len;
        uint64_t total = 0;
        rule_counts sum = {0};
        for (uint32_t id = 0; id < ph->rules->len; id++) {
            row r = {ph, id, {0}, 0};
            for (guint w = 0; w < n_counts; w++)
                if (p < counts[w]->len) {
                    const GArray *a = g_ptr_array_index(counts[w], p);
                    if (id < a->len)
                        add_counts(&r.c, &g_array_index(a, rule_counts, id));
                }
            r.work = work_of(&r.c);
            total += r.work;
            add_counts(&sum, &r.c);
            g_array_append_val(all, r);
        }
        grand += total;
        row *rows = &g_array_index(all, row, first);
        guint n = all->len - first;
        qsort(rows, n, sizeof *rows, by_work);
        const rule_index *ix = &ph->index;
        g_string_append_printf(out,
                               "phase %u %s: %u rules, %u without a requirement, %u tried "
                               "anywhere in %u groups\n",
                               ph->number, ph->path, n, ix->n_free, ix->n_always, ix->n_groups);
        header(out);
        for (guint i = 0; i < MIN(n, top); i++)
            write_row(out, &rows[i], total);
        write_counts(out, 100.0, total, &sum);
        g_string_append(out, "(phase total)\n\n");
    }
    qsort(all->data, all->len, sizeof(row), by_work);
    g_string_append_printf(out, "all phases: top %u of %u rules\n", MIN(all->len, top), all->len);
    header(out);
    for (guint i = 0; i < MIN(all->len, top); i++)
        write_row(out, &g_array_index(all, row, i), grand);
}
