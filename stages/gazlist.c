/* gazlist.c - the source list parsers: TSV, GATE lists.def/.lst, spaCy
 * EntityRuler JSONL (formats in gazlist.h).
 *
 * Each parser walks the bytes line by line (no copy of the file), checks
 * every line for valid UTF-8 and NUL bytes before anything else, and hands
 * terms to the builder, which tokenizes them.  Errors name FILE:LINE:COL
 * with the column in characters, because that is what editors show.
 * The list is started lazily at the first entry, so "#!" option lines
 * (which may only come first) are known by then.  List options (their
 * text form, shared by "#!" lines and model.json) are parsed here too.
 */
#include "nerve/gazlist.h"

#include <jansson.h>
#include <string.h>

#include "nerve/error.h"
#include "nerve/utf8.h"

/* --- options ------------------------------------------------------------- */

gboolean nerve_gaz_options_set(nerve_gaz_options *o, const char *key, const char *value,
                               const char **why)
{
    if (!strcmp(key, "name") || !strcmp(key, "label")) {
        if (!*value || strpbrk(value, " \t\r\n")) {
            *why = "a name or label must be non-empty and without spaces";
            return FALSE;
        }
        char **dst = key[0] == 'n' ? &o->name : &o->label;
        g_free(*dst);
        *dst = g_strdup(value);
        o->set |= key[0] == 'n' ? NERVE_GAZ_OPT_NAME : NERVE_GAZ_OPT_LABEL;
    } else if (!strcmp(key, "case")) {
        static const char *const names[] = {"sensitive", "insensitive", "fold"};
        guint i = 0;
        while (i < G_N_ELEMENTS(names) && strcmp(value, names[i]))
            i++;
        if (i == G_N_ELEMENTS(names)) {
            *why = "case must be sensitive, insensitive or fold";
            return FALSE;
        }
        o->case_mode = (nerve_gaz_case)i;
        o->set |= NERVE_GAZ_OPT_CASE;
    } else if (!strcmp(key, "mode")) {
        if (strcmp(value, "longest") && strcmp(value, "all")) {
            *why = "mode must be longest or all";
            return FALSE;
        }
        o->mode = !strcmp(value, "all") ? NERVE_GAZ_ALL : NERVE_GAZ_LONGEST;
        o->set |= NERVE_GAZ_OPT_MODE;
    } else if (!strcmp(key, "priority")) {
        gint64 v;
        if (!g_ascii_string_to_signed(value, 10, -1000000, 1000000, &v, NULL)) {
            *why = "priority must be an integer between -1000000 and 1000000";
            return FALSE;
        }
        o->priority = (int)v;
        o->set |= NERVE_GAZ_OPT_PRIORITY;
    } else if (!strcmp(key, "caps")) {
        if (strcmp(value, "yes") && strcmp(value, "no")) {
            *why = "caps must be yes or no";
            return FALSE;
        }
        o->caps = !strcmp(value, "yes");
        o->set |= NERVE_GAZ_OPT_CAPS;
    } else {
        *why = "unknown option (name, label, case, priority, mode, caps)";
        return FALSE;
    }
    return TRUE;
}

void nerve_gaz_options_merge(nerve_gaz_options *dst, const nerve_gaz_options *src)
{
    if (src->set & NERVE_GAZ_OPT_NAME) {
        g_free(dst->name);
        dst->name = g_strdup(src->name);
    }
    if (src->set & NERVE_GAZ_OPT_LABEL) {
        g_free(dst->label);
        dst->label = g_strdup(src->label);
    }
    if (src->set & NERVE_GAZ_OPT_CASE)
        dst->case_mode = src->case_mode;
    if (src->set & NERVE_GAZ_OPT_MODE)
        dst->mode = src->mode;
    if (src->set & NERVE_GAZ_OPT_PRIORITY)
        dst->priority = src->priority;
    if (src->set & NERVE_GAZ_OPT_CAPS)
        dst->caps = src->caps;
    dst->set |= src->set;
}

void nerve_gaz_options_clear(nerve_gaz_options *o)
{
    g_free(o->name);
    g_free(o->label);
    memset(o, 0, sizeof *o);
}

/* --- lines and errors ------------------------------------------------------ */

typedef struct {
    const char *data;
    size_t len, pos;
    guint lineno;
} lines;

