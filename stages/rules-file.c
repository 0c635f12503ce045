/* rules-file.c - the line structure of a rule file: defines, rules and
 * their keys (see rules.h and DESIGN.md → Rule language).
 *
 * Each non-blank, non-comment line starts with a keyword.  `define` and
 * `rule` start an item; entity, event, pattern, span, priority and attr
 * are keys of the current rule.  A pattern or define value goes on over
 * the following lines that are indented deeper than its keyword's line
 * (blank and comment lines in between do not end it).  A rule is checked
 * when the next item starts (exactly one of entity/event, a pattern, a
 * trigger capture for events, span naming a capture) and compiled only
 * when it has no error, so that errors never cascade into others.
 */
#include <string.h>

#include "nerve/error.h"
#include "rules-parse.h"

static const char *const rule_keys[] = {"entity", "event", "pattern", "span", "priority", "attr"};

static void define_free(gpointer p)
{
    define *d = p;
    if (d->words)
        g_ptr_array_free(d->words, TRUE);
    g_free(d);
}

static size_t line_end(const parser *ps, size_t pos)
{
    const char *nl = memchr(ps->text + pos, '\n', ps->len - pos);
    return nl ? (size_t)(nl - ps->text) : ps->len;
}

/* The visual indent of the line at pos (tabs to multiples of 8) and its
 * first non-blank offset. */
static int indent_of(const parser *ps, size_t pos, size_t eol, size_t *first)
{
    int ind = 0;
    while (pos < eol && (ps->text[pos] == ' ' || ps->text[pos] == '\t')) {
        ind = ps->text[pos] == '\t' ? (ind / 8 + 1) * 8 : ind + 1;
        pos++;
    }
    *first = pos;
    return ind;
}

static gboolean blank_line(const parser *ps, size_t first, size_t eol)
{
    return first == eol || ps->text[first] == '#' || ps->text[first] == '\r';
}

/* Whether the line from first to eol starts with a keyword and a blank. */
static gboolean keyword_line(const parser *ps, size_t first, size_t eol)
{
    static const char *const words[] = {"rule",    "define", "entity",   "event",
                                        "pattern", "span",   "priority", "attr"};
    size_t w = first;
    while (w < eol && g_ascii_isalpha(ps->text[w]))
        w++;
    if (w == first || (w < eol && !g_ascii_isspace(ps->text[w]) && ps->text[w] != '#'))
        return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS(words); i++)
        if (strlen(words[i]) == w - first && !memcmp(words[i], ps->text + first, w - first))
            return TRUE;
    return FALSE;
}

/* The end of a value starting on the line that ends at eol: the end of the
 * last following line indented deeper than indent (a line starting with a
 * keyword is never part of a value: bare words are not pattern elements). */
static size_t extend(const parser *ps, size_t eol, int indent)
{
    size_t end = eol;
    for (size_t pos = eol + 1; pos < ps->len;) {
        size_t e = line_end(ps, pos), first;
        int ind = indent_of(ps, pos, e, &first);
        if (!blank_line(ps, first, e)) {
            if (ind <= indent || keyword_line(ps, first, e))
                break;
            end = e;
        }
        pos = e + 1;
    }
    return end;
}

/* Reads the single word of a key's value in [a, eol) with chars accepted
 * by ok; FALSE after an error. */
static gboolean one_word(parser *ps, size_t key_off, size_t a, size_t eol, const char *what,
                         gboolean (*ok)(int), size_t *wa, size_t *wb)
{
    ps->p = a;
    ps->end = eol;
    rules_skip_ws(ps);
    if (ps->p >= ps->end) {
        rules_fail(ps, key_off, "expected %s after '%.*s'", what, (int)(a - key_off),
                   ps->text + key_off);
        return FALSE;
    }
    *wa = ps->p;
    if (!rules_read_run(ps, ok)) {
        g_autofree char *x = rules_excerpt(ps, ps->p);
        rules_fail(ps, ps->p, "expected %s, not '%s'", what, x);
        return FALSE;
    }
    *wb = ps->p;
    rules_skip_ws(ps);
    if (ps->p < ps->end) {
        g_autofree char *x = rules_excerpt(ps, ps->p);
        rules_fail(ps, ps->p, "unexpected '%s' after %s", x, what);
        return FALSE;
    }
    return TRUE;
}

/* --- finishing a rule ------------------------------------------------------------ */

