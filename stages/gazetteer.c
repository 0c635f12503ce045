/* gazetteer.c - the gazetteer stage: which lists, the compile cache, and
 * the per-document run (gazetteer.h).
 *
 * The stage holds memory-mapped .gaz files only.  Source lists are never
 * matched directly: they are compiled into the cache first, so a model's
 * lists cost one compile per change and a mapping per run.  The model's
 * lists go into one .gaz and the -g source lists into another (instead of
 * one per file) because each .gaz costs one vocabulary probe per token and
 * case mode: a handful of tries, not dozens, keep lookup at full speed.
 *
 * Cache files are named by a hash of what the cache entry is for (paths,
 * options, tokenizer settings) and record a second hash of the sources'
 * sizes and modification times: a changed source rewrites the same file
 * (no stale files pile up), through a temporary file and a rename, so a
 * concurrent run maps either the old or the new file, never half of one.
 *
 * Every entity gets a global order: model lists first, then the -g files
 * in command-line order, each list in line order.  A .gaz keeps per-list
 * the compiler input it came from and its first entry, so the stage maps
 * file-local orders to global ones with one base per list.
 */
#include "nerve/gazetteer.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gazformat.h"
#include "nerve/error.h"
#include "nerve/gazcompile.h"
#include "nerve/gazfile.h"
#include "nerve/gazlist.h"
#include "nerve/nerve.h"

/* A list given to the stage, in global order. */
typedef struct {
    char *path; /* absolute */
    nerve_gaz_options opts;
    gboolean compiled; /* a .gaz */
    int group;         /* sources: 0 model, 1 command line */
    guint index;       /* sources: place in its group */
} input;

typedef struct {
    GPtrArray *gaz;   /* nerve_gaz* */
    GPtrArray *bases; /* uint32_t[n_lists] per gaz */
} gazetteer;

static void input_clear(gpointer p)
{
    input *in = p;
    g_free(in->path);
    nerve_gaz_options_clear(&in->opts);
}

static void gazetteer_free(gpointer p)
{
    gazetteer *gz = p;
    if (!gz)
        return;
    g_ptr_array_free(gz->gaz, TRUE);
    g_ptr_array_free(gz->bases, TRUE);
    g_free(gz);
}

static gboolean process(const void *self, nerve_doc *doc, GError **error)
{
    const gazetteer *gz = self;
    for (guint i = 0; i < gz->gaz->len; i++)
        if (!nerve_gaz_match(g_ptr_array_index(gz->gaz, i), g_ptr_array_index(gz->bases, i), doc,
                             error))
            return FALSE;
    if (gz->gaz->len)
        nerve_doc_resolve_entities(doc);
    return TRUE;
}

/* --- settings and cache keys ---------------------------------------------------- */

static void sum_str(gaz_sum *s, const char *str)
{
    gaz_sum_update(s, str ? str : "", str ? strlen(str) + 1 : 1);
}

static void sum_json(gaz_sum *s, json_t *v)
{
    char *dump = v ? json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    sum_str(s, dump);
    free(dump);
}

uint64_t nerve_gazetteer_settings_hash(const nerve_model *model)
{
    static const char probe[] =
        "Dr. J. Smith's U.S.-based co-op (AT&amp;T) paid $3.5m, e.g. 10:30 a.m. on Oct. 3 "
        "\xE2\x80\x9CS\xC3\xA3o Paulo\xE2\x80\x9D \xC4\xB0stanbul STRASSE Stra\xC3\x9F"
        "e "
        "don\xE2\x80\x99t F-16 COVID-19 #tag @user https://x.org/a?b=c \xEF\xAC\x81 \xC2\xBD";
    gaz_sum s;
    gaz_sum_init(&s);
    sum_str(&s, "nerve-gaz-settings 1 " NERVE_VERSION);
    const nerve_normalize_options *no = nerve_model_normalize_options(model);
    char buf[64];
    g_snprintf(buf, sizeof buf, "nfkc=%d html=%d", no->nfkc, no->html_entities);
    sum_str(&s, buf);
    json_t *tok = nerve_model_section(model, "tokenize");
    sum_json(&s, tok);
    json_t *abbr = json_object_get(tok, "abbreviations");
    if (json_is_string(abbr)) {
        g_autofree char *path = nerve_model_path(model, json_string_value(abbr));
        g_autofree char *text = NULL;
        gsize len = 0;
        if (g_file_get_contents(path, &text, &len, NULL))
            gaz_sum_update(&s, text, len);
    }
    g_autoptr(nerve_doc) doc = nerve_doc_new(NULL, probe, sizeof probe - 1, NULL);
    nerve_normalize(no, doc);
    nerve_tokenize(nerve_model_tokenizer(model), doc);
    size_t n;
    const nerve_token *t = nerve_doc_tokens(doc, &n);
    for (size_t i = 0; i < n; i++) {
        uint32_t v[4] = {t[i].start, t[i].end, t[i].norm.hash, t[i].lower.hash};
        gaz_sum_update(&s, v, sizeof v);
    }
    return gaz_sum_final(&s);
}

