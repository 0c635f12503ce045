/* rules-test.h - helpers shared by the rule engine's tests: documents
 * through the text stages and a small lexicon, hand-made entities, and
 * compact printouts of what rules made. */
#ifndef NERVE_TEST_RULES_H
#define NERVE_TEST_RULES_H

#include <string.h>

#include "nerve/nerve.h"

static nerve_tokenizer *tk;
static nerve_splitter *sp;
static nerve_lexicon *lx;

G_GNUC_UNUSED static void setup(void)
{
    tk = nerve_tokenizer_new();
    nerve_tokenizer_add_abbreviation(tk, "Dr.", NERVE_ABBREV_TITLE);
    nerve_tokenizer_add_abbreviation(tk, "Mr.", NERVE_ABBREV_TITLE);
    sp = nerve_splitter_new(tk, NULL);
    /* the pathological tests need real 10,000-token sentences */
    nerve_splitter_set_max_tokens(sp, 100000);
    lx = nerve_lexicon_new();
    nerve_lexicon_add_lemma(lx, "met", "meet");
    nerve_lexicon_add_lemma(lx, "was", "be");
    const char *bases[] = {"sign",  "ban",     "meet", "attack", "kill",    "arrest", "talk",
                           "agree", "approve", "ink",  "elect",  "meeting", "say"};
    for (guint i = 0; i < G_N_ELEMENTS(bases); i++)
        nerve_lexicon_add_base(lx, bases[i]);
}

G_GNUC_UNUSED static void teardown(void)
{
    nerve_lexicon_free(lx);
    nerve_splitter_free(sp);
    nerve_tokenizer_free(tk);
}

/* A document through normalize, tokenize, sentences and lexicon. */
G_GNUC_UNUSED static nerve_doc *prep(const char *text)
{
    nerve_doc *doc = nerve_doc_new("t", text, strlen(text), NULL);
    nerve_normalize_options o = {FALSE, TRUE};
    nerve_normalize(&o, doc);
    nerve_tokenize(tk, doc);
    nerve_split_sentences(sp, doc);
    nerve_lexicon_annotate(lx, doc);
    return doc;
}

/* Adds a gazetteer-like entity over the nth (0-based) occurrence of what,
 * if the text has it. */
G_GNUC_UNUSED static void add_ent_nth(nerve_doc *doc, const char *what, int nth, const char *label,
                                      int32_t priority)
{
    size_t len, n;
    const char *text = nerve_doc_text(doc, &len);
    const char *at = text;
    for (int i = 0; i <= nth; i++) {
        at = strstr(i ? at + 1 : at, what);
        if (!at)
            return;
    }
    uint32_t s = (uint32_t)(at - text), e = s + (uint32_t)strlen(what);
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    uint32_t a = UINT32_MAX, b = 0;
    for (uint32_t i = 0; i < n; i++)
        if (t[i].start >= s && t[i].end <= e) {
            a = MIN(a, i);
            b = i + 1;
        }
    g_assert_cmpuint(a, <, b);
    nerve_entity *x = nerve_doc_add_entity(doc);
    x->tok_start = a;
    x->tok_end = b;
    nerve_doc_entity_span(doc, x);
    x->label = g_intern_string(label);
    x->source = g_intern_string("gazetteer:test");
    x->priority = priority;
    x->phase = 0;
}

G_GNUC_UNUSED static void add_ent(nerve_doc *doc, const char *what, const char *label)
{
    add_ent_nth(doc, what, 0, label, 0);
}

G_GNUC_UNUSED static nerve_rules *compile(const char *src)
{
    nerve_rules *rs = nerve_rules_new(tk, NULL);
    GError *err = NULL;
    if (!nerve_rules_add_string(rs, "t.rules", src, -1, &err))
        g_error("%s", err->message);
    return rs;
}

/* Entities written after finish: "LABEL:text" and what mark (NULL:
 * nothing) says of the entity, joined by " | ". */
G_GNUC_UNUSED static char *ents_marked(nerve_doc *doc, const char *(*mark)(const nerve_entity *))
{
    size_t n, len;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        if (e[i].id)
            g_string_append_printf(out, "%s%s:%.*s%s", out->len ? " | " : "", e[i].label,
                                   (int)(e[i].end - e[i].start), text + e[i].start,
                                   mark ? mark(&e[i]) : "");
    return g_string_free(out, FALSE);
}

G_GNUC_UNUSED static char *ents_of(nerve_doc *doc)
{
    return ents_marked(doc, NULL);
}

/* Events written after finish: "Type:trigger(role=text, role=@text)" where
 * @ marks an argument that refers to an entity. */
G_GNUC_UNUSED static char *events_of(nerve_doc *doc)
{
    size_t n, len;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_event *ev = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    const nerve_entity *ents = nerve_doc_entities(doc, NULL);
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        if (!ev[i].id)
            continue;
        g_string_append_printf(out, "%s%s:%.*s(", out->len ? " | " : "", ev[i].type,
                               (int)(ev[i].trig_end - ev[i].trig_start), text + ev[i].trig_start);
        for (uint32_t k = 0; k < ev[i].n_args; k++) {
            const nerve_arg *a = &args[ev[i].arg_first + k];
            if (a->entity >= 0)
                g_assert_true(ents[a->entity].start == a->start && ents[a->entity].end == a->end);
            g_string_append_printf(out, "%s%s=%s%.*s", k ? ", " : "", a->role,
                                   a->entity >= 0 ? "@" : "", (int)(a->end - a->start),
                                   text + a->start);
        }
        g_string_append(out, ")");
    }
    return g_string_free(out, FALSE);
}

typedef void (*doc_fn)(nerve_doc *doc);

/* Runs src over text (with entities added by fn first); returns the
 * entities, and the events in *events when not NULL. */
G_GNUC_UNUSED static char *run_rules(const char *src, const char *text, doc_fn fn, char **events)
{
    nerve_rules *rs = compile(src);
    nerve_doc *doc = prep(text);
    if (fn)
        fn(doc);
    g_assert_true(nerve_rules_apply(rs, doc, NULL));
    nerve_doc_finish(doc, FALSE);
    char *ents = ents_of(doc);
    if (events)
        *events = events_of(doc);
    nerve_doc_free(doc);
    nerve_rules_free(rs);
    return ents;
}

#define ASSERT_ENTS(src, text, fn, want)                                                           \
    do {                                                                                           \
        g_autofree char *got_ = run_rules(src, text, fn, NULL);                                    \
        g_assert_cmpstr(got_, ==, want);                                                           \
    } while (0)

#define ASSERT_EVENTS(src, text, fn, want)                                                         \
    do {                                                                                           \
        g_autofree char *evs_ = NULL;                                                              \
        g_autofree char *got_ = run_rules(src, text, fn, &evs_);                                   \
        g_assert_cmpstr(evs_, ==, want);                                                           \
    } while (0)

#endif
