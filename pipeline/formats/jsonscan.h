/* jsonscan.h - private: a one-pass scanner for JSONL records.
 *
 * A record is one JSON object.  nerve only needs two of its fields decoded
 * (the id and the text); every other field is passed through to meta
 * untouched.  The scanner validates the whole line against the JSON
 * grammar (RFC 8259), decodes only the strings asked for, and returns the
 * other members as raw byte ranges, so a news record costs one pass and
 * no tree of JSON objects.  Nesting is checked with a bounded stack, so
 * deeply nested input is an error, never a stack overflow.
 */
#ifndef NERVE_PRIVATE_JSONSCAN_H
#define NERVE_PRIVATE_JSONSCAN_H

#include <glib.h>
#include <stddef.h>

/* What the scan found.  Strings are NUL-terminated copies (g_free). */
typedef struct {
    char *id;        /* the id field: a string, or an integer written in decimal */
    gboolean id_bad; /* the id field has another type */
    char *text;      /* the text field, decoded; NULL when missing or not a string */
    size_t text_len;
    gboolean has_text_field;
    GString *meta;   /* the other members, raw, joined: "k":v,"k2":v2 (no braces) */
    size_t replaced; /* lone surrogates replaced by U+FFFD in decoded strings */
} nerve_json_record;

void nerve_json_record_clear(nerve_json_record *r);

/* Scans (s, len), valid UTF-8.  Returns FALSE with *column (1-based byte
 * column) and *message (static) on malformed JSON, a top level that is not
 * an object, or nesting deeper than max_depth. */
gboolean nerve_json_scan_record(const char *s, size_t len, const char *id_field,
                                const char *text_field, guint max_depth, nerve_json_record *r,
                                size_t *column, const char **message);

#endif
