/* gazbuild.h - private: the gazetteer builder's entries, lists and
 * temporary vocabularies, shared by gazcompile.c (adding entries) and
 * gazwrite.c (sorting them into tries and writing the .gaz). */
#ifndef NERVE_GAZBUILD_H
#define NERVE_GAZBUILD_H

#include "gazformat.h"
#include "nerve/gazcompile.h"

enum { B_ATTRS = 1, B_VERIFY = 2 };

typedef struct {
    uint32_t list, order, label;
    uint32_t blob, blob_len; /* in b->blobs: term\0 [attrs] [verify] */
    uint32_t seq;            /* temporary token ids in b->seqs */
    uint16_t ntok;
    uint8_t part, flags;
} bentry;

typedef struct {
    char *name;
    nerve_gaz_case case_mode;
    nerve_gaz_mode mode;
    int priority;
    uint32_t first, n, source;
    gboolean caps; /* add the all-capitals spelling of terms (nerve_gaz_options) */
} blist;

typedef struct {
    uint32_t hash, off, len; /* off into tvocab.bytes */
} tkey;

/* A growing vocabulary: key -> temporary id. */
typedef struct {
    uint32_t *slots; /* id + 1, 0 = empty */
    uint32_t mask;
    GArray *keys; /* tkey by id */
    GByteArray *bytes;
} tvocab;

struct nerve_gaz_builder {
    const nerve_tokenizer *tk;
    const nerve_normalize_options *no;
    nerve_folder *folder;
    GArray *lists;      /* blist */
    GHashTable *labels; /* char* -> id + 1 */
    GPtrArray *label_names;
    GArray *entries; /* bentry */
    GByteArray *blobs;
    GArray *seqs; /* uint32 */
    tvocab voc[GAZ_PARTS];
    gaz_sum source;
    uint32_t max_depth;
    uint32_t n_duplicates; /* dropped by the last write */
};

#endif
