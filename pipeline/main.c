/* main.c - the nerve command line: dispatch, annotate, explain.
 *
 * Options are parsed with GOption.  The library reports through GError;
 * only this file and the other cli-*.c files print, and they turn errors
 * into the exit statuses of DESIGN.md: 0 all documents annotated, 3 some
 * failed (all others written), 1 fatal, 2 usage.
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "nerve/nerve.h"

void nerve_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "nerve: %s\n", msg);
}

gboolean nerve_cli_parse(GOptionContext *ctx, int *argc, char ***argv)
{
    GError *err = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &err)) {
        nerve_cli_error("%s (see --help)", err->message);
        g_error_free(err);
        return FALSE;
    }
    return TRUE;
}

int nerve_cli_status(const GError *error)
{
    if (error->domain == NERVE_ERROR && error->code == NERVE_ERROR_USAGE)
        return EXIT_USAGE;
    return EXIT_FATAL;
}

/* --- annotate ---------------------------------------------------------------- */

static volatile gint stop_requested;
static volatile sig_atomic_t stop_signal;

/* The first SIGINT or SIGTERM stops reading: the documents in flight are
 * finished and written, outputs closed, and the exit status is 128 + the
 * signal.  A second one ends the process at once. */
static void on_signal(int sig)
{
    stop_signal = sig;
    g_atomic_int_set(&stop_requested, 1);
    signal(sig, SIG_DFL);
}

static void report_error(const nerve_record *rec, const GError *err, gpointer user)
{
    (void)user;
    if (rec->line)
        fprintf(stderr, "nerve: %s:%" G_GUINT64_FORMAT ": %s%s%s\n", rec->source, rec->line,
                rec->id ? rec->id : "", rec->id ? ": " : "", err->message);
    else
        fprintf(stderr, "nerve: %s: record %" G_GUINT64_FORMAT ": %s\n", rec->source, rec->number,
                err->message);
}

static void report_progress(const nerve_run_stats *st, gboolean final, gpointer user)
{
    gboolean *show = user;
    if (!*show)
        return;
    double mb = (double)st->bytes / 1e6, secs = st->seconds > 0 ? st->seconds : 1e-9;
    char eta[48] = "";
    if (st->bytes_total && st->bytes && !final) {
        double left = (double)(st->bytes_total - MIN(st->bytes, st->bytes_total)) /
                      ((double)st->bytes / secs);
        g_snprintf(eta, sizeof eta, ", %.0f%%, ETA %.0fs",
                   100.0 * (double)st->bytes / (double)st->bytes_total, left);
    }
    fprintf(stderr,
            "\rnerve: %" G_GUINT64_FORMAT " documents, %.1f MB, %.0f docs/s, %.1f MB/s%s   %s",
            st->read, mb, (double)st->read / secs, mb / secs, eta, final ? "\n" : "");
}

typedef struct {
    char *model, *from, *to, *output, *offsets, *labels, *overlaps, *text_field, *id_field;
    char *xpath_doc, *xpath_text, *xpath_id, *shard;
    char **gazetteers, **rules, **xpath_meta, **inputs;
    gboolean tokens, progress, quiet, strict, resume, stats;
    gint threads, max_json_depth, max_token_bytes, max_sentence_tokens;
    gint64 max_doc_bytes;
} annotate_args;

static void annotate_args_clear(annotate_args *a)
{
    char **strs[] = {&a->model,      &a->from,     &a->to,         &a->output,   &a->offsets,
                     &a->labels,     &a->overlaps, &a->text_field, &a->id_field, &a->xpath_doc,
                     &a->xpath_text, &a->xpath_id, &a->shard};
    for (guint i = 0; i < G_N_ELEMENTS(strs); i++)
        g_free(*strs[i]);
    g_strfreev(a->gazetteers);
    g_strfreev(a->rules);
    g_strfreev(a->xpath_meta);
    g_strfreev(a->inputs);
}