/* The next line without its end of line (\n, \r\n); FALSE at the end. */
static gboolean next_line(lines *it, const char **s, size_t *n)
{
    if (it->pos >= it->len)
        return FALSE;
    const char *p = it->data + it->pos;
    const char *nl = memchr(p, '\n', it->len - it->pos);
    size_t k = nl ? (size_t)(nl - p) : it->len - it->pos;
    it->pos += k + (nl ? 1 : 0);
    if (it->lineno == 0 && k >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3, k -= 3; /* byte order mark */
    if (k && p[k - 1] == '\r')
        k--;
    it->lineno++;
    *s = p;
    *n = k;
    return TRUE;
}

static gboolean fail_at(GError **error, const char *path, guint line, const char *ls,
                        const char *at, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* Reports "path:line:col: message", col the character column of at in the
 * line starting at ls. */
static gboolean fail_at(GError **error, const char *path, guint line, const char *ls,
                        const char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    glong col = 1;
    if (ls && at && at > ls)
        col += g_utf8_strlen(ls, at - ls);
    g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s:%u:%ld: %s", path, line, col, msg);
    return FALSE;
}

/* Valid UTF-8 without NUL bytes. */
static gboolean check_line(GError **error, const char *path, guint line, const char *s, size_t n)
{
    size_t bad;
    if (nerve_utf8_count_invalid(s, n, &bad))
        return fail_at(error, path, line, s, s + bad, "invalid UTF-8");
    const char *nul = memchr(s, '\0', n);
    if (nul)
        return fail_at(error, path, line, s, nul, "NUL byte in a list");
    return TRUE;
}

static gboolean is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isspace(s[i]))
            return FALSE;
    return TRUE;
}

/* Trims ASCII spaces around [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    while (*n && g_ascii_isspace((*s)[0]))
        (*s)++, (*n)--;
    while (*n && g_ascii_isspace((*s)[*n - 1]))
        (*n)--;
}

/* Parses "#!key=value key=value" (s after "#!") into o. */
static gboolean parse_options(GError **error, const char *path, guint line, const char *ls,
                              const char *s, size_t n, nerve_gaz_options *o)
{
    const char *end = s + n;
    while (s < end) {
        while (s < end && g_ascii_isspace(*s))
            s++;
        const char *w = s;
        while (s < end && !g_ascii_isspace(*s))
            s++;
        if (w == s)
            break;
        const char *eq = memchr(w, '=', (size_t)(s - w));
        if (!eq || eq == w)
            return fail_at(error, path, line, ls, w, "expected key=value in an option line");
        g_autofree char *key = g_strndup(w, (size_t)(eq - w));
        g_autofree char *value = g_strndup(eq + 1, (size_t)(s - eq - 1));
        const char *why = NULL;
        if (!nerve_gaz_options_set(o, key, value, &why))
            return fail_at(error, path, line, ls, w, "%s: %s", key, why);
    }
    return TRUE;
}

/* The list's name: the name option, else the basename without extension. */
static char *list_name(const char *path, const nerve_gaz_options *o)
{
    if (o->set & NERVE_GAZ_OPT_NAME)
        return g_strdup(o->name);
    char *base = g_path_get_basename(path);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    for (char *p = base; *p; p++)
        if (g_ascii_isspace(*p))
            *p = '_';
    return base;
}

/* A list being read: options and whether it has begun in the builder. */
typedef struct {
    nerve_gaz_builder *b;
    const char *path;
    nerve_gaz_options opts;
    const nerve_gaz_options *over;
    guint source;
    gboolean begun;
} reading;

static gboolean begin(reading *r, GError **error, guint line)
{
    if (r->begun)
        return TRUE;
    if (r->over)
        nerve_gaz_options_merge(&r->opts, r->over);
    g_autofree char *name = list_name(r->path, &r->opts);
    const char *why = NULL;
    r->begun = TRUE;
    if (!nerve_gaz_builder_begin_list(r->b, name, &r->opts, r->source, &why))
        return fail_at(error, r->path, line, NULL, NULL, "%s", why);
    return TRUE;
}

/* Option lines ("#!") before the first entry; TRUE with *handled when the
 * line was one. */
static gboolean option_line(reading *r, GError **error, guint line, const char *s, size_t n,
                            gboolean *handled)
{
    *handled = n >= 2 && s[0] == '#' && s[1] == '!';
    if (!*handled)
        return TRUE;
    if (r->begun)
        return fail_at(error, r->path, line, s, s,
                       "option lines (#!) must come before the first entry");
    return parse_options(error, r->path, line, s, s + 2, n - 2, &r->opts);
}

