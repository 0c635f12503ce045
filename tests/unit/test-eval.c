/* test-eval.c - scoring (eval.h) and the nerve eval command: gold against
 * itself scores 1, and known perturbations give the figures worked out
 * by hand below. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "fixture.h"
#include "nerve/eval.h"
#include "nerve/gold.h"

#define EPS 1e-9

static void event(nerve_gold_doc *d, const char *type, uint32_t s, uint32_t e, const char *r1,
                  uint32_t s1, uint32_t e1, const char *r2, uint32_t s2, uint32_t e2)
{
    nerve_gold_event ev = {g_intern_string(type), s, e, d->args->len, 2};
    nerve_gold_arg a[2] = {{g_intern_string(r1), s1, e1}, {g_intern_string(r2), s2, e2}};
    g_array_append_vals(d->args, a, 2);
    g_array_append_val(d->events, ev);
}

/* gold: A {0-5 PER, 10-15 LOC, 20-25 ORG, event Meet 6-9 (agent 0-5, place 10-15)}, B {0-3 PER}
 * pred: A {0-5 PER, 10-15 ORG, 30-35 LOC, event Meet 6-9 (agent 0-5, place 10-16)}, C {0-2 PER} */
static void perturbed(GPtrArray **gold, GPtrArray **pred)
{
    const char *text = "Aaaaa met Bbbbbb Ccccc Ddddd Eeeee";
    *gold = g_ptr_array_new_with_free_func((GDestroyNotify)nerve_gold_doc_free);
    *pred = g_ptr_array_new_with_free_func((GDestroyNotify)nerve_gold_doc_free);
    nerve_gold_doc *a = nerve_gold_doc_new("A", text, strlen(text));
    nerve_gold_doc_add_entity(a, 0, 5, "PER");
    nerve_gold_doc_add_entity(a, 10, 15, "LOC");
    nerve_gold_doc_add_entity(a, 20, 25, "ORG");
    nerve_gold_doc_add_entity(a, 20, 25, "ORG"); /* the same twice counts once */
    event(a, "Meet", 6, 9, "agent", 0, 5, "place", 10, 15);
    nerve_gold_doc *b = nerve_gold_doc_new("B", text, strlen(text));
    nerve_gold_doc_add_entity(b, 0, 3, "PER");
    g_ptr_array_add(*gold, a);
    g_ptr_array_add(*gold, b);
    nerve_gold_doc *pa = nerve_gold_doc_new("A", text, strlen(text));
    nerve_gold_doc_add_entity(pa, 0, 5, "PER");
    nerve_gold_doc_add_entity(pa, 10, 15, "ORG");
    nerve_gold_doc_add_entity(pa, 30, 35, "LOC");
    event(pa, "Meet", 6, 9, "agent", 0, 5, "place", 10, 16);
    nerve_gold_doc *c = nerve_gold_doc_new("C", text, strlen(text));
    nerve_gold_doc_add_entity(c, 0, 2, "PER");
    g_ptr_array_add(*pred, c);
    g_ptr_array_add(*pred, pa);
}

static void check(nerve_score s, guint64 tp, guint64 fp, guint64 fn, double p, double r, double f)
{
    g_assert_cmpuint(s.tp, ==, tp);
    g_assert_cmpuint(s.fp, ==, fp);
    g_assert_cmpuint(s.fn, ==, fn);
    g_assert_cmpfloat_with_epsilon(s.precision, p, EPS);
    g_assert_cmpfloat_with_epsilon(s.recall, r, EPS);
    g_assert_cmpfloat_with_epsilon(s.f1, f, EPS);
}

