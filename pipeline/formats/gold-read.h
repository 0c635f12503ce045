/* gold-read.h - private: the per-format parts of the gold readers
 * (gold.c dispatches, gold-brat.c and gold-xmi.c read). */
#ifndef NERVE_PRIVATE_GOLD_READ_H
#define NERVE_PRIVATE_GOLD_READ_H

#include "nerve/gold.h"

/* Appends the document of one brat .ann file (its .txt beside it); id
 * names it. */
gboolean nerve_gold_read_brat(const char *ann_path, const char *id, GPtrArray *docs,
                              GError **error);
/* Appends the document of one .xmi file; fallback_id is used when it has
 * no DocumentMetaData documentId. */
gboolean nerve_gold_read_xmi(const char *path, const char *fallback_id, GPtrArray *docs,
                             GError **error);
/* Adds an event with n_args zeroed arguments (fill doc->args from
 * ev->arg_first); returns its index. */
guint nerve_gold_doc_add_event(nerve_gold_doc *doc, const char *type, uint32_t start, uint32_t end,
                               guint n_args);
/* Converts [s, e) in unit (offsets.h) to bytes; FALSE when out of range
 * or inside a character. */
gboolean nerve_gold_span(const void *offsets_map, int unit, size_t s, size_t e, uint32_t *bs,
                         uint32_t *be);

#endif
