/* cli-gazetteer.c - nerve gazetteer compile LIST... -o FILE.gaz
 *
 * Compiles source lists (TSV, GATE lists.def/.lst, EntityRuler JSONL) with
 * the tokenizer of a model (the default model unless --model), so that a
 * .gaz matches exactly as the same lists named in that model would.  The
 * output is written through a temporary file and renamed; --verify reads
 * it back and checks every table.  Exit 0, 1 on a list or I/O error
 * (FILE:LINE:COL messages), 2 on usage.
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nerve/gazcompile.h"
#include "nerve/gazetteer.h"
#include "nerve/gazfile.h"
#include "nerve/gazlist.h"
#include "nerve/nerve.h"

static int compile(char **lists, const char *output, const char *model_dir, gboolean verify)
{
    GError *err = NULL;
    g_autofree char *dir = model_dir ? g_strdup(model_dir) : nerve_model_default_dir();
    g_autoptr(nerve_model) model = nerve_model_load(dir, NULL, &err);
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(nerve_gaz_builder) b = NULL;
    if (model)
        b = nerve_gaz_builder_new(nerve_model_tokenizer(model),
                                  nerve_model_normalize_options(model));
    for (guint i = 0; b && lists[i] && !err; i++)
        nerve_gazlist_load(b, lists[i], NULL, i, &err);
    gint64 t1 = g_get_monotonic_time();
    if (!err)
        nerve_gaz_builder_write(b, output, nerve_gazetteer_settings_hash(model), 0, &err);
    gint64 t2 = g_get_monotonic_time();
    if (!err && verify) {
        nerve_gaz *g = nerve_gaz_open(output, NERVE_GAZ_CHECK_ALL, &err);
        nerve_gaz_free(g);
    }
    if (err) {
        nerve_cli_error("%s", err->message);
        int status = nerve_cli_status(err);
        g_error_free(err);
        return status;
    }
    GStatBuf sb;
    double mb = g_stat(output, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
    fprintf(stderr,
            "nerve: %u entries from %u lists compiled into %s (%.1f MB) in %.2f s "
            "(reading and tokenizing %.2f s, writing %.2f s)%s\n",
            nerve_gaz_builder_n_entries(b) - nerve_gaz_builder_n_duplicates(b),
            nerve_gaz_builder_n_lists(b), output, mb, (double)(t2 - t0) / 1e6,
            (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6, verify ? ", verified" : "");
    if (nerve_gaz_builder_n_duplicates(b))
        fprintf(stderr,
                "nerve: %u entries repeat an earlier one's term and label with other "
                "attrs; the first listed is used\n",
                nerve_gaz_builder_n_duplicates(b));
    return EXIT_OK;
}

int nerve_cmd_gazetteer(int argc, char **argv)
{
    char *output = NULL, *model_dir = NULL;
    char **rest = NULL;
    gboolean verify = FALSE;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The compiled gazetteer to write",
         "FILE.gaz"},
        {"model", 'm', 0, G_OPTION_ARG_FILENAME, &model_dir,
         "Model whose tokenizer splits the terms (default: the built-in model)", "DIR"},
        {"verify", 0, 0, G_OPTION_ARG_NONE, &verify, "Read the output back and check all of it",
         NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("compile LIST… -o FILE.gaz");
    g_option_context_set_summary(
        ctx, "Compiles entity lists into one memory-mapped .gaz for annotate -g.\n"
             "LIST: TSV (term<TAB>LABEL[<TAB>key=value…]), GATE lists.def, or spaCy\n"
             "EntityRuler / Prodigy patterns (.jsonl).  Terms are split by the model's\n"
             "tokenizer, so use the model you will annotate with.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    int status = EXIT_OK;
    if (!nerve_cli_parse(ctx, &argc, &argv))
        status = EXIT_USAGE;
    else if (!rest || strcmp(rest[0], "compile")) {
        nerve_cli_error(
            "usage: nerve gazetteer compile LIST… -o FILE.gaz [--model DIR] [--verify]");
        status = EXIT_USAGE;
    } else if (!rest[1] || !output) {
        nerve_cli_error("gazetteer compile: %s (see --help)",
                        !rest[1] ? "no list given" : "no output file given (-o FILE.gaz)");
        status = EXIT_USAGE;
    } else
        status = compile(rest + 1, output, model_dir, verify);
    g_free(output);
    g_free(model_dir);
    g_strfreev(rest);
    return status;
}
