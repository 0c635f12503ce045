/* html.c - the HTML writer: one self-contained page to look at what was
 * found, as displaCy shows spaCy's entities.
 *
 * Each document is a <section> with its text (line breaks kept by CSS),
 * entities highlighted in a colour per label (nerve_out_colour: the same
 * label, the same colour, on every page), event triggers outlined, and
 * the events listed below with each argument by role, linked to the
 * entity it refers to; hover titles repeat label, source and arguments.
 * Nested and overlapping entities (--overlaps keep, nested lists) are
 * drawn nested; one that crosses its parent's end is cut there and marked
 * "clipped" in its title.
 *
 * The page streams: the head is written by open(), one section per
 * document by write(), and the legend (counts per label and event type,
 * known only at the end) by close(), placed first on screen by CSS order.
 * Inline CSS only: no script, font, image or anything fetched.  Every
 * piece of text is escaped (g_markup_escape_text rules).
 */
#include <string.h>

#include "formats/out.h"

typedef struct {
    nerve_outfile out;
    nerve_writer_options opts;
    guint64 docs;
    GHashTable *labels; /* label -> count */
    GHashTable *events; /* type -> count */
} html_state;

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>nerve annotations</title>\n<style>\n"
    "body{margin:0;background:#f6f7f9;color:#1d2330;"
    "font:16px/1.6 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}\n"
    "main{display:flex;flex-direction:column;gap:18px;max-width:1040px;margin:0 "
    "auto;padding:24px}\n"
    "header{order:-2}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#5b6474}\n"
    ".legend{order:-1;background:#fff;border:1px solid #dfe3ea;border-radius:10px;padding:12px "
    "16px}\n"
    ".legend h2{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:#5b6474;"
    "margin:4px 0 8px}\n"
    ".legend ul{list-style:none;margin:0 0 6px;padding:0;display:flex;flex-wrap:wrap;gap:8px}\n"
    ".legend li{display:flex;align-items:center;gap:6px;border:1px solid #e4e7ee;"
    "border-radius:999px;padding:2px 10px 2px 4px;font-size:14px;background:#fafbfc}\n"
    ".legend .sw{width:16px;height:16px;border-radius:50%;border:1px solid rgba(0,0,0,.15)}\n"
    ".legend .n{font-weight:600;color:#39404f}\n"
    ".legend .trig-sw{background:#fff;border:2px dashed #7a4bd6}\n"
    ".doc{background:#fff;border:1px solid #dfe3ea;border-radius:10px;padding:14px 20px}\n"
    ".doc h2{font-size:16px;margin:0 0 2px;word-break:break-all}\n"
    ".doc .counts{margin:0 0 10px;color:#5b6474;font-size:13px}\n"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:2.3;unicode-bidi:plaintext}\n"
    "mark{color:inherit;border-radius:5px;padding:3px 4px;margin:0 1px;"
    "box-decoration-break:clone;-webkit-box-decoration-break:clone}\n"
    "mark .tag{font-size:10px;font-weight:700;letter-spacing:.04em;margin-left:5px;"
    "vertical-align:middle;color:#2b3140;opacity:.75;font-family:ui-monospace,monospace}\n"
    "mark mark{padding:1px 2px}\n"
    "mark.trig{background:transparent;border:2px dashed #7a4bd6}\n"
    "mark.trig .tag{color:#5b2fb8;opacity:1}\n"
    "mark.dropped{opacity:.65;outline:1px dotted #888}\n"
    ".events{margin:12px 0 0;padding:10px 14px 10px 34px;background:#faf8ff;border-radius:8px;"
    "font-size:14px}\n"
    ".events .type{font-weight:700;color:#5b2fb8}.events .role{font-style:italic;color:#5b6474}\n"
    ".events a{color:inherit}\n"
    "</style>\n</head>\n<body>\n<main>\n"
    "<header><h1>nerve annotations</h1>"
    "<p>Entities are highlighted by label; event triggers are outlined, "
    "their arguments listed below each document.</p></header>\n";

