/* reader.h - reading input records from files, directories and stdin.
 *
 * The reader runs in one thread and does only what must be sequential:
 * opening inputs (directories recursively, in sorted order; .gz through
 * GIO's zlib converter), choosing the format (--from, else by extension),
 * and cutting the stream into records with their source and line.  Turning
 * a record into a document (JSON parsing, UTF-8 repair) is done by
 * nerve_record_parse() in the worker threads.
 */
#ifndef NERVE_READER_H
#define NERVE_READER_H

#include <glib.h>

#include "doc.h"

G_BEGIN_DECLS

typedef enum {
    NERVE_FORMAT_AUTO = 0, /* by extension; stdin: jsonl */
    NERVE_FORMAT_JSONL,
    NERVE_FORMAT_TEXT,
    NERVE_FORMAT_XML,
    NERVE_FORMAT_HTML,
} nerve_input_format;

typedef struct {
    nerve_input_format format;
    const char *xml_preset; /* "nitf", "tei", "trec" or NULL (--from xml:PRESET) */
    const char *text_field; /* jsonl: default "text" */
    const char *id_field;   /* jsonl: default "id" */
    gboolean strict;        /* invalid UTF-8 is an error, not repaired */
    gsize max_doc_bytes;    /* 0: no limit */
    guint max_json_depth;   /* jsonl: deepest nesting accepted (0: 512) */
    /* xml (--xpath-*): NULL for the defaults */
    const char *xpath_doc, *xpath_text, *xpath_id;
    const char *const *xpath_meta; /* "NAME=XPATH", NULL-terminated */
} nerve_reader_options;

/* One input record.  Fields are owned by the record (free with
 * nerve_record_clear()). */
typedef struct {
    char *data; /* the raw record: a JSONL line (no newline), a text file */
    gsize len;
    const char *source;    /* interned input path, "-" for stdin */
    const char *source_id; /* interned path relative to its input root ("stdin" for
                            * stdin): default ids are "<source_id>:<line>" */
    guint64 line;          /* 1-based line where the record starts (0 if not line-based) */
    guint64 number;        /* 1-based record number over the whole run */
    char *id;              /* an id the reader knows (text files: relative path), or NULL */
    nerve_input_format format;
    nerve_doc *doc; /* readers that parse themselves (xml, html) put the document here */
    GError *error;  /* ... or the reason the record is bad */
} nerve_record;

void nerve_record_clear(nerve_record *rec);

typedef struct nerve_reader nerve_reader;

/* A reader over inputs (paths, directories or "-"; NULL or empty means
 * stdin).  opts is copied (strings too).  Fails when an input does not
 * exist (NERVE_ERROR_IO). */
nerve_reader *nerve_reader_new(const char *const *inputs, const nerve_reader_options *opts,
                               GError **error);
void nerve_reader_free(nerve_reader *reader);

/* Fills rec with the next record; returns FALSE at the end of all inputs
 * or on a fatal read error (then *error is set).  rec must be cleared. */
gboolean nerve_reader_next(nerve_reader *reader, nerve_record *rec, GError **error);

/* The reader's options (with defaults filled in), for nerve_record_parse. */
const nerve_reader_options *nerve_reader_get_options(const nerve_reader *reader);

/* Bytes of input consumed so far, and the total when it is known (plain
 * files; 0 otherwise), for progress reports. */
guint64 nerve_reader_bytes_read(const nerve_reader *reader);
guint64 nerve_reader_bytes_total(const nerve_reader *reader);

/* Makes the document of a record (thread-safe): parses JSON, picks id and
 * text, moves other fields to meta, repairs or refuses invalid UTF-8,
 * applies max_doc_bytes.  On failure returns NULL with NERVE_ERROR_INPUT or
 * NERVE_ERROR_LIMIT; the message does not repeat the source and line. */
nerve_doc *nerve_record_parse(nerve_record *rec, const nerve_reader_options *opts, GError **error);

/* Parses a --from value ("jsonl", "text", "xml", "xml:nitf", "html"). */
gboolean nerve_input_format_parse(const char *name, nerve_input_format *format,
                                  const char **preset);

G_END_DECLS

#endif
