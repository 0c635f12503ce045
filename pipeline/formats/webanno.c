/* webanno.c - the WebAnno TSV 3.3 writer (INCEpTION's tabular format),
 * one NAME.tsv per document.
 *
 * The header declares three span layers, then each sentence comes as its
 * "#Text=" line(s) and one line per token: "sent-tok", "begin-end" in
 * UTF-16 units, the token, and the layers' columns:
 *   NamedEntity    identifier | value
 *   EventArgument  role                       (arguments that are spans)
 *   Event          arguments (a slot feature: a role column and a target
 *                  column naming the EventArgument, "sent-tok[N]") | rule | type
 * Every argument becomes an EventArgument annotation, so the slot has one
 * target type as TSV requires.  A cell is "_" when no annotation of the
 * layer covers the token, "*" for an annotation without a value; stacked
 * annotations are joined by '|', slot links by ';'; an annotation over
 * several tokens, or stacked with another of its layer, carries a
 * document-wide "[N]" id.  Spans are widened to whole tokens (TSV cannot
 * hold a part of a token without sub-token lines).  Values and tokens
 * are escaped with a backslash before \ [ ] | _ -> ; * and tab and
 * newline become \t \n, as the format's appendix says.
 */
#include <string.h>

#include "formats/out.h"

enum { L_NE, L_ARG, L_EVENT, N_LAYERS };
static const int n_cols[N_LAYERS] = {2, 1, 4};

typedef struct {
    uint32_t ts, te, id;
    int layer;
    const char *f[2];           /* NE: identifier, value; ARG: role; EVENT: rule, type */
    uint32_t arg_first, n_args; /* EVENT: its links, indices of ARG anns in order */
} ann;

static void escape(GString *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\t')
            g_string_append(out, "\\t");
        else if (c == '\n')
            g_string_append(out, "\\n");
        else if (c == '\r')
            continue;
        else if (c == '-' && i + 1 < len && s[i + 1] == '>') {
            g_string_append(out, "\\->");
            i++;
        } else {
            if (strchr("\\[]|_;*", c))
                g_string_append_c(out, '\\');
            g_string_append_c(out, c);
        }
    }
}

static void value(GString *out, const char *v)
{
    if (v && *v)
        escape(out, v, strlen(v));
    else
        g_string_append_c(out, '*');
}

/* The annotations of doc, entities first, then per event its arguments
 * and itself. */
static GArray *collect(const nerve_writer_options *opts, const nerve_doc *doc)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(ann));
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(opts, &e[i]);
        ann x = {0};
        if (!label || !nerve_out_entity_tokens(doc, &e[i], &x.ts, &x.te))
            continue;
        x.layer = L_NE;
        x.f[0] = nerve_out_attr(e[i].attrs, "kb");
        x.f[1] = label;
        g_array_append_val(a, x);
    }
    const nerve_event *ev = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    for (size_t i = 0; i < n; i++) {
        if (!ev[i].id)
            continue;
        ann x = {0};
        x.layer = L_EVENT;
        x.f[0] = ev[i].rule;
        x.f[1] = ev[i].type;
        x.arg_first = a->len;
        for (uint32_t k = 0; k < ev[i].n_args; k++) {
            const nerve_arg *g = &args[ev[i].arg_first + k];
            nerve_entity span = {
                .start = g->start, .end = g->end, .tok_start = g->tok_start, .tok_end = g->tok_end};
            const nerve_entity *t = nerve_out_arg_entity(doc, opts, g);
            ann y = {0};
            y.layer = L_ARG;
            y.f[0] = g->role;
            if (!nerve_out_entity_tokens(doc, t ? t : &span, &y.ts, &y.te))
                continue;
            g_array_append_val(a, y);
            x.n_args++;
        }
        nerve_entity trig = {.start = ev[i].trig_start,
                             .end = ev[i].trig_end,
                             .tok_start = ev[i].trig_tok_start,
                             .tok_end = ev[i].trig_tok_end};
        if (nerve_out_entity_tokens(doc, &trig, &x.ts, &x.te))
            g_array_append_val(a, x);
    }
    return a;
}