/* Fills the reader, writer and runner options; FALSE on a bad value. */
static gboolean check_values(annotate_args *a, nerve_reader_options *ro, nerve_writer_options *wo,
                             nerve_runner_options *no)
{
    if (a->from) {
        if (!nerve_input_format_parse(a->from, &ro->format, &ro->xml_preset)) {
            nerve_cli_error("--from: unknown input format \"%s\" (jsonl, text, xml, xml:nitf, "
                            "xml:tei, xml:trec, html)",
                            a->from);
            return FALSE;
        }
    }
    if (a->offsets && !nerve_unit_parse(a->offsets, &wo->unit)) {
        nerve_cli_error("--offsets: \"%s\" is not codepoint, utf16 or byte", a->offsets);
        return FALSE;
    }
    if (a->labels && !nerve_label_scheme_parse(a->labels, &wo->labels)) {
        nerve_cli_error("--labels: \"%s\" is not native or conll", a->labels);
        return FALSE;
    }
    if (a->overlaps && strcmp(a->overlaps, "resolve") && strcmp(a->overlaps, "keep")) {
        nerve_cli_error("--overlaps: \"%s\" is not resolve or keep", a->overlaps);
        return FALSE;
    }
    wo->keep_overlaps = a->overlaps && !strcmp(a->overlaps, "keep");
    if (a->threads < 0 || a->threads > 1024) {
        nerve_cli_error("--threads: %d is out of range (1..1024, 0 for all cores)", a->threads);
        return FALSE;
    }
    if (a->max_json_depth < 0 || a->max_json_depth > 100000) {
        nerve_cli_error("--max-json-depth: %d is out of range (1..100000)", a->max_json_depth);
        return FALSE;
    }
    ro->max_json_depth = (guint)a->max_json_depth;
    if (a->max_doc_bytes < 0) {
        nerve_cli_error("--max-doc-bytes must not be negative");
        return FALSE;
    }
    if (a->shard) {
        guint k = 0, n = 0;
        char tail;
        if (sscanf(a->shard, "%u/%u%c", &k, &n, &tail) != 2 || n == 0 || k == 0 || k > n) {
            nerve_cli_error("--shard: \"%s\" is not K/N with 1 <= K <= N", a->shard);
            return FALSE;
        }
        no->shard_k = k;
        no->shard_n = n;
    }
    ro->text_field = a->text_field;
    ro->id_field = a->id_field;
    ro->strict = a->strict;
    ro->max_doc_bytes = (gsize)a->max_doc_bytes;
    ro->xpath_doc = a->xpath_doc;
    ro->xpath_text = a->xpath_text;
    ro->xpath_id = a->xpath_id;
    ro->xpath_meta = (const char *const *)a->xpath_meta;
    wo->output = a->output;
    wo->tokens = a->tokens;
    wo->resume = a->resume;
    no->threads = (guint)a->threads;
    return TRUE;
}

static void print_stage_times(const nerve_model *model, const nerve_run_stats *st)
{
    fprintf(stderr, "nerve: time per stage (all threads), %" G_GUINT64_FORMAT " tokens:\n",
            st->tokens);
    fprintf(stderr, "  %-10s %8.3f s\n", "read", (double)st->parse_ns / 1e9);
    for (guint i = 0; i < nerve_model_n_stages(model); i++)
        fprintf(stderr, "  %-10s %8.3f s\n", nerve_stage_name(nerve_model_stage(model, i)),
                (double)nerve_model_stage_ns(model, i) / 1e9);
    fprintf(stderr, "  %-10s %8.3f s\n", "write", (double)st->render_ns / 1e9);
    fprintf(stderr, "  %-10s %8.3f s\n", "wall", st->seconds);
}

