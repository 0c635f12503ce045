/* bench-stages.c - the time of each stage of a model on one thread, apart
 * from reading and writing: documents are parsed first, then every stage
 * runs on each in turn (each document is freed after its stages, as in a
 * real run, so memory is reused); the figures are MB/s of input text and
 * tokens/s over the CPU time of each stage (this thread's, so that other
 * load on the machine does not count).  Used by `make bench`; prints
 * figures, asserts nothing.
 *
 * usage: bench-stages MODEL_DIR CORPUS.jsonl [-g LIST]... [-r RULES]... */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nerve/nerve.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this thread, for the stages: other load on the machine
 * does not count. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench-stages MODEL_DIR CORPUS.jsonl [-g LIST]... [-r RULES]...\n");
        return 2;
    }
    GPtrArray *gaz = g_ptr_array_new(), *rules = g_ptr_array_new();
    for (int i = 3; i + 1 < argc; i += 2)
        g_ptr_array_add(!strcmp(argv[i], "-g") ? gaz : rules, argv[i + 1]);
    g_ptr_array_add(gaz, NULL);
    g_ptr_array_add(rules, NULL);
    nerve_model_options mo = {.gazetteers = (const char *const *)gaz->pdata,
                              .rules = (const char *const *)rules->pdata};
    GError *err = NULL;
    double t0 = now();
    nerve_model *model = nerve_model_load(argv[1], &mo, &err);
    if (!model) {
        fprintf(stderr, "bench-stages: %s\n", err->message);
        return 1;
    }
    double t_load = now() - t0;

    const char *inputs[] = {argv[2], NULL};
    nerve_reader_options ro = {.text_field = "text", .id_field = "id"};
    nerve_reader *reader = nerve_reader_new(inputs, &ro, &err);
    if (!reader) {
        fprintf(stderr, "bench-stages: %s\n", err->message);
        return 1;
    }
    guint n_stages = nerve_model_n_stages(model);
    double *secs = g_new0(double, n_stages);
    size_t tokens = 0, bytes = 0;
    guint n_docs = 0;
    nerve_record rec;
    while (nerve_reader_next(reader, &rec, &err)) {
        nerve_doc *d = nerve_record_parse(&rec, nerve_reader_get_options(reader), NULL);
        nerve_record_clear(&rec);
        if (!d)
            continue;
        size_t len;
        nerve_doc_text(d, &len);
        bytes += len;
        n_docs++;
        for (guint i = 0; i < n_stages; i++) {
            double a = cpu();
            if (!nerve_stage_process(nerve_model_stage(model, i), d, &err)) {
                fprintf(stderr, "bench-stages: %s\n", err->message);
                return 1;
            }
            secs[i] += cpu() - a;
        }
        size_t n;
        nerve_doc_tokens(d, &n);
        tokens += n;
        nerve_doc_free(d);
    }
    nerve_reader_free(reader);
    double total = 0;
    printf("model load          %8.1f ms\n", t_load * 1e3);
    printf("%u documents, %.1f MB of text, %zu tokens\n", n_docs, (double)bytes / 1e6, tokens);
    for (guint i = 0; i < n_stages; i++) {
        total += secs[i];
        printf("%-18s %8.3f s %9.1f MB/s %9.2f M tokens/s\n",
               nerve_stage_name(nerve_model_stage(model, i)), secs[i],
               (double)bytes / 1e6 / secs[i], (double)tokens / 1e6 / secs[i]);
    }
    printf("%-18s %8.3f s %9.1f MB/s %9.2f M tokens/s\n", "all stages", total,
           (double)bytes / 1e6 / total, (double)tokens / 1e6 / total);
    g_free(secs);
    nerve_model_free(model);
    g_ptr_array_free(gaz, TRUE);
    g_ptr_array_free(rules, TRUE);
    return 0;
}