static void options_text(const nerve_gaz_options *o, GString *out)
{
    g_string_append_printf(out, "set=%u name=%s label=%s case=%d mode=%d priority=%d", o->set,
                           o->name ? o->name : "", o->label ? o->label : "", o->case_mode, o->mode,
                           o->priority);
}

/* identity: what the cache file is for; key: identity + the sources' state. */
static gboolean cache_hashes(GPtrArray *ins, uint64_t settings, uint64_t *identity, uint64_t *key,
                             GError **error)
{
    gaz_sum id, st;
    gaz_sum_init(&id);
    sum_str(&id, "nerve-gaz-cache 1");
    gaz_sum_update(&id, &settings, sizeof settings);
    g_autoptr(GString) opt = g_string_new(NULL);
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < ins->len; i++) {
        const input *in = g_ptr_array_index(ins, i);
        sum_str(&id, in->path);
        g_string_truncate(opt, 0);
        options_text(&in->opts, opt);
        sum_str(&id, opt->str);
        if (!nerve_gazlist_dependencies(in->path, files, error))
            return FALSE;
    }
    *identity = gaz_sum_final(&id);
    gaz_sum_init(&st);
    gaz_sum_update(&st, identity, sizeof *identity);
    for (guint i = 0; i < files->len; i++) {
        const char *f = g_ptr_array_index(files, i);
        struct stat sb;
        uint64_t v[3] = {0, 0, 0};
        if (stat(f, &sb) == 0)
            v[0] = (uint64_t)sb.st_size, v[1] = (uint64_t)sb.st_mtim.tv_sec,
            v[2] = (uint64_t)sb.st_mtim.tv_nsec;
        sum_str(&st, f);
        gaz_sum_update(&st, v, sizeof v); /* a missing file fails at compile time */
    }
    *key = gaz_sum_final(&st);
    return TRUE;
}

/* The cache directories to try, best first. */
static GPtrArray *cache_dirs(const nerve_model *model)
{
    GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
    const char *opt = nerve_model_get_options(model)->cache_dir;
    if (opt)
        g_ptr_array_add(dirs, g_strdup(opt));
    else
        g_ptr_array_add(dirs, g_build_filename(g_get_user_cache_dir(), "nerve", NULL));
    g_autofree char *tmp = g_strdup_printf("nerve-cache-%s", g_get_user_name());
    g_ptr_array_add(dirs, g_build_filename(g_get_tmp_dir(), tmp, NULL));
    return dirs;
}

/* Creates dir when missing; TRUE when it is a directory of this user (a
 * shared temporary directory may hold one made by someone else). */
static gboolean own_dir(const char *dir)
{
    struct stat sb;
    if (g_mkdir_with_parents(dir, 0700) != 0 || lstat(dir, &sb) != 0)
        return FALSE;
    return S_ISDIR(sb.st_mode) && sb.st_uid == getuid();
}

/* Parses the sources into a builder. */
static nerve_gaz_builder *build(const nerve_model *model, GPtrArray *ins, GError **error)
{
    nerve_gaz_builder *b =
        nerve_gaz_builder_new(nerve_model_tokenizer(model), nerve_model_normalize_options(model));
    for (guint i = 0; i < ins->len; i++) {
        const input *in = g_ptr_array_index(ins, i);
        if (!nerve_gazlist_load(b, in->path, &in->opts, in->index, error)) {
            nerve_gaz_builder_free(b);
            return NULL;
        }
    }
    return b;
}

/* The compiled form of the source lists ins: from the cache when it is
 * current, else compiled now (and cached when a cache directory is
 * writable). */
