/* cli-check.c - `nerve check [--model DIR] [FILES…]`: validates a model
 * and rule files without annotating anything.
 *
 * Loading the model builds all its stages, which parses model.json, its
 * lists and its rule files.  Each .rules FILE is then parsed and compiled
 * as the phase after the model's own rule files, with the model's
 * tokenizer (phrases are split as in documents); every other FILE is an
 * entity list (TSV, GATE lists.def or .lst, EntityRuler JSONL) or a .gaz,
 * parsed and compiled in memory, or verified in full.  Every error is printed
 * on stderr as FILE:LINE:COL: message, one per line; the exit status is 1
 * when there is any, else 0 after a one-line summary on stdout.  The notes
 * on the model's rule files and the FILEs' (nerve_rules_notes: values that
 * can never match one token, rules tried at every token) go to stderr as
 * FILE:LINE[:COL]: note: ...; they are no errors.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nerve/nerve.h"

/* Prints the lines of a GError message, each on its own line. */
static void print_errors(const GError *err)
{
    fprintf(stderr, "%s\n", err->message);
}

/* Prints the notes on rs's rule files on stderr. */
static void print_notes(const nerve_rules *rs)
{
    g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
    nerve_rules_notes(rs, notes);
    for (guint i = 0; i < notes->len; i++)
        fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(notes, i));
}

/* The notes on the model's own rule files, kept by its rules stages;
 * their phases (rule files) and rules counted into *n_files, *n_rules. */
static void model_notes(const nerve_model *model, guint *n_files, guint *n_rules)
{
    for (guint i = 0; i < nerve_model_n_stages(model); i++) {
        const nerve_rules *rs = nerve_rules_of_stage(nerve_model_stage(model, i));
        if (!rs)
            continue;
        print_notes(rs);
        *n_files += nerve_rules_n_phases(rs);
        *n_rules += nerve_rules_n_rules(rs);
    }
}

static gboolean check_rules(const nerve_model *model, char **files, guint *n_files, guint *n_rules,
                            guint *n_lists)
{
    json_t *own = nerve_model_section(model, "rules");
    nerve_rules *rs =
        nerve_rules_new(nerve_model_tokenizer(model), nerve_model_normalize_options(model));
    nerve_rules_set_next_phase(rs, 1 + (json_is_array(own) ? (guint)json_array_size(own) : 0));
    gboolean ok = TRUE;
    for (guint i = 0; files && files[i]; i++) {
        GError *err = NULL;
        if (!g_str_has_suffix(files[i], ".rules")) {
            if (!nerve_gazetteer_check_file(files[i], model, &err)) {
                print_errors(err);
                g_error_free(err);
                ok = FALSE;
            } else
                (*n_lists)++;
            continue;
        }
        if (!nerve_rules_add_file(rs, files[i], &err)) {
            print_errors(err);
            g_error_free(err);
            ok = FALSE;
            continue;
        }
        (*n_files)++;
    }
    print_notes(rs);
    *n_rules = nerve_rules_n_rules(rs);
    nerve_rules_free(rs);
    return ok;
}

int nerve_cmd_check(int argc, char **argv)
{
    char *model_dir = NULL;
    char **files = NULL;
    GOptionEntry entries[] = {
        {"model", 'm', 0, G_OPTION_ARG_FILENAME, &model_dir,
         "Model directory (default: the built-in models/en)", "DIR"},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("[FILE…] - validate a model, rule files and lists");
    g_option_context_set_summary(
        ctx, "Loads the model (model.json, its lists and rule files) and parses and\n"
             "compiles each .rules FILE as a phase after the model's, and each other\n"
             "FILE as an entity list (TSV, GATE, EntityRuler) or a .gaz.  Errors are\n"
             "printed as FILE:LINE:COL: message; the exit status is 1 if there is any.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!nerve_cli_parse(ctx, &argc, &argv)) {
        g_free(model_dir);
        g_strfreev(files);
        return EXIT_USAGE;
    }
    g_autofree char *dir = model_dir ? g_strdup(model_dir) : nerve_model_default_dir();
    GError *err = NULL;
    nerve_model *model = nerve_model_load(dir, NULL, &err);
    int status = EXIT_OK;
    if (!model) {
        print_errors(err);
        g_error_free(err);
        status = EXIT_FATAL;
    } else {
        guint own_files = 0, own_rules = 0, n_files = 0, n_rules = 0, n_lists = 0;
        model_notes(model, &own_files, &own_rules);
        if (!check_rules(model, files, &n_files, &n_rules, &n_lists))
            status = EXIT_FATAL;
        else {
            printf("OK: model %s %s (%s): %u rule file%s with %u rules", nerve_model_name(model),
                   nerve_model_version(model), nerve_model_dir(model), own_files,
                   own_files == 1 ? "" : "s", own_rules);
            if (files && files[0])
                printf("; checked: %u rule file%s with %u rules, %u list%s", n_files,
                       n_files == 1 ? "" : "s", n_rules, n_lists, n_lists == 1 ? "" : "s");
            printf("\n");
        }
    }
    nerve_model_free(model);
    g_free(model_dir);
    g_strfreev(files);
    return status;
}