static int find_name(GPtrArray *names, const char *name)
{
    for (guint i = 0; i < names->len; i++)
        if (g_ptr_array_index(names, i) == name)
            return (int)i;
    return -1;
}

/* The role of a capture: its name, less a final "_N" (digits), so that a
 * rule can name two arguments of one role (Entity_1, Entity_2). */
static const char *role_of(const char *name)
{
    const char *u = strrchr(name, '_');
    if (!u || u == name || !u[1] || u[strspn(u + 1, "0123456789") + 1])
        return name;
    g_autofree char *role = g_strndup(name, (gsize)(u - name));
    return g_intern_string(role);
}

static void compile_pending(parser *ps, GPtrArray *caps)
{
    pending *r = &ps->r;
    rule ru;
    memset(&ru, 0, sizeof ru);
    ru.name = g_intern_string(r->name);
    g_autofree char *source = g_strconcat("rule:", r->name, NULL);
    ru.source = g_intern_string(source);
    ru.label = r->label;
    ru.is_event = r->is_event;
    ru.priority = r->priority;
    if (r->attrs->len)
        ru.attrs = g_string_chunk_insert_len(ps->ph->strings, r->attrs->str, (gssize)r->attrs->len);
    ru.n_caps = caps->len;
    ru.cap_names = g_new0(const char *, 2 * (caps->len + 1));
    ru.roles = ru.cap_names + caps->len + 1;
    for (guint i = 0; i < caps->len; i++) {
        ru.cap_names[i] = g_ptr_array_index(caps, i);
        ru.roles[i] = role_of(ru.cap_names[i]);
    }
    ru.span_cap = r->span ? find_name(caps, g_intern_string(r->span)) : -1;
    ru.trigger_cap = find_name(caps, g_intern_string("trigger"));
    ru.line = rules_line_of(ps, r->off);
    if (rules_compile_rule(ps->ph, &ru, r->pattern, r->pattern_at, ps->er))
        g_array_append_val(ps->ph->rules, ru);
    else {
        g_free(ru.cap_names);
        g_free(ru.prog);
        g_free(ru.first);
    }
}

static void finish_rule(parser *ps)
{
    pending *r = &ps->r;
    if (!r->active)
        return;
    r->active = FALSE;
    if (r->name) {
        if (!r->n_kinds && !r->kind_tried)
            errors_add(ps->er, r->off, "rule '%s' needs 'entity LABEL' or 'event TYPE'", r->name);
        if (!r->have_pattern)
            errors_add(ps->er, r->off, "rule '%s' has no pattern", r->name);
    }
    g_autoptr(GPtrArray) caps = g_ptr_array_new();
    if (r->pattern)
        rules_collect_captures(r->pattern, caps);
    if (r->pattern && r->n_kinds == 1 && r->is_event &&
        find_name(caps, g_intern_string("trigger")) < 0)
        errors_add(ps->er, r->pattern_off, "event rule '%s' has no (trigger: …) capture", r->name);
    if (r->span && r->n_kinds == 1 && r->is_event)
        errors_add(ps->er, r->span_off, "span is for entity rules; an event's parts are captures");
    else if (r->span && r->pattern && find_name(caps, g_intern_string(r->span)) < 0)
        errors_add(ps->er, r->span_off, "span '%s' names no capture of the pattern", r->span);
    if (r->name && r->pattern && ps->er->n == r->errors_at_start)
        compile_pending(ps, caps);
    g_free(r->name);
    g_free(r->span);
    g_string_free(r->attrs, TRUE);
    memset(r, 0, sizeof *r);
}

/* --- items and keys ---------------------------------------------------------------- */

static void start_rule(parser *ps, size_t key_off, size_t a, size_t eol)
{
    finish_rule(ps);
    pending *r = &ps->r;
    r->active = TRUE;
    r->off = key_off;
    r->attrs = g_string_new(NULL);
    r->errors_at_start = ps->er->n;
    size_t wa, wb;
    if (!one_word(ps, key_off, a, eol, "a rule name", rules_is_label_char, &wa, &wb))
        return;
    r->name = g_strndup(ps->text + wa, wb - wa);
    gpointer line = g_hash_table_lookup(ps->rule_lines, r->name);
    if (line)
        errors_add(ps->er, wa, "rule '%s' is already defined on line %u", r->name,
                   GPOINTER_TO_UINT(line));
    else
        g_hash_table_insert(ps->rule_lines, g_strdup(r->name),
                            GUINT_TO_POINTER(rules_line_of(ps, key_off)));
}

