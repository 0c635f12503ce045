/* rules.h - the rule language: token and entity patterns that add
 * entities and events (DESIGN.md → Rule language).
 *
 * A rule set is a list of phases, one per rule file, run in order.  Each
 * file is parsed, checked and compiled once (nerve_rules_add_file); the
 * compiled set is read-only and shared by every worker thread (regular
 * expressions are cloned per worker, scratch memory is pooled).
 *
 * Semantics, where DESIGN.md leaves room:
 * - word=V compares the token's norm form (case-sensitive); lower=V and
 *   "text" compare the lower form with V lower-cased; lemma=V compares the
 *   lemma (the lower form when no lexicon ran) with V lower-cased; shape=V
 *   compares the shape exactly.  /REGEX/ (ICU syntax; /REGEX/i ignores
 *   case) must match the whole form the key names; a bare "text" is never
 *   a regex.  Most patterns run on nerve's own DFA in linear time; the
 *   rest (backreferences, lookaround, ...) run on ICU with a time limit
 *   per token, and a token ICU gives up on does not match.
 * - is=title|upper|lower|digit|number|punct|alpha tests the token flags
 *   (doc.h); number is NERVE_TOKEN_NUMBER or NERVE_TOKEN_DIGIT; a list
 *   means any of them.  Beyond DESIGN.md's list: symbol, url, email,
 *   hashtag, mention, emoji, abbrev, initial, quote, space (whitespace
 *   separates the token from the one before: [!is=space] is glued to it,
 *   so "Smith-Jones" but not "Smith - a" once dashes are normalized) and
 *   newline (that whitespace holds a line break: the token begins a line
 *   of a table or scorecard, which a single line break does not make a
 *   sentence).
 * - ent=L: the token lies inside a visible entity labelled L; ent: inside
 *   any visible entity.  @L consumes one whole visible entity labelled L;
 *   @ any.  Visible: made by an earlier phase (gazetteer = phase 0) and
 *   not dropped by overlap resolution.
 * - "a b" (a phrase) is split by the model's tokenizer and matches that
 *   token sequence.  %NAME is a define's pattern as one group; as a
 *   constraint value (lower=%NAME) a define of quoted single words is the
 *   list of those words.
 * - A rule scans each sentence left to right; at each start the longest
 *   match wins (ties: greedy quantifiers take as much as they can, the
 *   left alternative before the right), then scanning goes on after it.
 *   Empty matches produce nothing.  A capture inside a repetition keeps
 *   its last iteration; a capture that did not take part is absent.
 * - An entity rule with `span C` makes no entity when C did not take part
 *   or is empty.  An event rule makes no event when trigger did not take
 *   part; every other capture that took part and is not empty is an
 *   argument, in pattern order.  The argument's role is the capture's name,
 *   less a final "_N" (an underscore and digits): (Entity_1: @GPE) "and"
 *   (Entity_2: @GPE) gives two arguments of role Entity.
 * - Within a phase, entities are resolved (nerve_doc_resolve_entities)
 *   after every rule ran, then events of the same type and trigger tokens
 *   are merged across all phases so far: more arguments, then higher
 *   priority, then earlier phase and rule wins; the others are marked
 *   NERVE_EVENT_DROPPED.
 *
 * Errors: NERVE_ERROR_MODEL, one line per error, "FILE:LINE:COL: message"
 * (LINE and COL 1-based, COL in characters); all errors of a file are
 * reported (up to NERVE_RULES_MAX_ERRORS), and a file with errors adds no
 * phase.
 */
#ifndef NERVE_RULES_H
#define NERVE_RULES_H

#include <glib.h>

#include "doc.h"
#include "model.h"
#include "normalize.h"
#include "stage.h"
#include "tokenize.h"

G_BEGIN_DECLS

/* Limits, reported by name when hit. */
#define NERVE_RULES_MAX_ERRORS  50     /* errors reported per file */
#define NERVE_RULES_MAX_DEPTH   200    /* max-pattern-depth: nesting of groups and defines */
#define NERVE_RULES_MAX_REPEAT  1000   /* max-repeat: m and n of {m,n} */
#define NERVE_RULES_MAX_PROGRAM 100000 /* max-pattern-size: compiled steps per rule */