int nerve_cmd_annotate(int argc, char **argv)
{
    annotate_args a = {0};
    a.max_doc_bytes = 64 << 20;
    GOptionEntry entries[] = {
        {"model", 'm', 0, G_OPTION_ARG_FILENAME, &a.model,
         "Model directory (default: the built-in models/en)", "DIR"},
        {"gazetteer", 'g', 0, G_OPTION_ARG_FILENAME_ARRAY, &a.gazetteers,
         "Extra list or .gaz (repeatable)", "FILE"},
        {"rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &a.rules,
         "Extra rule file, run after the model's (repeatable)", "FILE"},
        {"from", 'f', 0, G_OPTION_ARG_STRING, &a.from,
         "Input format: jsonl, text, xml, xml:nitf, xml:tei, xml:trec, html (default: by "
         "extension; stdin: jsonl)",
         "FORMAT"},
        {"text-field", 0, 0, G_OPTION_ARG_FILENAME, &a.text_field,
         "JSONL field holding the text (default: text)", "F"},
        {"id-field", 0, 0, G_OPTION_ARG_FILENAME, &a.id_field,
         "JSONL field holding the id (default: id)", "F"},
        {"xpath-doc", 0, 0, G_OPTION_ARG_FILENAME, &a.xpath_doc,
         "XML: the elements that are documents", "X"},
        {"xpath-text", 0, 0, G_OPTION_ARG_FILENAME, &a.xpath_text, "XML: a document's text", "X"},
        {"xpath-id", 0, 0, G_OPTION_ARG_FILENAME, &a.xpath_id, "XML: a document's id", "X"},
        {"xpath-meta", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.xpath_meta,
         "XML: a meta field (repeatable)", "NAME=X"},
        {"to", 't', 0, G_OPTION_ARG_STRING, &a.to, "Output format (default: jsonl)", "FORMAT"},
        {"overlaps", 0, 0, G_OPTION_ARG_STRING, &a.overlaps,
         "resolve (one flat layer, default) or keep", "POLICY"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &a.output,
         "Output file, or directory for brat, xmi, webanno, gate (default: stdout)", "PATH"},
        {"offsets", 0, 0, G_OPTION_ARG_STRING, &a.offsets,
         "Offset unit: codepoint (default), utf16 or byte", "UNIT"},
        {"labels", 0, 0, G_OPTION_ARG_STRING, &a.labels, "Label scheme: native (default) or conll",
         "SCHEME"},
        {"tokens", 0, 0, G_OPTION_ARG_NONE, &a.tokens, "Include tokens in jsonl output", NULL},
        {"threads", 'j', 0, G_OPTION_ARG_INT, &a.threads,
         "Worker threads (default: number of cores)", "N"},
        {"progress", 0, 0, G_OPTION_ARG_NONE, &a.progress,
         "Show progress on stderr (default: when stderr is a terminal)", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "No progress and no summary", NULL},
        {"strict", 0, 0, G_OPTION_ARG_NONE, &a.strict, "Invalid UTF-8 is an error, not repaired",
         NULL},
        {"resume", 0, 0, G_OPTION_ARG_NONE, &a.resume,
         "Directory outputs: skip documents already written", NULL},
        {"shard", 0, 0, G_OPTION_ARG_STRING, &a.shard,
         "Only the documents whose id hashes to shard K of N", "K/N"},
        {"max-doc-bytes", 0, 0, G_OPTION_ARG_INT64, &a.max_doc_bytes,
         "Largest document accepted (default: 64 MiB; 0: no limit)", "N"},
        {"max-json-depth", 0, 0, G_OPTION_ARG_INT, &a.max_json_depth,
         "Deepest JSON nesting accepted in a record (default: 512)", "N"},
        {"max-token-bytes", 0, 0, G_OPTION_ARG_INT, &a.max_token_bytes,
         "Longer tokens are cut, with a warning (default: 65536)", "N"},
        {"max-sentence-tokens", 0, 0, G_OPTION_ARG_INT, &a.max_sentence_tokens,
         "Longer sentences are cut, with a warning (default: 1000)", "N"},
        {"stats", 0, 0, G_OPTION_ARG_NONE, &a.stats, "Print the time spent in each stage on stderr",
         NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.inputs, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("[INPUT…] - annotate documents");
    g_option_context_set_summary(
        ctx, "Annotates files, directories (recursively) or stdin (\"-\", the default)\n"
             "and writes one output record per input record, in input order.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!nerve_cli_parse(ctx, &argc, &argv)) {
        annotate_args_clear(&a);
        return EXIT_USAGE;
    }
    nerve_reader_options ro = {0};
    nerve_writer_options wo = {0};
    nerve_runner_options no = {0};
    wo.unit = NERVE_UNIT_CODEPOINT;
    if (!check_values(&a, &ro, &wo, &no)) {
        annotate_args_clear(&a);
        return EXIT_USAGE;
    }
    int status = EXIT_FATAL;
    GError *err = NULL;
    g_autofree char *model_dir = a.model ? g_strdup(a.model) : nerve_model_default_dir();
    if (a.max_token_bytes < 0 || a.max_sentence_tokens < 0) {
        nerve_cli_error("--max-token-bytes and --max-sentence-tokens must not be negative");
        annotate_args_clear(&a);
        return EXIT_USAGE;
    }
    nerve_model_options mo = {(const char *const *)a.gazetteers, (const char *const *)a.rules, NULL,
                              (guint)a.max_token_bytes, (guint)a.max_sentence_tokens};
    nerve_model *model = nerve_model_load(model_dir, &mo, &err);
    nerve_reader *reader = NULL;
    nerve_writer *writer = NULL;
    if (!model)
        goto out;
    nerve_model_set_timing(model, a.stats);
    if (!(reader = nerve_reader_new((const char *const *)a.inputs, &ro, &err)))
        goto out;
    if (!(writer = nerve_writer_new(a.to ? a.to : "jsonl", &wo, &err)))
        goto out;

    gboolean show = !a.quiet && (a.progress || isatty(STDERR_FILENO));
    no.on_error = report_error;
    no.on_progress = report_progress;
    no.user_data = &show;
    no.stop = &stop_requested;
    no.timing = a.stats;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    nerve_run_stats st;
    gboolean ran = nerve_run(model, reader, writer, &no, &st, &err);
    GError *close_err = NULL;
    gboolean closed = nerve_writer_close(writer, &close_err);
    writer = NULL;
    if (!ran || !closed) {
        if (!err)
            err = close_err;
        else if (close_err)
            g_error_free(close_err);
        /* a closed pipe (nerve … | head) ends quietly */
        if (errno == EPIPE || (err && strstr(err->message, g_strerror(EPIPE)))) {
            g_clear_error(&err);
            status = EXIT_OK;
        }
        goto out;
    }
    if (a.stats)
        print_stage_times(model, &st);
    if (!a.quiet)
        fprintf(stderr,
                "nerve: %" G_GUINT64_FORMAT " read, %" G_GUINT64_FORMAT
                " written, %" G_GUINT64_FORMAT " failed, %" G_GUINT64_FORMAT " skipped in %.2fs\n",
                st.read, st.written, st.failed, st.skipped, st.seconds);
    status = stop_signal ? 128 + stop_signal : st.failed ? EXIT_PARTIAL : EXIT_OK;
out:
    if (err) {
        nerve_cli_error("%s", err->message);
        status = nerve_cli_status(err);
        g_error_free(err);
    }
    if (writer)
        nerve_writer_close(writer, NULL);
    nerve_reader_free(reader);
    nerve_model_free(model);
    annotate_args_clear(&a);
    return status;
}

/* --- explain ------------------------------------------------------------------ */

static void flag_names(uint32_t f, GString *out)
{
    static const char *const names[] = {
        "space",  "newline", "para",  "alpha", "digit", "number",   "punct",   "symbol",
        "upper",  "lower",   "title", "url",   "email", "hashtag",  "mention", "emoji",
        "abbrev", "ascii",   "quote", "open",  "close", "terminal", "initial", "ideographic"};
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        if (f & (1u << i) && i > 2)
            g_string_append_printf(out, "%s%s", out->len ? "," : "", names[i]);
}

static void explain_doc(const nerve_doc *doc)
{
    size_t n, len;
    const char *text = nerve_doc_text(doc, &len);
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    const nerve_sentence *s = nerve_doc_sentences(doc, NULL);
    size_t ns;
    nerve_doc_sentences(doc, &ns);
    for (size_t k = 0; k < ns; k++) {
        printf("sentence %zu  bytes %u-%u\n", k + 1, s[k].start, s[k].end);
        for (uint32_t i = s[k].tok_start; i < s[k].tok_end; i++) {
            g_autoptr(GString) flags = g_string_new(NULL);
            flag_names(t[i].flags, flags);
            printf("  %4u  %5u-%-5u  %-20.*s", i, t[i].start, t[i].end,
                   (int)(t[i].end - t[i].start), text + t[i].start);
            printf("  lower=%.*s", (int)t[i].lower.len, t[i].lower.s);
            if (t[i].lemma.s)
                printf(" lemma=%.*s", (int)t[i].lemma.len, t[i].lemma.s);
            if (t[i].shape.s)
                printf(" shape=%.*s", (int)t[i].shape.len, t[i].shape.s);
            printf("  [%s]\n", flags->str);
        }
    }
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    if (n)
        printf("entities\n");
    for (size_t i = 0; i < n; i++) {
        char id[16] = "-";
        if (e[i].id)
            g_snprintf(id, sizeof id, "T%u", e[i].id);
        printf("  %-5s %-10s %u-%u  \"%.*s\" (tokens %u-%u)  from %s (phase %u, priority %d)", id,
               e[i].label, e[i].start, e[i].end, (int)(e[i].end - e[i].start), text + e[i].start,
               e[i].tok_start, e[i].tok_end, e[i].source ? e[i].source : "?", e[i].phase,
               e[i].priority);
        if (e[i].entry)
            printf(" entry \"%s\"", e[i].entry);
        if (e[i].flags & NERVE_ENTITY_DROPPED)
            printf("  DROPPED by overlap resolution");
        if (e[i].flags & NERVE_ENTITY_HIDDEN)
            printf("  HIDDEN (internal label)");
        const char *it = e[i].attrs, *k, *v;
        while (nerve_attrs_next(&it, &k, &v))
            printf(" %s=%s", k, v);
        printf("\n");
    }
    const nerve_event *ev = nerve_doc_events(doc, &n);
    const nerve_arg *args = nerve_doc_args(doc, NULL);
    if (n)
        printf("events\n");
    for (size_t i = 0; i < n; i++) {
        printf("  E%-3u %s  trigger \"%.*s\" (%u-%u, tokens %u-%u)  rule %s (phase %u, priority "
               "%d)%s\n",
               ev[i].id, ev[i].type, (int)(ev[i].trig_end - ev[i].trig_start),
               text + ev[i].trig_start, ev[i].trig_start, ev[i].trig_end, ev[i].trig_tok_start,
               ev[i].trig_tok_end, ev[i].rule ? ev[i].rule : "?", ev[i].phase, ev[i].priority,
               ev[i].flags & NERVE_EVENT_DROPPED ? "  MERGED into another" : "");
        for (uint32_t k = 0; k < ev[i].n_args; k++) {
            const nerve_arg *a = &args[ev[i].arg_first + k];
            printf("        %-10s \"%.*s\" (tokens %u-%u)%s\n", a->role, (int)(a->end - a->start),
                   text + a->start, a->tok_start, a->tok_end, a->entity >= 0 ? " entity" : "");
        }
    }
}

int nerve_cmd_explain(int argc, char **argv)
{
    char *model_dir = NULL;
    char **gaz = NULL, **rules = NULL, **rest = NULL;
    GOptionEntry entries[] = {
        {"model", 'm', 0, G_OPTION_ARG_FILENAME, &model_dir, "Model directory", "DIR"},
        {"gazetteer", 'g', 0, G_OPTION_ARG_FILENAME_ARRAY, &gaz, "Extra list or .gaz (repeatable)",
         "FILE"},
        {"rules", 'r', 0, G_OPTION_ARG_FILENAME_ARRAY, &rules, "Extra rule file (repeatable)",
         "FILE"},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL,
         NULL}, /* raw bytes: no charset conversion */
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("TEXT - show tokens, sentences and matches");
    g_option_context_set_summary(
        ctx, "Shows how nerve reads TEXT (or stdin when TEXT is \"-\" or missing):\n"
             "tokens with their forms and flags, sentences, and each entity and\n"
             "event with the list entry or rule behind it.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    int status = EXIT_OK;
    if (!nerve_cli_parse(ctx, &argc, &argv))
        status = EXIT_USAGE;
    g_autofree char *text = NULL;
    if (status == EXIT_OK) {
        if (rest && rest[0] && strcmp(rest[0], "-"))
            text = g_strjoinv(" ", rest);
        else {
            GString *in = g_string_new(NULL);
            char buf[65536];
            size_t k;
            while ((k = fread(buf, 1, sizeof buf, stdin)) > 0)
                g_string_append_len(in, buf, k);
            text = g_string_free(in, FALSE);
        }
    }
    GError *err = NULL;
    g_autofree char *dir = model_dir ? g_strdup(model_dir) : nerve_model_default_dir();
    nerve_model_options mo = {.gazetteers = (const char *const *)gaz,
                              .rules = (const char *const *)rules};
    nerve_model *model = status == EXIT_OK ? nerve_model_load(dir, &mo, &err) : NULL;
    if (model) {
        GString *fixed = g_string_new(NULL);
        nerve_utf8_repair(text, strlen(text), fixed);
        nerve_doc *doc = nerve_doc_new("explain", fixed->str, fixed->len, NULL);
        g_string_free(fixed, TRUE);
        if (nerve_model_annotate(model, doc, &err)) {
            nerve_doc_finish(doc, TRUE);
            printf("model %s %s (%s)\n", nerve_model_name(model), nerve_model_version(model),
                   nerve_model_dir(model));
            explain_doc(doc);
        }
        nerve_doc_free(doc);
    }
    if (err) {
        nerve_cli_error("%s", err->message);
        status = nerve_cli_status(err);
        g_error_free(err);
    }
    nerve_model_free(model);
    g_free(model_dir);
    g_strfreev(gaz);
    g_strfreev(rules);
    g_strfreev(rest);
    return status;
}

/* --- dispatch ------------------------------------------------------------------- */

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} commands[] = {
    {"annotate", nerve_cmd_annotate, "annotate documents (files, directories or stdin)"},
    {"gazetteer", nerve_cmd_gazetteer, "compile entity lists: gazetteer compile LIST… -o FILE.gaz"},
    {"check", nerve_cmd_check, "validate a model, rule files and lists (FILE:LINE:COL errors)"},
    {"eval", nerve_cmd_eval, "score predictions against gold annotations (P/R/F1)"},
    {"explain", nerve_cmd_explain, "show tokens, sentences and matches for a text"},
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: nerve COMMAND [OPTIONS…]\n\n"
                 "nerve annotates news text with named entities and events and writes\n"
                 "standoff annotations with exact offsets.\n\nCommands:\n");
    for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nOutput formats (annotate --to): ");
    for (const char *const *f = nerve_writer_formats(); *f; f++)
        fprintf(out, "%s%s", *f, f[1] ? ", " : "\n");
    fprintf(out, "\n'nerve COMMAND --help' describes a command's options.\n"
                 "  -h, --help     this help\n  -V, --version  the version\n");
}

/* GOption wants "-j 2"; users also write "-j2".  Split attached values of
 * the short options that take one. */
static char **split_short_values(int *argc, char **argv)
{
    GPtrArray *out = g_ptr_array_new();
    for (int i = 0; i < *argc; i++) {
        const char *a = argv[i];
        if (i > 0 && a[0] == '-' && a[1] && strchr("jmgrfto", a[1]) && a[2] && a[1] != '-') {
            g_ptr_array_add(out, g_strndup(a, 2));
            g_ptr_array_add(out, g_strdup(a + 2));
        } else
            g_ptr_array_add(out, g_strdup(a));
    }
    *argc = (int)out->len;
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

int main(int argc, char **argv0)
{
    setlocale(LC_ALL, ""); /* GOption's help in the user's charset */
    /* GOption removes what it parses from argv without freeing it: keep
     * the strings here and give the commands a shallow copy */
    g_auto(GStrv) owned = split_short_values(&argc, argv0);
    g_autofree char **argv = g_memdup2(owned, sizeof(char *) * (size_t)(argc + 1));
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version")) {
        printf("nerve %s\n", NERVE_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    for (guint i = 0; i < G_N_ELEMENTS(commands); i++)
        if (!strcmp(cmd, commands[i].name)) {
            g_autofree char *name = g_strdup_printf("nerve %s", cmd);
            g_set_prgname(name);
            argv[1] = name;
            return commands[i].run(argc - 1, argv + 1);
        }
    nerve_cli_error("unknown command \"%s\" (see nerve --help)", cmd);
    return EXIT_USAGE;
}
