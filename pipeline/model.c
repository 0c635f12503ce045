/* model.c - loading a model directory and building its stages.
 *
 * model.json names the stages in order; each name is looked up in the
 * registry below and its factory builds the stage from the model.  The
 * tokenizer, normalization settings and sentence splitter belong to the
 * model itself (not only to their stages) because other parts must split
 * text exactly as documents are split: gazetteer terms, rule phrases.
 * Stages that options require (a gazetteer for -g, rules for -r) are added
 * in their canonical place when model.json does not list them.
 */
#include "nerve/model.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "nerve/error.h"
#include "nerve/sentences.h"
#include "stages.h"

struct nerve_model {
    char *dir;
    json_t *config;
    char *name, *version, *language;
    nerve_model_options opts;
    char **gazetteers, **rules; /* owned copies behind opts */
    char *cache_dir;
    nerve_tokenizer *tokenizer;
    nerve_normalize_options norm;
    nerve_splitter *splitter;
    GPtrArray *stages; /* nerve_stage* */
    gboolean timing;
    atomic_uint_fast64_t *ns; /* per stage */
};

static nerve_stage *make_normalize(const nerve_model *m, GError **error)
{
    (void)error;
    return nerve_normalize_stage_new(&m->norm);
}

static nerve_stage *make_tokenize(const nerve_model *m, GError **error)
{
    (void)error;
    return nerve_tokenize_stage_new(m->tokenizer);
}

static nerve_stage *make_sentences(const nerve_model *m, GError **error)
{
    (void)error;
    return nerve_sentences_stage_new(m->splitter);
}

/* The registry, in canonical order. */
static const struct {
    const char *name;
    nerve_stage_factory make;
} registry[] = {{"normalize", make_normalize},
                {"tokenize", make_tokenize},
                {"sentences", make_sentences},
                NERVE_EXTRA_STAGES};

static int registry_index(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(registry); i++)
        if (registry[i].name && !strcmp(registry[i].name, name))
            return (int)i;
    return -1;
}

static gboolean fail(GError **error, const char *path, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static gboolean fail(GError **error, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s: %s", path, msg);
    return FALSE;
}

char *nerve_model_default_dir(void)
{
    const char *env = g_getenv("NERVE_MODEL");
    if (env && *env)
        return g_strdup(env);
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe) {
        g_autofree char *bindir = g_path_get_dirname(exe);
        /* build/nerve (or build/asan/nerve) in the source tree, then a
         * relocated install */
        const char *rel[] = {"../models/en", "../../models/en", "../share/nerve/models/en"};
        for (guint i = 0; i < G_N_ELEMENTS(rel); i++) {
            g_autofree char *dir = g_build_filename(bindir, rel[i], NULL);
            g_autofree char *json = g_build_filename(dir, "model.json", NULL);
            if (g_file_test(json, G_FILE_TEST_IS_REGULAR))
                return g_canonicalize_filename(dir, NULL);
        }
    }
    return g_build_filename(NERVE_DATADIR, "models", "en", NULL);
}

char *nerve_model_path(const nerve_model *m, const char *rel)
{
    if (g_path_is_absolute(rel))
        return g_strdup(rel);
    return g_build_filename(m->dir, rel, NULL);
}

static const char *get_string(json_t *obj, const char *key, const char *dflt)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : dflt;
}

