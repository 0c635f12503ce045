/* gazlist.h - reading gazetteer source lists into a builder.
 *
 * Formats (the kind is chosen by extension, else by the first bytes):
 * - TSV (.tsv, .txt, anything else): "term<TAB>LABEL[<TAB>key=value...]".
 *   Lines starting with '#' are comments ("\#" at the start of a line
 *   escapes a term that begins with '#'); "#!key=value ..." lines before
 *   the first entry set list options (nerve_gaz_options_set).  Without a
 *   LABEL column (or when the second column is a key=value) the list's
 *   label= option gives the label.
 * - GATE lists.def (.def): "file.lst:majorType[:minorType[:language[:annotType]]]"
 *   per line, .lst paths relative to the .def; each .lst is one list
 *   named after its file.  .lst lines are "term[&feature=value...]" (or
 *   TAB-separated features); '&' inside a term (AT&T, Procter & Gamble)
 *   stays in the term unless everything after it is feature=value pairs.
 *   "#!" option lines are allowed at the top of a .lst.  The label is
 *   annotType when given (and not GATE's default "Lookup"), else the
 *   majorType mapped to an OntoNotes label (organization -> ORG, person ->
 *   PERSON, location -> GPE for city/country/province/region/state minor
 *   types, else LOC, facility -> FAC, date -> DATE, ...), else the
 *   majorType upper-cased.  majorType, minorType, language and the
 *   features become attrs.  A .lst read alone needs a label= option.
 * - spaCy EntityRuler / Prodigy patterns (.jsonl, .json, .ndjson): one
 *   object per line, {"label": L, "pattern": P, "id": I} ("id" optional,
 *   it becomes attrs id); P is a phrase string, or a list of token dicts
 *   with one key each, LOWER, ORTH or TEXT (any letter case), with a
 *   string value.  Anything else is an error.
 * - compiled .gaz files are not source lists (gazfile.h).
 *
 * Errors are NERVE_ERROR_MODEL "FILE:LINE:COL: message" (columns count
 * characters, from 1).  A list's options are its "#!" lines overridden by
 * over (the model's settings); its name is the name option or the file's
 * basename without extension.
 */
#ifndef NERVE_GAZLIST_H
#define NERVE_GAZLIST_H

#include <glib.h>

#include "gazcompile.h"

G_BEGIN_DECLS

/* Sets one option from its text form (keys name, label, case, priority,
 * mode).  On a bad key or value returns FALSE and *why (static) says why. */
gboolean nerve_gaz_options_set(nerve_gaz_options *o, const char *key, const char *value,
                               const char **why);
/* Copies into dst the options set in src. */
void nerve_gaz_options_merge(nerve_gaz_options *dst, const nerve_gaz_options *src);
void nerve_gaz_options_clear(nerve_gaz_options *o);

typedef enum {
    NERVE_GAZLIST_TSV,
    NERVE_GAZLIST_GATE_DEF,
    NERVE_GAZLIST_GATE_LST,
    NERVE_GAZLIST_RULER,
    NERVE_GAZLIST_COMPILED,
} nerve_gazlist_kind;

/* The kind of path, by extension; for other extensions by its first bytes
 * (a missing file is TSV: reading it will say what is wrong). */
nerve_gazlist_kind nerve_gazlist_kind_of(const char *path);

/* Reads a file for the GATE parser: *data newly allocated (g_free). */
typedef gboolean (*nerve_gazlist_reader)(const char *path, char **data, size_t *len, gpointer user,
                                         GError **error);

/* The parsers, on (data, len) read from path (used in messages).  source
 * is recorded with each list (nerve_gaz_builder_begin_list).  over may be
 * NULL. */
gboolean nerve_gazlist_parse_tsv(nerve_gaz_builder *b, const char *path, const char *data,
                                 size_t len, const nerve_gaz_options *over, guint source,
                                 GError **error);
/* major == NULL: a .lst read alone. */
gboolean nerve_gazlist_parse_lst(nerve_gaz_builder *b, const char *path, const char *data,
                                 size_t len, const char *const major_minor_lang_type[4],
                                 const nerve_gaz_options *over, guint source, GError **error);
/* read == NULL reads from disk. */
gboolean nerve_gazlist_parse_def(nerve_gaz_builder *b, const char *path, const char *data,
                                 size_t len, const nerve_gaz_options *over, guint source,
                                 nerve_gazlist_reader read, gpointer user, GError **error);
gboolean nerve_gazlist_parse_ruler(nerve_gaz_builder *b, const char *path, const char *data,
                                   size_t len, const nerve_gaz_options *over, guint source,
                                   GError **error);

/* Reads the source list at path, whatever its kind (not COMPILED), into b;
 * its bytes go into the builder's source hash. */
gboolean nerve_gazlist_load(nerve_gaz_builder *b, const char *path, const nerve_gaz_options *over,
                            guint source, GError **error);

/* Appends to files (of g_free()d paths) path itself and the files it
 * reads (a lists.def's .lst files). */
gboolean nerve_gazlist_dependencies(const char *path, GPtrArray *files, GError **error);

/* The label GATE's majorType/minorType stand for (gazlist.h above);
 * newly allocated. */
char *nerve_gazlist_gate_label(const char *major, const char *minor);

G_END_DECLS

#endif
