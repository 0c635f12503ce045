/* hide.h - the hide stage: a model's internal labels never reach the output.
 *
 * A model finds some spans only to help its rules: given names and person
 * titles in the default English model (GIVEN, TITLE).  They are entities
 * like any other while the gazetteer and the rules run, so that patterns
 * can test them (@GIVEN, ent=TITLE); the hide stage then flags every
 * entity with one of the model's internal labels NERVE_ENTITY_HIDDEN
 * (doc.h): rules of later stages still see it, overlap resolution ignores
 * it, the document-level aliases stage ignores it, and no writer writes it.
 *
 * model.json:  "hide": {"labels": ["GIVEN", "TITLE"]}
 * Place "hide" in "stages" after the last stage that makes such entities
 * (entities made after it are not flagged).
 */
#ifndef NERVE_HIDE_H
#define NERVE_HIDE_H

#include <glib.h>

#include "doc.h"
#include "model.h"
#include "stage.h"

G_BEGIN_DECLS

/* Flags every entity of doc whose label is one of labels (interned
 * strings, n of them) NERVE_ENTITY_HIDDEN; returns how many it flagged. */
guint nerve_hide_labels(nerve_doc *doc, const char *const *labels, guint n);

/* A stage hiding the NULL-terminated labels (copied). */
nerve_stage *nerve_hide_stage_new(const char *const *labels);

/* The stage factory: model.json's "hide" section; errors:
 * NERVE_ERROR_MODEL naming model.json. */
nerve_stage *nerve_hide_stage_from_model(const nerve_model *model, GError **error);

G_END_DECLS

#endif