static gboolean load_text_settings(nerve_model *m, const char *json_path, GError **error)
{
    json_t *norm = json_object_get(m->config, "normalize");
    const char *form = get_string(norm, "form", "NFC");
    if (g_ascii_strcasecmp(form, "NFC") && g_ascii_strcasecmp(form, "NFKC"))
        return fail(error, json_path, "normalize.form must be NFC or NFKC, not \"%s\"", form);
    m->norm.nfkc = !g_ascii_strcasecmp(form, "NFKC");
    json_t *ent = json_object_get(norm, "html_entities");
    m->norm.html_entities = ent ? json_is_true(ent) : TRUE;

    m->tokenizer = nerve_tokenizer_new();
    json_t *tok = json_object_get(m->config, "tokenize");
    const char *abbr = get_string(tok, "abbreviations", NULL);
    if (abbr) {
        g_autofree char *path = nerve_model_path(m, abbr);
        if (!nerve_tokenizer_load_abbreviations(m->tokenizer, path, error))
            return FALSE;
    }
    json_t *clitics = json_object_get(tok, "clitics");
    if (json_is_array(clitics)) {
        g_autoptr(GPtrArray) list = g_ptr_array_new();
        size_t i;
        json_t *v;
        json_array_foreach(clitics, i, v)
        {
            if (!json_is_string(v))
                return fail(error, json_path, "%s must be an array of strings", "tokenize.clitics");
            g_ptr_array_add(list, (gpointer)json_string_value(v));
        }
        g_ptr_array_add(list, NULL);
        nerve_tokenizer_set_clitics(m->tokenizer, (const char *const *)list->pdata);
    }

    json_t *starters = json_object_get(json_object_get(m->config, "sentences"), "starters");
    g_autoptr(GPtrArray) list = g_ptr_array_new();
    if (json_is_array(starters)) {
        size_t i;
        json_t *v;
        json_array_foreach(starters, i, v) if (json_is_string(v))
            g_ptr_array_add(list, (gpointer)json_string_value(v));
    }
    g_ptr_array_add(list, NULL);
    m->splitter =
        nerve_splitter_new(m->tokenizer, list->len > 1 ? (const char *const *)list->pdata : NULL);
    if (m->opts.max_token_bytes)
        nerve_tokenizer_set_max_token_bytes(m->tokenizer, m->opts.max_token_bytes);
    if (m->opts.max_sentence_tokens)
        nerve_splitter_set_max_tokens(m->splitter, m->opts.max_sentence_tokens);
    return TRUE;
}

static gboolean add_stage(nerve_model *m, int r, GError **error)
{
    nerve_stage *s = registry[r].make(m, error);
    if (!s)
        return FALSE;
    g_ptr_array_add(m->stages, s);
    return TRUE;
}

static gboolean build_stages(nerve_model *m, const char *json_path, GError **error)
{
    json_t *names = json_object_get(m->config, "stages");
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(int));
    if (names && !json_is_array(names))
        return fail(error, json_path, "%s must be an array of stage names", "\"stages\"");
    if (!names) {
        for (int r = 0; r < 3; r++)
            g_array_append_val(order, r);
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(names, i, v)
        {
            const char *name = json_is_string(v) ? json_string_value(v) : "(not a string)";
            int r = registry_index(name);
            if (r < 0)
                return fail(error, json_path, "unknown stage \"%s\"", name);
            g_array_append_val(order, r);
        }
    }
    /* stages the options need: insert in canonical order */
    const char *needed[3] = {NULL, NULL, NULL};
    if (m->opts.rules && m->opts.rules[0]) {
        needed[0] = "lexicon";
        needed[2] = "rules";
    }
    if (m->opts.gazetteers && m->opts.gazetteers[0])
        needed[1] = "gazetteer";
    for (guint k = 0; k < G_N_ELEMENTS(needed); k++) {
        if (!needed[k])
            continue;
        int r = registry_index(needed[k]);
        if (r < 0)
            return fail(error, json_path, "this build of nerve has no %s stage", needed[k]);
        gboolean have = FALSE;
        guint at = order->len;
        for (guint i = 0; i < order->len; i++) {
            int o = g_array_index(order, int, i);
            have |= o == r;
            if (o > r && at == order->len)
                at = i;
        }
        if (!have)
            g_array_insert_val(order, at, r);
    }
    for (guint i = 0; i < order->len; i++)
        if (!add_stage(m, g_array_index(order, int, i), error))
            return FALSE;
    m->ns = g_new0(atomic_uint_fast64_t, m->stages->len + 1);
    return TRUE;
}

static char **copy_strv(const char *const *v)
{
    return v ? g_strdupv((char **)v) : NULL;
}

