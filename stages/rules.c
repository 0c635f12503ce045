/* rules.c - the rule set: phases from rule files, and the rules stage.
 *
 * Parsing and compiling live in rules-file.c, rules-parse.c and
 * rules-compile.c, matching in rules-match.c (design notes there).  This
 * file holds the public API and the merging of events: a rule set is a
 * list of compiled phases plus a
 * pool of per-worker scratch memory, so that nerve_rules_apply() can run
 * in any number of threads over one read-only rule set: each call takes a
 * scratch from the pool (or makes one) and gives it back, one lock per
 * document.
 */
#include <string.h>

#include "nerve/error.h"
#include "nerve/utf8.h"
#include "rules-forms.h"
#include "rules-match.h"

struct nerve_rules {
    const nerve_tokenizer *tk;
    nerve_tokenizer *own_tk;
    nerve_normalize_options norm;
    GPtrArray *phases; /* phase* */
    GPtrArray *notes;  /* char*: the parser's notes on the files added */
    guint next_phase;
    GMutex lock;
    GPtrArray *pool; /* scratch* not in use */
    /* the numbering of the forms of its phases, shared with the other rules
       stage of its model (share_forms) */
    form_group *forms;
};

nerve_rules *nerve_rules_new(const nerve_tokenizer *tk, const nerve_normalize_options *norm)
{
    nerve_rules *rs = g_new0(nerve_rules, 1);
    if (!tk)
        tk = rs->own_tk = nerve_tokenizer_new();
    rs->tk = tk;
    rs->norm = norm ? *norm : (nerve_normalize_options){FALSE, TRUE};
    rs->phases = g_ptr_array_new_with_free_func((GDestroyNotify)phase_free);
    rs->notes = g_ptr_array_new_with_free_func(g_free);
    rs->next_phase = 1;
    g_mutex_init(&rs->lock);
    rs->pool = g_ptr_array_new_with_free_func((GDestroyNotify)scratch_free);
    rs->forms = form_group_new(rs->phases);
    form_group_link(rs->forms);
    return rs;
}

void nerve_rules_free(nerve_rules *rs)
{
    if (!rs)
        return;
    g_ptr_array_free(rs->pool, TRUE);
    form_group_leave(rs->forms, rs->phases);
    g_ptr_array_free(rs->phases, TRUE);
    g_ptr_array_free(rs->notes, TRUE);
    g_mutex_clear(&rs->lock);
    nerve_tokenizer_free(rs->own_tk);
    g_free(rs);
}

void nerve_rules_set_next_phase(nerve_rules *rs, guint number)
{
    rs->next_phase = number;
}

gboolean nerve_rules_add_string(nerve_rules *rs, const char *name, const char *text, gssize len,
                                GError **error)
{
    size_t n = len < 0 ? strlen(text) : (size_t)len;
    errors er = {name,
                 text,
                 n,
                 g_array_new(FALSE, FALSE, sizeof(size_t)),
                 g_string_new(NULL),
                 0,
                 g_ptr_array_new_with_free_func(g_free)};
    size_t zero = 0;
    g_array_append_val(er.line_starts, zero);
    for (size_t i = 0; i < n; i++)
        if (text[i] == '\n') {
            size_t next = i + 1;
            g_array_append_val(er.line_starts, next);
        }
    size_t bad;
    phase *ph = phase_new(name);
    ph->number = rs->next_phase;
    if (nerve_utf8_count_invalid(text, n, &bad))
        errors_add(&er, bad, "invalid UTF-8");
    else
        rules_parse(ph, text, n, rs->tk, &rs->norm, &er);
    if (!er.n) {
        rules_build_index(ph);
        if (ph->index.n_entries >= GENTRY_MAX)
            errors_add(&er, 0, "too many distinct words in patterns (limit %u)", GENTRY_MAX - 1);
    }
    gboolean ok = er.n == 0;
    if (ok) {
        for (guint i = 0; i < er.notes->len; i++)
            g_ptr_array_add(rs->notes, g_steal_pointer(&er.notes->pdata[i]));
        g_ptr_array_add(rs->phases, ph);
        rs->next_phase++;
        form_group_link(rs->forms);
    } else {
        if (er.n > NERVE_RULES_MAX_ERRORS)
            g_string_append_printf(er.out, "\n%s: %u more errors", name,
                                   er.n - NERVE_RULES_MAX_ERRORS);
        g_set_error_literal(error, NERVE_ERROR, NERVE_ERROR_MODEL, er.out->str);
        phase_free(ph);
    }
    g_array_free(er.line_starts, TRUE);
    g_string_free(er.out, TRUE);
    g_ptr_array_free(er.notes, TRUE);
    return ok;
}