static nerve_gaz *compile_cached(const nerve_model *model, GPtrArray *ins, GError **error)
{
    uint64_t settings = nerve_gazetteer_settings_hash(model), identity, key;
    if (!cache_hashes(ins, settings, &identity, &key, error))
        return NULL;
    g_autoptr(GPtrArray) dirs = cache_dirs(model);
    char name[40];
    g_snprintf(name, sizeof name, "%016" G_GINT64_MODIFIER "x.gaz", identity);
    for (guint i = 0; i < dirs->len; i++) {
        if (!own_dir(g_ptr_array_index(dirs, i)))
            continue;
        g_autofree char *path = g_build_filename(g_ptr_array_index(dirs, i), name, NULL);
        nerve_gaz *g = nerve_gaz_open(path, NERVE_GAZ_CHECK_CONTENT, NULL);
        if (g && nerve_gaz_cache_key(g) == key && nerve_gaz_settings_hash(g) == settings)
            return g;
        nerve_gaz_free(g);
    }
    g_autoptr(nerve_gaz_builder) b = build(model, ins, error);
    if (!b)
        return NULL;
    for (guint i = 0; i < dirs->len; i++) {
        const char *dir = g_ptr_array_index(dirs, i);
        g_autofree char *path = g_build_filename(dir, name, NULL);
        if (!own_dir(dir) || !nerve_gaz_builder_write(b, path, settings, key, NULL))
            continue;
        return nerve_gaz_open(path, NERVE_GAZ_CHECK_CONTENT, error);
    }
    /* no writable cache: keep the compiled form in memory */
    g_autoptr(GBytes) bytes = nerve_gaz_builder_to_bytes(b, settings, key, error);
    return bytes ? nerve_gaz_new_from_bytes(bytes, "(compiled gazetteer)", 0, error) : NULL;
}

/* --- the lists of a model -------------------------------------------------------- */

static gboolean model_fail(GError **error, const nerve_model *model, size_t i, const char *msg)
{
    g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s/model.json: gazetteer[%zu]: %s",
                nerve_model_dir(model), i, msg);
    return FALSE;
}

/* Reads one element of model.json's "gazetteer" array into in. */
static gboolean model_input(const nerve_model *model, size_t i, json_t *v, input *in,
                            GError **error)
{
    json_t *path = json_is_string(v) ? v : json_object_get(v, "path");
    if (!json_is_string(path) || !*json_string_value(path))
        return model_fail(error, model, i, "expected a path or an object with \"path\"");
    in->path = nerve_model_path(model, json_string_value(path));
    in->compiled = nerve_gazlist_kind_of(in->path) == NERVE_GAZLIST_COMPILED;
    const char *key;
    json_t *val;
    json_object_foreach(json_is_object(v) ? v : NULL, key, val)
    {
        if (!strcmp(key, "path"))
            continue;
        char num[32];
        const char *text = json_is_string(val) ? json_string_value(val) : NULL;
        if (json_is_integer(val)) {
            g_snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(val));
            text = num;
        }
        const char *why = "values must be strings (priority an integer)";
        if (in->compiled)
            why = "a compiled .gaz takes no options (compile them in)";
        if (!text || in->compiled || !nerve_gaz_options_set(&in->opts, key, text, &why)) {
            g_autofree char *msg = g_strdup_printf("%s: %s", key, why);
            return model_fail(error, model, i, msg);
        }
    }
    return TRUE;
}

/* Every list, in global order. */
static gboolean collect_inputs(const nerve_model *model, GArray *ins, GError **error)
{
    json_t *sec = nerve_model_section(model, "gazetteer");
    guint counts[2] = {0, 0};
    if (sec && !json_is_array(sec)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "%s/model.json: \"gazetteer\" must be an array of lists",
                    nerve_model_dir(model));
        return FALSE;
    }
    size_t i;
    json_t *v;
    json_array_foreach(sec, i, v)
    {
        input in = {0};
        g_array_append_val(ins, in);
        input *p = &g_array_index(ins, input, ins->len - 1);
        if (!model_input(model, i, v, p, error))
            return FALSE;
        p->group = 0;
        p->index = p->compiled ? 0 : counts[0]++;
    }
    const char *const *g = nerve_model_get_options(model)->gazetteers;
    for (; g && *g; g++) {
        input in = {0};
        in.path = g_canonicalize_filename(*g, NULL);
        in.compiled = nerve_gazlist_kind_of(in.path) == NERVE_GAZLIST_COMPILED;
        in.group = 1;
        in.index = in.compiled ? 0 : counts[1]++;
        g_array_append_val(ins, in);
    }
    return TRUE;
}

