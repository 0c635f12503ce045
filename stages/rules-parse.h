/* rules-parse.h - private: the parser state shared by rules-parse.c
 * (pattern values) and rules-file.c (lines, rules and keys). */
#ifndef NERVE_RULES_PARSE_H
#define NERVE_RULES_PARSE_H

#include "rules-internal.h"

typedef struct {
    node *body;
    GPtrArray *words; /* char*: a define of quoted words, usable as a value list */
    guint line;
} define;

/* The rule being read. */
typedef struct {
    gboolean active;
    size_t off; /* of the `rule` keyword */
    char *name;
    const char *label;
    gboolean is_event;
    int n_kinds;
    gboolean kind_tried; /* an entity or event key, even a bad one */
    node *pattern;
    size_t pattern_off; /* the `pattern` keyword */
    size_t pattern_at;  /* its value */
    gboolean have_pattern;
    char *span;
    size_t span_off;
    int32_t priority;
    gboolean have_priority;
    GString *attrs; /* packed */
    guint errors_at_start;
} pending;

typedef struct {
    phase *ph;
    errors *er;
    const char *text;
    size_t len;
    const nerve_tokenizer *tk;
    const nerve_normalize_options *norm;
    GHashTable *defines;    /* name -> define* */
    GHashTable *rule_lines; /* name -> line */
    size_t p, end;          /* the value being parsed: [p, end) */
    int depth;
    size_t open;  /* the innermost open '(' */
    gboolean bad; /* the value has an error: stop parsing it */
    pending r;
} parser;

/* Adds an error at byte offset off, marks the value bad; returns NULL. */
void *rules_fail(parser *ps, size_t off, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
guint rules_line_of(const parser *ps, size_t off);

/* Lexical helpers on [ps->p, ps->end). */
void rules_skip_ws(parser *ps); /* blanks, line breaks and # comments */
gboolean rules_is_ident_char(int c);
gboolean rules_is_label_char(int c);
size_t rules_read_run(parser *ps, gboolean (*ok)(int));
char *rules_excerpt(const parser *ps, size_t off);
char *rules_parse_string(parser *ps);

/* Parses the pattern [a, b): NULL after an error. */
node *rules_parse_pattern(parser *ps, size_t a, size_t b);

#endif
