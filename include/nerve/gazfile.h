/* gazfile.h - a compiled gazetteer (.gaz), used in place, and its matcher.
 *
 * nerve_gaz_open() memory-maps the file read-only; nothing is parsed or
 * copied, so loading costs the same whatever the size, and every thread
 * shares the mapping.  What loading checks (flags): the header (magic,
 * format version, byte order, its own checksum, file size, every section
 * inside the file and of the size its counts imply), the lists and labels
 * (small tables, interned at load); with NERVE_GAZ_CHECK_CONTENT the
 * checksum of all content (a few ms for a million entries); with
 * NERVE_GAZ_CHECK_ALL also every vocabulary slot, edge and entry.  Matching
 * bounds-checks every offset it follows anyway, so even a file whose
 * checksum was not verified cannot make it read outside the file.
 *
 * Entities made by the matcher point into the mapping (entry, attrs): the
 * nerve_gaz must outlive the documents annotated with it.
 */
#ifndef NERVE_GAZFILE_H
#define NERVE_GAZFILE_H

#include <glib.h>
#include <stdint.h>

#include "doc.h"

G_BEGIN_DECLS

enum {
    NERVE_GAZ_CHECK_CONTENT = 1 << 0, /* verify the content checksum */
    NERVE_GAZ_CHECK_ALL = 1 << 1,     /* ... and every table entry (nerve check, --verify) */
    NERVE_GAZ_NO_CHECKSUM = 1 << 2,   /* skip the header and content checksums (fuzzing) */
};

typedef struct nerve_gaz nerve_gaz;

/* Maps and checks path.  Errors: NERVE_ERROR_MODEL "PATH: what is wrong"
 * (unreadable, not a .gaz, truncated, corrupt, other version).  Free with
 * nerve_gaz_free(). */
nerve_gaz *nerve_gaz_open(const char *path, guint flags, GError **error);
/* The same on a .gaz in memory (data 8-byte aligned); bytes is referenced,
 * name is used in messages. */
nerve_gaz *nerve_gaz_new_from_bytes(GBytes *bytes, const char *name, guint flags, GError **error);
void nerve_gaz_free(nerve_gaz *g);

const char *nerve_gaz_name(const nerve_gaz *g);
guint nerve_gaz_n_entries(const nerve_gaz *g);
guint nerve_gaz_n_lists(const nerve_gaz *g);
uint64_t nerve_gaz_cache_key(const nerve_gaz *g);
uint64_t nerve_gaz_settings_hash(const nerve_gaz *g);
/* List i's name, the compiler input it came from, and the file-local
 * order of its first entry. */
const char *nerve_gaz_list_name(const nerve_gaz *g, guint i);
guint nerve_gaz_list_source(const nerve_gaz *g, guint i);
uint32_t nerve_gaz_list_first(const nerve_gaz *g, guint i);
guint nerve_gaz_list_n_entries(const nerve_gaz *g, guint i);

/* Adds to doc an entity for every match (gazetteer.h describes the
 * policy), within sentences (the whole document when it has none).
 * order_base (NULL, or one value per list) is added to each entity's
 * order: entity order = order_base[list] + (entry order - list first).
 * Does not resolve overlaps.  FALSE only when the file turns out to be
 * corrupt (NERVE_ERROR_MODEL). */
gboolean nerve_gaz_match(const nerve_gaz *g, const uint32_t *order_base, nerve_doc *doc,
                         GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_gaz, nerve_gaz_free)

G_END_DECLS

#endif
