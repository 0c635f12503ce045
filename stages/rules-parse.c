/* rules-parse.c - rule files to syntax trees (see rules.h for the language).
 *
 * A rule file is read line by line: a line starting with `define` or
 * `rule` begins a new item, other lines are keys of the current rule.
 * `pattern` and `define` values go on over the following lines that are
 * indented deeper.  Values are parsed by a hand-written recursive descent
 * parser working directly on the file text, so every error carries the
 * byte offset where it happened and is reported as FILE:LINE:COL.  After an
 * error in a value the parser skips the rest of that value and goes on, so
 * one pass reports every independent error of the file.
 *
 * Constraints, literals, regular expressions and labels go straight into
 * the phase's tables (rules-internal.h); quoted phrases are split by the
 * model's tokenizer so they match the tokens documents are split into.
 */
#include <stdarg.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "nerve/error.h"
#include "nerve/hash.h"
#include "nerve/utf8.h"
#include "rules-parse.h"
#include "rules-regex.h"

/* --- errors ------------------------------------------------------------------- */

/* "FILE:LINE:COL: " of byte offset off, appended to out. */
static void append_place(const errors *er, size_t off, GString *out)
{
    size_t lo = 0, hi = er->line_starts->len;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (g_array_index(er->line_starts, size_t, mid) <= off)
            lo = mid;
        else
            hi = mid;
    }
    size_t ls = g_array_index(er->line_starts, size_t, lo);
    glong col = g_utf8_strlen(er->text + ls, (gssize)(MIN(off, er->len) - ls)) + 1;
    g_string_append_printf(out, "%s:%zu:%ld: ", er->path, lo + 1, col);
}

