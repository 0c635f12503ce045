/* out.h - private: what the output writers share.
 *
 * - nerve_outfile: the output of one-file formats (-o FILE or stdout).
 * - nerve_outdir: the output directory of directory formats (brat, xmi,
 *   webanno, gate): safe file names for document ids, the id -> file map
 *   (ids.tsv), and atomic writes (a temporary file renamed into place).
 * - small helpers: which entities a writer writes, colours per label,
 *   text made safe for XML.
 *
 * Every function here runs in the writer thread unless it says "pure"
 * (then it is thread-safe and may run in render()).
 */
#ifndef NERVE_PRIVATE_OUT_H
#define NERVE_PRIVATE_OUT_H

#include <stdio.h>

#include "nerve/writer.h"

/* --- one file --------------------------------------------------------------- */

typedef struct {
    FILE *f;
    gboolean own;
} nerve_outfile;

/* Opens path for writing ("-" or NULL: stdout).  NERVE_ERROR_IO on failure. */
gboolean nerve_outfile_open(nerve_outfile *o, const char *path, GError **error);
gboolean nerve_outfile_write(nerve_outfile *o, const char *s, size_t len, GError **error);
/* Flushes, closes a file it opened; reports a write error that happened
 * earlier and went unnoticed. */
gboolean nerve_outfile_close(nerve_outfile *o, GError **error);
/* The path of a file named name beside output (in the current directory
 * when output is stdout).  Free with g_free(). */
char *nerve_outfile_sibling(const char *output, const char *name);

/* Writer class members for formats that append every rendered document to
 * one file (the state is a nerve_outfile). */
void *nerve_outfile_writer_open(const nerve_writer_options *opts, GError **error);
gboolean nerve_outfile_writer_write(void *state, const nerve_doc *doc, const GString *rendered,
                                    GError **error);
gboolean nerve_outfile_writer_close(void *state, GError **error);

/* --- a directory of documents ---------------------------------------------------- */

typedef struct nerve_outdir nerve_outdir;

/* Creates dir (and parents).  resume: keeps ids.tsv and the names it
 * records, so new documents never take a name already used; otherwise
 * ids.tsv starts anew. */
nerve_outdir *nerve_outdir_open(const char *dir, gboolean resume, GError **error);
/* Closes ids.tsv and frees; FALSE when a write failed. */
gboolean nerve_outdir_close(nerve_outdir *d, GError **error);
const char *nerve_outdir_path(const nerve_outdir *d);

/* Pure: the file name (without extension) a document id gets when no
 * other document took it: the id itself when it is made of letters,
 * digits, '-', '_' and '.' (not leading) and at most 100 bytes; otherwise
 * the id with every other character replaced by '_', cut to 100 bytes,
 * plus '-' and 8 hex digits of the id's hash, so that distinct ids stay
 * distinct.  Free with g_free(). */
char *nerve_outdir_safe_name(const char *id);
/* The name of the next document with this id, unique in the directory:
 * the safe name, or it with "~2", "~3"... when an earlier document (in
 * input order) took it.  Owned by d. */
const char *nerve_outdir_claim(nerve_outdir *d, const char *id);
/* Writes NAME.EXT (ext may be "") through a temporary file renamed into
 * place. */
gboolean nerve_outdir_put(nerve_outdir *d, const char *name, const char *ext, const char *data,
                          size_t len, GError **error);
/* Appends "id<TAB>name" to ids.tsv (after the document's files are in
 * place). */
gboolean nerve_outdir_record(nerve_outdir *d, const char *id, const char *name, GError **error);
/* Thread-safe (--resume, worker threads): TRUE when the files NAME.EXT
 * exist for every ext (NULL-terminated), for every name ids.tsv recorded
 * for id (an id seen twice has two), or else for the safe name of id.
 * Documents are skipped by id: when one of two documents with the same
 * id is missing, both are written again, under their recorded names. */
gboolean nerve_outdir_has(const nerve_outdir *d, const char *id, const char *const *exts);

/* --- helpers ------------------------------------------------------------------------- */

/* Pure: the label written for e, or NULL when e is not written (no id from
 * nerve_doc_finish(), or dropped by the label scheme). */
const char *nerve_out_label(const nerve_writer_options *opts, const nerve_entity *e);
/* Pure: the entity an argument refers to when that entity is written, else
 * NULL (the argument is then written as a span). */
const nerve_entity *nerve_out_arg_entity(const nerve_doc *doc, const nerve_writer_options *opts,
                                         const nerve_arg *a);
/* Pure: the token range [*ts, *te) of e: its own when set, else the tokens
 * its byte span overlaps.  FALSE when it covers no token. */
gboolean nerve_out_entity_tokens(const nerve_doc *doc, const nerve_entity *e, uint32_t *ts,
                                 uint32_t *te);
/* Pure: appends the document's meta fields (no braces, each preceded by a
 * comma) to out; nothing when there are none. */
void nerve_out_meta_fields(const nerve_doc *doc, GString *out);
/* Pure: appends (s, len) to out with tab, LF, CR and backslash written as
 * \t \n \r \\ (one-line TSV fields). */
void nerve_out_tsv_field(GString *out, const char *s, size_t len);
/* Pure: a colour for a label, "#rrggbb", the same for the same label in
 * every run: a fixed one for the usual OntoNotes and CoNLL labels (as
 * displaCy shows them), else a light hue from the label's hash. */
void nerve_out_colour(const char *label, char out[8]);
/* Pure: appends (s, len) with every character XML 1.0 cannot hold (C0
 * controls but tab, CR, LF; U+FFFE, U+FFFF) replaced by U+FFFD, which has
 * the same length in UTF-16 units.  Returns the number replaced. */
size_t nerve_out_xml_text(GString *out, const char *s, size_t len);
/* Pure: appends s (NUL-terminated) with whitespace and the characters in
 * bad replaced by '_', for names in line formats (brat types). */
void nerve_out_name(GString *out, const char *s, const char *bad);
/* Pure: the first value of key in packed attrs, or NULL. */
const char *nerve_out_attr(const char *attrs, const char *key);

#endif
