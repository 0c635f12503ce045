/* cli-eval.c - nerve eval: score predictions against gold annotations.
 *
 *   nerve eval --gold PATH --pred PATH [--format F] [--labels S] [--json FILE]
 *
 * Reads both sides with the gold readers (gold.h; --format applies to
 * both, else each path is recognised on its own), pairs and scores them
 * (eval.h), prints a table on stdout, and with --json writes the figures
 * as JSON (precision, recall and f1 as fractions; the first "f1" is the
 * entities' micro F1).  Notes about pairing and alignment go to stderr.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nerve/nerve.h"
#include "nerve/eval.h"
#include "nerve/gold.h"

static int write_json(const nerve_eval *ev, const char *path, GError **error)
{
    json_t *j = nerve_eval_to_json(ev);
    int rc =
        json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(j);
    if (rc)
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_IO, "%s: cannot write", path);
    return rc == 0;
}

int nerve_cmd_eval(int argc, char **argv)
{
    char *gold_path = NULL, *pred_path = NULL, *format = NULL, *labels = NULL, *json = NULL;
    GOptionEntry entries[] = {{"gold", 0, 0, G_OPTION_ARG_FILENAME, &gold_path,
                               "Gold annotations (file or directory)", "PATH"},
                              {"pred", 0, 0, G_OPTION_ARG_FILENAME, &pred_path,
                               "Predicted annotations (file or directory)", "PATH"},
                              {"format", 0, 0, G_OPTION_ARG_STRING, &format,
                               "jsonl, brat, conll or xmi (default: recognised per path)", "F"},
                              {"labels", 0, 0, G_OPTION_ARG_STRING, &labels,
                               "Map labels of both sides first: native (default) or conll",
                               "SCHEME"},
                              {"json", 0, 0, G_OPTION_ARG_FILENAME, &json,
                               "Also write the scores as JSON to FILE", "FILE"},
                              {NULL, 0, 0, 0, NULL, NULL, NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("- score predictions against gold annotations");
    g_option_context_set_summary(
        ctx, "Entities: precision, recall and F1 per label, micro and macro (exact span\n"
             "and label) and boundary-only; events: trigger (type + span) and argument\n"
             "(+ role + span).  Documents are paired by id; one missing on a side is\n"
             "counted and listed.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    int status = EXIT_OK;
    nerve_gold_format fmt = NERVE_GOLD_AUTO;
    nerve_label_scheme scheme = NERVE_LABELS_NATIVE;
    if (!nerve_cli_parse(ctx, &argc, &argv))
        status = EXIT_USAGE;
    else if (!gold_path || !pred_path) {
        nerve_cli_error("eval needs --gold PATH and --pred PATH (see --help)");
        status = EXIT_USAGE;
    } else if (format && !nerve_gold_format_parse(format, &fmt)) {
        nerve_cli_error("--format: \"%s\" is not jsonl, brat, conll or xmi", format);
        status = EXIT_USAGE;
    } else if (labels && !nerve_label_scheme_parse(labels, &scheme)) {
        nerve_cli_error("--labels: \"%s\" is not native or conll", labels);
        status = EXIT_USAGE;
    }
    GError *err = NULL;
    GPtrArray *gold = NULL, *pred = NULL;
    if (status == EXIT_OK && (gold = nerve_gold_read(gold_path, fmt, &err)) &&
        (pred = nerve_gold_read(pred_path, fmt, &err))) {
        g_autoptr(nerve_eval) ev = nerve_eval_new(scheme);
        nerve_eval_run(ev, gold, pred);
        const GPtrArray *notes = nerve_eval_warnings(ev);
        for (guint i = 0; i < notes->len; i++)
            nerve_cli_error("%s", (const char *)g_ptr_array_index(notes, i));
        GString *table = g_string_new(NULL);
        nerve_eval_table(ev, table);
        fputs(table->str, stdout);
        g_string_free(table, TRUE);
        if (json)
            write_json(ev, json, &err);
    }
    if (err) {
        nerve_cli_error("%s", err->message);
        status = nerve_cli_status(err);
        g_error_free(err);
    }
    if (gold)
        g_ptr_array_unref(gold);
    if (pred)
        g_ptr_array_unref(pred);
    g_free(gold_path);
    g_free(pred_path);
    g_free(format);
    g_free(labels);
    g_free(json);
    return status;
}