/* CSR lists of the annotations covering each token: at[first[t]..first[t+1]). */
static void cover(const GArray *anns, size_t n_tok, uint32_t **first, uint32_t **at)
{
    const ann *a = (const ann *)(void *)anns->data;
    *first = g_new0(uint32_t, n_tok + 2);
    for (guint i = 0; i < anns->len; i++)
        for (uint32_t t = a[i].ts; t < a[i].te && t < n_tok; t++)
            (*first)[t + 1]++;
    for (size_t t = 0; t < n_tok; t++)
        (*first)[t + 1] += (*first)[t];
    uint32_t *fill = g_memdup2(*first, (n_tok + 1) * sizeof(uint32_t));
    *at = g_new(uint32_t, (*first)[n_tok] + 1);
    for (guint i = 0; i < anns->len; i++)
        for (uint32_t t = a[i].ts; t < a[i].te && t < n_tok; t++)
            (*at)[fill[t]++] = i;
    g_free(fill);
}

/* Gives [N] ids to multi-token and stacked annotations. */
static void assign_ids(GArray *anns, const uint32_t *first, const uint32_t *at, size_t n_tok)
{
    ann *a = (ann *)(void *)anns->data;
    for (size_t t = 0; t < n_tok; t++)
        for (uint32_t i = first[t]; i < first[t + 1]; i++)
            for (uint32_t j = first[t]; j < first[t + 1]; j++)
                if (i != j && a[at[i]].layer == a[at[j]].layer)
                    a[at[i]].id = 1;
    uint32_t next = 1;
    for (guint i = 0; i < anns->len; i++)
        if (a[i].id || a[i].te - a[i].ts > 1)
            a[i].id = next++;
}

static void suffix(GString *out, uint32_t id)
{
    if (id)
        g_string_append_printf(out, "[%u]", id);
}

static void cell(GString *out, const ann *a, int layer, int col, const uint32_t *list, uint32_t n,
                 const uint32_t *sent_of, const uint32_t *idx_of)
{
    gboolean any = FALSE;
    for (uint32_t k = 0; k < n; k++) {
        const ann *x = &a[list[k]];
        if (x->layer != layer)
            continue;
        if (any)
            g_string_append_c(out, '|');
        any = TRUE;
        if (layer != L_EVENT || col >= 2) {
            value(out, x->f[layer == L_EVENT ? col - 2 : col]);
            suffix(out, x->id);
            continue;
        }
        if (!x->n_args) {
            g_string_append_c(out, '*');
            suffix(out, x->id);
        }
        for (uint32_t j = 0; j < x->n_args; j++) { /* the slot: roles, then targets */
            const ann *y = &a[x->arg_first + j];
            if (j)
                g_string_append_c(out, ';');
            if (col == 0) {
                value(out, y->f[0]);
                suffix(out, x->id);
            } else {
                g_string_append_printf(out, "%u-%u", sent_of[y->ts] + 1, idx_of[y->ts] + 1);
                suffix(out, y->id);
            }
        }
    }
    if (!any)
        g_string_append_c(out, '_');
}

static void text_lines(GString *out, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\n')
            continue;
        g_string_append(out, "#Text=");
        escape(out, s + start, i - start);
        g_string_append_c(out, '\n');
        start = i + 1;
    }
}