static void *html_open(const nerve_writer_options *opts, GError **error)
{
    html_state *st = g_new0(html_state, 1);
    if (!nerve_outfile_open(&st->out, opts->output, error) ||
        !nerve_outfile_write(&st->out, page_head, sizeof page_head - 1, error)) {
        nerve_outfile_close(&st->out, NULL);
        g_free(st);
        return NULL;
    }
    st->opts = *opts;
    st->labels = g_hash_table_new(g_str_hash, g_str_equal);
    st->events = g_hash_table_new(g_str_hash, g_str_equal);
    return st;
}

static void esc(GString *out, const char *s, size_t len)
{
    char *e = g_markup_escape_text(s, (gssize)len);
    g_string_append(out, e);
    g_free(e);
}

static void esc0(GString *out, const char *s)
{
    esc(out, s, strlen(s));
}

/* An anchor id: the document id (whitespace as '_') and a suffix. */
static void anchor(GString *out, const char *doc_id, const char *suffix)
{
    GString *a = g_string_new("d-");
    nerve_out_name(a, doc_id, "");
    g_string_append(a, suffix);
    esc(out, a->str, a->len);
    g_string_free(a, TRUE);
}

typedef struct {
    uint32_t s, e;
    const nerve_entity *ent; /* NULL: a trigger */
    const nerve_event *ev;
    const char *label;
} item;

static int by_span(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    if (x->e != y->e)
        return x->e > y->e ? -1 : 1;
    return (x->ent == NULL) - (y->ent == NULL);
}

/* The hover title of an event: "Type: role = text; ..." */
static void event_title(GString *t, const nerve_writer_options *opts, const nerve_doc *doc,
                        const nerve_event *ev, const char *text)
{
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    g_string_append_printf(t, "%s (rule %s)", ev->type, ev->rule ? ev->rule : "?");
    for (uint32_t k = 0; k < ev->n_args; k++) {
        const nerve_arg *a = &args[ev->arg_first + k];
        const nerve_entity *target = nerve_out_arg_entity(doc, opts, a);
        uint32_t s = target ? target->start : a->start, e = target ? target->end : a->end;
        g_string_append_printf(t, "%s %s = %.*s", k ? ";" : ":", a->role, (int)(e - s), text + s);
    }
}

static void open_mark(GString *out, const nerve_writer_options *opts, const nerve_doc *doc,
                      const item *it, gboolean clipped, const char *text)
{
    const char *id = nerve_doc_id(doc);
    char suffix[24], colour[8];
    GString *title = g_string_new(NULL);
    if (it->ent) {
        nerve_out_colour(it->label, colour);
        g_snprintf(suffix, sizeof suffix, "-T%u", it->ent->id);
        g_string_append_printf(title, "%s — %s", it->label, it->ent->source ? it->ent->source : "");
        const char *p = it->ent->attrs, *k, *v;
        while (nerve_attrs_next(&p, &k, &v))
            g_string_append_printf(title, "; %s=%s", k, v);
        if (it->ent->flags & NERVE_ENTITY_DROPPED)
            g_string_append(title, "; dropped by overlap resolution");
        g_string_append_printf(out, "<mark class=\"ent%s\" data-label=\"",
                               it->ent->flags & NERVE_ENTITY_DROPPED ? " dropped" : "");
        esc0(out, it->label);
        g_string_append_printf(out, "\" style=\"background:%s\" id=\"", colour);
    } else {
        g_snprintf(suffix, sizeof suffix, "-E%u", it->ev->id);
        event_title(title, opts, doc, it->ev, text);
        g_string_append(out, "<mark class=\"trig\" data-type=\"");
        esc0(out, it->label);
        g_string_append(out, "\" id=\"");
    }
    if (clipped)
        g_string_append(title, " (clipped: it crosses an enclosing annotation)");
    anchor(out, id, suffix);
    g_string_append(out, "\" title=\"");
    esc(out, title->str, title->len);
    g_string_append(out, "\">");
    g_string_free(title, TRUE);
}

