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
#include <stdint.h>

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

/* A cursor converts many byte offsets of one text into one unit without a
 * map, for writers that convert in (mostly) increasing order: sentences,
 * tokens, entities by start.
 *
 * A text with few non-ASCII characters (most news in English) is read
 * once, at init, for where they are; a conversion then subtracts what the
 * characters before the offset save, found by moving an index from the
 * previous offset's.  Any other text is counted: each conversion counts
 * the bytes between the previous offset (or the start of the text, when
 * nearer) and this one, so each list of offsets costs about one pass over
 * the text; sent back and forth, the cursor builds a nerve_offsets map for
 * its far jumps, so no order costs more than a few passes plus a bounded
 * scan per conversion.  A pure-ASCII text, or the byte unit, costs
 * nothing.  Fields are private. */
#define NERVE_OFFSETS_SPARSE 64
typedef struct {
    const unsigned char *text;
    size_t len;
    nerve_unit unit;
    gboolean identity; /* the byte unit, or ASCII text: offsets are bytes */
    /* few non-ASCII characters: n_sparse of them, in order, with the
     * byte after each and the units saved up to there (bytes less units);
     * next: the index of the first that ends after the last offset */
    gboolean sparse;
    guint n_sparse, next;
    uint32_t sparse_end[NERVE_OFFSETS_SPARSE];
    uint32_t sparse_saved[NERVE_OFFSETS_SPARSE];
    /* else counting */
    size_t byte;    /* the last offset converted ... */
    size_t count;   /* ... and its value in unit */
    size_t scanned; /* bytes counted so far */
    nerve_offsets *map;
} nerve_offsets_cursor;

/* Starts a cursor over (text, len), valid UTF-8, which must outlive it. */
void nerve_offsets_cursor_init(nerve_offsets_cursor *cur, const char *text, size_t len,
                               nerve_unit unit);
/* Frees what the cursor built (a map, after far jumps). */
void nerve_offsets_cursor_clear(nerve_offsets_cursor *cur);

/* The slow path of nerve_offsets_cursor_convert() for counted texts
 * (byte <= len). */
size_t nerve_offsets_cursor_seek(nerve_offsets_cursor *cur, size_t byte);

/* Converts a byte offset (0..len, on a character boundary) into the
 * cursor's unit, as nerve_offsets_from_byte() does. */
static inline size_t nerve_offsets_cursor_convert(nerve_offsets_cursor *cur, size_t byte)
{
    if (byte > cur->len)
        byte = cur->len;
    if (cur->identity)
        return byte;
    if (!cur->sparse)
        return nerve_offsets_cursor_seek(cur, byte);
    guint j = cur->next;
    while (j < cur->n_sparse && cur->sparse_end[j] <= byte)
        j++;
    while (j > 0 && cur->sparse_end[j - 1] > byte)
        j--;
    cur->next = j;
    return j ? byte - cur->sparse_saved[j - 1] : byte;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_offsets, nerve_offsets_free)

G_END_DECLS

#endif