static void test_perturbed(void)
{
    GPtrArray *gold, *pred;
    perturbed(&gold, &pred);
    g_autoptr(nerve_eval) ev = nerve_eval_new(NERVE_LABELS_NATIVE);
    nerve_eval_run(ev, gold, pred);
    /* exact: tp {A 0-5 PER}; fp {A 10-15 ORG, A 30-35 LOC, C 0-2 PER}; fn {A 10-15 LOC, A 20-25
     * ORG, B 0-3 PER} */
    check(nerve_eval_micro(ev), 1, 3, 3, 0.25, 0.25, 0.25);
    /* PER: tp 1 fp 1 fn 1; LOC and ORG: tp 0 fp 1 fn 1 */
    check(nerve_eval_label(ev, "PER"), 1, 1, 1, 0.5, 0.5, 0.5);
    check(nerve_eval_label(ev, "LOC"), 0, 1, 1, 0, 0, 0);
    check(nerve_eval_label(ev, "ORG"), 0, 1, 1, 0, 0, 0);
    check(nerve_eval_macro(ev), 1, 3, 3, 1.0 / 6, 1.0 / 6, 1.0 / 6);
    /* boundary: tp {0-5, 10-15}; fp {30-35, C 0-2}; fn {20-25, B 0-3} */
    check(nerve_eval_boundary(ev), 2, 2, 2, 0.5, 0.5, 0.5);
    check(nerve_eval_trigger(ev), 1, 0, 0, 1, 1, 1);
    check(nerve_eval_argument(ev), 1, 1, 1, 0.5, 0.5, 0.5);
    guint n;
    const char *const *labels = nerve_eval_labels(ev, &n);
    g_assert_cmpuint(n, ==, 3);
    g_assert_cmpstr(labels[0], ==, "LOC");
    json_t *j = nerve_eval_to_json(ev);
    json_t *docs = json_object_get(j, "documents");
    g_assert_cmpint(json_integer_value(json_object_get(docs, "gold")), ==, 2);
    g_assert_cmpint(json_integer_value(json_object_get(docs, "pred")), ==, 2);
    g_assert_cmpint(json_integer_value(json_object_get(docs, "paired")), ==, 1);
    g_assert_cmpstr(json_string_value(json_array_get(json_object_get(docs, "missing_in_pred"), 0)),
                    ==, "B");
    g_assert_cmpstr(json_string_value(json_array_get(json_object_get(docs, "missing_in_gold"), 0)),
                    ==, "C");
    json_t *per =
        json_object_get(json_object_get(json_object_get(j, "entities"), "per_label"), "PER");
    g_assert_cmpfloat_with_epsilon(json_real_value(json_object_get(per, "f1")), 0.5, EPS);
    json_decref(j);
    GString *table = g_string_new(NULL);
    nerve_eval_table(ev, table);
    g_assert_nonnull(strstr(table->str, "missing in pred (1): B"));
    g_assert_nonnull(strstr(table->str, "25.00"));
    g_string_free(table, TRUE);
    g_ptr_array_unref(gold);
    g_ptr_array_unref(pred);
}

static void test_identity(void)
{
    GPtrArray *gold, *pred;
    perturbed(&gold, &pred);
    g_autoptr(nerve_eval) ev = nerve_eval_new(NERVE_LABELS_NATIVE);
    nerve_eval_run(ev, gold, gold);
    check(nerve_eval_micro(ev), 4, 0, 0, 1, 1, 1);
    check(nerve_eval_macro(ev), 4, 0, 0, 1, 1, 1);
    check(nerve_eval_argument(ev), 2, 0, 0, 1, 1, 1);
    /* the JSON the command writes: the first "f1" is the micro one, 1.0 */
    json_t *j = nerve_eval_to_json(ev);
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    const char *first = strstr(s, "\"f1\"");
    g_assert_nonnull(first);
    g_assert_true(g_str_has_prefix(first, "\"f1\": 1.0,"));
    g_assert_true(
        first - s <
        (long)strlen("{ \"entities\": { \"micro\": { \"precision\": 1.0, \"recall\": 1.0,") + 40);
    free(s);
    json_decref(j);
    /* nothing on either side: perfect, not 0/0 */
    g_autoptr(nerve_eval) empty = nerve_eval_new(NERVE_LABELS_NATIVE);
    nerve_gold_doc *d = nerve_gold_doc_new("x", "", 0);
    nerve_eval_add(empty, d, d);
    check(nerve_eval_micro(empty), 0, 0, 0, 1, 1, 1);
    nerve_gold_doc_free(d);
    g_ptr_array_unref(gold);
    g_ptr_array_unref(pred);
}