static void webanno_render(const void *state, const nerve_writer_options *opts,
                           const nerve_doc *doc, GString *out)
{
    (void)state;
    size_t len, n_tok, n_sent;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_token *tok = nerve_doc_tokens(doc, &n_tok);
    const nerve_sentence *sents = nerve_doc_sentences(doc, &n_sent);
    nerve_sentence whole = {0, (uint32_t)n_tok, 0, (uint32_t)len};
    if (!n_sent && n_tok) {
        sents = &whole;
        n_sent = 1;
    }
    nerve_offsets *map = nerve_offsets_new(text, len);
    uint32_t *sent_of = g_new0(uint32_t, n_tok + 1), *idx_of = g_new0(uint32_t, n_tok + 1);
    for (size_t s = 0; s < n_sent; s++)
        for (uint32_t t = sents[s].tok_start; t < sents[s].tok_end && t < n_tok; t++) {
            sent_of[t] = (uint32_t)s;
            idx_of[t] = t - sents[s].tok_start;
        }
    GArray *anns = collect(opts, doc);
    uint32_t *first, *at;
    cover(anns, n_tok, &first, &at);
    assign_ids(anns, first, at, n_tok);
    const ann *a = (const ann *)(void *)anns->data;
    g_string_append(
        out, "#FORMAT=WebAnno TSV 3.3\n"
             "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n"
             "#T_SP=webanno.custom.EventArgument|role\n"
             "#T_SP=webanno.custom.Event|ROLE_webanno.custom.Event:arguments_"
             "webanno.custom.EventArgumentsLink|webanno.custom.EventArgument|rule|type\n"
             "\n");
    for (size_t s = 0; s < n_sent; s++) {
        g_string_append_c(out, '\n');
        text_lines(out, text + sents[s].start, sents[s].end - sents[s].start);
        for (uint32_t t = sents[s].tok_start; t < sents[s].tok_end && t < n_tok; t++) {
            g_string_append_printf(out, "%zu-%u\t%zu-%zu\t", s + 1, t - sents[s].tok_start + 1,
                                   nerve_offsets_from_byte(map, tok[t].start, NERVE_UNIT_UTF16),
                                   nerve_offsets_from_byte(map, tok[t].end, NERVE_UNIT_UTF16));
            escape(out, text + tok[t].start, tok[t].end - tok[t].start);
            for (int l = 0; l < N_LAYERS; l++)
                for (int c = 0; c < n_cols[l]; c++) {
                    g_string_append_c(out, '\t');
                    cell(out, a, l, c, at + first[t], first[t + 1] - first[t], sent_of, idx_of);
                }
            g_string_append_c(out, '\n');
        }
    }
    g_free(first);
    g_free(at);
    g_array_free(anns, TRUE);
    g_free(sent_of);
    g_free(idx_of);
    nerve_offsets_free(map);
}

typedef struct {
    nerve_outdir *dir;
} webanno_state;

static void *webanno_open(const nerve_writer_options *opts, GError **error)
{
    nerve_outdir *d = nerve_outdir_open(opts->output, opts->resume, error);
    if (!d)
        return NULL;
    webanno_state *st = g_new0(webanno_state, 1);
    st->dir = d;
    return st;
}

static gboolean webanno_write(void *state, const nerve_doc *doc, const GString *rendered,
                              GError **error)
{
    webanno_state *st = state;
    const char *id = nerve_doc_id(doc);
    const char *name = nerve_outdir_claim(st->dir, id);
    return nerve_outdir_put(st->dir, name, ".tsv", rendered->str, rendered->len, error) &&
           nerve_outdir_record(st->dir, id, name, error);
}

static gboolean webanno_close(void *state, GError **error)
{
    webanno_state *st = state;
    gboolean ok = nerve_outdir_close(st->dir, error);
    g_free(st);
    return ok;
}

static gboolean webanno_done(const void *state, const char *id)
{
    static const char *const exts[] = {".tsv", NULL};
    return nerve_outdir_has(((const webanno_state *)state)->dir, id, exts);
}

const nerve_writer_class nerve_webanno_writer = {
    .name = "webanno",
    .to_directory = TRUE,
    .open = webanno_open,
    .render = webanno_render,
    .write = webanno_write,
    .close = webanno_close,
    .done = webanno_done,
};