static void close_mark(GString *out, const item *it)
{
    g_string_append(out, "<span class=\"tag\">");
    esc0(out, it->label);
    g_string_append(out, "</span></mark>");
}

/* The text with nested marks. */
static void render_text(GString *out, const nerve_writer_options *opts, const nerve_doc *doc,
                        item *items, size_t n)
{
    size_t len;
    const char *text = nerve_doc_text(doc, &len);
    qsort(items, n, sizeof *items, by_span);
    item *stack = g_new(item, n + 1);
    size_t depth = 0;
    uint32_t pos = 0;
    g_string_append(out, "<div class=\"text\">");
    for (size_t i = 0; i <= n; i++) {
        uint32_t at = i < n ? items[i].s : (uint32_t)len;
        while (depth && stack[depth - 1].e <= at) {
            esc(out, text + pos, stack[depth - 1].e - pos);
            pos = stack[depth - 1].e;
            close_mark(out, &stack[--depth]);
        }
        if (i == n)
            break;
        esc(out, text + pos, at - pos);
        pos = at;
        item it = items[i];
        gboolean clipped = depth && it.e > stack[depth - 1].e;
        if (clipped)
            it.e = stack[depth - 1].e;
        open_mark(out, opts, doc, &it, clipped, text);
        stack[depth++] = it;
    }
    esc(out, text + pos, len - pos);
    g_string_append(out, "</div>\n");
    g_free(stack);
}

static void render_events(GString *out, const nerve_writer_options *opts, const nerve_doc *doc)
{
    size_t n, len;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_event *ev = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    const char *id = nerve_doc_id(doc);
    char suffix[24];
    gboolean any = FALSE;
    for (size_t i = 0; i < n; i++) {
        if (!ev[i].id)
            continue;
        g_string_append(out, any ? "<li>" : "<ol class=\"events\">\n<li>");
        any = TRUE;
        g_snprintf(suffix, sizeof suffix, "-E%u", ev[i].id);
        g_string_append(out, "<a class=\"type\" href=\"#");
        anchor(out, id, suffix);
        g_string_append(out, "\">");
        esc0(out, ev[i].type);
        g_string_append(out, "</a> «");
        esc(out, text + ev[i].trig_start, ev[i].trig_end - ev[i].trig_start);
        g_string_append(out, "»");
        for (uint32_t k = 0; k < ev[i].n_args; k++) {
            const nerve_arg *a = &args[ev[i].arg_first + k];
            const nerve_entity *t = nerve_out_arg_entity(doc, opts, a);
            g_string_append(out, k ? "; <span class=\"role\">" : " — <span class=\"role\">");
            esc0(out, a->role);
            g_string_append(out, "</span> ");
            if (t) {
                g_snprintf(suffix, sizeof suffix, "-T%u", t->id);
                g_string_append(out, "<a href=\"#");
                anchor(out, id, suffix);
                g_string_append(out, "\">");
                esc(out, text + t->start, t->end - t->start);
                g_string_append(out, "</a> <small>");
                esc0(out, nerve_out_label(opts, t));
                g_string_append(out, "</small>");
            } else {
                g_string_append(out, "«");
                esc(out, text + a->start, a->end - a->start);
                g_string_append(out, "»");
            }
        }
        g_string_append(out, "</li>\n");
    }
    if (any)
        g_string_append(out, "</ol>\n");
}

static void html_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                        GString *out)
{
    (void)state;
    size_t n_ent, n_ev;
    const nerve_entity *ents = nerve_doc_entities(doc, &n_ent);
    const nerve_event *evs = nerve_doc_events(doc, &n_ev);
    item *items = g_new(item, n_ent + n_ev + 1);
    size_t n = 0, shown_ents = 0, shown_evs = 0;
    for (size_t i = 0; i < n_ent; i++) {
        const char *label = nerve_out_label(opts, &ents[i]);
        if (label)
            items[n++] = (item){ents[i].start, ents[i].end, &ents[i], NULL, label};
    }
    shown_ents = n;
    for (size_t i = 0; i < n_ev; i++)
        if (evs[i].id)
            items[n++] = (item){evs[i].trig_start, evs[i].trig_end, NULL, &evs[i], evs[i].type};
    shown_evs = n - shown_ents;
    const char *id = nerve_doc_id(doc);
    g_string_append(out, "<section class=\"doc\" id=\"");
    anchor(out, id, "");
    g_string_append(out, "\">\n<h2>");
    esc0(out, id);
    g_string_append_printf(out, "</h2>\n<p class=\"counts\">%zu entit%s, %zu event%s</p>\n",
                           shown_ents, shown_ents == 1 ? "y" : "ies", shown_evs,
                           shown_evs == 1 ? "" : "s");
    render_text(out, opts, doc, items, n);
    render_events(out, opts, doc);
    g_string_append(out, "</section>\n");
    g_free(items);
}

