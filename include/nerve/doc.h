/* doc.h - the document: original text, normalized view, tokens, sentences
 * and the annotation store.
 *
 * Invariants:
 * - text is the document's UTF-8 text as read (after the reader repaired
 *   invalid UTF-8); it never changes afterwards.
 * - Every offset stored in a document is a half-open byte range into text.
 *   Conversion to code points or UTF-16 happens only in writers
 *   (offsets.h).
 * - Stages only add: tokens are appended by the tokenizer, forms that are
 *   empty (lemma, shape) are filled by the stage that owns them, entities
 *   and events are appended; nothing is rewritten or removed.  Overlap
 *   resolution marks entities NERVE_ENTITY_DROPPED instead of removing them.
 * - Strings a document refers to (token forms, labels, sources, attrs) are
 *   either owned by the document (nerve_doc_strdup) or by the model, which
 *   must outlive every document annotated with it.  Labels, sources, roles
 *   and event types are g_intern_string()ed, so they compare by pointer.
 */
#ifndef NERVE_DOC_H
#define NERVE_DOC_H

#include <glib.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* A string form: pointer, length and nerve_hash() of the bytes.  The bytes
 * are not NUL-terminated in general. */
typedef struct {
    const char *s;
    uint32_t len;
    uint32_t hash;
} nerve_str;

/* Token flags. */
enum {
    NERVE_TOKEN_SPACE_BEFORE = 1u << 0,   /* whitespace separates it from the previous token */
    NERVE_TOKEN_NEWLINE_BEFORE = 1u << 1, /* that whitespace holds a line break */
    NERVE_TOKEN_PARA_BEFORE = 1u << 2,    /* ... a blank line (paragraph break) */
    NERVE_TOKEN_ALPHA = 1u << 3,          /* letters and marks only */
    NERVE_TOKEN_DIGIT = 1u << 4,          /* decimal digits only */
    NERVE_TOKEN_NUMBER = 1u << 5,         /* a number: 12, 1,000, 3.5, 10:30, 1/2 */
    NERVE_TOKEN_PUNCT = 1u << 6,          /* punctuation only */
    NERVE_TOKEN_SYMBOL = 1u << 7,         /* symbols only ($, %, +, ©) */
    NERVE_TOKEN_UPPER = 1u << 8,          /* has cased letters, none lower-case */
    NERVE_TOKEN_LOWER = 1u << 9,          /* has cased letters, none upper-case */
    NERVE_TOKEN_TITLE = 1u << 10,         /* starts upper-case, then no upper-case letter */
    NERVE_TOKEN_URL = 1u << 11,
    NERVE_TOKEN_EMAIL = 1u << 12,
    NERVE_TOKEN_HASHTAG = 1u << 13,
    NERVE_TOKEN_MENTION = 1u << 14,
    NERVE_TOKEN_EMOJI = 1u << 15,       /* one emoji grapheme cluster (ZWJ sequence, flag) */
    NERVE_TOKEN_ABBREV = 1u << 16,      /* ends with a period that belongs to it (U.S., Oct.) */
    NERVE_TOKEN_ASCII = 1u << 17,       /* the original bytes are ASCII */
    NERVE_TOKEN_QUOTE = 1u << 18,       /* a quotation mark */
    NERVE_TOKEN_OPEN = 1u << 19,        /* an opening bracket */
    NERVE_TOKEN_CLOSE = 1u << 20,       /* a closing bracket */
    NERVE_TOKEN_TERMINAL = 1u << 21,    /* . ! ? and runs of them, ellipsis */
    NERVE_TOKEN_INITIAL = 1u << 22,     /* one letter and a period (J.) */
    NERVE_TOKEN_IDEOGRAPHIC = 1u << 23, /* segmented by dictionary (CJK, Thai...) */
};

/* A token.  start/end: byte offsets into the original text.
 * norm: the token's text in the normalized view (NFC, straight quotes...).
 * lower: norm case-folded (for ASCII, lower-cased).
 * lemma, shape: filled by the lexicon stage; lemma.s == NULL before it. */
typedef struct {
    uint32_t start, end;
    uint32_t flags;
    uint32_t sentence; /* index of its sentence, set by the sentence splitter */
    nerve_str norm;
    nerve_str lower;
    nerve_str lemma;
    nerve_str shape;
} nerve_token;

/* A sentence: token range [tok_start, tok_end) and byte span. */
typedef struct {
    uint32_t tok_start, tok_end;
    uint32_t start, end;
} nerve_sentence;

