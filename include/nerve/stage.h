/* stage.h - the stage interface.
 *
 * A stage is a read-only object shared by every worker thread: process()
 * must be thread-safe and keep per-document state in the document (or in
 * thread-local scratch).  A stage adds to the document; it never rewrites
 * what earlier stages made (doc.h).
 */
#ifndef NERVE_STAGE_H
#define NERVE_STAGE_H

#include <glib.h>

#include "doc.h"

G_BEGIN_DECLS

typedef gboolean (*nerve_stage_fn)(const void *self, nerve_doc *doc, GError **error);

typedef struct nerve_stage nerve_stage;

/* Wraps self (freed with free_self, which may be NULL) as a stage named
 * name (copied).  Free with nerve_stage_free(). */
nerve_stage *nerve_stage_new(const char *name, nerve_stage_fn process, void *self,
                             GDestroyNotify free_self);
void nerve_stage_free(nerve_stage *stage);

const char *nerve_stage_name(const nerve_stage *stage);
/* The object given to nerve_stage_new(); borrowed. */
void *nerve_stage_self(const nerve_stage *stage);
/* Runs the stage on doc.  On failure the document is unusable and error
 * says why (NERVE_ERROR_INPUT or NERVE_ERROR_LIMIT). */
gboolean nerve_stage_process(const nerve_stage *stage, nerve_doc *doc, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_stage, nerve_stage_free)

G_END_DECLS

#endif