static void parse_define(parser *ps, size_t key_off, size_t a, size_t end)
{
    finish_rule(ps);
    ps->p = a;
    ps->end = end;
    rules_skip_ws(ps);
    size_t na = ps->p, n = rules_read_run(ps, rules_is_ident_char);
    if (!n) {
        rules_fail(ps, key_off, "define needs a name: define NAME = pattern");
        return;
    }
    g_autofree char *name = g_strndup(ps->text + na, n);
    rules_skip_ws(ps);
    if (ps->p >= ps->end || ps->text[ps->p] != '=') {
        rules_fail(ps, ps->p, "expected '=' after define %s", name);
        return;
    }
    node *body = rules_parse_pattern(ps, ps->p + 1, end);
    if (!body)
        return;
    define *old = g_hash_table_lookup(ps->defines, name);
    if (old) {
        errors_add(ps->er, na, "%%%s is already defined on line %u", name, old->line);
        return;
    }
    define *d = g_new0(define, 1);
    d->body = body;
    d->line = rules_line_of(ps, key_off);
    if (body->quoted || body->kind == N_ALT) {
        d->words = g_ptr_array_new_with_free_func(g_free);
        if (body->quoted)
            g_ptr_array_add(d->words, g_strdup(body->quoted));
        for (guint i = 0; body->kind == N_ALT && d->words && i < body->kids->len; i++) {
            const node *k = g_ptr_array_index(body->kids, i);
            if (k->quoted)
                g_ptr_array_add(d->words, g_strdup(k->quoted));
            else
                g_clear_pointer(&d->words, g_ptr_array_unref);
        }
    }
    g_hash_table_insert(ps->defines, g_steal_pointer(&name), d);
}

static void key_kind(parser *ps, gboolean is_event, size_t key_off, size_t a, size_t eol)
{
    pending *r = &ps->r;
    size_t wa, wb;
    r->kind_tried = TRUE;
    if (!one_word(ps, key_off, a, eol, is_event ? "an event type" : "an entity label",
                  rules_is_label_char, &wa, &wb))
        return;
    if (++r->n_kinds > 1) {
        if (r->is_event != is_event)
            errors_add(ps->er, key_off, "rule '%s' has both 'entity' and 'event'; it needs one",
                       r->name ? r->name : "?");
        else
            errors_add(ps->er, key_off, "rule '%s' has two '%s' keys", r->name ? r->name : "?",
                       is_event ? "event" : "entity");
        return;
    }
    g_autofree char *label = g_strndup(ps->text + wa, wb - wa);
    r->label = g_intern_string(label);
    r->is_event = is_event;
}

static void key_priority(parser *ps, size_t key_off, size_t a, size_t eol)
{
    size_t wa, wb;
    if (!one_word(ps, key_off, a, eol, "a priority", rules_is_label_char, &wa, &wb))
        return;
    g_autofree char *w = g_strndup(ps->text + wa, wb - wa);
    char *endp;
    gint64 v = g_ascii_strtoll(w, &endp, 10);
    if (*endp || !*w || v < INT32_MIN || v > INT32_MAX) {
        errors_add(ps->er, wa, "priority must be an integer, not '%s'", w);
        return;
    }
    if (ps->r.have_priority)
        errors_add(ps->er, key_off, "priority given twice");
    ps->r.have_priority = TRUE;
    ps->r.priority = (int32_t)v;
}

static void key_attr(parser *ps, size_t key_off, size_t a, size_t eol)
{
    ps->p = a;
    ps->end = eol;
    rules_skip_ws(ps);
    size_t ka = ps->p, n = rules_read_run(ps, rules_is_label_char);
    if (!n || ps->p >= eol || ps->text[ps->p] != '=') {
        errors_add(ps->er, n ? ps->p : key_off, "attr needs KEY=VALUE");
        return;
    }
    g_autofree char *key = g_strndup(ps->text + ka, n);
    ps->p++;
    g_autofree char *value = NULL;
    if (ps->p < eol && ps->text[ps->p] == '"') {
        if (!(value = rules_parse_string(ps)))
            return;
        rules_skip_ws(ps);
        if (ps->p < ps->end) {
            g_autofree char *x = rules_excerpt(ps, ps->p);
            rules_fail(ps, ps->p, "unexpected '%s' after the attr value", x);
            return;
        }
    } else {
        size_t va = ps->p, vb = va;
        for (size_t i = va; i < eol; i++) {
            if (ps->text[i] == '#' && (i == va || g_ascii_isspace(ps->text[i - 1])))
                break;
            vb = i + 1;
        }
        while (vb > va && g_ascii_isspace(ps->text[vb - 1]))
            vb--;
        value = g_strndup(ps->text + va, vb - va);
    }
    g_string_append_len(ps->r.attrs, key, (gssize)strlen(key) + 1);
    g_string_append_len(ps->r.attrs, value, (gssize)strlen(value) + 1);
}

