/* rules-profile.h - private: per-rule counts of the matcher's work, to find
 * the rules that cost the most (bench-rules --profile).
 *
 * The counts are deterministic (the same corpus gives the same figures on
 * any machine), so that a change to a rule can be judged by them before a
 * callgrind run.  Counting is compiled in only when NERVE_RULES_PROFILE is
 * defined, as the bench build does for its own copy of the rule engine;
 * elsewhere RULES_PROFILE is 0, every PROF_ADD() is dead code the compiler
 * drops, and the matcher runs exactly the instructions it would without
 * them.
 */
#ifndef NERVE_RULES_PROFILE_H
#define NERVE_RULES_PROFILE_H

#include <glib.h>
#include <stdint.h>

#ifdef NERVE_RULES_PROFILE
#define RULES_PROFILE 1
#else
#define RULES_PROFILE 0
#endif

/* The work done for one rule of a phase. */
typedef struct {
    uint64_t marks;       /* times a token with its required key marked it in a sentence */
    uint64_t starts;      /* vm_can_start() asked (for a group of rules: its first rule) */
    uint64_t start_tests; /* token constraints those tested */
    uint64_t tries;       /* vm_search() runs, or tries vm_two_steps() ended */
    uint64_t skips;       /* tries vm_two_steps() ended */
    uint64_t positions;   /* tokens walked by its first passes and VM runs */
    uint64_t words;       /* words of step sets the first passes went through */
    uint64_t tests;       /* token constraints those walks tested */
    uint64_t slow;        /* tests not decided by the first test or the memo (tests_ok()) */
    uint64_t threads;     /* closures added to a step set or a thread list */
    uint64_t matches;     /* tries that found a match */
} rule_counts;

/* Makes rule id's counts in m->counts (m a vm*) the ones PROF_ADD() adds
 * to: the rule tried or whose start is tested. */
#define PROF_RULE(m, id)                                                                           \
    do {                                                                                           \
        if (RULES_PROFILE)                                                                         \
            (m)->sc->prof = (m)->counts + (id);                                                    \
    } while (0)

/* Adds n to a field of the counts PROF_RULE() chose. */
#define PROF_ADD(m, field, n)                                                                      \
    do {                                                                                           \
        if (RULES_PROFILE)                                                                         \
            (m)->sc->prof->field += (n);                                                           \
    } while (0)

/* The counts of the n_rules rules of the phase with index i in counts (a
 * GPtrArray of GArrays of rule_counts, per phase index, owned by a
 * worker's scratch), grown to hold them. */
rule_counts *rules_profile_counts(GPtrArray *counts, guint i, guint n_rules);

/* Appends the report of phases (phase*) with the counts summed over
 * the workers' count arrays (each a GPtrArray as above): per phase its
 * rules by work, the top of them; then the top rules of all phases.
 * work: an estimate of its instructions from the counts. */
void rules_profile_write(GString *out, const GPtrArray *phases, const GPtrArray *const *counts,
                         guint n_counts, guint top);

#endif