void errors_add(errors *er, size_t off, const char *fmt, ...)
{
    er->n++;
    if (er->n > NERVE_RULES_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (er->out->len)
        g_string_append_c(er->out, '\n');
    append_place(er, off, er->out);
    g_string_append(er->out, msg);
}

void errors_note(errors *er, size_t off, const char *fmt, ...)
{
    if (!er->notes)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    GString *line = g_string_new(NULL);
    append_place(er, off, line);
    g_string_append_printf(line, "note: %s", msg);
    g_ptr_array_add(er->notes, g_string_free(line, FALSE));
}

void *rules_fail(parser *ps, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    errors_add(ps->er, off, "%s", msg);
    ps->bad = TRUE;
    return NULL;
}

guint rules_line_of(const parser *ps, size_t off)
{
    const GArray *ls = ps->er->line_starts;
    guint lo = 0, hi = ls->len;
    while (hi - lo > 1) {
        guint mid = (lo + hi) / 2;
        if (g_array_index(ls, size_t, mid) <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

/* --- lexical helpers ------------------------------------------------------------- */

static int cur(const parser *ps)
{
    return ps->p < ps->end ? (unsigned char)ps->text[ps->p] : -1;
}

void rules_skip_ws(parser *ps)
{
    while (ps->p < ps->end) {
        char c = ps->text[ps->p];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            ps->p++;
        else if (c == '#') {
            while (ps->p < ps->end && ps->text[ps->p] != '\n')
                ps->p++;
        } else
            break;
    }
}

gboolean rules_is_ident_char(int c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '-' || c >= 0x80;
}

gboolean rules_is_label_char(int c)
{
    return rules_is_ident_char(c) || c == '.';
}

/* Reads a run of chars accepted by ok; returns its length. */
size_t rules_read_run(parser *ps, gboolean (*ok)(int))
{
    size_t a = ps->p;
    while (ps->p < ps->end && ok((unsigned char)ps->text[ps->p]))
        ps->p++;
    return ps->p - a;
}

/* A printable excerpt of the text at off, for messages. */
char *rules_excerpt(const parser *ps, size_t off)
{
    size_t e = off;
    while (e < ps->end && e - off < 20 && !g_ascii_isspace(ps->text[e]))
        e++;
    if (e == off && off < ps->end)
        e = (size_t)(g_utf8_next_char(ps->text + off) - ps->text);
    return e > off ? g_strndup(ps->text + off, e - off) : g_strdup("end of pattern");
}

/* Lower-cases like the tokenizer does (per code point). */
static char *fold(const char *s, size_t len)
{
    GString *out = g_string_sized_new(len);
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        int k;
        uint32_t c = nerve_utf8_decode(p, end, &k);
        g_string_append_unichar(out, c < 0x80 ? (uint32_t)g_ascii_tolower((char)c)
                                              : (uint32_t)u_tolower((UChar32)c));
        p += k;
    }
    return g_string_free(out, FALSE);
}

/* Parses a "quoted string" at ps->p; NULL (and an error) when it is not
 * terminated on its line. */
char *rules_parse_string(parser *ps)
{
    size_t open = ps->p++;
    GString *s = g_string_new(NULL);
    while (ps->p < ps->end && ps->text[ps->p] != '"' && ps->text[ps->p] != '\n') {
        if (ps->text[ps->p] == '\\' && ps->p + 1 < ps->end && ps->text[ps->p + 1] != '\n')
            ps->p++;
        g_string_append_c(s, ps->text[ps->p++]);
    }
    if (cur(ps) != '"') {
        g_string_free(s, TRUE);
        return rules_fail(ps, open, "unterminated string");
    }
    ps->p++;
    return g_string_free(s, FALSE);
}

/* --- nodes and constraints ---------------------------------------------------------- */

static node *new_node(parser *ps, node_kind kind, size_t off)
{
    node *n = g_new0(node, 1);
    n->kind = kind;
    n->cons = n->labels = -1;
    n->off = (uint32_t)off;
    g_ptr_array_add(ps->ph->nodes, n);
    return n;
}

static void add_kid(node *n, node *kid)
{
    if (!n->kids)
        n->kids = g_ptr_array_new();
    g_ptr_array_add(n->kids, kid);
}

static uint32_t add_lit(parser *ps, const char *s, size_t len)
{
    nerve_str v;
    v.s = g_string_chunk_insert_len(ps->ph->strings, s, (gssize)len);
    v.len = (uint32_t)len;
    v.hash = nerve_hash(s, len);
    g_array_append_val(ps->ph->lits, v);
    return ps->ph->lits->len - 1;
}

/* A constraint of one literal test: key = s. */
static int lit_constraint(parser *ps, test_key key, const char *s, size_t len)
{
    test t = {0};
    t.key = (uint8_t)key;
    t.abbrev = len && g_ascii_isalpha(s[len - 1]);
    t.lits_first = add_lit(ps, s, len);
    t.n_lits = 1;
    g_array_append_val(ps->ph->tests, t);
    constraint c = {ps->ph->tests->len - 1, 1};
    g_array_append_val(ps->ph->cons, c);
    return (int)ps->ph->cons->len - 1;
}

/* "text": the tokens of text (split like documents), each matched by its
 * lower form; a word also matches the abbreviation made of it and a
 * period, so that "mr" "."? matches "Mr." however the tokenizer splits. */
static node *phrase(parser *ps, const char *text, size_t off)
{
    size_t len = strlen(text);
    if (!len)
        return rules_fail(ps, off, "empty string");
    /* a clitic ("'s", "n't") is a token of its own only after a word, as
       in "Kenya's": it is tokenized after one, which is then skipped */
    gboolean clitic = text[0] == '\'' || !strncmp(text, "\xE2\x80\x99", 3);
    g_autofree char *padded = clitic ? g_strconcat("x", text, NULL) : NULL;
    nerve_doc *doc = nerve_doc_new("", clitic ? padded : text, clitic ? len + 1 : len, NULL);
    nerve_normalize_options dflt = {FALSE, TRUE};
    nerve_normalize(ps->norm ? ps->norm : &dflt, doc);
    nerve_tokenize(ps->tk, doc);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    if (clitic && n > 1 && t[0].norm.len == 1 && t[0].norm.s[0] == 'x')
        t++, n--;
    else if (clitic) { /* no clitic after all: the text as it is */
        nerve_doc_free(doc);
        doc = nerve_doc_new("", text, len, NULL);
        nerve_normalize(ps->norm ? ps->norm : &dflt, doc);
        nerve_tokenize(ps->tk, doc);
        t = nerve_doc_tokens(doc, &n);
    }
    node *seq = n == 1 ? NULL : new_node(ps, N_SEQ, off);
    node *one = NULL;
    for (size_t i = 0; i < n; i++) {
        one = new_node(ps, N_TOKEN, off);
        one->cons = lit_constraint(ps, K_LOWER, t[i].lower.s, t[i].lower.len);
        if (seq)
            add_kid(seq, one);
    }
    nerve_doc_free(doc);
    if (!n)
        return rules_fail(ps, off, "the string \"%s\" holds no token", text);
    return seq ? seq : one;
}

/* --- constraint values ------------------------------------------------------------------ */

static const struct {
    const char *name;
    uint32_t flags;
} classes[] = {
    {"title", NERVE_TOKEN_TITLE},
    {"upper", NERVE_TOKEN_UPPER},
    {"lower", NERVE_TOKEN_LOWER},
    {"digit", NERVE_TOKEN_DIGIT},
    {"number", NERVE_TOKEN_NUMBER | NERVE_TOKEN_DIGIT},
    {"punct", NERVE_TOKEN_PUNCT},
    {"alpha", NERVE_TOKEN_ALPHA},
    {"symbol", NERVE_TOKEN_SYMBOL},
    {"url", NERVE_TOKEN_URL},
    {"email", NERVE_TOKEN_EMAIL},
    {"hashtag", NERVE_TOKEN_HASHTAG},
    {"mention", NERVE_TOKEN_MENTION},
    {"emoji", NERVE_TOKEN_EMOJI},
    {"abbrev", NERVE_TOKEN_ABBREV},
    {"initial", NERVE_TOKEN_INITIAL},
    {"quote", NERVE_TOKEN_QUOTE},
    {"space", NERVE_TOKEN_SPACE_BEFORE},
    {"newline", NERVE_TOKEN_NEWLINE_BEFORE},
};

static gboolean bare_char(int c)
{
    return c > ' ' && !strchr("]|&[\"", c);
}

static const char *const keys[] = {"word", "lower", "lemma", "shape", "is", "ent"};

/* How many tokens the tokenizer makes of the word value w, or 1 when that
 * cannot be told from w alone.  A value of word=, lower= or lemma= that
 * the tokenizer splits ("re-elected" is re, - and elected; "km/h", "US$")
 * never matches the one token a test looks at.  Letters and digits alone
 * are one token; a value with a period is not checked, since whether
 * "Jan." or "Inc." stays one token depends on its case (the abbreviations
 * are listed as written; "jan." alone is two tokens, "Jan." in text one),
 * nor a clitic ("'s"), a token of its own after a word. */
static size_t value_tokens(const parser *ps, const char *w)
{
    gboolean plain = TRUE;
    for (const char *p = w; *p; p++) {
        if (*p == '.')
            return 1;
        plain &= g_ascii_isalnum(*p) || (unsigned char)*p >= 0x80;
    }
    if (plain || w[0] == '\'' || !strncmp(w, "\xE2\x80\x99", 3))
        return 1;
    nerve_doc *doc = nerve_doc_new("", w, strlen(w), NULL);
    nerve_normalize_options dflt = {FALSE, TRUE};
    nerve_normalize(ps->norm ? ps->norm : &dflt, doc);
    nerve_tokenize(ps->tk, doc);
    size_t n;
    nerve_doc_tokens(doc, &n);
    nerve_doc_free(doc);
    return n;
}

/* Adds one word value to test t (its lits, flags or labels). */
static void add_word(parser *ps, test *t, const char *w, size_t off)
{
    if (t->key == K_IS) {
        for (guint i = 0; i < G_N_ELEMENTS(classes); i++)
            if (!strcmp(classes[i].name, w)) {
                t->flags |= classes[i].flags;
                return;
            }
        g_autoptr(GString) known = g_string_new(NULL);
        for (guint i = 0; i < G_N_ELEMENTS(classes); i++)
            g_string_append_printf(known, "%s%s", i ? ", " : "", classes[i].name);
        rules_fail(ps, off, "unknown token class '%s' (%s)", w, known->str);
        return;
    }
    if (t->key == K_ENT) {
        uint32_t id = phase_label_id(ps->ph, g_intern_string(w));
        g_array_append_val(ps->ph->label_ids, id);
        t->n_labels++;
        return;
    }
    size_t n = t->key == K_SHAPE ? 1 : value_tokens(ps, w);
    if (n != 1)
        errors_note(ps->er, off,
                    "'%s' is %zu tokens to the tokenizer, so %s= never matches it: write the "
                    "phrase \"%s\" outside [ ]",
                    w, n, keys[t->key], w);
    if (t->key == K_LOWER || t->key == K_LEMMA) {
        g_autofree char *f = fold(w, strlen(w));
        add_lit(ps, f, strlen(f));
    } else
        add_lit(ps, w, strlen(w));
    t->n_lits++;
}

/* Compiles /re/flags at ps->p (on '/') into the phase's regexes. */
static void parse_regex(parser *ps, test *t)
{
    size_t open = ps->p++;
    size_t a = ps->p;
    while (ps->p < ps->end && ps->text[ps->p] != '/' && ps->text[ps->p] != '\n') {
        if (ps->text[ps->p] == '\\' && ps->p + 1 < ps->end && ps->text[ps->p + 1] != '\n')
            ps->p++;
        ps->p++;
    }
    if (cur(ps) != '/') {
        rules_fail(ps, open, "unterminated regular expression");
        return;
    }
    size_t b = ps->p++;
    uint32_t flags = 0;
    while (g_ascii_isalpha(cur(ps))) {
        if (cur(ps) != 'i') {
            rules_fail(ps, ps->p, "unknown regular expression flag '%c' (only i)", cur(ps));
            return;
        }
        flags |= UREGEX_CASE_INSENSITIVE;
        ps->p++;
    }
    if (t->key == K_IS || t->key == K_ENT) {
        rules_fail(ps, open, "%s= takes words, not a regular expression",
                   t->key == K_IS ? "is" : "ent");
        return;
    }
    /* identical regexes are compiled (and cached while matching) once */
    g_autofree char *key = g_strdup_printf("%u/%.*s", flags, (int)(b - a), ps->text + a);
    guint id = GPOINTER_TO_UINT(g_hash_table_lookup(ps->ph->regex_ids, key));
    if (!id) {
        UParseError pe;
        UErrorCode st = U_ZERO_ERROR;
        memset(&pe, 0, sizeof pe);
        UText ut = UTEXT_INITIALIZER;
        utext_openUTF8(&ut, ps->text + a, (int64_t)(b - a), &st);
        URegularExpression *re = uregex_openUText(&ut, flags, &pe, &st);
        utext_close(&ut);
        if (U_FAILURE(st)) {
            /* pe.offset counts characters of the pattern on its line */
            size_t at = a;
            for (int32_t i = 0; i < pe.offset && at < b; i++)
                at = (size_t)(g_utf8_next_char(ps->text + at) - ps->text);
            rules_fail(ps, b == a ? open : at, "bad regular expression (%s)", u_errorName(st));
            if (re)
                uregex_close(re);
            return;
        }
        g_ptr_array_add(ps->ph->regexes, re);
        g_ptr_array_add(ps->ph->dfas, rx_dfa_compile(ps->text + a, b - a, flags != 0));
        id = ps->ph->regexes->len;
        g_hash_table_insert(ps->ph->regex_ids, g_steal_pointer(&key), GUINT_TO_POINTER(id));
    }
    uint32_t index = id - 1;
    if (!t->n_regex)
        t->regex_first = ps->ph->regex_refs->len;
    g_array_append_val(ps->ph->regex_refs, index);
    t->n_regex++;
}

/* The values of test t: a|"b"|/c/|%NAME.  Each kind goes to its own
 * table in one consecutive run, since nothing else is added meanwhile. */
static void parse_values(parser *ps, test *t)
{
    t->lits_first = ps->ph->lits->len;
    t->labels_first = ps->ph->label_ids->len;
    for (;;) {
        rules_skip_ws(ps);
        size_t off = ps->p;
        int c = cur(ps);
        if (c == '"') {
            g_autofree char *s = rules_parse_string(ps);
            if (!s)
                return;
            add_word(ps, t, s, off);
        } else if (c == '/') {
            parse_regex(ps, t);
        } else if (c == '%') {
            ps->p++;
            size_t n = rules_read_run(ps, rules_is_ident_char);
            g_autofree char *name = g_strndup(ps->text + off + 1, n);
            define *d = n ? g_hash_table_lookup(ps->defines, name) : NULL;
            if (!n)
                rules_fail(ps, off, "expected a define name after '%%'");
            else if (!d)
                rules_fail(ps, off, "undefined %%%s", name);
            else if (!d->words)
                rules_fail(ps, off, "%%%s is not a list of quoted words, so it cannot be a value",
                           name);
            else
                for (guint i = 0; i < d->words->len; i++)
                    add_word(ps, t, g_ptr_array_index(d->words, i), off);
        } else {
            size_t n = rules_read_run(ps, bare_char);
            if (!n) {
                g_autofree char *what = rules_excerpt(ps, off);
                rules_fail(ps, off, "expected a value, not '%s'", what);
                return;
            }
            g_autofree char *w = g_strndup(ps->text + off, n);
            add_word(ps, t, w, off);
        }
        if (ps->bad)
            return;
        rules_skip_ws(ps);
        if (cur(ps) != '|')
            return;
        ps->p++;
    }
}

/* One test: [!]* key [(=|!=) values] */
static gboolean parse_test(parser *ps, size_t open)
{
    rules_skip_ws(ps);
    test t = {0};
    while (cur(ps) == '!') {
        t.negate ^= 1;
        ps->p++;
        rules_skip_ws(ps);
    }
    size_t key_off = ps->p;
    size_t n = rules_read_run(ps, rules_is_ident_char);
    if (!n) {
        if (ps->p >= ps->end)
            return rules_fail(ps, open, "unbalanced '[': no matching ']'") != NULL;
        g_autofree char *what = rules_excerpt(ps, ps->p);
        return rules_fail(ps, ps->p,
                          "expected a constraint (word, lower, lemma, shape, is, ent), not '%s'",
                          what) != NULL;
    }
    g_autofree char *key = g_strndup(ps->text + key_off, n);
    int k = -1;
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
        if (!strcmp(keys[i], key))
            k = (int)i;
    if (k < 0)
        return rules_fail(ps, key_off, "unknown constraint '%s'", key) != NULL;
    t.key = (uint8_t)k;
    if (k == K_ENT)
        ps->ph->uses_entities = TRUE;
    rules_skip_ws(ps);
    if (cur(ps) == '!' && ps->p + 1 < ps->end && ps->text[ps->p + 1] == '=') {
        t.negate ^= 1;
        ps->p += 2;
    } else if (cur(ps) == '=')
        ps->p++;
    else if (k == K_ENT) {
        t.labels_first = ps->ph->label_ids->len;
        g_array_append_val(ps->ph->tests, t);
        return TRUE;
    } else
        return rules_fail(ps, key_off, "'%s' needs a value: %s=VALUE", key, key) != NULL;
    parse_values(ps, &t);
    if (ps->bad)
        return FALSE;
    g_array_append_val(ps->ph->tests, t);
    return TRUE;
}

/* [ tests ] at ps->p (on '['): the constraint index, -1 for [] (any). */
static int parse_constraint(parser *ps, gboolean *ok)
{
    size_t open = ps->p++;
    *ok = FALSE;
    rules_skip_ws(ps);
    if (cur(ps) == ']') {
        ps->p++;
        *ok = TRUE;
        return -1;
    }
    constraint c = {ps->ph->tests->len, 0};
    for (;;) {
        if (!parse_test(ps, open))
            return -1;
        c.n++;
        rules_skip_ws(ps);
        if (cur(ps) == '&') {
            ps->p++;
            continue;
        }
        if (cur(ps) == ']') {
            ps->p++;
            break;
        }
        if (cur(ps) < 0 || cur(ps) == '[')
            return rules_fail(ps, open, "unbalanced '[': no matching ']'") ? -1 : -1;
        g_autofree char *what = rules_excerpt(ps, ps->p);
        rules_fail(ps, ps->p, "expected '&' or ']', not '%s'", what);
        return -1;
    }
    g_array_append_val(ps->ph->cons, c);
    *ok = TRUE;
    return (int)ps->ph->cons->len - 1;
}

/* --- patterns ------------------------------------------------------------------------- */

static node *parse_alt(parser *ps);

static node *parse_group(parser *ps)
{
    size_t open = ps->p++, outer = ps->open;
    ps->open = open;
    if (++ps->depth > NERVE_RULES_MAX_DEPTH)
        return rules_fail(ps, open, "groups nested deeper than %d (limit max-pattern-depth)",
                          NERVE_RULES_MAX_DEPTH);
    rules_skip_ws(ps);
    const char *name = NULL;
    size_t save = ps->p;
    size_t n = rules_read_run(ps, rules_is_ident_char);
    if (n) {
        size_t after = ps->p;
        rules_skip_ws(ps);
        if (cur(ps) == ':') {
            g_autofree char *s = g_strndup(ps->text + save, after - save);
            name = g_intern_string(s);
            ps->p++;
        } else
            ps->p = save;
    }
    node *inner = parse_alt(ps);
    if (!inner)
        return NULL;
    rules_skip_ws(ps);
    if (cur(ps) != ')')
        return rules_fail(ps, open, "unbalanced '(': no matching ')'");
    ps->p++;
    ps->depth--;
    ps->open = outer;
    if (!name)
        return inner;
    node *cap = new_node(ps, N_CAPTURE, open);
    cap->name = name;
    add_kid(cap, inner);
    return cap;
}

static node *parse_atom(parser *ps)
{
    size_t off = ps->p;
    int c = cur(ps);
    node *n;
    gboolean ok;
    switch (c) {
    case '[':
        n = new_node(ps, N_TOKEN, off);
        n->cons = parse_constraint(ps, &ok);
        return ok ? n : NULL;
    case '"': {
        g_autofree char *s = rules_parse_string(ps);
        if (!s)
            return NULL;
        if (!(n = phrase(ps, s, off)))
            return NULL;
        n->quoted = g_string_chunk_insert_const(ps->ph->strings, s); /* defines as values */
        return n;
    }
    case '@': {
        ps->p++;
        size_t k = rules_read_run(ps, rules_is_label_char);
        n = new_node(ps, N_ENTITY, off);
        if (k) {
            g_autofree char *label = g_strndup(ps->text + off + 1, k);
            labelset ls = {ps->ph->set_labels->len, 1};
            g_ptr_array_add(ps->ph->set_labels, (gpointer)g_intern_string(label));
            g_array_append_val(ps->ph->labelsets, ls);
            n->labels = (int)ps->ph->labelsets->len - 1;
        }
        ps->ph->uses_entities = TRUE;
        return n;
    }
    case '%': {
        ps->p++;
        size_t k = rules_read_run(ps, rules_is_ident_char);
        if (!k)
            return rules_fail(ps, off, "expected a define name after '%%'");
        g_autofree char *name = g_strndup(ps->text + off + 1, k);
        define *d = g_hash_table_lookup(ps->defines, name);
        if (!d)
            return rules_fail(ps, off, "undefined %%%s", name);
        return d->body;
    }
    case '(':
        return parse_group(ps);
    case '^':
    case '$':
        ps->p++;
        return new_node(ps, c == '^' ? N_BOL : N_EOL, off);
    case ')':
        return rules_fail(ps, off, "unbalanced ')'");
    case ']':
        return rules_fail(ps, off, "unbalanced ']'");
    case '?':
    case '*':
    case '+':
    case '{':
        return rules_fail(ps, off, "bad quantifier: nothing to repeat before '%c'", c);
    default: {
        g_autofree char *what = rules_excerpt(ps, off);
        if (g_ascii_isalpha(c))
            return rules_fail(ps, off, "unexpected '%s' (text is quoted: \"%s\")", what, what);
        return rules_fail(ps, off, "unexpected '%s'", what);
    }
    }
}

/* A run of digits (the text is not NUL-terminated), saturating. */
static long read_count(parser *ps)
{
    long v = 0;
    while (g_ascii_isdigit(cur(ps))) {
        v = MIN(v * 10 + (ps->text[ps->p] - '0'), 1000000000L);
        ps->p++;
    }
    return v;
}

/* {m}, {m,n}, {,n}, {m,} at ps->p (on '{'). */
static gboolean parse_braces(parser *ps, int *min, int *max)
{
    size_t open = ps->p++;
    long m = -1, n = -1;
    gboolean comma = FALSE;
    while (cur(ps) == ' ')
        ps->p++;
    if (g_ascii_isdigit(cur(ps)))
        m = read_count(ps);
    while (cur(ps) == ' ')
        ps->p++;
    if (cur(ps) == ',') {
        comma = TRUE;
        ps->p++;
        while (cur(ps) == ' ')
            ps->p++;
        if (g_ascii_isdigit(cur(ps)))
            n = read_count(ps);
        while (cur(ps) == ' ')
            ps->p++;
    }
    if (cur(ps) != '}' || (m < 0 && n < 0)) {
        while (ps->p < ps->end && ps->text[ps->p] != '}' && ps->text[ps->p] != '\n' &&
               ps->p - open < 20)
            ps->p++;
        return rules_fail(ps, open, "bad quantifier: expected {m}, {m,n}, {,n} or {m,}") != NULL;
    }
    ps->p++;
    if (!comma)
        n = m;
    if (m < 0)
        m = 0;
    if (m > NERVE_RULES_MAX_REPEAT || n > NERVE_RULES_MAX_REPEAT)
        return rules_fail(ps, open, "bad quantifier: a count over %d (limit max-repeat)",
                          NERVE_RULES_MAX_REPEAT) != NULL;
    if (n >= 0 && m > n)
        return rules_fail(ps, open, "bad quantifier {%ld,%ld}: minimum greater than maximum", m,
                          n) != NULL;
    *min = (int)m;
    *max = (int)n;
    return TRUE;
}

static node *parse_item(parser *ps)
{
    node *atom = parse_atom(ps);
    if (!atom)
        return NULL;
    gboolean quantified = FALSE;
    for (;;) {
        rules_skip_ws(ps);
        int c = cur(ps);
        if (c != '?' && c != '*' && c != '+' && c != '{')
            return atom;
        size_t off = ps->p;
        if (quantified)
            return rules_fail(ps, off, "bad quantifier: '%c' after another quantifier", c);
        if (atom->kind == N_BOL || atom->kind == N_EOL)
            return rules_fail(ps, off, "bad quantifier: an anchor cannot repeat");
        int min = c == '+' ? 1 : 0, max = c == '?' ? 1 : -1;
        if (c == '{') {
            if (!parse_braces(ps, &min, &max))
                return NULL;
        } else
            ps->p++;
        node *rep = new_node(ps, N_REPEAT, off);
        rep->min = min;
        rep->max = max;
        add_kid(rep, atom);
        atom = rep;
        quantified = TRUE;
    }
}

static node *parse_seq(parser *ps)
{
    node *seq = NULL, *first = NULL;
    for (;;) {
        rules_skip_ws(ps);
        int c = cur(ps);
        if (c < 0 || c == ')' || c == '|')
            break;
        node *item = parse_item(ps);
        if (!item)
            return NULL;
        if (!first)
            first = item;
        else {
            if (!seq) {
                seq = new_node(ps, N_SEQ, first->off);
                add_kid(seq, first);
            }
            add_kid(seq, item);
        }
    }
    if (!first) {
        int c = cur(ps);
        if (c < 0 && ps->depth > 0)
            return rules_fail(ps, ps->open, "unbalanced '(': no matching ')'");
        return rules_fail(ps, ps->p,
                          c < 0 ? "empty pattern" : "expected a pattern element before '%c'", c);
    }
    return seq ? seq : first;
}

static node *parse_alt(parser *ps)
{
    size_t off = ps->p;
    node *first = parse_seq(ps), *alt = NULL;
    if (!first)
        return NULL;
    while (cur(ps) == '|') {
        ps->p++;
        node *next = parse_seq(ps);
        if (!next)
            return NULL;
        if (!alt) {
            alt = new_node(ps, N_ALT, off);
            add_kid(alt, first);
        }
        add_kid(alt, next);
    }
    return alt ? alt : first;
}

node *rules_parse_pattern(parser *ps, size_t a, size_t b)
{
    ps->p = a;
    ps->end = b;
    ps->bad = FALSE;
    ps->depth = 0;
    node *n = parse_alt(ps);
    if (!n)
        return NULL;
    rules_skip_ws(ps);
    if (ps->p < ps->end)
        return rules_fail(ps, ps->p, "unbalanced ')'");
    return n;
}
