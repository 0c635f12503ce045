/* formats.h - private: the per-format parts of the reader and writer. */
#ifndef NERVE_PRIVATE_FORMATS_H
#define NERVE_PRIVATE_FORMATS_H

#include <gio/gio.h>

#include "nerve/reader.h"
#include "nerve/writer.h"

/* jsonl.c: a JSONL record into a document (worker threads). */
nerve_doc *nerve_jsonl_parse(nerve_record *rec, const nerve_reader_options *opts, GError **error);
/* text.c: a text file into a document. */
nerve_doc *nerve_text_parse(nerve_record *rec, const nerve_reader_options *opts, GError **error);
/* The text of a record as a document: repairs or refuses invalid UTF-8,
 * applies the size limit.  text is copied. */
nerve_doc *nerve_make_doc(const char *id, const char *text, size_t len, json_t *meta,
                          const nerve_reader_options *opts, GError **error);

/* markup.c: XML and HTML readers, one document after another from a
 * stream.  open() returns the reader's state or NULL with error. */
gpointer nerve_markup_open(GInputStream *stream, const char *path, const char *id,
                           nerve_input_format format, const nerve_reader_options *opts,
                           GError **error);
gboolean nerve_markup_next(gpointer state, nerve_record *rec, GError **error);
void nerve_markup_close(gpointer state);

#endif
