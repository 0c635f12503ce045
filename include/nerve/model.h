/* model.h - a model directory and the chain of stages built from it.
 *
 * A model is a directory holding model.json (name, version, language, the
 * list of stages in order and each stage's settings) and the data files it
 * names by paths relative to itself.  nerve_model_load() reads it and builds
 * every stage once; the model is then read-only and shared by all worker
 * threads.  Stages are made by factories registered by name in model.c.
 *
 * model.json:
 *   {"name": "en", "version": "...", "language": "en",
 *    "stages": ["normalize", "tokenize", "sentences", ...],
 *    "normalize": {"form": "NFC" | "NFKC", "html_entities": true},
 *    "tokenize": {"abbreviations": "abbreviations.txt", "clitics": ["'s", ...]},
 *    "sentences": {"starters": ["The", ...]},          (optional)
 *    ... one object per further stage, read by its factory}
 */
#ifndef NERVE_MODEL_H
#define NERVE_MODEL_H

#include <glib.h>
#include <jansson.h>

#include "doc.h"
#include "normalize.h"
#include "stage.h"
#include "tokenize.h"

G_BEGIN_DECLS

/* What the command line adds to a model. */
typedef struct {
    const char *const *gazetteers; /* -g: extra lists or .gaz files; NULL-terminated or NULL */
    const char *const *rules;      /* -r: extra rule files, run after the model's */
    const char *cache_dir;         /* compiled-list cache; NULL for the default */
    guint max_token_bytes;         /* longer tokens are split (0: 65536) */
    guint max_sentence_tokens;     /* longer sentences are split (0: 1000) */
} nerve_model_options;

typedef struct nerve_model nerve_model;

/* Loads the model in dir and builds its stages; opts (may be NULL) is
 * copied.  Errors: NERVE_ERROR_MODEL naming the file (and line and column
 * for data files).  Free with nerve_model_free(). */
nerve_model *nerve_model_load(const char *dir, const nerve_model_options *opts, GError **error);
void nerve_model_free(nerve_model *model);

/* The default model directory: $NERVE_MODEL if set, else models/en beside
 * the running binary (build/nerve in the source tree), else the installed
 * one (PREFIX/share/nerve/models/en).  Newly allocated; g_free(). */
char *nerve_model_default_dir(void);

const char *nerve_model_dir(const nerve_model *model);
const char *nerve_model_name(const nerve_model *model);
const char *nerve_model_version(const nerve_model *model);
const char *nerve_model_language(const nerve_model *model);
const nerve_model_options *nerve_model_get_options(const nerve_model *model);

/* The value of key in model.json, borrowed, or NULL. */
json_t *nerve_model_section(const nerve_model *model, const char *key);
/* A path in the model directory (absolute paths are kept); g_free(). */
char *nerve_model_path(const nerve_model *model, const char *rel);

/* The model's tokenizer and normalization settings, for stages and tools
 * that must split text exactly as documents are split (gazetteer terms). */
const nerve_tokenizer *nerve_model_tokenizer(const nerve_model *model);
const nerve_normalize_options *nerve_model_normalize_options(const nerve_model *model);

guint nerve_model_n_stages(const nerve_model *model);
const nerve_stage *nerve_model_stage(const nerve_model *model, guint i);
/* The first stage of that name, or NULL. */
const nerve_stage *nerve_model_find_stage(const nerve_model *model, const char *name);

/* Runs every stage on doc.  Thread-safe.  When timing is on, the time of
 * each stage is added to its counter. */
gboolean nerve_model_annotate(const nerve_model *model, nerve_doc *doc, GError **error);
void nerve_model_set_timing(nerve_model *model, gboolean on);
/* Nanoseconds spent in stage i so far (all threads). */
guint64 nerve_model_stage_ns(const nerve_model *model, guint i);

/* A stage factory: builds a stage from the model (its section in
 * model.json, its options).  Used by model.c's registry. */
typedef nerve_stage *(*nerve_stage_factory)(const nerve_model *model, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_model, nerve_model_free)

G_END_DECLS

#endif