/* A label: non-empty, no spaces. */
static gboolean check_label(GError **error, const char *path, guint line, const char *ls,
                            const char *s, size_t n)
{
    if (!n)
        return fail_at(error, path, line, ls, s, "empty label");
    for (size_t i = 0; i < n; i++)
        if (g_ascii_isspace(s[i]))
            return fail_at(error, path, line, ls, s + i, "a label must not contain spaces");
    return TRUE;
}

/* Appends "key\0value\0" from the field "key=value" to attrs. */
static gboolean add_attr(GError **error, const char *path, guint line, const char *ls,
                         const char *f, size_t n, GString *attrs)
{
    const char *eq = memchr(f, '=', n);
    if (!eq)
        return fail_at(error, path, line, ls, f, "expected key=value");
    const char *k = f;
    size_t kn = (size_t)(eq - f);
    trim(&k, &kn);
    if (!kn)
        return fail_at(error, path, line, ls, f, "empty attribute name");
    for (size_t i = 0; i < kn; i++)
        if (g_ascii_isspace(k[i]))
            return fail_at(error, path, line, ls, f, "an attribute name must not contain spaces");
    const char *v = eq + 1;
    size_t vn = (size_t)(f + n - v);
    trim(&v, &vn);
    g_string_append_len(attrs, k, (gssize)kn);
    g_string_append_c(attrs, '\0');
    g_string_append_len(attrs, v, (gssize)vn);
    g_string_append_c(attrs, '\0');
    return TRUE;
}

static gboolean add_term(reading *r, GError **error, guint line, const char *ls, const char *term,
                         size_t n, const char *label, GString *attrs)
{
    const char *why = NULL;
    if (!begin(r, error, line))
        return FALSE;
    if (!nerve_gaz_builder_add_term(r->b, term, n, label, attrs->len ? attrs->str : NULL,
                                    attrs->len + 1, &why))
        return fail_at(error, r->path, line, ls, term, "%s", why);
    return TRUE;
}

/* --- TSV ---------------------------------------------------------------------- */

static gboolean tsv_line(reading *r, GError **error, guint line, const char *s, size_t n,
                         GString *attrs)
{
    const char *ls = s, *end = s + n;
    if (n >= 2 && s[0] == '\\' && s[1] == '#')
        s++;
    const char *tab = memchr(s, '\t', (size_t)(end - s));
    const char *term = s;
    size_t tn = (size_t)((tab ? tab : end) - s);
    trim(&term, &tn);
    if (!tn)
        return fail_at(error, r->path, line, ls, s, "empty term");
    g_autofree char *label = NULL;
    g_string_truncate(attrs, 0);
    for (int col = 1; tab; col++) {
        const char *f = tab + 1;
        tab = memchr(f, '\t', (size_t)(end - f));
        size_t fn = (size_t)((tab ? tab : end) - f);
        const char *v = f;
        size_t vn = fn;
        trim(&v, &vn);
        if (!vn)
            continue;
        if (col == 1 && !memchr(v, '=', vn)) {
            if (!check_label(error, r->path, line, ls, v, vn))
                return FALSE;
            label = g_strndup(v, vn);
        } else if (!add_attr(error, r->path, line, ls, v, vn, attrs))
            return FALSE;
    }
    if (!label && !begin(r, error, line))
        return FALSE;
    if (!label && !(r->opts.set & NERVE_GAZ_OPT_LABEL))
        return fail_at(error, r->path, line, ls, s + n,
                       "no label: add a LABEL column or a #!label= line");
    return add_term(r, error, line, ls, term, tn, label ? label : r->opts.label, attrs);
}

typedef gboolean (*entry_line_fn)(reading *r, GError **error, guint line, const char *s, size_t n,
                                  GString *attrs);

/* The lines of a list whose entries are one per line (TSV, pattern JSONL):
 * #! options at the top, # comments and blank lines skipped, each other
 * line given to entry. */