static void count(GHashTable *t, const char *key)
{
    g_hash_table_replace(t, (gpointer)key,
                         GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(t, key)) + 1));
}

static gboolean html_write(void *state, const nerve_doc *doc, const GString *rendered,
                           GError **error)
{
    html_state *st = state;
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(&st->opts, &e[i]);
        if (label) /* labels are interned, or constants of nerve_label_map */
            count(st->labels, g_intern_string(label));
    }
    const nerve_event *ev = nerve_doc_events(doc, &n);
    for (size_t i = 0; i < n; i++)
        if (ev[i].id)
            count(st->events, g_intern_string(ev[i].type));
    st->docs++;
    return nerve_outfile_write(&st->out, rendered->str, rendered->len, error);
}

static gint by_count(gconstpointer a, gconstpointer b, gpointer table)
{
    guint x = GPOINTER_TO_UINT(g_hash_table_lookup(table, a));
    guint y = GPOINTER_TO_UINT(g_hash_table_lookup(table, b));
    return x != y ? (x > y ? -1 : 1) : strcmp(a, b);
}

static void legend_list(GString *out, GHashTable *t, const char *cls)
{
    GList *keys = g_list_sort_with_data(g_hash_table_get_keys(t), by_count, t);
    char colour[8];
    g_string_append(out, "<ul>");
    for (GList *l = keys; l; l = l->next) {
        guint c = GPOINTER_TO_UINT(g_hash_table_lookup(t, l->data));
        g_string_append_printf(out, "<li class=\"%s\" data-label=\"", cls);
        esc0(out, l->data);
        g_string_append_printf(out, "\" data-count=\"%u\">", c);
        nerve_out_colour(l->data, colour);
        if (!strcmp(cls, "label"))
            g_string_append_printf(out, "<span class=\"sw\" style=\"background:%s\"></span>",
                                   colour);
        else
            g_string_append(out, "<span class=\"sw trig-sw\"></span>");
        esc0(out, l->data);
        g_string_append_printf(out, " <span class=\"n\">%u</span></li>", c);
    }
    g_string_append(out, "</ul>\n");
    g_list_free(keys);
}

static gboolean html_close(void *state, GError **error)
{
    html_state *st = state;
    GString *end = g_string_new("<aside class=\"legend\">\n");
    g_string_append_printf(end, "<h2>Entities (%" G_GUINT64_FORMAT " document%s)</h2>\n", st->docs,
                           st->docs == 1 ? "" : "s");
    legend_list(end, st->labels, "label");
    if (g_hash_table_size(st->events)) {
        g_string_append(end, "<h2>Events</h2>\n");
        legend_list(end, st->events, "event");
    }
    g_string_append(end, "</aside>\n</main>\n</body>\n</html>\n");
    gboolean ok = nerve_outfile_write(&st->out, end->str, end->len, error);
    ok = nerve_outfile_close(&st->out, ok ? error : NULL) && ok;
    g_string_free(end, TRUE);
    g_hash_table_destroy(st->labels);
    g_hash_table_destroy(st->events);
    g_free(st);
    return ok;
}

const nerve_writer_class nerve_html_writer = {
    .name = "html",
    .to_directory = FALSE,
    .open = html_open,
    .render = html_render,
    .write = html_write,
    .close = html_close,
    .done = NULL,
};
