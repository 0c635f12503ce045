/* bench-rules.c - the rule engine alone on one thread: compile time of the
 * rule files, and tokens/s of the rules stage over a JSONL corpus (the
 * text stages and the lexicon run first and are not counted).  The corpus
 * is run in rounds until the rules stage has taken at least 2 s of CPU
 * time (of this thread, so other load on the machine does not count).  Prints
 * figures, asserts nothing.
 *
 * usage: bench-rules [-n ROUNDS] MODEL_DIR CORPUS.jsonl RULES...
 * (-n: exactly ROUNDS rounds, e.g. for a repeatable callgrind count:
 *  valgrind --tool=callgrind --toggle-collect=nerve_rules_apply ...)
 *
 *        bench-rules --profile [-t TOP] [-g GAZETTEER]... MODEL_DIR CORPUS.jsonl
 * runs the whole model over the corpus once, as `nerve annotate -j1 -g ...`
 * does, and prints the work of its rule stages per rule, the TOP (20)
 * costliest of each phase and of all (nerve_rules_write_profile()).  Only
 * build/bench/bench-rules-profile, built from this file with a copy of the
 * rule engine that counts (NERVE_RULES_PROFILE), can; bench-rules itself
 * runs the engine of the library, so that its figures are those of
 * nerve.
 * e.g.   python3 tests/bench/gen-rules.py build/bench-rules 1000
 *        build/bench/bench-rules models/en corpus/wikinews-en.jsonl \
 *            build/bench-rules/bench-entities.rules build/bench-rules/bench-events.rules */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nerve/nerve.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this thread: the figure does not depend on what else the
 * machine runs. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The texts of the corpus's records. */
static GPtrArray *read_corpus(const char *path)
{
    GPtrArray *texts = g_ptr_array_new_with_free_func(g_free);
    FILE *f = fopen(path, "r");
    if (!f)
        return texts;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *rec = json_loads(line, 0, NULL);
        const char *text = json_string_value(json_object_get(rec, "text"));
        if (text)
            g_ptr_array_add(texts, g_strdup(text));
        json_decref(rec);
    }
    free(line);
    fclose(f);
    return texts;
}

/* --profile: the model over the corpus, then the report of its rules
 * stages. */
static int profile(int argc, char **argv)
{
    guint top = 20;
    g_autoptr(GPtrArray) gaz = g_ptr_array_new();
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2)
        if (!strcmp(argv[i], "-t"))
            top = (guint)atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-g"))
            g_ptr_array_add(gaz, argv[i + 1]);
        else
            break;
    if (argc - i != 2) {
        fprintf(stderr, "usage: bench-rules --profile [-t TOP] [-g GAZETTEER]... MODEL_DIR "
                        "CORPUS.jsonl\n");
        return 2;
    }
    g_ptr_array_add(gaz, NULL);
    nerve_model_options opts = {.gazetteers = (const char *const *)gaz->pdata};
    GError *err = NULL;
    g_autoptr(nerve_model) model = nerve_model_load(argv[i], &opts, &err);
    if (!model) {
        fprintf(stderr, "bench-rules: %s\n", err->message);
        return 1;
    }
    g_autoptr(GPtrArray) texts = read_corpus(argv[i + 1]);
    for (guint k = 0; k < texts->len; k++) {
        const char *text = g_ptr_array_index(texts, k);
        nerve_doc *doc = nerve_doc_new("b", text, strlen(text), NULL);
        if (!nerve_model_annotate(model, doc, &err)) {
            fprintf(stderr, "bench-rules: %s\n", err->message);
            return 1;
        }
        nerve_doc_free(doc);
    }
    g_autoptr(GString) out = g_string_new(NULL);
    const char *stages[] = {"rules", "event_rules"};
    for (guint k = 0; k < G_N_ELEMENTS(stages); k++) {
        const nerve_stage *st = nerve_model_find_stage(model, stages[k]);
        if (!st)
            continue;
        g_string_append_printf(out, "== stage %s\n", stages[k]);
        if (!nerve_rules_write_profile(nerve_stage_self(st), top, out)) {
            fprintf(stderr, "bench-rules: this build keeps no counts: run "
                            "build/bench/bench-rules-profile\n");
            return 1;
        }
        g_string_append_c(out, '\n');
    }
    fputs(out->str, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--profile"))
        return profile(argc - 1, argv + 1);
    int fixed = 0;
    if (argc > 2 && !strcmp(argv[1], "-n")) {
        fixed = atoi(argv[2]);
        argv += 2;
        argc -= 2;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: bench-rules [-n ROUNDS] MODEL_DIR CORPUS.jsonl RULES...\n");
        return 2;
    }
    GError *err = NULL;
    nerve_model *model = nerve_model_load(argv[1], NULL, &err);
    nerve_stage *lex = model ? nerve_lexicon_stage_from_model(model, &err) : NULL;
    if (!lex) {
        fprintf(stderr, "bench-rules: %s\n", err->message);
        return 1;
    }
    nerve_rules *rs =
        nerve_rules_new(nerve_model_tokenizer(model), nerve_model_normalize_options(model));
    double t0 = now();
    for (int i = 3; i < argc; i++)
        if (!nerve_rules_add_file(rs, argv[i], &err)) {
            fprintf(stderr, "bench-rules: %s\n", err->message);
            return 1;
        }
    double compile = now() - t0;
    GPtrArray *texts = read_corpus(argv[2]);
    if (!texts->len) {
        fprintf(stderr, "bench-rules: no text in %s\n", argv[2]);
        return 1;
    }
    double secs = 0;
    guint64 tokens = 0, bytes = 0, ents = 0, events = 0;
    int rounds = 0;
    while (fixed ? rounds < fixed : secs < 2.0 && rounds < 1000) {
        rounds++;
        for (guint i = 0; i < texts->len; i++) {
            const char *text = g_ptr_array_index(texts, i);
            nerve_doc *doc = nerve_doc_new("b", text, strlen(text), NULL);
            if (!nerve_model_annotate(model, doc, &err) || !nerve_stage_process(lex, doc, &err)) {
                fprintf(stderr, "bench-rules: %s\n", err->message);
                return 1;
            }
            size_t n, ne, nv;
            nerve_doc_tokens(doc, &n);
            double t = cpu();
            nerve_rules_apply(rs, doc, NULL);
            secs += cpu() - t;
            nerve_doc_entities(doc, &ne);
            nerve_doc_events(doc, &nv);
            tokens += n;
            bytes += strlen(text);
            ents += ne;
            events += nv;
            nerve_doc_free(doc);
        }
    }
    printf("rules: %u in %u files, compiled in %.1f ms\n", nerve_rules_n_rules(rs),
           nerve_rules_n_phases(rs), compile * 1e3);
    printf("corpus: %u documents x %d rounds, %" G_GUINT64_FORMAT " tokens, %.1f MB\n", texts->len,
           rounds, tokens, (double)bytes / 1e6);
    printf("rules stage: %.3f s CPU, %.2f million tokens/s, %.1f MB/s (one thread)\n", secs,
           (double)tokens / secs / 1e6, (double)bytes / secs / 1e6);
    printf("made: %.1f entities and %.1f events per 1000 tokens\n",
           1000.0 * (double)ents / (double)tokens, 1000.0 * (double)events / (double)tokens);
    g_ptr_array_free(texts, TRUE);
    nerve_rules_free(rs);
    nerve_stage_free(lex);
    nerve_model_free(model);
    return 0;
}
