/* gazcompile.h - building compiled gazetteers (.gaz) from list entries.
 *
 * A builder collects lists and their entries (from the parsers in
 * gazlist.h), splits every term into tokens exactly as documents are split
 * (the model's normalizer and tokenizer), and writes the .gaz format
 * (stages/gazformat.h): token vocabulary, token trie and entry table per
 * case mode, plus strings.  Terms are tokenized once, at compile time;
 * matching compares token keys only.
 */
#ifndef NERVE_GAZCOMPILE_H
#define NERVE_GAZCOMPILE_H

#include <glib.h>
#include <stdint.h>

#include "normalize.h"
#include "tokenize.h"

G_BEGIN_DECLS

/* How a list compares tokens. */
typedef enum {
    NERVE_GAZ_SENSITIVE = 0,   /* the token's norm form (default) */
    NERVE_GAZ_INSENSITIVE = 1, /* its lower form */
    NERVE_GAZ_FOLD = 2,        /* its fold key (fold.h): case and accents ignored */
} nerve_gaz_case;

typedef enum {
    NERVE_GAZ_LONGEST = 0, /* at each start, only the longest entries of the list */
    NERVE_GAZ_ALL = 1,     /* every match, nested and overlapping (NERVE_ENTITY_NESTED) */
} nerve_gaz_mode;

/* Which fields of nerve_gaz_options were given. */
enum {
    NERVE_GAZ_OPT_NAME = 1 << 0,
    NERVE_GAZ_OPT_LABEL = 1 << 1,
    NERVE_GAZ_OPT_CASE = 1 << 2,
    NERVE_GAZ_OPT_PRIORITY = 1 << 3,
    NERVE_GAZ_OPT_MODE = 1 << 4,
    NERVE_GAZ_OPT_CAPS = 1 << 5,
};

/* A list's options: "#!key=value" lines of the file, overridden by the
 * model's settings for the file (set, merged and cleared by the functions
 * in gazlist.h).  Strings owned. */
typedef struct {
    guint set; /* NERVE_GAZ_OPT_* */
    char *name;
    char *label; /* default label for entries that have none */
    nerve_gaz_case case_mode;
    nerve_gaz_mode mode;
    int priority;
    gboolean caps; /* also the all-capitals spelling of terms of 4+ letters (JAPAN) */
} nerve_gaz_options;

/* One token of an EntityRuler token pattern. */
typedef struct {
    const char *text; /* NUL-terminated */
    gboolean exact;   /* ORTH / TEXT (else LOWER) */
} nerve_gaz_pattern_token;

#define NERVE_GAZ_MAX_TOKENS 128 /* tokens in one entry (a named limit) */

typedef struct nerve_gaz_builder nerve_gaz_builder;

/* A builder splitting terms with tk and no (both must outlive it).  Free
 * with nerve_gaz_builder_free(). */
nerve_gaz_builder *nerve_gaz_builder_new(const nerve_tokenizer *tk,
                                         const nerve_normalize_options *no);
void nerve_gaz_builder_free(nerve_gaz_builder *b);

/* Starts a list; the entries added next belong to it.  source is the index
 * of the compiler input (command-line list, model list) it comes from.
 * name and opts are copied.  FALSE (and *why) when there are too many
 * lists. */
gboolean nerve_gaz_builder_begin_list(nerve_gaz_builder *b, const char *name,
                                      const nerve_gaz_options *opts, guint source,
                                      const char **why);
/* Adds a term (valid UTF-8, (term, len)) with a label and packed attrs
 * ("k\0v\0...\0", attrs_len bytes including the final NUL; NULL for none)
 * to the current list.  FALSE and *why (static) when the term has no
 * token or more than NERVE_GAZ_MAX_TOKENS. */
gboolean nerve_gaz_builder_add_term(nerve_gaz_builder *b, const char *term, size_t len,
                                    const char *label, const char *attrs, size_t attrs_len,
                                    const char **why);
/* Adds a token pattern: each pattern token's text is split like a term
 * (normally into one token); exact tokens must match the norm form, the
 * others the list's case-insensitive form. */
gboolean nerve_gaz_builder_add_pattern(nerve_gaz_builder *b, const nerve_gaz_pattern_token *toks,
                                       guint n, const char *label, const char *attrs,
                                       size_t attrs_len, const char **why);
/* Mixes bytes into the source hash recorded in the .gaz. */
void nerve_gaz_builder_hash(nerve_gaz_builder *b, const void *data, size_t len);

guint nerve_gaz_builder_n_entries(const nerve_gaz_builder *b);
guint nerve_gaz_builder_n_lists(const nerve_gaz_builder *b);
/* Entries the last write left out: the same tokens, list and label as an
 * earlier entry (only attrs differ); the first listed one is kept. */
guint nerve_gaz_builder_n_duplicates(const nerve_gaz_builder *b);

/* Writes the .gaz to path through a temporary file in the same directory
 * and a rename, so no reader ever sees half a file.  settings_hash and
 * cache_key are recorded in the header (gazfile.h).  Errors:
 * NERVE_ERROR_IO naming the file, NERVE_ERROR_MODEL when over a format
 * limit. */
gboolean nerve_gaz_builder_write(nerve_gaz_builder *b, const char *path, uint64_t settings_hash,
                                 uint64_t cache_key, GError **error);
/* The same .gaz in memory (8-byte aligned data); unref the GBytes. */
GBytes *nerve_gaz_builder_to_bytes(nerve_gaz_builder *b, uint64_t settings_hash, uint64_t cache_key,
                                   GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_gaz_builder, nerve_gaz_builder_free)

G_END_DECLS

#endif