typedef struct nerve_rules nerve_rules;

/* An empty rule set.  tk and norm split phrases ("prime minister") the way
 * documents are split; both may be NULL (a default English tokenizer and
 * NFC); they must outlive the calls to nerve_rules_add_*.  Free with
 * nerve_rules_free(). */
nerve_rules *nerve_rules_new(const nerve_tokenizer *tk, const nerve_normalize_options *norm);
void nerve_rules_free(nerve_rules *rs);

/* Sets the phase number the next added file gets (default 1: phase 0 is
 * the gazetteer); later files count on from it. */
void nerve_rules_set_next_phase(nerve_rules *rs, guint phase);

/* Parses and compiles a rule file as the next phase; errors name the file
 * as path.  On error nothing is added and error holds every
 * "FILE:LINE:COL: message" line.  _add_string does the same for text
 * (len -1: NUL-terminated), naming it name in errors and sources. */
gboolean nerve_rules_add_file(nerve_rules *rs, const char *path, GError **error);
gboolean nerve_rules_add_string(nerve_rules *rs, const char *name, const char *text, gssize len,
                                GError **error);

guint nerve_rules_n_phases(const nerve_rules *rs);
/* Number of rules in all phases. */
guint nerve_rules_n_rules(const nerve_rules *rs);

/* Runs every phase on doc (tokens and sentences must be there; lemma and
 * shape tests need the lexicon stage).  Thread-safe. */
gboolean nerve_rules_apply(const nerve_rules *rs, nerve_doc *doc, GError **error);

/* Appends to out a report of the matcher's work per rule over the
 * documents applied so far (by every thread): per phase its top rules
 * (FILE:LINE NAME) by work, with the starts tested, tries, tokens walked,
 * token tests, threads and matches that make it up, then the top rules of
 * all phases.  The counts are only kept by a build of the rule engine
 * with NERVE_RULES_PROFILE defined (tests/bench's bench-rules); any
 * other build appends nothing and returns FALSE. */
gboolean nerve_rules_write_profile(const nerve_rules *rs, guint top, GString *out);

/* Appends to out (strings, freed by the caller's array: create it with
 * g_free as its free function) the notes on the rule files added: what
 * is no error but cannot work as written or costs time in proportion to
 * the text, one line each, "FILE:LINE:COL: note: ..." or "FILE:LINE:
 * note: ...":
 * - a word=, lower= or lemma= value that the tokenizer splits into
 *   several tokens ("re-elected", "km/h"): a test looks at one token, so
 *   the value never matches (a phrase "re-elected" outside [ ] does);
 * - a rule that the matcher must try at every token of every sentence:
 *   no word, lemma, shape or entity of its first steps is indexed, their
 *   first bytes and token classes rule out no token (a first step that is
 *   a regular expression, a negation or []), and it needs no word or
 *   entity that a sentence must have for it to match.
 * Returns how many were appended. */
guint nerve_rules_notes(const nerve_rules *rs, GPtrArray *out);

/* The rule set of a stage made by nerve_rules_stage_new() or the two
 * factories below ("rules", "event_rules"), borrowed from the stage; NULL
 * for any other stage. */
const nerve_rules *nerve_rules_of_stage(const nerve_stage *stage);

/* A stage running nerve_rules_apply(); it takes ownership of rs. */
nerve_stage *nerve_rules_stage_new(nerve_rules *rs);

/* The stage factory: the model's "rules" section (an array of rule files,
 * relative to the model directory), then the -r files of the model's
 * options, each a phase.  When model.json's "stages" also names
 * "event_rules", the -r files go to that stage instead. */
nerve_stage *nerve_rules_stage_from_model(const nerve_model *model, GError **error);

/* The "event_rules" stage factory: a second rules stage for the model's
 * "event_rules" section (rule files as for "rules"), then the -r files.
 * It exists so that document-level stages (the aliases stage, aliases.h)
 * can run between the entity rules and the rules that use their entities;
 * its phases are numbered after the rules stage's phases and one phase for
 * the stages in between. */
nerve_stage *nerve_event_rules_stage_from_model(const nerve_model *model, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_rules, nerve_rules_free)

G_END_DECLS

#endif