static gboolean parse_entry_lines(nerve_gaz_builder *b, const char *path, const char *data,
                                  size_t len, const nerve_gaz_options *over, guint source,
                                  entry_line_fn entry, GError **error)
{
    reading r = {b, path, {0}, over, source, FALSE};
    lines it = {data, len, 0, 0};
    g_autoptr(GString) attrs = g_string_new(NULL);
    const char *s;
    size_t n;
    gboolean ok = TRUE, handled;
    while (ok && next_line(&it, &s, &n)) {
        ok = check_line(error, path, it.lineno, s, n) &&
             option_line(&r, error, it.lineno, s, n, &handled);
        if (ok && !handled && !is_blank(s, n) && s[0] != '#')
            ok = entry(&r, error, it.lineno, s, n, attrs);
    }
    ok = ok && begin(&r, error, it.lineno);
    nerve_gaz_options_clear(&r.opts);
    return ok;
}

gboolean nerve_gazlist_parse_tsv(nerve_gaz_builder *b, const char *path, const char *data,
                                 size_t len, const nerve_gaz_options *over, guint source,
                                 GError **error)
{
    return parse_entry_lines(b, path, data, len, over, source, tsv_line, error);
}

/* --- GATE ------------------------------------------------------------------------ */

char *nerve_gazlist_gate_label(const char *major, const char *minor)
{
    static const struct {
        const char *major, *label;
    } map[] = {
        {"organization", "ORG"},
        {"organisation", "ORG"},
        {"company", "ORG"},
        {"org", "ORG"},
        {"person", "PERSON"},
        {"person_full", "PERSON"},
        {"facility", "FAC"},
        {"date", "DATE"},
        {"time", "TIME"},
        {"money", "MONEY"},
        {"percent", "PERCENT"},
        {"event", "EVENT"},
        {"law", "LAW"},
        {"language", "LANGUAGE"},
        {"product", "PRODUCT"},
        {"nationality", "NORP"},
        {"religion", "NORP"},
        {"ethnicity", "NORP"},
        {"work_of_art", "WORK_OF_ART"},
        {"number", "CARDINAL"},
        {"ordinal", "ORDINAL"},
    };
    static const char *const gpe[] = {"city",   "country", "province", "region",      "state",
                                      "county", "town",    "village",  "municipality"};
    if (!g_ascii_strcasecmp(major, "location")) {
        for (guint i = 0; minor && i < G_N_ELEMENTS(gpe); i++)
            if (!g_ascii_strcasecmp(minor, gpe[i]))
                return g_strdup("GPE");
        return g_strdup("LOC");
    }
    for (guint i = 0; i < G_N_ELEMENTS(map); i++)
        if (!g_ascii_strcasecmp(major, map[i].major))
            return g_strdup(map[i].label);
    return g_ascii_strup(major, -1);
}

/* A feature "name=value": a non-empty name without spaces or '='. */
static gboolean is_feature(const char *s, size_t n)
{
    const char *eq = memchr(s, '=', n);
    if (!eq || eq == s)
        return FALSE;
    for (const char *p = s; p < eq; p++)
        if (g_ascii_isspace(*p))
            return FALSE;
    return TRUE;
}

/* Where the features of a .lst line start (the separator's position), or
 * end: the first '&' after which every '&'-separated part is a feature. */
static const char *features_start(const char *s, const char *end)
{
    const char *tab = memchr(s, '\t', (size_t)(end - s));
    if (tab)
        return tab;
    for (const char *amp = memchr(s, '&', (size_t)(end - s)); amp;
         amp = memchr(amp + 1, '&', (size_t)(end - amp - 1))) {
        gboolean all = TRUE;
        for (const char *f = amp + 1; all;) {
            const char *next = memchr(f, '&', (size_t)(end - f));
            all = is_feature(f, (size_t)((next ? next : end) - f));
            if (!next)
                break;
            f = next + 1;
        }
        if (all)
            return amp;
    }
    return end;
}

static gboolean lst_line(reading *r, GError **error, guint line, const char *s, size_t n,
                         const char *label, GString *attrs, size_t fixed)
{
    const char *end = s + n, *sep = features_start(s, end);
    const char *term = s;
    size_t tn = (size_t)(sep - s);
    trim(&term, &tn);
    if (!tn)
        return fail_at(error, r->path, line, s, s, "empty term");
    g_string_truncate(attrs, fixed);
    char sepc = sep < end ? *sep : '&';
    for (const char *f = sep; f < end;) {
        f++;
        const char *next = memchr(f, sepc, (size_t)(end - f));
        const char *v = f;
        size_t vn = (size_t)((next ? next : end) - f);
        trim(&v, &vn);
        if (vn && !add_attr(error, r->path, line, s, v, vn, attrs))
            return FALSE;
        f = next ? next : end;
    }
    if (!label && !begin(r, error, line))
        return FALSE;
    if (!label && !(r->opts.set & NERVE_GAZ_OPT_LABEL))
        return fail_at(error, r->path, line, s, s,
                       "a .lst read without its lists.def needs a #!label= line");
    return add_term(r, error, line, s, term, tn, label ? label : r->opts.label, attrs);
}

