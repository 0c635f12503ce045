/* bench-gazetteer.c - gazetteer figures: .gaz load time, lookup speed on
 * one thread, and resident memory.  Not a unit test (timings vary).
 *
 *   bench-gazetteer FILE.gaz DOCS.jsonl [ROUNDS]
 *
 * Loads the default model with -g FILE.gaz, prepares every document
 * (normalize, tokenize, sentences), then times only the gazetteer stage
 * over all of them ROUNDS times (default 3) and prints tokens per second of
 * thread CPU time (best round).  Also
 * times nerve_gaz_open() alone (cold mapping, content checksum). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nerve/gazfile.h"
#include "nerve/nerve.h"

/* Thread CPU time in microseconds: other processes on the machine do not
 * count. */
static gint64 cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (gint64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long rss_kb(void)
{
    g_autofree char *s = NULL;
    if (!g_file_get_contents("/proc/self/status", &s, NULL, NULL))
        return -1;
    const char *p = strstr(s, "VmRSS:");
    return p ? atol(p + 6) : -1;
}

/* New documents with the texts of docs, through the stages before the
 * gazetteer stage gaz (the stage only adds entities: each round starts
 * afresh). */
static GPtrArray *fresh_copies(const nerve_model *model, const nerve_stage *gaz, GPtrArray *docs)
{
    GPtrArray *copies = g_ptr_array_new_with_free_func((GDestroyNotify)nerve_doc_free);
    for (guint i = 0; i < docs->len; i++) {
        size_t l;
        const char *t = nerve_doc_text(docs->pdata[i], &l);
        nerve_doc *doc = nerve_doc_new("b", t, l, NULL);
        for (guint k = 0; k < nerve_model_n_stages(model) && nerve_model_stage(model, k) != gaz;
             k++)
            nerve_stage_process(nerve_model_stage(model, k), doc, NULL);
        g_ptr_array_add(copies, doc);
    }
    return copies;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench-gazetteer FILE.gaz DOCS.jsonl [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 3 ? atoi(argv[3]) : 3;
    GError *err = NULL;
    long rss0 = rss_kb();
    gint64 t0 = g_get_monotonic_time();
    nerve_gaz *g = nerve_gaz_open(argv[1], NERVE_GAZ_CHECK_CONTENT, &err);
    gint64 t1 = g_get_monotonic_time();
    if (!g) {
        fprintf(stderr, "%s\n", err->message);
        return 1;
    }
    printf("load (map + checksum): %.2f ms, %u entries, RSS +%ld MB\n", (t1 - t0) / 1e3,
           nerve_gaz_n_entries(g), (rss_kb() - rss0) / 1024);
    nerve_gaz_free(g);
    t0 = g_get_monotonic_time();
    g = nerve_gaz_open(argv[1], 0, &err);
    t1 = g_get_monotonic_time();
    printf("load (map, header only): %.2f ms\n", (t1 - t0) / 1e3);
    nerve_gaz_free(g);

    const char *gz[] = {argv[1], NULL};
    nerve_model_options mo = {.gazetteers = gz};
    g_autofree char *dir = nerve_model_default_dir();
    t0 = g_get_monotonic_time();
    nerve_model *model = nerve_model_load(dir, &mo, &err);
    t1 = g_get_monotonic_time();
    if (!model) {
        fprintf(stderr, "%s\n", err->message);
        return 1;
    }
    printf("model load with -g: %.2f ms\n", (t1 - t0) / 1e3);
    const nerve_stage *gaz = nerve_model_find_stage(model, "gazetteer");

    g_autofree char *text = NULL;
    gsize len;
    if (!g_file_get_contents(argv[2], &text, &len, &err)) {
        fprintf(stderr, "%s\n", err->message);
        return 1;
    }
    GPtrArray *docs = g_ptr_array_new_with_free_func((GDestroyNotify)nerve_doc_free);
    size_t tokens = 0, bytes = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *rec = json_loads(line, 0, NULL);
        const char *t = json_string_value(json_object_get(rec, "text"));
        if (t) {
            nerve_doc *doc = nerve_doc_new("b", t, strlen(t), NULL);
            for (guint i = 0; i < nerve_model_n_stages(model) && nerve_model_stage(model, i) != gaz;
                 i++)
                nerve_stage_process(nerve_model_stage(model, i), doc, NULL);
            size_t n;
            nerve_doc_tokens(doc, &n);
            tokens += n;
            bytes += strlen(t);
            g_ptr_array_add(docs, doc);
        }
        json_decref(rec);
    }
    long rss1 = rss_kb();
    double best = 1e30;
    size_t ents = 0;
    for (int r = 0; r < rounds; r++) {
        GPtrArray *copies = fresh_copies(model, gaz, docs);
        gint64 a = cpu_us();
        for (guint i = 0; i < copies->len; i++)
            nerve_stage_process(gaz, copies->pdata[i], NULL);
        gint64 b = cpu_us();
        best = MIN(best, (b - a) / 1e6);
        ents = 0;
        for (guint i = 0; i < copies->len; i++) {
            size_t n;
            nerve_doc_entities(copies->pdata[i], &n);
            ents += n;
        }
        g_ptr_array_free(copies, TRUE);
    }
    printf("lookup: %zu tokens (%.1f MB) in %.3f s: %.1f M tokens/s, %zu entities, "
           "RSS after lookups +%ld MB\n",
           tokens, bytes / 1e6, best, tokens / best / 1e6, ents, (rss_kb() - rss1) / 1024);

    /* the list alone: nerve_gaz_match() of FILE.gaz on tokenized
       documents, without the model's lists and without overlap
       resolution (what "lookup speed" means for one list) */
    g = nerve_gaz_open(argv[1], 0, &err);
    if (!g) {
        fprintf(stderr, "%s\n", err->message);
        return 1;
    }
    g_autofree uint32_t *base = g_new0(uint32_t, nerve_gaz_n_lists(g) + 1);
    double alone = 1e30;
    for (int r = 0; r < rounds; r++) {
        GPtrArray *copies = fresh_copies(model, gaz, docs);
        gint64 a = cpu_us();
        for (guint i = 0; i < copies->len; i++)
            nerve_gaz_match(g, base, copies->pdata[i], NULL);
        gint64 b = cpu_us();
        alone = MIN(alone, (b - a) / 1e6);
        g_ptr_array_free(copies, TRUE);
    }
    printf("lookup, this list alone (no model lists, no overlap resolution): %.1f M tokens/s\n",
           tokens / alone / 1e6);
    nerve_gaz_free(g);
    g_ptr_array_free(docs, TRUE);
    nerve_model_free(model);
    return 0;
}
