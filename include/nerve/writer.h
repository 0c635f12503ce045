/* writer.h - output formats.
 *
 * A writer is a class (a table of functions) selected by name with --to.
 * Work is split the same way as reading: render() turns one finished
 * document into bytes and runs in the worker threads, write() takes the
 * rendered bytes in input order in the writer thread.  Writers convert the
 * byte offsets of the document into their own unit (offsets.h).
 *
 * Error records: the jsonl writer puts them inline, in input order; every
 * other writer gets them in errors.jsonl beside its output (inside the
 * output directory, or next to the output file).
 */
#ifndef NERVE_WRITER_H
#define NERVE_WRITER_H

#include <glib.h>

#include "doc.h"
#include "offsets.h"
#include "reader.h"

G_BEGIN_DECLS

typedef enum {
    NERVE_LABELS_NATIVE,
    NERVE_LABELS_CONLL, /* PER LOC ORG MISC; numeric and date types dropped */
} nerve_label_scheme;

typedef struct {
    const char *output;     /* -o: file, or directory for directory formats; NULL: stdout */
    nerve_unit unit;        /* --offsets (jsonl, tsv) */
    gboolean tokens;        /* --tokens */
    gboolean keep_overlaps; /* --overlaps keep */
    nerve_label_scheme labels;
    gboolean resume; /* directory outputs: skip documents already written */
} nerve_writer_options;

typedef struct {
    const char *name;
    gboolean to_directory; /* -o names a directory (and is required) */
    /* Opens the output; returns the writer's state, or NULL with error. */
    void *(*open)(const nerve_writer_options *opts, GError **error);
    /* Worker thread: appends doc, finished with nerve_doc_finish(), to out. */
    void (*render)(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                   GString *out);
    /* Writer thread, input order: writes what render() made. */
    gboolean (*write)(void *state, const nerve_doc *doc, const GString *rendered, GError **error);
    /* Writes what is written once at the end (configs, type systems),
     * flushes and frees the state, even when it fails. */
    gboolean (*close)(void *state, GError **error);
    /* --resume: TRUE when the output of the document with this id is
     * complete.  NULL for writers that cannot resume. */
    gboolean (*done)(const void *state, const char *id);
} nerve_writer_class;

typedef struct nerve_writer nerve_writer;

/* Opens a writer of the named format ("jsonl", "brat", ...).  opts is
 * copied.  NERVE_ERROR_USAGE for an unknown format, NERVE_ERROR_IO when
 * the output cannot be created. */
nerve_writer *nerve_writer_new(const char *format, const nerve_writer_options *opts,
                               GError **error);
/* Closes (see close()) and frees. */
gboolean nerve_writer_close(nerve_writer *writer, GError **error);

/* The names of all formats, NULL-terminated, for --help. */
const char *const *nerve_writer_formats(void);
const nerve_writer_options *nerve_writer_get_options(const nerve_writer *writer);

void nerve_writer_render(const nerve_writer *writer, const nerve_doc *doc, GString *out);
gboolean nerve_writer_write(nerve_writer *writer, const nerve_doc *doc, const GString *rendered,
                            GError **error);
gboolean nerve_writer_done(const nerve_writer *writer, const char *id);

/* Renders the error record of rec, failed with err:
 * {"id": …, "error": {"message": …, "source": FILE, "line": N}, "input": RAW}
 * followed by a newline. */
void nerve_writer_render_error(const nerve_record *rec, const char *id, const GError *err,
                               GString *out);
/* Writes a rendered error record, inline or to errors.jsonl. */
gboolean nerve_writer_write_error(nerve_writer *writer, const GString *rendered, GError **error);

/* --- helpers for writers ---------------------------------------------- */

/* Appends (s, len), valid UTF-8, as a JSON string with its quotes. */
void nerve_json_append_string(GString *out, const char *s, size_t len);
/* Appends v in decimal (faster than printf for the many offsets). */
void nerve_append_uint(GString *out, uint64_t v);
/* The label written for label under scheme, or NULL when the scheme drops
 * it (CARDINAL under conll). */
const char *nerve_label_map(nerve_label_scheme scheme, const char *label);
gboolean nerve_label_scheme_parse(const char *name, nerve_label_scheme *scheme);

/* The classes of the built-in writers, for the registry in writer.c. */
extern const nerve_writer_class nerve_jsonl_writer;
extern const nerve_writer_class nerve_brat_writer;
extern const nerve_writer_class nerve_conll_writer;
extern const nerve_writer_class nerve_labelstudio_writer;
extern const nerve_writer_class nerve_doccano_writer;
extern const nerve_writer_class nerve_prodigy_writer;
extern const nerve_writer_class nerve_tsv_writer;
extern const nerve_writer_class nerve_xmi_writer;
extern const nerve_writer_class nerve_gate_writer;
extern const nerve_writer_class nerve_webanno_writer;
extern const nerve_writer_class nerve_html_writer;

G_END_DECLS

#endif
