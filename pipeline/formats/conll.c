/* conll.c - the CoNLL writer: IOB2 tags, one "token TAG" line per token,
 * a blank line after each sentence and "-DOCSTART- -X- O O" (then a blank
 * line) before each document, as in CoNLL-2003.
 *
 * IOB2 holds one flat layer, so entities are flattened here whatever
 * --overlaps says: the winners of overlap resolution before its losers
 * (--overlaps keep writes those too), then longest first (in tokens),
 * then leftmost, then lower id, each taken when none of its tokens is
 * taken yet; so nested entities give way to the entity around them.  An entity that
 * runs over a sentence break starts again with B- in the new sentence,
 * since a reader closes entities at blank lines.
 */
#include <string.h>

#include "formats/out.h"

typedef struct {
    uint32_t ts, te, id;
    gboolean dropped;
    const char *label;
} cand;

static int by_length(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->dropped != y->dropped) /* what overlap resolution kept comes first */
        return x->dropped ? 1 : -1;
    uint32_t lx = x->te - x->ts, ly = y->te - y->ts;
    if (lx != ly)
        return lx > ly ? -1 : 1;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* owner[t]: the index into cands of the entity token t belongs to, or -1. */
static cand *flatten(const nerve_doc *doc, const nerve_writer_options *opts, int32_t *owner,
                     size_t n_tok)
{
    size_t n;
    const nerve_entity *ents = nerve_doc_entities(doc, &n);
    cand *c = g_new(cand, n + 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const char *label = nerve_out_label(opts, &ents[i]);
        uint32_t ts, te;
        if (label && nerve_out_entity_tokens(doc, &ents[i], &ts, &te))
            c[m++] = (cand){ts, te, ents[i].id, (ents[i].flags & NERVE_ENTITY_DROPPED) != 0, label};
    }
    qsort(c, m, sizeof *c, by_length);
    for (size_t t = 0; t < n_tok; t++)
        owner[t] = -1;
    for (size_t k = 0; k < m; k++) {
        gboolean free_ = TRUE;
        for (uint32_t t = c[k].ts; t < c[k].te && free_; t++)
            free_ = owner[t] < 0;
        for (uint32_t t = c[k].ts; t < c[k].te && free_; t++)
            owner[t] = (int32_t)k;
    }
    return c;
}

static void conll_render(const void *state, const nerve_writer_options *opts, const nerve_doc *doc,
                         GString *out)
{
    (void)state;
    size_t len, n_tok, n_sent;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_token *toks = nerve_doc_tokens(doc, &n_tok);
    const nerve_sentence *sents = nerve_doc_sentences(doc, &n_sent);
    int32_t *owner = g_new(int32_t, n_tok + 1);
    cand *c = flatten(doc, opts, owner, n_tok);
    g_string_append(out, "-DOCSTART- -X- O O\n\n");
    nerve_sentence whole = {0, (uint32_t)n_tok, 0, (uint32_t)len};
    if (!n_sent && n_tok) {
        sents = &whole;
        n_sent = 1;
    }
    for (size_t s = 0; s < n_sent; s++) {
        for (uint32_t t = sents[s].tok_start; t < sents[s].tok_end && t < n_tok; t++) {
            for (uint32_t b = toks[t].start; b < toks[t].end;
                 b++) /* never happens: tokens hold no space */
                g_string_append_c(out, text[b] == ' ' || text[b] == '\t' || text[b] == '\n' ||
                                               text[b] == '\r'
                                           ? '_'
                                           : text[b]);
            if (owner[t] < 0) {
                g_string_append(out, " O\n");
                continue;
            }
            const cand *e = &c[owner[t]];
            gboolean begin = t == e->ts || t == sents[s].tok_start;
            g_string_append(out, begin ? " B-" : " I-");
            nerve_out_name(out, e->label, "");
            g_string_append_c(out, '\n');
        }
        g_string_append_c(out, '\n');
    }
    g_free(owner);
    g_free(c);
}

const nerve_writer_class nerve_conll_writer = {
    .name = "conll",
    .to_directory = FALSE,
    .open = nerve_outfile_writer_open,
    .render = conll_render,
    .write = nerve_outfile_writer_write,
    .close = nerve_outfile_writer_close,
    .done = NULL,
};