/* Gives every list of g that came from input index (all lists when
 * index < 0) the next global order. */
static void assign_bases(const nerve_gaz *g, uint32_t *base, int index, uint32_t *next)
{
    for (guint l = 0; l < nerve_gaz_n_lists(g); l++)
        if (index < 0 || nerve_gaz_list_source(g, l) == (guint)index) {
            base[l] = *next;
            *next += nerve_gaz_list_n_entries(g, l);
        }
}

static gboolean load_all(const nerve_model *model, GArray *ins, gazetteer *gz, GError **error)
{
    nerve_gaz *group_gaz[2] = {NULL, NULL};
    for (int grp = 0; grp < 2; grp++) {
        g_autoptr(GPtrArray) srcs = g_ptr_array_new();
        for (guint i = 0; i < ins->len; i++) {
            input *in = &g_array_index(ins, input, i);
            if (!in->compiled && in->group == grp)
                g_ptr_array_add(srcs, in);
        }
        if (srcs->len && !(group_gaz[grp] = compile_cached(model, srcs, error)))
            return FALSE;
    }
    uint32_t next = 0;
    for (int grp = 0; grp < 2; grp++)
        if (group_gaz[grp]) {
            g_ptr_array_add(gz->gaz, group_gaz[grp]);
            g_ptr_array_add(gz->bases, g_new0(uint32_t, nerve_gaz_n_lists(group_gaz[grp]) + 1));
        }
    for (guint i = 0; i < ins->len; i++) {
        input *in = &g_array_index(ins, input, i);
        if (in->compiled) {
            nerve_gaz *g = nerve_gaz_open(in->path, NERVE_GAZ_CHECK_CONTENT, error);
            if (!g)
                return FALSE;
            uint32_t *base = g_new0(uint32_t, nerve_gaz_n_lists(g) + 1);
            assign_bases(g, base, -1, &next);
            g_ptr_array_add(gz->gaz, g);
            g_ptr_array_add(gz->bases, base);
        } else {
            /* the group's .gaz comes first in gz->gaz: model group at 0 */
            guint at = in->group == 1 && group_gaz[0] ? 1 : 0;
            assign_bases(group_gaz[in->group], g_ptr_array_index(gz->bases, at), (int)in->index,
                         &next);
        }
    }
    return TRUE;
}

nerve_stage *nerve_gazetteer_stage_factory(const nerve_model *model, GError **error)
{
    g_autoptr(GArray) ins = g_array_new(FALSE, FALSE, sizeof(input));
    g_array_set_clear_func(ins, input_clear);
    gazetteer *gz = g_new0(gazetteer, 1);
    gz->gaz = g_ptr_array_new_with_free_func((GDestroyNotify)nerve_gaz_free);
    gz->bases = g_ptr_array_new_with_free_func(g_free);
    if (!collect_inputs(model, ins, error) || !load_all(model, ins, gz, error)) {
        gazetteer_free(gz);
        return NULL;
    }
    return nerve_stage_new("gazetteer", process, gz, gazetteer_free);
}

gboolean nerve_gazetteer_check_file(const char *path, const nerve_model *model, GError **error)
{
    if (nerve_gazlist_kind_of(path) == NERVE_GAZLIST_COMPILED) {
        nerve_gaz *g = nerve_gaz_open(path, NERVE_GAZ_CHECK_ALL, error);
        nerve_gaz_free(g);
        return g != NULL;
    }
    g_autoptr(nerve_gaz_builder) b =
        nerve_gaz_builder_new(nerve_model_tokenizer(model), nerve_model_normalize_options(model));
    if (!nerve_gazlist_load(b, path, NULL, 0, error))
        return FALSE;
    g_autoptr(GBytes) bytes = nerve_gaz_builder_to_bytes(b, 0, 0, error);
    g_autoptr(nerve_gaz) g =
        bytes ? nerve_gaz_new_from_bytes(bytes, path, NERVE_GAZ_CHECK_ALL, error) : NULL;
    return g != NULL;
}
