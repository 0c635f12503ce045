/* offsets.h - converting byte offsets into code points or UTF-16 units.
 *
 * Inside nerve every offset is a byte offset into the original UTF-8 text.
 * Writers, and readers of gold data, convert with a nerve_offsets map built
 * once per document: a table of running counts every 64 bytes, so one
 * conversion costs at most a 64-byte scan whatever the document length (no
 * quadratic rescans), and a pure-ASCII text converts with no scan at all.
 * Astral characters (emoji, most flags' halves) count 1 code point and
 * 2 UTF-16 units.
 */
#ifndef NERVE_OFFSETS_H
#define NERVE_OFFSETS_H

#include <glib.h>
#include <stddef.h>

G_BEGIN_DECLS

typedef enum {
    NERVE_UNIT_CODEPOINT, /* Unicode scalar values (Python str indices) */
    NERVE_UNIT_UTF16,     /* UTF-16 code units (Java, JavaScript, UIMA, GATE) */
    NERVE_UNIT_BYTE,      /* UTF-8 bytes */
} nerve_unit;

/* Parses "codepoint", "utf16" or "byte". */
gboolean nerve_unit_parse(const char *name, nerve_unit *unit);
/* The name of a unit, as written in the JSONL "offsets" field. */
const char *nerve_unit_name(nerve_unit unit);

typedef struct nerve_offsets nerve_offsets;

/* Builds the map of (text, len), which must be valid UTF-8 and must outlive
 * the map.  Free with nerve_offsets_free(). */
nerve_offsets *nerve_offsets_new(const char *text, size_t len);
void nerve_offsets_free(nerve_offsets *map);

/* Converts a byte offset (0..len, on a character boundary) into unit. */
size_t nerve_offsets_from_byte(const nerve_offsets *map, size_t byte, nerve_unit unit);

/* Converts an offset in unit back to a byte offset.  Returns FALSE when off
 * is past the end or falls inside a character (the middle of a surrogate
 * pair in UTF-16, or of a multi-byte sequence for NERVE_UNIT_BYTE). */
gboolean nerve_offsets_to_byte(const nerve_offsets *map, size_t off, nerve_unit unit, size_t *byte);

/* Length of the whole text in unit. */
size_t nerve_offsets_length(const nerve_offsets *map, nerve_unit unit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_offsets, nerve_offsets_free)

G_END_DECLS

#endif