gboolean nerve_gazlist_parse_lst(nerve_gaz_builder *b, const char *path, const char *data,
                                 size_t len, const char *const def[4],
                                 const nerve_gaz_options *over, guint source, GError **error)
{
    reading r = {b, path, {0}, over, source, FALSE};
    lines it = {data, len, 0, 0};
    g_autoptr(GString) attrs = g_string_new(NULL);
    g_autofree char *label = NULL;
    if (def) {
        static const char *const keys[] = {"majorType", "minorType", "language"};
        for (int i = 0; i < 3; i++)
            if (def[i] && *def[i]) {
                g_string_append(attrs, keys[i]);
                g_string_append_c(attrs, '\0');
                g_string_append(attrs, def[i]);
                g_string_append_c(attrs, '\0');
            }
        label = def[3] && *def[3] && strcmp(def[3], "Lookup")
                    ? g_strdup(def[3])
                    : nerve_gazlist_gate_label(def[0], def[1]);
    }
    size_t fixed = attrs->len;
    const char *s;
    size_t n;
    gboolean ok = TRUE, handled;
    while (ok && next_line(&it, &s, &n)) {
        ok = check_line(error, path, it.lineno, s, n) &&
             option_line(&r, error, it.lineno, s, n, &handled);
        if (ok && !handled && !is_blank(s, n))
            ok = lst_line(&r, error, it.lineno, s, n, label, attrs, fixed);
    }
    ok = ok && begin(&r, error, it.lineno);
    nerve_gaz_options_clear(&r.opts);
    return ok;
}

static gboolean read_disk(const char *path, char **data, size_t *len, gpointer user, GError **error)
{
    (void)user;
    gsize n = 0;
    if (!g_file_get_contents(path, data, &n, error))
        return FALSE;
    *len = n;
    return TRUE;
}

/* One lists.def line: fills f[0..4] (file, major, minor, language, type). */
static gboolean def_fields(GError **error, const char *path, guint line, const char *s, size_t n,
                           char *f[5])
{
    g_autofree char *copy = g_strndup(s, n);
    g_auto(GStrv) parts = g_strsplit(copy, ":", -1);
    guint k = g_strv_length(parts);
    if (k < 2 || k > 5)
        return fail_at(error, path, line, s, s,
                       "expected file.lst:majorType[:minorType[:language[:annotationType]]]");
    for (guint i = 0; i < 5; i++)
        f[i] = i < k ? g_strstrip(g_strdup(parts[i])) : NULL;
    if (!*f[0] || !*f[1])
        return fail_at(error, path, line, s, s, "%s",
                       !*f[0] ? "empty file name" : "empty majorType");
    if (f[4] && strpbrk(f[4], " \t"))
        return fail_at(error, path, line, s, s, "an annotation type must not contain spaces");
    return TRUE;
}

gboolean nerve_gazlist_parse_def(nerve_gaz_builder *b, const char *path, const char *data,
                                 size_t len, const nerve_gaz_options *over, guint source,
                                 nerve_gazlist_reader read, gpointer user, GError **error)
{
    lines it = {data, len, 0, 0};
    g_autofree char *dir = g_path_get_dirname(path);
    const char *s;
    size_t n;
    gboolean ok = TRUE;
    while (ok && next_line(&it, &s, &n)) {
        ok = check_line(error, path, it.lineno, s, n);
        if (!ok || is_blank(s, n) || s[0] == '#')
            continue;
        char *f[5] = {NULL};
        ok = def_fields(error, path, it.lineno, s, n, f);
        if (ok) {
            g_autofree char *lst = g_build_filename(dir, f[0], NULL);
            g_autofree char *text = NULL;
            size_t tlen = 0;
            GError *io = NULL;
            if (!(read ? read : read_disk)(lst, &text, &tlen, user, &io)) {
                ok = fail_at(error, path, it.lineno, s, s, "cannot read %s: %s", f[0], io->message);
                g_error_free(io);
            } else {
                nerve_gaz_builder_hash(b, text, tlen);
                const char *def[4] = {f[1], f[2], f[3], f[4]};
                ok = nerve_gazlist_parse_lst(b, lst, text, tlen, def, over, source, error);
            }
        }
        for (int i = 0; i < 5; i++)
            g_free(f[i]);
    }
    return ok;
}