gboolean nerve_rules_add_file(nerve_rules *rs, const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &text, &len, &io)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL, "%s: %s", path, io->message);
        g_error_free(io);
        return FALSE;
    }
    return nerve_rules_add_string(rs, path, text, (gssize)len, error);
}

guint nerve_rules_n_phases(const nerve_rules *rs)
{
    return rs->phases->len;
}

guint nerve_rules_n_rules(const nerve_rules *rs)
{
    guint n = 0;
    for (guint i = 0; i < rs->phases->len; i++)
        n += ((const phase *)g_ptr_array_index(rs->phases, i))->rules->len;
    return n;
}

gboolean nerve_rules_apply(const nerve_rules *rs, nerve_doc *doc, GError **error)
{
    (void)error;
    nerve_rules *mut = (nerve_rules *)rs; /* only the pool changes, under the lock */
    g_mutex_lock(&mut->lock);
    scratch *sc =
        mut->pool->len ? g_ptr_array_steal_index_fast(mut->pool, mut->pool->len - 1) : NULL;
    g_mutex_unlock(&mut->lock);
    if (!sc)
        sc = scratch_new();
    rules_prepare_doc(doc, sc, rs->forms);
    for (guint i = 0; i < rs->phases->len; i++)
        rules_run_phase(g_ptr_array_index(rs->phases, i), i, doc, sc);
    g_mutex_lock(&mut->lock);
    g_ptr_array_add(mut->pool, sc);
    g_mutex_unlock(&mut->lock);
    return TRUE;
}

gboolean nerve_rules_write_profile(const nerve_rules *rs, guint top, GString *out)
{
    if (!RULES_PROFILE)
        return FALSE;
    nerve_rules *mut = (nerve_rules *)rs; /* only the pool is read, under the lock */
    g_mutex_lock(&mut->lock);
    g_autofree const GPtrArray **counts = g_new(const GPtrArray *, rs->pool->len + 1);
    for (guint i = 0; i < rs->pool->len; i++)
        counts[i] = ((const scratch *)g_ptr_array_index(rs->pool, i))->counts;
    rules_profile_write(out, rs->phases, counts, rs->pool->len, top);
    g_mutex_unlock(&mut->lock);
    return TRUE;
}

guint nerve_rules_notes(const nerve_rules *rs, GPtrArray *out)
{
    guint n = 0;
    for (guint i = 0; i < rs->notes->len; i++, n++)
        g_ptr_array_add(out, g_strdup(g_ptr_array_index(rs->notes, i)));
    for (guint i = 0; i < rs->phases->len; i++) {
        const phase *ph = g_ptr_array_index(rs->phases, i);
        const rule_index *ix = &ph->index;
        for (uint32_t k = 0; k < ix->n_always; k++) {
            uint32_t id = ix->always[k];
            if (ix->filtered[id] || ix->need[id])
                continue;
            const rule *r = &g_array_index(ph->rules, rule, id);
            g_ptr_array_add(out,
                            g_strdup_printf("%s:%u: note: rule %s is tried at every token: its "
                                            "first step names no word, shape, entity or "
                                            "class that rules tokens out, and it needs no "
                                            "word of the sentence",
                                            ph->path, r->line, r->name));
            n++;
        }
    }
    return n;
}

static gboolean process(const void *self, nerve_doc *doc, GError **error)
{
    return nerve_rules_apply(self, doc, error);
}

const nerve_rules *nerve_rules_of_stage(const nerve_stage *stage)
{
    const char *name = nerve_stage_name(stage);
    return !strcmp(name, "rules") || !strcmp(name, "event_rules") ? nerve_stage_self(stage) : NULL;
}

nerve_stage *nerve_rules_stage_new(nerve_rules *rs)
{
    return nerve_stage_new("rules", process, rs, (GDestroyNotify)nerve_rules_free);
}

/* Adds a file, appending its errors to all (one line each). */
static void add_collect(nerve_rules *rs, const char *path, GString *all)
{
    GError *err = NULL;
    if (!nerve_rules_add_file(rs, path, &err)) {
        g_string_append_printf(all, "%s%s", all->len ? "\n" : "", err->message);
        g_error_free(err);
    }
}

/* Whether model.json's "stages" names an event_rules stage. */
static gboolean has_event_stage(const nerve_model *model)
{
    size_t i;
    json_t *v;
    json_array_foreach(nerve_model_section(model, "stages"), i, v)
    {
        if (json_is_string(v) && !strcmp(json_string_value(v), "event_rules"))
            return TRUE;
    }
    return FALSE;
}

