/* gold-brat.c - reading brat standoff (.ann + .txt) back for nerve eval.
 *
 * brat offsets are code points of the .txt read as text; a discontinuous
 * span ("0 5;6 9") counts as one span from its first start to its last
 * end.  Which T lines are entities is decided from the E lines: the T of
 * an event's trigger is not an entity, nor a T that an event uses as an
 * argument under its own type as role (how nerve writes argument spans;
 * an annotator's entity whose type equals the role it fills is read the
 * same way).  A repeated role numbered by brat (agent2) loses its number
 * when the same role came before it in the line.  Arguments that are
 * events take their trigger's span.
 */
#include <string.h>

#include "formats/gold-read.h"
#include "nerve/error.h"
#include "nerve/offsets.h"
#include "nerve/utf8.h"

typedef struct {
    char *type;
    uint32_t start, end;
    gboolean not_entity;
} tb;

typedef struct {
    char *type;
    char *trigger;
    GPtrArray *roles, *refs; /* char* */
} ev_line;

static void ev_line_free(gpointer p)
{
    ev_line *e = p;
    g_free(e->type);
    g_free(e->trigger);
    g_ptr_array_unref(e->roles);
    g_ptr_array_unref(e->refs);
    g_free(e);
}

static void tb_free(gpointer p)
{
    tb *t = p;
    g_free(t->type);
    g_free(t);
}

/* "TYPE s e;s e" -> a tb in bytes; FALSE when malformed. */
static tb *parse_tb(const char *mid, const nerve_offsets *map)
{
    g_auto(GStrv) f = g_strsplit_set(mid, " ;", -1);
    guint n = g_strv_length(f);
    if (n < 3 || n % 2 == 0)
        return NULL;
    size_t lo = G_MAXSIZE, hi = 0;
    for (guint i = 1; i + 1 < n; i += 2) {
        char *e1, *e2;
        guint64 s = g_ascii_strtoull(f[i], &e1, 10), e = g_ascii_strtoull(f[i + 1], &e2, 10);
        if (*e1 || *e2 || !*f[i] || !*f[i + 1] || s > e)
            return NULL;
        lo = MIN(lo, (size_t)s);
        hi = MAX(hi, (size_t)e);
    }
    tb *t = g_new0(tb, 1);
    if (!nerve_gold_span(map, NERVE_UNIT_CODEPOINT, lo, hi, &t->start, &t->end)) {
        g_free(t);
        return NULL;
    }
    t->type = g_strdup(f[0]);
    return t;
}

static ev_line *parse_ev(const char *mid)
{
    g_auto(GStrv) f = g_strsplit(mid, " ", -1);
    char *colon = f[0] ? strchr(f[0], ':') : NULL;
    if (!colon)
        return NULL;
    ev_line *e = g_new0(ev_line, 1);
    e->type = g_strndup(f[0], (gsize)(colon - f[0]));
    e->trigger = g_strdup(colon + 1);
    e->roles = g_ptr_array_new_with_free_func(g_free);
    e->refs = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 1; f[i]; i++) {
        char *c = strchr(f[i], ':');
        if (!*f[i] || !c)
            continue;
        char *role = g_strndup(f[i], (gsize)(c - f[i]));
        size_t l = strlen(role), d = l;
        while (d > 0 && g_ascii_isdigit(role[d - 1]))
            d--;
        for (guint j = 0; d < l && d > 0 && j < e->roles->len; j++)
            if (strlen(g_ptr_array_index(e->roles, j)) == d &&
                !strncmp(g_ptr_array_index(e->roles, j), role, d)) {
                role[d] = 0; /* agent2 after agent */
                break;
            }
        g_ptr_array_add(e->roles, role);
        g_ptr_array_add(e->refs, g_strdup(c + 1));
    }
    return e;
}

/* The span of a T or an E (its trigger). */
static const tb *lookup(GHashTable *tbs, GHashTable *evs, const char *ref)
{
    const tb *t = g_hash_table_lookup(tbs, ref);
    if (!t) {
        const ev_line *e = g_hash_table_lookup(evs, ref);
        t = e ? g_hash_table_lookup(tbs, e->trigger) : NULL;
    }
    return t;
}