static void test_label_scheme(void)
{
    const char *t = "Aiko Tan in Lyon on Monday";
    g_autoptr(nerve_gold_doc) g = nerve_gold_doc_new("d", t, strlen(t));
    g_autoptr(nerve_gold_doc) p = nerve_gold_doc_new("d", t, strlen(t));
    nerve_gold_doc_add_entity(g, 0, 8, "PERSON");
    nerve_gold_doc_add_entity(g, 12, 16, "GPE");
    nerve_gold_doc_add_entity(g, 20, 26, "DATE");
    nerve_gold_doc_add_entity(p, 0, 8, "PER");
    nerve_gold_doc_add_entity(p, 12, 16, "LOC");
    g_autoptr(nerve_eval) native = nerve_eval_new(NERVE_LABELS_NATIVE);
    nerve_eval_add(native, g, p);
    check(nerve_eval_micro(native), 0, 2, 3, 0, 0, 0);
    g_autoptr(nerve_eval) conll = nerve_eval_new(NERVE_LABELS_CONLL); /* DATE is not scored */
    nerve_eval_add(conll, g, p);
    check(nerve_eval_micro(conll), 2, 0, 0, 1, 1, 1);
}

/* --- the command ---------------------------------------------------------------------------- */

static char *run_eval(const char *gold, const char *pred, const char *format, const char *json,
                      int *status)
{
    const char *build = g_getenv("BUILD") ? g_getenv("BUILD") : "build";
    g_autofree char *bin = g_build_filename(build, "nerve", NULL);
    const char *argv[] = {
        bin,    "eval", "--gold", gold, "--pred", pred, "--json", json, format ? "--format" : NULL,
        format, NULL};
    char *out = NULL;
    GError *err = NULL;
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, status, &err));
    g_assert_no_error(err);
    return out;
}

static double json_f1(const char *path, const char *scope, const char *name)
{
    json_t *j = json_load_file(path, 0, NULL);
    g_assert_nonnull(j);
    double f =
        json_real_value(json_object_get(json_object_get(json_object_get(j, scope), name), "f1"));
    json_decref(j);
    return f;
}

static void test_command(void)
{
    g_autofree char *dir = g_dir_make_tmp("nerve-eval-XXXXXX", NULL);
    g_autofree char *gold = g_build_filename(dir, "gold.jsonl", NULL);
    g_autofree char *brat = g_build_filename(dir, "brat", NULL);
    g_autofree char *conll = g_build_filename(dir, "pred.conll", NULL);
    g_autofree char *json = g_build_filename(dir, "ev.json", NULL);
    GPtrArray *docs = fx_docs(FALSE);
    g_ptr_array_remove_index(docs, 2); /* ids must be unique to pair */
    nerve_writer_options o = {.output = gold};
    fx_write("jsonl", &o, docs);
    o.output = brat;
    fx_write("brat", &o, docs);
    o.output = conll;
    fx_write("conll", &o, docs);
    int status;
    g_autofree char *out = run_eval(gold, gold, NULL, json, &status);
    g_assert_cmpint(status, ==, 0);
    g_autofree char *j = NULL;
    g_file_get_contents(json, &j, NULL, NULL);
    g_assert_true(g_regex_match_simple("\"f1\"\\s*:\\s*1(\\.0+)?\\b", j, 0, 0));
    g_assert_cmpfloat_with_epsilon(json_f1(json, "entities", "micro"), 1.0, EPS);
    g_assert_nonnull(strstr(out, "documents: 2 gold, 2 pred, 2 paired"));
    /* brat and xmi hold everything: 1.0, events included */
    g_free(run_eval(gold, brat, NULL, json, &status));
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpfloat_with_epsilon(json_f1(json, "entities", "micro"), 1.0, EPS);
    g_assert_cmpfloat_with_epsilon(json_f1(json, "events", "argument"), 1.0, EPS);
    /* conll: aligned onto the gold text, entities 1.0; no events: recall 0 */
    g_free(run_eval(gold, conll, NULL, json, &status));
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpfloat_with_epsilon(json_f1(json, "entities", "micro"), 1.0, EPS);
    g_assert_cmpfloat_with_epsilon(json_f1(json, "events", "trigger"), 0.0, EPS);
    /* usage and unreadable input */
    g_free(run_eval(gold, gold, "nonsense", json, &status));
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    g_free(run_eval(gold, "/nonexistent", NULL, json, &status));
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    g_ptr_array_unref(docs);
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/eval/perturbed", test_perturbed);
    g_test_add_func("/eval/identity", test_identity);
    g_test_add_func("/eval/label-scheme", test_label_scheme);
    g_test_add_func("/eval/command", test_command);
    return g_test_run();
}
