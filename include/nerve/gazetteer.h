/* gazetteer.h - the gazetteer stage: multi-token lookup of entity lists.
 *
 * Lists come from the model (model.json "gazetteer": an array of
 * {"path": "gazetteer/x.tsv", "name", "case", "label", "priority", "mode"},
 * paths relative to the model directory; a bare string is a path) and from
 * the command line (-g: nerve_model_options.gazetteers), as source lists
 * (gazlist.h) or compiled .gaz files (gazfile.h).  Source lists are
 * compiled on first use into a cache directory (nerve_model_options
 * cache_dir, else g_get_user_cache_dir()/nerve, else a directory under
 * g_get_tmp_dir() when that is not writable): the model's lists into one
 * .gaz, the -g source lists into another.  A cache file is rebuilt when a
 * source's path, size or modification time, a list option, or the
 * tokenizer and normalizer settings change.
 *
 * Matching: terms were split by the document tokenizer, and token keys are
 * compared (norm, lower or fold form by the list's case option), so
 * spacing and line breaks between tokens do not matter; matches stay
 * inside a sentence.  At each start token every list contributes its
 * longest entries (mode=longest, the default) or all its entries
 * (mode=all, flagged NERVE_ENTITY_NESTED, exempt from resolution); entries
 * of different lists are all added, then nerve_doc_resolve_entities()
 * picks the flat layer (priority, then length, then position, then
 * order).  Entities: label; source "gazetteer:<list name>"; entry, the term
 * as listed; attrs from the list; priority of the list; order, the entry's
 * place among all lists (model lists first, then -g in order, each in line
 * order); phase 0.
 *
 * A compiled .gaz keeps the token keys of the model it was compiled with
 * (nerve gazetteer compile --model): compile with the model you annotate
 * with.  Lists named by a model or given as source lists with -g always
 * are.
 */
#ifndef NERVE_GAZETTEER_H
#define NERVE_GAZETTEER_H

#include <glib.h>
#include <stdint.h>

#include "model.h"
#include "stage.h"

G_BEGIN_DECLS

/* The stage factory registered as "gazetteer" (model.h).  Loads or
 * compiles every list now; errors: NERVE_ERROR_MODEL naming the file (and
 * FILE:LINE:COL for list contents). */
nerve_stage *nerve_gazetteer_stage_factory(const nerve_model *model, GError **error);

/* Validates one list for nerve check: a source list is parsed and
 * compiled in memory with the model's tokenizer; a .gaz is checked fully
 * (checksum and every table entry).  Errors as above. */
gboolean nerve_gazetteer_check_file(const char *path, const nerve_model *model, GError **error);

/* A hash of everything in the model that decides how terms split into
 * tokens (normalizer and tokenizer settings, abbreviations, the code's
 * behaviour on a probe text); recorded in every .gaz. */
uint64_t nerve_gazetteer_settings_hash(const nerve_model *model);

G_END_DECLS

#endif