/* Moves rs into the form group of the model's other rules stage when that
 * is built already: the forms of a document's tokens are then computed
 * once for both stages (rules-forms.h). */
static void share_forms(const nerve_model *model, const char *name, nerve_rules *rs)
{
    const nerve_stage *other =
        nerve_model_find_stage(model, strcmp(name, "rules") ? "rules" : "event_rules");
    if (!other)
        return;
    const nerve_rules *with = nerve_stage_self(other); /* made by stage_from_section() */
    form_group_leave(rs->forms, rs->phases);
    rs->forms = with->forms;
    form_group_join(rs->forms, rs->phases);
    form_group_link(rs->forms);
}

/* A rules stage named name from the model.json array key, phases from
 * first_phase on, plus the -r files when with_cli. */
static nerve_stage *stage_from_section(const nerve_model *model, const char *name, const char *key,
                                       guint first_phase, gboolean with_cli, GError **error)
{
    nerve_rules *rs =
        nerve_rules_new(nerve_model_tokenizer(model), nerve_model_normalize_options(model));
    nerve_rules_set_next_phase(rs, first_phase);
    g_autoptr(GString) all = g_string_new(NULL);
    json_t *files = nerve_model_section(model, key);
    if (files && !json_is_array(files)) {
        g_set_error(error, NERVE_ERROR, NERVE_ERROR_MODEL,
                    "%s/model.json: \"%s\" must be an array of rule files", nerve_model_dir(model),
                    key);
        nerve_rules_free(rs);
        return NULL;
    }
    size_t i;
    json_t *v;
    json_array_foreach(files, i, v)
    {
        if (!json_is_string(v)) {
            g_string_append_printf(all, "%s%s/model.json: \"%s\" must be an array of strings",
                                   all->len ? "\n" : "", nerve_model_dir(model), key);
            continue;
        }
        g_autofree char *path = nerve_model_path(model, json_string_value(v));
        add_collect(rs, path, all);
    }
    const nerve_model_options *opts = nerve_model_get_options(model);
    for (guint k = 0; with_cli && opts->rules && opts->rules[k]; k++)
        add_collect(rs, opts->rules[k], all);
    if (all->len) {
        g_set_error_literal(error, NERVE_ERROR, NERVE_ERROR_MODEL, all->str);
        nerve_rules_free(rs);
        return NULL;
    }
    share_forms(model, name, rs);
    return nerve_stage_new(name, process, rs, (GDestroyNotify)nerve_rules_free);
}

nerve_stage *nerve_rules_stage_from_model(const nerve_model *model, GError **error)
{
    return stage_from_section(model, "rules", "rules", 1, !has_event_stage(model), error);
}

nerve_stage *nerve_event_rules_stage_from_model(const nerve_model *model, GError **error)
{
    /* after the rules stage's phases and one for the aliases stage */
    guint first = 2 + (guint)json_array_size(nerve_model_section(model, "rules"));
    return stage_from_section(model, "event_rules", "event_rules", first, TRUE, error);
}

/* --- event merging ---------------------------------------------------------------- */

static int by_trigger_then_strength(const void *a, const void *b, void *data)
{
    const nerve_event *evs = data;
    const nerve_event *x = &evs[*(const uint32_t *)a], *y = &evs[*(const uint32_t *)b];
    if (x->type != y->type)
        return strcmp(x->type, y->type);
    if (x->trig_tok_start != y->trig_tok_start)
        return x->trig_tok_start < y->trig_tok_start ? -1 : 1;
    if (x->trig_tok_end != y->trig_tok_end)
        return x->trig_tok_end < y->trig_tok_end ? -1 : 1;
    if (x->n_args != y->n_args)
        return x->n_args > y->n_args ? -1 : 1;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->phase != y->phase)
        return x->phase < y->phase ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

void rules_merge_events(nerve_doc *doc)
{
    size_t n;
    nerve_event *evs = nerve_doc_events(doc, &n);
    if (n < 2)
        return;
    uint32_t *idx = g_new(uint32_t, n), m = 0;
    for (size_t i = 0; i < n; i++)
        if (!(evs[i].flags & NERVE_EVENT_DROPPED))
            idx[m++] = (uint32_t)i;
    g_qsort_with_data(idx, m, sizeof(uint32_t), by_trigger_then_strength, evs);
    for (uint32_t i = 1; i < m; i++) {
        const nerve_event *p = &evs[idx[i - 1]];
        nerve_event *x = &evs[idx[i]];
        if (x->type == p->type && x->trig_tok_start == p->trig_tok_start &&
            x->trig_tok_end == p->trig_tok_end)
            x->flags |= NERVE_EVENT_DROPPED;
    }
    g_free(idx);
}
