/* normalize.h - the normalized view of a document.
 *
 * Builds the text that matching sees: Unicode NFC or NFKC, curly quotes and
 * primes as straight quotes, dashes as '-', no-break and other odd spaces
 * as ' ', soft hyphens and zero-width no-break marks removed, control
 * characters (NUL included) as ' ', HTML entities left in the text decoded.
 * The view carries an alignment back to the original (doc.h: nerve_edit).
 * Pure ASCII without '&' or control characters is already normal and costs
 * one scan, no copy.
 */
#ifndef NERVE_NORMALIZE_H
#define NERVE_NORMALIZE_H

#include <glib.h>

#include "doc.h"
#include "stage.h"

G_BEGIN_DECLS

typedef struct {
    gboolean nfkc;          /* NFKC instead of NFC */
    gboolean html_entities; /* decode &amp; &#39; ... left in text (default TRUE) */
} nerve_normalize_options;

/* Sets the normalized view of doc (nerve_doc_set_norm).  Never fails on
 * valid UTF-8. */
void nerve_normalize(const nerve_normalize_options *opts, nerve_doc *doc);

/* A stage running nerve_normalize() with a copy of opts. */
nerve_stage *nerve_normalize_stage_new(const nerve_normalize_options *opts);

G_END_DECLS

#endif