/* One key line of the current rule; returns where the next line starts. */
static size_t rule_key(parser *ps, int k, size_t key_off, size_t a, size_t eol, int indent)
{
    pending *r = &ps->r;
    switch (k) {
    case 0:
    case 1:
        key_kind(ps, k == 1, key_off, a, eol);
        break;
    case 2: {
        size_t end = extend(ps, eol, indent);
        if (r->have_pattern)
            errors_add(ps->er, key_off, "rule '%s' has two patterns", r->name ? r->name : "?");
        else {
            r->have_pattern = TRUE;
            r->pattern_off = key_off;
            r->pattern = rules_parse_pattern(ps, a, end);
            r->pattern_at = a;
            while (r->pattern_at < end && g_ascii_isspace(ps->text[r->pattern_at]))
                r->pattern_at++;
        }
        return end;
    }
    case 3: {
        size_t wa, wb;
        if (one_word(ps, key_off, a, eol, "a capture name", rules_is_ident_char, &wa, &wb)) {
            if (r->span)
                errors_add(ps->er, key_off, "span given twice");
            else {
                r->span = g_strndup(ps->text + wa, wb - wa);
                r->span_off = wa;
            }
        }
        break;
    }
    case 4:
        key_priority(ps, key_off, a, eol);
        break;
    default:
        key_attr(ps, key_off, a, eol);
        break;
    }
    return eol;
}

/* One non-blank line; returns the offset of the end of what it used. */
static size_t parse_line(parser *ps, size_t first, size_t eol, int indent)
{
    size_t w = first;
    while (w < eol && g_ascii_isalpha(ps->text[w]))
        w++;
    g_autofree char *word = g_strndup(ps->text + first, w - first);
    gboolean sep = w == eol || g_ascii_isspace(ps->text[w]) || ps->text[w] == '#';
    if (sep && !strcmp(word, "define")) {
        size_t end = extend(ps, eol, indent);
        parse_define(ps, first, w, end);
        return end;
    }
    if (sep && !strcmp(word, "rule")) {
        start_rule(ps, first, w, eol);
        return eol;
    }
    for (guint k = 0; sep && k < G_N_ELEMENTS(rule_keys); k++)
        if (!strcmp(word, rule_keys[k])) {
            if (!ps->r.active) {
                errors_add(ps->er, first, "'%s' outside a rule (start one with 'rule NAME')", word);
                return k == 2 ? extend(ps, eol, indent) : eol;
            }
            return rule_key(ps, (int)k, first, w, eol, indent);
        }
    ps->p = first;
    ps->end = eol;
    g_autofree char *x = rules_excerpt(ps, first);
    if (ps->r.active)
        errors_add(ps->er, first,
                   "unknown rule key '%s' (entity, event, pattern, span, priority, attr)", x);
    else
        errors_add(ps->er, first, "expected 'rule' or 'define', not '%s'", x);
    return eol;
}

void rules_parse(phase *ph, const char *text, size_t len, const nerve_tokenizer *tk,
                 const nerve_normalize_options *norm, errors *er)
{
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.ph = ph;
    ps.er = er;
    ps.text = text;
    ps.len = len;
    ps.tk = tk;
    ps.norm = norm;
    ps.defines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, define_free);
    ps.rule_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t pos = 0; pos < len;) {
        size_t eol = line_end(&ps, pos), first;
        int indent = indent_of(&ps, pos, eol, &first);
        size_t used = blank_line(&ps, first, eol) ? eol : parse_line(&ps, first, eol, indent);
        pos = used + 1;
    }
    finish_rule(&ps);
    g_hash_table_destroy(ps.defines);
    g_hash_table_destroy(ps.rule_lines);
}