nerve_model *nerve_model_load(const char *dir, const nerve_model_options *opts, GError **error)
{
    g_autofree char *json_path = g_build_filename(dir, "model.json", NULL);
    g_autofree char *contents = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(json_path, &contents, &len, &io)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "cannot read model: %s", io->message);
        g_error_free(io);
        return NULL;
    }
    json_error_t jerr;
    json_t *config = json_loadb(contents, len, 0, &jerr);
    if (!config || !json_is_object(config)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s:%d:%d: %s", json_path,
                    config ? 1 : jerr.line, config ? 1 : jerr.column,
                    config ? "model.json must hold a JSON object" : jerr.text);
        if (config)
            json_decref(config);
        return NULL;
    }
    nerve_model *m = g_new0(nerve_model, 1);
    m->dir = g_canonicalize_filename(dir, NULL);
    m->config = config;
    m->name = g_strdup(get_string(config, "name", "unnamed"));
    m->version = g_strdup(get_string(config, "version", "0"));
    m->language = g_strdup(get_string(config, "language", "und"));
    m->stages = g_ptr_array_new_with_free_func((GDestroyNotify)nerve_stage_free);
    if (opts) {
        m->gazetteers = copy_strv(opts->gazetteers);
        m->rules = copy_strv(opts->rules);
        m->cache_dir = g_strdup(opts->cache_dir);
        m->opts.max_token_bytes = opts->max_token_bytes;
        m->opts.max_sentence_tokens = opts->max_sentence_tokens;
    }
    m->opts.gazetteers = (const char *const *)m->gazetteers;
    m->opts.rules = (const char *const *)m->rules;
    m->opts.cache_dir = m->cache_dir;
    if (!load_text_settings(m, json_path, error) || !build_stages(m, json_path, error)) {
        nerve_model_free(m);
        return NULL;
    }
    return m;
}

void nerve_model_free(nerve_model *m)
{
    if (!m)
        return;
    /* stages first: they may point into the tokenizer and splitter */
    if (m->stages)
        g_ptr_array_free(m->stages, TRUE);
    nerve_splitter_free(m->splitter);
    nerve_tokenizer_free(m->tokenizer);
    json_decref(m->config);
    g_strfreev(m->gazetteers);
    g_strfreev(m->rules);
    g_free(m->cache_dir);
    g_free(m->ns);
    g_free(m->dir);
    g_free(m->name);
    g_free(m->version);
    g_free(m->language);
    g_free(m);
}

const char *nerve_model_dir(const nerve_model *m)
{
    return m->dir;
}

const char *nerve_model_name(const nerve_model *m)
{
    return m->name;
}

const char *nerve_model_version(const nerve_model *m)
{
    return m->version;
}

const char *nerve_model_language(const nerve_model *m)
{
    return m->language;
}

const nerve_model_options *nerve_model_get_options(const nerve_model *m)
{
    return &m->opts;
}

json_t *nerve_model_section(const nerve_model *m, const char *key)
{
    return json_object_get(m->config, key);
}

const nerve_tokenizer *nerve_model_tokenizer(const nerve_model *m)
{
    return m->tokenizer;
}

const nerve_normalize_options *nerve_model_normalize_options(const nerve_model *m)
{
    return &m->norm;
}

guint nerve_model_n_stages(const nerve_model *m)
{
    return m->stages->len;
}

const nerve_stage *nerve_model_stage(const nerve_model *m, guint i)
{
    return g_ptr_array_index(m->stages, i);
}

const nerve_stage *nerve_model_find_stage(const nerve_model *m, const char *name)
{
    for (guint i = 0; i < m->stages->len; i++)
        if (!strcmp(nerve_stage_name(g_ptr_array_index(m->stages, i)), name))
            return g_ptr_array_index(m->stages, i);
    return NULL;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

gboolean nerve_model_annotate(const nerve_model *m, nerve_doc *doc, GError **error)
{
    for (guint i = 0; i < m->stages->len; i++) {
        const nerve_stage *s = g_ptr_array_index(m->stages, i);
        uint64_t t0 = m->timing ? now_ns() : 0;
        if (!nerve_stage_process(s, doc, error))
            return FALSE;
        if (m->timing)
            atomic_fetch_add(&m->ns[i], (uint_fast64_t)(now_ns() - t0));
    }
    return TRUE;
}

void nerve_model_set_timing(nerve_model *m, gboolean on)
{
    m->timing = on;
}

guint64 nerve_model_stage_ns(const nerve_model *m, guint i)
{
    return atomic_load(&m->ns[i]);
}
