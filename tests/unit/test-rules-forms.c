/* test-rules-forms.c - the forms of a document's tokens, computed by the
 * first rules stage of a model and kept with the document for the next
 * (rules-forms.h): never reused for other tokens, another numbering of
 * the forms, or forms a stage in between filled. */
#include <glib/gstdio.h>

#include "rules-test.h"

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    return path;
}

/* A model in a new directory with the stages of stages_json, an entity
 * rule file and an event rule file; the directory's name in *dir. */
static nerve_model *model_with(const char *stages_json, const char *entity_rules,
                               const char *event_rules, char **dir)
{
    *dir = g_dir_make_tmp("nerve-forms-XXXXXX", NULL);
    g_autofree char *json =
        g_strdup_printf("{\"name\": \"t\", \"stages\": %s,"
                        " \"lexicon\": {\"lemmas\": \"lemmas.tsv\", \"bases\": null},"
                        " \"rules\": [\"ents.rules\"], \"event_rules\": [\"events.rules\"]}",
                        stages_json);
    g_free(write_file(*dir, "model.json", json));
    g_free(write_file(*dir, "lemmas.tsv", "met\tmeet\nsaw\tsee\n"));
    g_free(write_file(*dir, "ents.rules", entity_rules));
    g_free(write_file(*dir, "events.rules", event_rules));
    g_autoptr(GError) err = NULL;
    nerve_model *m = nerve_model_load(*dir, NULL, &err);
    g_assert_no_error(err);
    return m;
}

static void remove_model_dir(char *dir)
{
    const char *files[] = {"model.json", "lemmas.tsv", "ents.rules", "events.rules"};
    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *p = g_build_filename(dir, files[i], NULL);
        g_unlink(p);
    }
    g_rmdir(dir);
    g_free(dir);
}

/* "entities || events" of text through m. */
static char *annotate(const nerve_model *m, const char *text)
{
    nerve_doc *doc = nerve_doc_new("t", text, strlen(text), NULL);
    g_autoptr(GError) err = NULL;
    g_assert_true(nerve_model_annotate(m, doc, &err));
    nerve_doc_finish(doc, FALSE);
    g_autofree char *ents = ents_of(doc);
    g_autofree char *evs = events_of(doc);
    nerve_doc_free(doc);
    return g_strdup_printf("%s || %s", ents, evs);
}

static const char ENTS[] = "rule ann\n entity PERSON\n pattern \"Ann\"\n"
                           "rule bob\n entity PERSON\n pattern [word=Bob]\n"
                           "rule place\n entity GPE\n pattern [lower=rome|oslo]\n";
static const char EVENTS[] =
    "rule meet\n event Contact.Meet\n pattern (A: @PERSON) (trigger: [lemma=meet]) (B: @PERSON)\n"
    "rule see\n event Test.See\n pattern (A: @PERSON) (trigger: [lemma=see]) (B: @GPE)\n"
    "rule year\n entity DATE\n pattern [shape=dddd]\n";

/* Documents one after the other, each freed before the next is made (so
 * that one is often allocated where the last was), with as many tokens of
 * as many bytes: each gets its own forms. */
static void test_docs_in_a_row(void)
{
    char *dir;
    nerve_model *m = model_with("[\"normalize\", \"tokenize\", \"sentences\", \"lexicon\", "
                                "\"rules\", \"event_rules\"]",
                                ENTS, EVENTS, &dir);
    const char *texts[][2] = {
        {"Ann met Bob in 1990.", "PERSON:Ann | PERSON:Bob | DATE:1990 || Contact.Meet:met(A=@Ann, "
                                 "B=@Bob)"},
        {"Bob met Ann in 1991.", "PERSON:Bob | PERSON:Ann | DATE:1991 || Contact.Meet:met(A=@Bob, "
                                 "B=@Ann)"},
        {"Ann saw Oslo in May.", "PERSON:Ann | GPE:Oslo || Test.See:saw(A=@Ann, B=@Oslo)"},
        {"Bob saw Rome in 1999.",
         "PERSON:Bob | GPE:Rome | DATE:1999 || Test.See:saw(A=@Bob, B=@Rome)"},
        {"Oslo met Ann in 2000.", "GPE:Oslo | PERSON:Ann | DATE:2000 || "},
        {"Ann met Bob in 1990.", "PERSON:Ann | PERSON:Bob | DATE:1990 || Contact.Meet:met(A=@Ann, "
                                 "B=@Bob)"},
    };
    for (guint round = 0; round < 2; round++)
        for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
            g_autofree char *got = annotate(m, texts[i][0]);
            g_assert_cmpstr(got, ==, texts[i][1]);
        }
    nerve_model_free(m);
    remove_model_dir(dir);
}

/* The lexicon between the two rules stages fills lemmas and shapes: the
 * second stage must see them, not the forms the first computed. */
static void test_filled_between(void)
{
    char *dir;
    nerve_model *m = model_with("[\"normalize\", \"tokenize\", \"sentences\", \"rules\", "
                                "\"lexicon\", \"event_rules\"]",
                                ENTS, EVENTS, &dir);
    g_autofree char *got = annotate(m, "Ann met Bob in 1990.");
    g_assert_cmpstr(got, ==,
                    "PERSON:Ann | PERSON:Bob | DATE:1990 || Contact.Meet:met(A=@Ann, B=@Bob)");
    nerve_model_free(m);
    remove_model_dir(dir);
}

/* One document through two rule sets that share nothing: the second
 * numbers its forms otherwise and must not take the first's ids. */
static void test_two_rule_sets(void)
{
    nerve_rules *a = compile("rule a\n entity A\n pattern [lower=ann|cat]\n");
    nerve_rules *b = compile("rule b\n entity B\n pattern [lower=bob|dog]\n");
    for (guint round = 0; round < 2; round++) {
        nerve_doc *doc = prep("Ann and Bob. Cat and dog.");
        g_assert_true(nerve_rules_apply(a, doc, NULL));
        g_assert_true(nerve_rules_apply(b, doc, NULL));
        nerve_doc_finish(doc, FALSE);
        g_autofree char *got = ents_of(doc);
        g_assert_cmpstr(got, ==, "A:Ann | B:Bob | A:Cat | B:dog");
        nerve_doc_free(doc);
    }
    nerve_rules_free(a);
    nerve_rules_free(b);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    setup();
    g_test_add_func("/rules-forms/docs-in-a-row", test_docs_in_a_row);
    g_test_add_func("/rules-forms/filled-between", test_filled_between);
    g_test_add_func("/rules-forms/two-rule-sets", test_two_rule_sets);
    int rc = g_test_run();
    teardown();
    return rc;
}
