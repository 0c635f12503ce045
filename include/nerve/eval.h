/* eval.h - scoring predicted annotations against gold (nerve eval).
 *
 * Documents are paired by id.  When one side has no ids of its own
 * (conll: synthetic text), documents are paired by position and the conll
 * side is aligned onto the other side's text (nerve_gold_doc_align), so a
 * CoNLL file scores against JSONL, brat or XMI exactly.  A document
 * present on one side only is counted, not skipped: its annotations are
 * all false negatives (missing in pred) or false positives (missing in
 * gold), and its id is listed.
 *
 * Scores, each with tp, fp, fn and precision, recall, F1 as fractions:
 * - entities: exact span and label, per label, micro (pooled counts) and
 *   macro (the mean of the per-label precision, recall and F1 over every
 *   label seen on either side); boundary: exact span, any label;
 * - events: trigger = type + trigger span; argument = type + trigger span
 *   + role + argument span.
 * Annotations are sets per document: the same span and label twice count
 * once.  A ratio whose denominator is 0 is 0, except that a score with no
 * annotation on either side (tp = fp = fn = 0) is 1: nothing was to be
 * found and nothing was found.
 */
#ifndef NERVE_EVAL_H
#define NERVE_EVAL_H

#include <glib.h>
#include <jansson.h>

#include "gold.h"
#include "writer.h"

G_BEGIN_DECLS

typedef struct {
    guint64 tp, fp, fn;
    double precision, recall, f1;
} nerve_score;

typedef struct nerve_eval nerve_eval;

/* scheme maps the labels of both sides (nerve_label_map) before scoring;
 * entities it drops are not scored. */
nerve_eval *nerve_eval_new(nerve_label_scheme scheme);
void nerve_eval_free(nerve_eval *ev);

/* Pairs and scores every document of gold and pred (arrays of
 * nerve_gold_doc, which may be modified: conll documents are aligned). */
void nerve_eval_run(nerve_eval *ev, GPtrArray *gold, GPtrArray *pred);
/* Scores one pair; gold or pred may be NULL (missing on that side). */
void nerve_eval_add(nerve_eval *ev, const nerve_gold_doc *gold, const nerve_gold_doc *pred);

nerve_score nerve_eval_micro(const nerve_eval *ev);
nerve_score nerve_eval_macro(const nerve_eval *ev); /* tp, fp, fn: the micro counts */
nerve_score nerve_eval_boundary(const nerve_eval *ev);
nerve_score nerve_eval_trigger(const nerve_eval *ev);
nerve_score nerve_eval_argument(const nerve_eval *ev);
/* The labels seen, sorted (borrowed, interned), and the score of one. */
const char *const *nerve_eval_labels(const nerve_eval *ev, guint *n);
nerve_score nerve_eval_label(const nerve_eval *ev, const char *label);
/* Notes for the user (documents that could not be aligned...), borrowed. */
const GPtrArray *nerve_eval_warnings(const nerve_eval *ev);

/* {"entities": {"micro", "macro", "boundary", "per_label": {L: ...}},
 *  "events": {"trigger", "argument"},
 *  "documents": {"gold", "pred", "paired", "missing_in_pred": [...],
 *                "missing_in_gold": [...]}}
 * each score {"precision", "recall", "f1", "tp", "fp", "fn"}.  New
 * reference. */
json_t *nerve_eval_to_json(const nerve_eval *ev);
/* A table for people, appended to out. */
void nerve_eval_table(const nerve_eval *ev, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_eval, nerve_eval_free)

G_END_DECLS

#endif
