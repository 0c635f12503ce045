/* fuzz-writers.c - every writer's render() on arbitrary text with
 * entities and events placed from the input bytes: no crash, no UB, and
 * the output parses (JSON lines, the XML documents) and is valid UTF-8. */
#include <libxml/parser.h>
#include <string.h>

#include "nerve/nerve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const nerve_writer_class *const classes[] = {
    &nerve_jsonl_writer,   &nerve_brat_writer,    &nerve_conll_writer, &nerve_labelstudio_writer,
    &nerve_doccano_writer, &nerve_prodigy_writer, &nerve_tsv_writer,   &nerve_xmi_writer,
    &nerve_gate_writer,    &nerve_webanno_writer, &nerve_html_writer,
};

static void annotate(nerve_doc *doc, const uint8_t *data, size_t size)
{
    static const char *const labels[] = {"PERSON", "GPE", "DATE", "ORG", "X Y|;[]_*\\"};
    static const char attrs[] = "kb\0geo:1\0note\0a b|c";
    size_t n;
    nerve_doc_tokens(doc, &n);
    for (size_t i = 0; i < n && size; i++) {
        uint8_t b = data[i % size];
        if (!(b & 1))
            continue;
        nerve_entity *e = nerve_doc_add_entity(doc);
        e->tok_start = (uint32_t)i;
        e->tok_end = (uint32_t)MIN(n, i + 1 + (b >> 6));
        nerve_doc_entity_span(doc, e);
        e->label = g_intern_string(labels[(b >> 1) % G_N_ELEMENTS(labels)]);
        e->source = g_intern_string("gazetteer:fuzz");
        e->priority = (b >> 4) & 1;
        e->attrs = b & 8 ? nerve_doc_strdup(doc, attrs, sizeof attrs) : NULL;
    }
    size_t n_ent;
    nerve_doc_entities(doc, &n_ent);
    const nerve_token *t = nerve_doc_tokens(doc, NULL);
    for (size_t i = 0; i + 1 < n && size && i < 8; i += 3) {
        uint32_t n_args = data[(i + 1) % size] % 3;
        nerve_event *ev = nerve_doc_add_event(doc, n_args);
        ev->type = g_intern_string("Contact.Meet");
        ev->rule = g_intern_string("fuzz");
        ev->trig_tok_start = (uint32_t)i, ev->trig_tok_end = (uint32_t)i + 1;
        ev->trig_start = t[i].start, ev->trig_end = t[i].end;
        nerve_arg *a = n_args ? nerve_doc_args(doc, NULL) + ev->arg_first : NULL;
        for (uint32_t k = 0; k < n_args; k++) {
            a[k].role = g_intern_string(k ? "theme" : "agent");
            a[k].entity = n_ent && (k & 1) ? (int32_t)((i + k) % n_ent) : -1;
            a[k].tok_start = (uint32_t)i + 1, a[k].tok_end = (uint32_t)i + 2;
            a[k].start = t[i + 1].start, a[k].end = t[i + 1].end;
            if (a[k].entity >= 0) {
                const nerve_entity *e = &nerve_doc_entities(doc, NULL)[a[k].entity];
                a[k].tok_start = e->tok_start, a[k].tok_end = e->tok_end;
                a[k].start = e->start, a[k].end = e->end;
            }
        }
    }
}

static void check(const char *name, const GString *out)
{
    g_assert(nerve_utf8_count_invalid(out->str, out->len, NULL) == 0); /* NUL is valid text */
    if (!strcmp(name, "xmi") || !strcmp(name, "gate")) {
        xmlDocPtr x = xmlReadMemory(out->str, (int)out->len, "fuzz.xml", NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                        XML_PARSE_HUGE);
        g_assert(x);
        xmlFreeDoc(x);
    } else if (!strcmp(name, "jsonl") || !strcmp(name, "doccano") || !strcmp(name, "prodigy")) {
        json_error_t jerr;
        json_t *j = json_loadb(out->str, out->len, JSON_ALLOW_NUL, &jerr);
        g_assert(j);
        json_decref(j);
    } else if (!strcmp(name, "labelstudio")) {
        GString *task = g_string_new("{");
        g_string_append_len(task, out->str, (gssize)out->len);
        json_t *j = json_loadb(task->str, task->len, JSON_ALLOW_NUL, NULL);
        g_assert(j);
        json_decref(j);
        g_string_free(task, TRUE);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nerve_tokenizer *tk;
    static nerve_splitter *sp;
    if (!tk) {
        tk = nerve_tokenizer_new();
        sp = nerve_splitter_new(tk, NULL);
        xmlInitParser();
    }
    GString *text = g_string_new(NULL);
    nerve_utf8_repair((const char *)data, size, text);
    nerve_doc *doc = nerve_doc_new("fuzz/../id\t<x>", text->str, text->len, NULL);
    g_string_free(text, TRUE);
    nerve_normalize_options no = {FALSE, TRUE};
    nerve_normalize(&no, doc);
    nerve_tokenize(tk, doc);
    nerve_split_sentences(sp, doc);
    annotate(doc, data, size);
    nerve_doc_resolve_entities(doc);
    gboolean keep = size && (data[0] & 2);
    nerve_doc_finish(doc, keep);
    nerve_writer_options o = {.unit = (nerve_unit)(size % 3),
                              .keep_overlaps = keep,
                              .labels = size && (data[size - 1] & 1) ? NERVE_LABELS_CONLL
                                                                     : NERVE_LABELS_NATIVE};
    for (guint i = 0; i < G_N_ELEMENTS(classes); i++) {
        GString *out = g_string_new(NULL);
        classes[i]->render(NULL, &o, doc, out);
        check(classes[i]->name, out);
        g_string_free(out, TRUE);
    }
    nerve_doc_free(doc);
    return 0;
}