/* --- EntityRuler / Prodigy patterns --------------------------------------------- */

/* Fills toks from a token pattern; texts borrowed from the JSON. */
static gboolean ruler_tokens(GError **error, const char *path, guint line, const char *ls,
                             json_t *pattern, GArray *toks)
{
    size_t i;
    json_t *t;
    if (json_array_size(pattern) == 0)
        return fail_at(error, path, line, ls, ls, "empty pattern");
    json_array_foreach(pattern, i, t)
    {
        const char *key = NULL;
        json_t *v = NULL;
        if (json_is_object(t) && json_object_size(t) == 1) {
            void *it = json_object_iter(t);
            key = json_object_iter_key(it);
            v = json_object_iter_value(it);
        }
        if (!key || (g_ascii_strcasecmp(key, "LOWER") && g_ascii_strcasecmp(key, "ORTH") &&
                     g_ascii_strcasecmp(key, "TEXT")))
            return fail_at(error, path, line, ls, ls,
                           "pattern token %zu: expected an object with one key, LOWER, ORTH or "
                           "TEXT (this list takes no other token attributes)",
                           i + 1);
        if (!json_is_string(v) || !*json_string_value(v))
            return fail_at(error, path, line, ls, ls,
                           "pattern token %zu: %s must be a non-empty string", i + 1, key);
        nerve_gaz_pattern_token pt = {json_string_value(v), g_ascii_strcasecmp(key, "LOWER") != 0};
        g_array_append_val(toks, pt);
    }
    return TRUE;
}

static gboolean ruler_object(reading *r, GError **error, guint line, const char *s, json_t *obj,
                             GString *attrs)
{
    if (!json_is_object(obj))
        return fail_at(error, r->path, line, s, s,
                       "expected a JSON object {\"label\", \"pattern\"}");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "label") && strcmp(key, "pattern") && strcmp(key, "id"))
            return fail_at(error, r->path, line, s, s,
                           "unexpected key \"%s\" (a pattern has label, pattern and id)", key);
    }
    json_t *label = json_object_get(obj, "label"), *pattern = json_object_get(obj, "pattern");
    json_t *id = json_object_get(obj, "id");
    if (!begin(r, error, line))
        return FALSE;
    if (label && !json_is_string(label))
        return fail_at(error, r->path, line, s, s, "label must be a string");
    if (label && (!*json_string_value(label) || strpbrk(json_string_value(label), " \t\r\n")))
        return fail_at(error, r->path, line, s, s, "a label must be non-empty, without spaces");
    if (!label && !(r->opts.set & NERVE_GAZ_OPT_LABEL))
        return fail_at(error, r->path, line, s, s, "no \"label\"");
    const char *lab = label ? json_string_value(label) : r->opts.label;
    if (id && !json_is_string(id))
        return fail_at(error, r->path, line, s, s, "id must be a string");
    g_string_truncate(attrs, 0);
    if (id) {
        g_string_append_len(attrs, "id", 3);
        g_string_append(attrs, json_string_value(id));
        g_string_append_c(attrs, '\0');
    }
    if (json_is_string(pattern))
        return add_term(r, error, line, s, json_string_value(pattern), json_string_length(pattern),
                        lab, attrs);
    if (!json_is_array(pattern))
        return fail_at(error, r->path, line, s, s,
                       "pattern must be a string or a list of token objects");
    g_autoptr(GArray) toks = g_array_new(FALSE, FALSE, sizeof(nerve_gaz_pattern_token));
    if (!ruler_tokens(error, r->path, line, s, pattern, toks))
        return FALSE;
    const char *why = NULL;
    if (!nerve_gaz_builder_add_pattern(r->b, (const nerve_gaz_pattern_token *)(void *)toks->data,
                                       toks->len, lab, attrs->len ? attrs->str : NULL,
                                       attrs->len + 1, &why))
        return fail_at(error, r->path, line, s, s, "%s", why);
    return TRUE;
}