static void build(nerve_gold_doc *d, GHashTable *tbs, GHashTable *evs, GPtrArray *ev_order,
                  GPtrArray *tb_order)
{
    for (guint i = 0; i < ev_order->len; i++) { /* mark what is not an entity */
        ev_line *e = g_hash_table_lookup(evs, g_ptr_array_index(ev_order, i));
        tb *trig = g_hash_table_lookup(tbs, e->trigger);
        if (trig)
            trig->not_entity = TRUE;
        for (guint k = 0; k < e->refs->len; k++) {
            tb *t = g_hash_table_lookup(tbs, g_ptr_array_index(e->refs, k));
            if (t && !strcmp(t->type, g_ptr_array_index(e->roles, k)))
                t->not_entity = TRUE;
        }
    }
    for (guint i = 0; i < tb_order->len; i++) {
        const tb *t = g_hash_table_lookup(tbs, g_ptr_array_index(tb_order, i));
        if (!t->not_entity)
            nerve_gold_doc_add_entity(d, t->start, t->end, t->type);
    }
    for (guint i = 0; i < ev_order->len; i++) {
        ev_line *e = g_hash_table_lookup(evs, g_ptr_array_index(ev_order, i));
        const tb *trig = g_hash_table_lookup(tbs, e->trigger);
        if (!trig)
            continue;
        guint k = nerve_gold_doc_add_event(d, e->type, trig->start, trig->end, 0);
        nerve_gold_event *ev = &g_array_index(d->events, nerve_gold_event, k);
        for (guint j = 0; j < e->refs->len; j++) {
            const tb *t = lookup(tbs, evs, g_ptr_array_index(e->refs, j));
            if (!t)
                continue;
            nerve_gold_arg a = {g_intern_string(g_ptr_array_index(e->roles, j)), t->start, t->end};
            g_array_append_val(d->args, a);
            ev->n_args++;
        }
    }
}

static gboolean parse_ann(const char *path, const char *ann, nerve_gold_doc *d, GError **error)
{
    g_autoptr(nerve_offsets) map = nerve_offsets_new(d->text, d->len);
    GHashTable *tbs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, tb_free);
    GHashTable *evs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, ev_line_free);
    GPtrArray *tb_order = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *ev_order = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = g_strsplit(ann, "\n", -1);
    gboolean ok = TRUE;
    for (guint i = 0; ok && lines[i]; i++) {
        char *line = lines[i];
        size_t l = strlen(line);
        if (l && line[l - 1] == '\r')
            line[l - 1] = 0;
        g_auto(GStrv) f = g_strsplit(line, "\t", 3);
        if (!f[0] || !f[1] || (line[0] != 'T' && line[0] != 'E'))
            continue;
        if (line[0] == 'T') {
            tb *t = parse_tb(f[1], map);
            ok = t != NULL;
            if (ok) {
                g_hash_table_replace(tbs, g_strdup(f[0]), t);
                g_ptr_array_add(tb_order, g_strdup(f[0]));
            }
        } else {
            ev_line *e = parse_ev(f[1]);
            ok = e != NULL;
            if (ok) {
                g_hash_table_replace(evs, g_strdup(f[0]), e);
                g_ptr_array_add(ev_order, g_strdup(f[0]));
            }
        }
        if (!ok)
            g_set_error(error, NERVE_ERROR, NERVE_ERROR_INPUT, "%s:%u: malformed %s line", path,
                        i + 1, line[0] == 'T' ? "text-bound (T)" : "event (E)");
    }
    if (ok)
        build(d, tbs, evs, ev_order, tb_order);
    g_hash_table_destroy(tbs);
    g_hash_table_destroy(evs);
    g_ptr_array_unref(tb_order);
    g_ptr_array_unref(ev_order);
    return ok;
}

gboolean nerve_gold_read_brat(const char *ann_path, const char *id, GPtrArray *docs, GError **error)
{
    size_t l = strlen(ann_path);
    g_autofree char *txt_path = g_strdup_printf("%.*s.txt", (int)(l > 4 ? l - 4 : l), ann_path);
    g_autofree char *ann = NULL, *text = NULL;
    gsize text_len;
    if (!g_file_get_contents(ann_path, &ann, NULL, error) ||
        !g_file_get_contents(txt_path, &text, &text_len, error))
        return FALSE;
    GString *fixed = g_string_new(NULL);
    nerve_utf8_repair(text, text_len, fixed);
    nerve_gold_doc *d = nerve_gold_doc_new(id, fixed->str, fixed->len);
    g_string_free(fixed, TRUE);
    if (!parse_ann(ann_path, ann, d, error)) {
        nerve_gold_doc_free(d);
        return FALSE;
    }
    g_ptr_array_add(docs, d);
    return TRUE;
}