/* Entity flags. */
enum {
    NERVE_ENTITY_DROPPED = 1u << 0, /* lost overlap resolution; written only with --overlaps keep */
    NERVE_ENTITY_NESTED = 1u << 1,  /* from a mode=all list: exempt from resolution */
    NERVE_ENTITY_HIDDEN = 1u << 2,  /* scaffolding of a model (internal labels such as given
                                       names and titles, hide.h): still seen by rules, exempt
                                       from resolution, never written */
};

/* attrs are packed key/value strings, "k1\0v1\0k2\0v2\0\0", or NULL for
 * none; iterate with nerve_attrs_next(). */
typedef struct {
    uint32_t tok_start, tok_end; /* token range [) */
    uint32_t start, end;         /* byte span */
    const char *label;           /* interned */
    const char *source;          /* interned: "gazetteer:<list>" or "rule:<name>" */
    const char *entry;           /* the list entry or NULL (for explain) */
    const char *attrs;           /* packed, or NULL */
    int32_t priority;
    uint32_t order; /* tie-break: lower comes first (list entry order, rule file order) */
    uint32_t phase; /* 0 gazetteer, 1.. rule files in order */
    uint32_t flags;
    uint32_t id; /* 1-based output id (T<id>) set by nerve_doc_finish(); 0 = not written */
} nerve_entity;

/* An event argument: entity >= 0 is an index into the entities, else the
 * argument is the token span. */
typedef struct {
    const char *role; /* interned */
    int32_t entity;
    uint32_t tok_start, tok_end;
    uint32_t start, end;
} nerve_arg;

enum {
    NERVE_EVENT_DROPPED = 1u << 0, /* merged into another event of the same type and trigger */
};

typedef struct {
    const char *type; /* interned */
    const char *rule; /* interned rule name */
    uint32_t trig_tok_start, trig_tok_end;
    uint32_t trig_start, trig_end; /* byte span */
    uint32_t arg_first, n_args;    /* range in nerve_doc_args() */
    const char *attrs;             /* packed, or NULL */
    int32_t priority;
    uint32_t order;
    uint32_t phase;
    uint32_t flags;
    uint32_t id; /* 1-based output id (E<id>), set by nerve_doc_finish() */
} nerve_event;

/* Iterates packed attrs: returns FALSE at the end. *it starts at attrs. */
gboolean nerve_attrs_next(const char **it, const char **key, const char **value);

typedef struct nerve_doc nerve_doc;

/* Creates a document with a copy of id (NUL-terminated) and of (text, len),
 * which must be valid UTF-8 (see utf8.h).  meta, a JSON object or NULL, is
 * stolen.  Free with nerve_doc_free(). */
nerve_doc *nerve_doc_new(const char *id, const char *text, size_t len, json_t *meta);
void nerve_doc_free(nerve_doc *doc);

const char *nerve_doc_id(const nerve_doc *doc);
/* The original text; *len receives its length in bytes. */
const char *nerve_doc_text(const nerve_doc *doc, size_t *len);
/* The input record's other fields as a JSON object: borrowed, NULL when
 * there are none.  Parsed on first use when the reader kept them raw. */
json_t *nerve_doc_meta(const nerve_doc *doc);
/* The same as compact JSON text "{...}" (without a trailing NUL in *len;
 * the string is NUL-terminated), borrowed, "{}" when there are none. */
const char *nerve_doc_meta_json(const nerve_doc *doc, size_t *len);
/* Sets meta from raw JSON members "\"k\":v,\"k2\":v2" (no braces), as the
 * input had them; raw (g_malloc'ed) is stolen.  Replaces any meta. */
void nerve_doc_set_meta_raw(nerve_doc *doc, char *raw, size_t len);

