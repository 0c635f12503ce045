/* gold.h - reading annotated documents back, for scoring (nerve eval).
 *
 * A gold document is what every format can say about a document: its id,
 * its text, entities (span + label) and events (type, trigger span,
 * arguments as role + span).  Whatever the format's unit, spans here are
 * BYTE offsets into the document's text, half-open, like everywhere in
 * nerve.  Labels, types and roles are g_intern_string()ed.
 *
 * Formats read: jsonl (nerve's own output, any --offsets unit; every
 * entity listed is read, "dropped" ones of --overlaps keep too), brat (a
 * directory of .ann + .txt, or one .ann; ids from ids.tsv when present;
 * T lines that are event triggers, or event arguments typed by their own
 * role, are not entities), conll (IOB2, also IOB1 and BIOES; no text
 * and no ids: the text is rebuilt from the tokens, joined by spaces and
 * sentences by newlines, and documents are numbered "1", "2"...; see
 * nerve_gold_doc_align()) and xmi (UIMA CAS XMI as nerve writes it:
 * DKPro NamedEntity, webanno.custom.Event with its argument links).
 */
#ifndef NERVE_GOLD_H
#define NERVE_GOLD_H

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct {
    uint32_t start, end; /* bytes */
    const char *label;   /* interned */
} nerve_gold_entity;

typedef struct {
    const char *role;    /* interned */
    uint32_t start, end; /* bytes */
} nerve_gold_arg;

typedef struct {
    const char *type;        /* interned */
    uint32_t start, end;     /* the trigger, bytes */
    guint arg_first, n_args; /* range in args */
} nerve_gold_event;

typedef struct {
    char *id;
    char *text; /* NUL-terminated, valid UTF-8 */
    size_t len;
    gboolean synthetic; /* conll: text rebuilt from the tokens */
    GArray *entities;   /* nerve_gold_entity */
    GArray *events;     /* nerve_gold_event */
    GArray *args;       /* nerve_gold_arg */
    GArray *tokens;     /* conll: uint32_t pairs, token byte spans in text; else NULL */
} nerve_gold_doc;

typedef enum {
    NERVE_GOLD_AUTO, /* by path: a directory of .ann (brat) or .xmi; a file by extension,
                        else by its first byte ('{': jsonl, otherwise conll) */
    NERVE_GOLD_JSONL,
    NERVE_GOLD_BRAT,
    NERVE_GOLD_CONLL,
    NERVE_GOLD_XMI,
} nerve_gold_format;

gboolean nerve_gold_format_parse(const char *name, nerve_gold_format *format);

/* Reads every document of path, in order (directories: files sorted by
 * name, recursively).  Returns a GPtrArray of nerve_gold_doc that frees
 * them with it (g_ptr_array_unref), or NULL with NERVE_ERROR_IO (cannot
 * read) or NERVE_ERROR_INPUT (malformed: FILE:LINE: message). */
GPtrArray *nerve_gold_read(const char *path, nerve_gold_format format, GError **error);

/* An empty document with copies of id and (text, len). */
nerve_gold_doc *nerve_gold_doc_new(const char *id, const char *text, size_t len);
void nerve_gold_doc_free(nerve_gold_doc *doc);
void nerve_gold_doc_add_entity(nerve_gold_doc *doc, uint32_t start, uint32_t end,
                               const char *label);

/* Moves a synthetic (conll) document onto the real text (text, len): finds
 * its tokens in order in the text (skipping whitespace) and maps every
 * span; the text and id are replaced by copies of text and id.  Returns
 * FALSE, leaving doc unchanged, when a token is not found. */
gboolean nerve_gold_doc_align(nerve_gold_doc *doc, const char *id, const char *text, size_t len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_gold_doc, nerve_gold_doc_free)

G_END_DECLS

#endif
