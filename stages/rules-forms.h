/* rules-forms.h - private: the forms of a group of rule sets, and the
 * forms of a document's tokens in them (rules-forms.c).
 *
 * The forms (literals) of every phase of the rule sets of a group are
 * numbered in one table (a token form without an id is no literal: the
 * token tests of rules-vm.c need not look further), and each phase maps
 * those ids to its index entries (rule_index.gentry) and gets a bit
 * (phase.bit), so that a token's forms are looked up once for all phases.  The rule sets of one
 * model (the rules and event_rules stages) form one group, and the forms of a document's tokens,
 * once computed, are kept with the document (nerve_doc_set_data) for the next stage of the group:
 * computed once per document, not once per stage.
 */
#ifndef NERVE_RULES_FORMS_H
#define NERVE_RULES_FORMS_H

#include "rules-internal.h"

/* The bit of the p-th phase of a group (phases from 7 on share one: the
 * bits only filter tokens, a token with a bit is looked at closer). */
#define PHASE_BIT(p) ((uint8_t)(1u << MIN((p), 7u)))

typedef struct form_group form_group;

/* A group whose one member is the rule set with phases (phase*, borrowed:
 * the set's own list, valid while a member).  Numbered by
 * form_group_link(); freed by form_group_leave() of its last member. */
form_group *form_group_new(GPtrArray *phases);
/* Adds the rule set with phases to g (then form_group_link()). */
void form_group_join(form_group *g, GPtrArray *phases);
/* Removes the rule set with phases from g; frees g with its last member.
 * The others keep their numbering. */
void form_group_leave(form_group *g, GPtrArray *phases);
/* (Re)numbers the forms of every member's phases and sets every phase's
 * gentry and bit; after a member gained a phase.  Not while documents are
 * annotated with a member. */
void form_group_link(form_group *g);

/* The forms of a document's tokens in a group's numbering, borrowed from
 * the document. */
typedef struct {
    /* per token (4 each): the first bytes of its word, lower, lemma and
       shape forms (0 for an empty form), for the first-byte filters of
       rules-index.c */
    const uint8_t *bytes;
    /* per token (4 each): the group's ids of those forms (0: none, no
       literal of any phase has its hash; the shape's only when some phase
       requires or tests shapes) */
    const uint32_t *gids;
    /* per token: the bits of the phases with an entry for one of them (and
       8 bytes 0 more, for swar_load()) */
    const uint8_t *gphases;
    /* per token: its flags (nerve_token.flags), packed: the token loops
       and first-step filters of rules-match.c read only them, and a
       token is 80 bytes */
    const uint32_t *flags;
    /* per id: bit k (K_WORD .. K_SHAPE) when some test has the form as a
       literal of key k: a token form whose id lacks the test's key is in
       none of its lists (function words are literals of lower= and "text"
       tests, not of word= lists) */
    const uint8_t *gkeys;
} token_forms;

/* The forms of doc's tokens in g: kept with doc from an earlier stage of
 * g when they were computed for the same numbering and the same tokens
 * (as many, every lemma and shape already filled: doc.h lets stages fill
 * only empty forms), else computed and kept.  Valid until the next call
 * on doc or until doc is freed. */
void form_group_tokens(const form_group *g, nerve_doc *doc, token_forms *out);

#endif