/* Warnings (e.g. repaired UTF-8) are written with the record. */
void nerve_doc_add_warning(nerve_doc *doc, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
guint nerve_doc_n_warnings(const nerve_doc *doc);
const char *nerve_doc_warning(const nerve_doc *doc, guint i);

/* A copy of (s, len), NUL-terminated, owned by the document (an arena: no
 * per-string allocation). */
const char *nerve_doc_strdup(nerve_doc *doc, const char *s, size_t len);

/* Per-document state of a stage (stage.h), for itself or later stages:
 * data stored under key, an address the stage owns (compared by pointer).
 * Setting a key again frees the old data with its destroy (which may be
 * NULL); the document frees all of it with itself.  _get_data: NULL when
 * nothing is stored under key. */
void nerve_doc_set_data(nerve_doc *doc, const void *key, void *data, GDestroyNotify destroy);
void *nerve_doc_get_data(const nerve_doc *doc, const void *key);

/* --- normalized view (set once by the normalize stage) ---------------- */

/* An edit of the normalized view: original bytes [orig_start, orig_end)
 * became normalized bytes [norm_start, norm_end).  Between edits the two
 * are identical. */
typedef struct {
    uint32_t orig_start, orig_end;
    uint32_t norm_start, norm_end;
} nerve_edit;

/* Sets the normalized view; norm (g_malloc'ed) and edits (GArray of
 * nerve_edit in increasing order) are stolen.  norm == NULL means identity. */
void nerve_doc_set_norm(nerve_doc *doc, char *norm, size_t len, GArray *edits);
/* The normalized text: the original text itself when normalization was the
 * identity. */
const char *nerve_doc_norm(const nerve_doc *doc, size_t *len);
gboolean nerve_doc_norm_is_identity(const nerve_doc *doc);
/* Maps a normalized offset to an original byte offset, for the start or
 * the end of a span: a boundary inside an edit snaps outwards, so a span
 * always covers the original characters its normalized text came from. */
uint32_t nerve_doc_norm_to_orig(const nerve_doc *doc, uint32_t norm_off, gboolean is_end);
/* The edits of the normalized view, in order (NULL, 0 for identity). */
const nerve_edit *nerve_doc_norm_edits(const nerve_doc *doc, size_t *n);
/* The same for offsets that mostly increase: *hint (start at 0) keeps the
 * position of the last lookup, so a pass over a document is linear. */
uint32_t nerve_doc_norm_to_orig_hint(const nerve_doc *doc, uint32_t norm_off, gboolean is_end,
                                     size_t *hint);

/* --- tokens and sentences ---------------------------------------------- */

/* Appends a zeroed token and returns it; the pointer is valid until the
 * next append. */
nerve_token *nerve_doc_add_token(nerve_doc *doc);
/* Appends a copy of *t (the fast way for a tokenizer that fills every
 * field). */
void nerve_doc_append_token(nerve_doc *doc, const nerve_token *t);
/* Removes the last token (the tokenizer merging two tokens that came from
 * one original character); only the tokenizer may call it. */
void nerve_doc_pop_token(nerve_doc *doc);
/* The token array (mutable so later stages can fill lemma and shape). */
nerve_token *nerve_doc_tokens(const nerve_doc *doc, size_t *n);

/* Appends the sentence of tokens [tok_start, tok_end), tok_start < tok_end,
 * and sets their sentence index. */
void nerve_doc_add_sentence(nerve_doc *doc, uint32_t tok_start, uint32_t tok_end);
const nerve_sentence *nerve_doc_sentences(const nerve_doc *doc, size_t *n);

/* --- annotations ------------------------------------------------------- */

/* Appends a zeroed entity (valid until the next append); the caller fills
 * it.  Set tok_start/tok_end and call nerve_doc_entity_set_span() or fill
 * start/end directly. */
nerve_entity *nerve_doc_add_entity(nerve_doc *doc);
nerve_entity *nerve_doc_entities(const nerve_doc *doc, size_t *n);
/* Sets start/end from the token range. */
void nerve_doc_entity_span(const nerve_doc *doc, nerve_entity *e);

/* Appends an event with room for n_args arguments, zeroed; fill the
 * arguments through nerve_doc_args() + ev->arg_first. */
nerve_event *nerve_doc_add_event(nerve_doc *doc, uint32_t n_args);
nerve_event *nerve_doc_events(const nerve_doc *doc, size_t *n);
nerve_arg *nerve_doc_args(const nerve_doc *doc, size_t *n);

/* Overlap resolution over every entity that is neither dropped, nested nor
 * hidden: higher priority, then longer (bytes), then earlier start, then
 * lower order wins; losers are marked NERVE_ENTITY_DROPPED.  Entities kept by an
 * earlier call can lose to entities added since.  The winners of the last
 * call are kept in order, so an entity must not change its span, priority,
 * phase or order once resolved (flags may be added). */
void nerve_doc_resolve_entities(nerve_doc *doc);

/* Prepares the document for writing: sorts entities by start, then end,
 * events by trigger start; assigns ids (T1.., E1..) to what will be
 * written (dropped entities only when keep_dropped); arguments that refer
 * to an entity that is not written become spans.  Hidden entities are
 * never written.  Call once, after all stages. */
void nerve_doc_finish(nerve_doc *doc, gboolean keep_dropped);
/* Number of entities that lost overlap resolution. */
size_t nerve_doc_n_dropped(const nerve_doc *doc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(nerve_doc, nerve_doc_free)

G_END_DECLS

#endif