static gboolean ruler_line(reading *r, GError **error, guint line, const char *s, size_t n,
                           GString *attrs)
{
    json_error_t jerr;
    json_t *obj = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s:%u:%d: %s", r->path, line,
                    MAX(jerr.column, 1), jerr.text);
        return FALSE;
    }
    gboolean ok = ruler_object(r, error, line, s, obj, attrs);
    json_decref(obj);
    return ok;
}

gboolean nerve_gazlist_parse_ruler(nerve_gaz_builder *b, const char *path, const char *data,
                                   size_t len, const nerve_gaz_options *over, guint source,
                                   GError **error)
{
    return parse_entry_lines(b, path, data, len, over, source, ruler_line, error);
}

/* --- files ------------------------------------------------------------------------- */

nerve_gazlist_kind nerve_gazlist_kind_of(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    const char *ext = dot && (!slash || dot > slash) ? dot + 1 : "";
    if (!g_ascii_strcasecmp(ext, "gaz"))
        return NERVE_GAZLIST_COMPILED;
    if (!g_ascii_strcasecmp(ext, "def"))
        return NERVE_GAZLIST_GATE_DEF;
    if (!g_ascii_strcasecmp(ext, "lst"))
        return NERVE_GAZLIST_GATE_LST;
    if (!g_ascii_strcasecmp(ext, "jsonl") || !g_ascii_strcasecmp(ext, "json") ||
        !g_ascii_strcasecmp(ext, "ndjson"))
        return NERVE_GAZLIST_RULER;
    char head[16] = {0};
    FILE *f = fopen(path, "rb");
    size_t k = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (k >= 8 && !memcmp(head, "NERVEGAZ", 8))
        return NERVE_GAZLIST_COMPILED;
    size_t i = k >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < k && g_ascii_isspace(head[i]))
        i++;
    return i < k && head[i] == '{' ? NERVE_GAZLIST_RULER : NERVE_GAZLIST_TSV;
}

gboolean nerve_gazlist_load(nerve_gaz_builder *b, const char *path, const nerve_gaz_options *over,
                            guint source, GError **error)
{
    nerve_gazlist_kind kind = nerve_gazlist_kind_of(path);
    if (kind == NERVE_GAZLIST_COMPILED) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "%s: a compiled gazetteer is not a source list", path);
        return FALSE;
    }
    GError *io = NULL;
    g_autoptr(GMappedFile) map = g_mapped_file_new(path, FALSE, &io);
    if (!map) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "cannot read list: %s", io->message);
        g_error_free(io);
        return FALSE;
    }
    const char *data = g_mapped_file_get_contents(map);
    size_t len = g_mapped_file_get_length(map);
    data = data ? data : "";
    nerve_gaz_builder_hash(b, data, len);
    switch (kind) {
    case NERVE_GAZLIST_GATE_DEF:
        return nerve_gazlist_parse_def(b, path, data, len, over, source, NULL, NULL, error);
    case NERVE_GAZLIST_GATE_LST:
        return nerve_gazlist_parse_lst(b, path, data, len, NULL, over, source, error);
    case NERVE_GAZLIST_RULER:
        return nerve_gazlist_parse_ruler(b, path, data, len, over, source, error);
    default:
        return nerve_gazlist_parse_tsv(b, path, data, len, over, source, error);
    }
}

gboolean nerve_gazlist_dependencies(const char *path, GPtrArray *files, GError **error)
{
    g_ptr_array_add(files, g_strdup(path));
    if (nerve_gazlist_kind_of(path) != NERVE_GAZLIST_GATE_DEF)
        return TRUE;
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &text, &len, &io)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "cannot read list: %s", io->message);
        g_error_free(io);
        return FALSE;
    }
    g_autofree char *dir = g_path_get_dirname(path);
    lines it = {text, len, 0, 0};
    const char *s;
    size_t n;
    while (next_line(&it, &s, &n)) {
        if (is_blank(s, n) || s[0] == '#')
            continue;
        const char *colon = memchr(s, ':', n);
        const char *f = s;
        size_t fn = colon ? (size_t)(colon - s) : n;
        trim(&f, &fn);
        g_autofree char *name = g_strndup(f, fn);
        g_ptr_array_add(files, g_build_filename(dir, name, NULL));
    }
    return TRUE;
}
