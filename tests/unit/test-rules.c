/* test-rules.c - the rule language: every construct, scanning semantics,
 * overlap resolution and phases, events and their merging, pathological
 * patterns, threads.  Error messages are in test-rules-errors.c. */
#include <glib/gstdio.h>

#include "rules-test.h"

#define R(label, pattern) "rule r\n  entity " label "\n  pattern " pattern "\n"

static void test_text(void)
{
    ASSERT_ENTS(R("X", "\"prime minister\""), "The Prime Minister and the prime  minister.", NULL,
                "X:Prime Minister | X:prime  minister");
    ASSERT_ENTS(R("X", "\"U.S.\" \"-based\""), "A U.S.-based firm.", NULL, "X:U.S.-based");
    ASSERT_ENTS(R("X", "\"Dr.\" [is=title]"), "Dr. Who met Dr. Jones.", NULL,
                "X:Dr. Who | X:Dr. Jones");
    /* curly quotes in the text match straight ones in the rule (normalized) */
    ASSERT_ENTS(R("X", "\"don't\""), "I don\xe2\x80\x99t know", NULL, "X:don\xe2\x80\x99t");
}

static void test_forms(void)
{
    const char *text = "Paris PARIS paris signed 2020 U.S. talks";
    ASSERT_ENTS(R("X", "[word=Paris]"), text, NULL, "X:Paris");
    ASSERT_ENTS(R("X", "[lower=PARIS]"), text, NULL, "X:Paris | X:PARIS | X:paris");
    ASSERT_ENTS(R("X", "[lemma=sign|talk]"), text, NULL, "X:signed | X:talks");
    ASSERT_ENTS(R("X", "[shape=dddd]"), text, NULL, "X:2020");
    ASSERT_ENTS(R("X", "[shape=\"X.X.\"]"), text, NULL, "X:U.S.");
    ASSERT_ENTS(R("X", "[word=\"PARIS\"|paris]"), text, NULL, "X:PARIS | X:paris");
    ASSERT_ENTS(R("X", "[word!=Paris & lower=paris]"), text, NULL, "X:PARIS | X:paris");
    ASSERT_ENTS(R("X", "[!word=Paris & !lower=talks & is=alpha]"), text, NULL,
                "X:PARIS | X:paris | X:signed");
    ASSERT_ENTS(R("X", "[!!word=Paris]"), text, NULL, "X:Paris");
}

static void test_classes(void)
{
    const char *text = "Paris NATO paris 42 1,000 , iPhone";
    ASSERT_ENTS(R("X", "[is=title]"), text, NULL, "X:Paris");
    ASSERT_ENTS(R("X", "[is=upper]"), text, NULL, "X:NATO");
    ASSERT_ENTS(R("X", "[is=lower]"), text, NULL, "X:paris");
    ASSERT_ENTS(R("X", "[is=digit]"), text, NULL, "X:42");
    ASSERT_ENTS(R("X", "[is=number]"), text, NULL, "X:42 | X:1,000");
    ASSERT_ENTS(R("X", "[is=punct]"), text, NULL, "X:,");
    ASSERT_ENTS(R("X", "[is=alpha & !is=title & !is=upper & !is=lower]"), text, NULL, "X:iPhone");
    ASSERT_ENTS(R("X", "[is=upper|digit]"), text, NULL, "X:NATO | X:42");
    /* space: whitespace before the token; an en dash is normalized to "-" */
    ASSERT_ENTS(R("X", "[is=title] [word=\"-\" & !is=space] [!is=space]"),
                "Smith-Jones and Keefe \u2013 a and Lee -Kim and Ho- Chi", NULL, "X:Smith-Jones");
    ASSERT_ENTS(R("X", "[is=title] [word=\"-\" & is=space]"), "Keefe \u2013 a", NULL,
                "X:Keefe \u2013");
    /* newline: a line break before the token, inside one sentence */
    ASSERT_ENTS(R("X", "[is=newline & is=title] [is=title]"), "Table Head\nAnn Lee and\nBo Li",
                NULL, "X:Ann Lee | X:Bo Li");
}

static void test_regex(void)
{
    const char *text = "Paris 2020 1999 Lyon pari";
    ASSERT_ENTS(R("X", "[word=/\\d{4}/]"), text, NULL, "X:2020 | X:1999");
    /* the whole form must match */
    ASSERT_ENTS(R("X", "[lower=/par/]"), text, NULL, "");
    ASSERT_ENTS(R("X", "[lower=/par.*/]"), text, NULL, "X:Paris | X:pari");
    ASSERT_ENTS(R("X", "[word=/PARIS/i]"), text, NULL, "X:Paris");
    ASSERT_ENTS(R("X", "[word=/20\\d\\d/|Lyon|/19.*/]"), text, NULL, "X:2020 | X:1999 | X:Lyon");
    ASSERT_ENTS(R("X", "[shape!=/X.*/ & lower=/p.*/]"), text, NULL, "X:pari");
    ASSERT_ENTS(R("X", "[word=/[a-z]+\\/x/]"), "a/x b/x", NULL, "");
    ASSERT_ENTS(R("X", "[word=/Zürich|Genève/]"), "Zürich and Genève", NULL, "X:Zürich | X:Genève");
}

static void add_gpe_lyon(nerve_doc *doc)
{
    add_ent(doc, "New York", "GPE");
    add_ent(doc, "Lyon", "GPE");
    add_ent(doc, "Acme Corp", "ORG");
}

static void test_entities(void)
{
    const char *text = "From New York to Lyon via Acme Corp today.";
    ASSERT_ENTS(R("X", "[lower=from] (c: @GPE)"), text, add_gpe_lyon,
                "X:From New York | GPE:Lyon | ORG:Acme Corp");
    ASSERT_ENTS("rule r\n entity X\n pattern \"to\" @GPE \"via\" @ORG|@GPE \"to\"\n", text,
                add_gpe_lyon, "X:New York to | GPE:Lyon | ORG:Acme Corp");
    /* @ is any entity, ent= a token inside one */
    ASSERT_ENTS(R("X", "@ [] @"), text, add_gpe_lyon, "X:New York to Lyon | ORG:Acme Corp");
    ASSERT_ENTS(R("X", "[ent=GPE]+") "  priority 1\n", "to New York today", add_gpe_lyon,
                "X:New York");
    ASSERT_ENTS(R("X", "[ent] [ent]") "  priority 1\n", "to New York today", add_gpe_lyon,
                "X:New York");
    ASSERT_ENTS(R("X", "[ent=ORG|GPE] \"today\""), "to New York today", add_gpe_lyon,
                "X:York today");
    ASSERT_ENTS(R("X", "[!ent & is=title]"), "Lyon Marseille", add_gpe_lyon,
                "GPE:Lyon | X:Marseille");
    /* an entity step consumes the whole entity, never a part */
    ASSERT_ENTS(R("X", "@GPE \"york\""), text, add_gpe_lyon,
                "GPE:New York | GPE:Lyon | ORG:Acme Corp");
}

static void test_groups(void)
{
    const char *text = "a b b b c a c a b";
    ASSERT_ENTS(R("X", "\"a\" \"b\"?"), text, NULL, "X:a b | X:a | X:a b");
    ASSERT_ENTS(R("X", "\"a\" \"b\"*"), text, NULL, "X:a b b b | X:a | X:a b");
    ASSERT_ENTS(R("X", "\"a\" \"b\"+"), text, NULL, "X:a b b b | X:a b");
    ASSERT_ENTS(R("X", "\"b\"{2}"), text, NULL, "X:b b");
    ASSERT_ENTS(R("X", "\"b\"{1,2}"), text, NULL, "X:b b | X:b | X:b");
    ASSERT_ENTS(R("X", "\"a\" \"b\"{,2}"), text, NULL, "X:a b b | X:a | X:a b");
    ASSERT_ENTS(R("X", "\"b\"{2,}"), text, NULL, "X:b b b");
    ASSERT_ENTS(R("X", "(\"a\" | \"c\") (\"b\" | \"a\")"), text, NULL, "X:a b | X:c a | X:c a");
    ASSERT_ENTS(R("X", "(\"a\" \"b\" | \"c\")+"), text, NULL, "X:a b | X:c | X:c a b");
    /* longest match, whatever the order of alternatives */
    ASSERT_ENTS(R("X", "\"a\" | \"a\" \"b\" \"b\""), text, NULL, "X:a b b | X:a | X:a");
}

static void test_anchors(void)
{
    const char *text = "Paris is big. Lyon is big. Big Paris.";
    ASSERT_ENTS(R("X", "^ [is=title]"), text, NULL, "X:Paris | X:Lyon | X:Big");
    ASSERT_ENTS(R("X", "[is=title] \".\"? $"), text, NULL, "X:Paris.");
    ASSERT_ENTS(R("X", "^ [is=title] [] [] \".\" $"), text, NULL,
                "X:Paris is big. | X:Lyon is big.");
    ASSERT_ENTS(R("X", "[lower=big] ^"), text, NULL, "");
}

static void test_captures(void)
{
    const char *src = "define TITLE = \"mr\" | \"mrs\" | \"president\" | \"prime minister\"\n"
                      "rule person_after_title\n"
                      "  entity   PERSON\n"
                      "  pattern  %TITLE \".\"? (name: [is=title & !ent]{1,3})\n"
                      "  span     name   # the entity is the capture\n";
    ASSERT_ENTS(src, "Mr. John Smith and Prime Minister Ann Lee met President Lyon.", add_gpe_lyon,
                "PERSON:John Smith | PERSON:Ann Lee | GPE:Lyon");
    /* a span whose capture did not take part makes nothing */
    ASSERT_ENTS("rule r\n entity X\n pattern \"a\" (c: \"b\")?\n span c\n", "a b a c", NULL, "X:b");
    /* a capture in a repetition keeps the last iteration */
    ASSERT_ENTS("rule r\n entity X\n pattern ((c: [is=title]) \",\"?)+\n span c\n",
                "Paris, Lyon, Nice", NULL, "X:Nice");
}

static void test_define(void)
{
    const char *src = "define A = \"a\" | \"b\"\n"
                      "define AB = %A %A   # defines use earlier ones\n"
                      "define WORDS = \"x\" | \"Y\"\n"
                      "rule r\n"
                      "  entity X\n"
                      "  pattern %AB [lower=%WORDS]\n";
    ASSERT_ENTS(src, "a b y a a x b a", NULL, "X:a b y | X:a a x");
    /* a define is one group: %A? repeats the whole alternation */
    ASSERT_ENTS("define A = \"a\" | \"b\"\nrule r\n entity X\n pattern \"c\" %A?\n", "c b c", NULL,
                "X:c b | X:c");
}

/* Capture names ROLE_N give arguments of role ROLE; other underscores stay. */
static void test_role_suffix(void)
{
    const char *src = "rule meet\n  event Contact.Meet\n"
                      "  pattern (Entity_1: @GPE) \"and\" (Entity_2: @GPE) (trigger: \"met\")\n"
                      "           (in_place: \"in\")? (Time_x: \"today\")? (_2: \"now\")?\n";
    ASSERT_EVENTS(src, "New York and Lyon met in today now.", add_gpe_lyon,
                  "Contact.Meet:met(Entity=@New York, Entity=@Lyon, in_place=in, Time_x=today, "
                  "_2=now)");
}

static void test_multiline(void)
{
    const char *src =
        "rule sign_agreement\n"
        "  event    Contact.Agreement\n"
        "  pattern  (agent: @GPE | @ORG) []{0,6} (trigger: [lemma=sign|approve|ink])\n"
        "\n"
        "           # a comment inside the pattern\n"
        "           []{0,4} (theme: [lower=agreement|pact|treaty|mou|moc|memorandum])\n"
        "  priority 2\n"
        "  attr     domain=diplomacy\n";
    ASSERT_EVENTS(src, "Acme Corp and Lyon signed a trade agreement on Monday.", add_gpe_lyon,
                  "Contact.Agreement:signed(agent=@Acme Corp, theme=agreement)");
    nerve_rules *rs = compile(src);
    nerve_doc *doc = prep("Lyon inked the pact.");
    add_gpe_lyon(doc);
    nerve_rules_apply(rs, doc, NULL);
    size_t n;
    const nerve_event *ev = nerve_doc_events(doc, &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_cmpint(ev->priority, ==, 2);
    g_assert_true(ev->rule == g_intern_string("sign_agreement"));
    g_assert_true(ev->type == g_intern_string("Contact.Agreement"));
    g_assert_cmpuint(ev->phase, ==, 1);
    const char *it = ev->attrs, *k, *v;
    g_assert_true(nerve_attrs_next(&it, &k, &v));
    g_assert_cmpstr(k, ==, "domain");
    g_assert_cmpstr(v, ==, "diplomacy");
    g_assert_false(nerve_attrs_next(&it, &k, &v));
    nerve_doc_free(doc);
    nerve_rules_free(rs);
}

static void test_entity_fields(void)
{
    nerve_rules *rs =
        compile("rule a\n entity X\n pattern \"q\"\n"
                "rule money\n entity MONEY\n pattern \"$\" [is=number]\n priority -3\n"
                " attr unit=USD\n attr note=\"a # b\"  # comment\n");
    nerve_doc *doc = prep("It cost $ 30 today.");
    nerve_rules_apply(rs, doc, NULL);
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_true(e->label == g_intern_string("MONEY"));
    g_assert_true(e->source == g_intern_string("rule:money"));
    g_assert_cmpint(e->priority, ==, -3);
    g_assert_cmpuint(e->order, ==, 1);
    g_assert_cmpuint(e->phase, ==, 1);
    g_assert_cmpuint(e->tok_start, ==, 2);
    g_assert_cmpuint(e->tok_end, ==, 4);
    g_assert_cmpuint(e->start, ==, 8);
    g_assert_cmpuint(e->end, ==, 12);
    g_assert_cmpmem(e->attrs, 21, "unit\0USD\0note\0a # b\0\0", 21);
    nerve_doc_free(doc);
    nerve_rules_free(rs);
}

/* One rule: left to right, longest at each start, no overlap, resumes
 * after the match; never across a sentence. */
static void test_scan(void)
{
    ASSERT_ENTS(R("X", "[is=title]+"), "Ann Bea Cid met Dee Eve.", NULL,
                "X:Ann Bea Cid | X:Dee Eve");
    ASSERT_ENTS(R("X", "[] []"), "a b c d e", NULL, "X:a b | X:c d");
    ASSERT_ENTS(R("X", "[is=title] [is=title]"), "He saw Paris. London was there.", NULL, "");
    ASSERT_ENTS(R("X", "[]*"), "A b. C d.", NULL, "X:A b. | X:C d.");
    ASSERT_ENTS(R("X", "\"x\"*"), "a x x b x", NULL, "X:x x | X:x");
}

/* Overlapping matches of different rules: priority, length, position,
 * file order. */
static void test_overlap(void)
{
    ASSERT_ENTS("rule a\n entity A\n pattern \"new\" \"york\"\n"
                "rule b\n entity B\n pattern \"york\" \"city\"\n priority 1\n",
                "new york city", NULL, "B:york city");
    ASSERT_ENTS("rule a\n entity A\n pattern \"new\" \"york\"\n"
                "rule b\n entity B\n pattern \"new\" \"york\" \"city\"\n",
                "new york city", NULL, "B:new york city");
    ASSERT_ENTS("rule a\n entity A\n pattern \"bbb\" \"ccc\"\n"
                "rule b\n entity B\n pattern \"aaa\" \"bbb\"\n",
                "aaa bbb ccc", NULL, "B:aaa bbb");
    ASSERT_ENTS("rule a\n entity A\n pattern \"aaa\" \"bbb\"\n"
                "rule b\n entity B\n pattern \"aaa\" \"bbb\"\n",
                "aaa bbb ccc", NULL, "A:aaa bbb");
    /* gazetteer entities take part with their priority */
    ASSERT_ENTS(R("X", "\"york\" \".\""), "From New York.", add_gpe_lyon, "GPE:New York");
    ASSERT_ENTS("rule r\n entity X\n pattern \"york\" \".\"\n priority 1\n", "From New York.",
                add_gpe_lyon, "X:York.");
}

static void add_person_ines(nerve_doc *doc)
{
    add_ent(doc, "Aiko Tan", "PERSON");
    add_ent(doc, "Lyon", "GPE");
}

/* The contract scenario (DESIGN.md), with the list entities made by hand. */
static void test_phases(void)
{
    const char *r1 = "define TITLE = \"president\" | \"minister\"\n\nrule ex_person\n"
                     "  entity   XPERSON\n"
                     "  pattern  %TITLE (name: [is=title & !ent=GPE]{1,2})\n"
                     "  span     name\n  priority 5\n";
    const char *r2 = "# a second file is a later phase: it sees XPERSON\nrule ex_meet\n"
                     "  event    Ex.Meet\n"
                     "  pattern  (entity: @PERSON | @XPERSON) (trigger: [lemma=meet]) []{0,3} "
                     "[lower=in] (place: @GPE)\n";
    nerve_rules *rs = compile(r1);
    GError *err = NULL;
    g_assert_true(nerve_rules_add_string(rs, "ex2.rules", r2, -1, &err));
    g_assert_cmpuint(nerve_rules_n_phases(rs), ==, 2);
    const char *text = "President Ines Ortega met officials in Lyon. Aiko Tan meets nobody.";
    nerve_doc *doc = prep(text);
    add_person_ines(doc);
    nerve_rules_apply(rs, doc, NULL);
    nerve_doc_finish(doc, FALSE);
    g_autofree char *ents = ents_of(doc);
    g_autofree char *evs = events_of(doc);
    g_assert_cmpstr(ents, ==, "XPERSON:Ines Ortega | GPE:Lyon | PERSON:Aiko Tan");
    g_assert_cmpstr(evs, ==, "Ex.Meet:met(entity=@Ines Ortega, place=@Lyon)");
    size_t n;
    const nerve_event *ev = nerve_doc_events(doc, &n);
    g_assert_cmpuint(ev->phase, ==, 2);
    nerve_doc_free(doc);
    nerve_rules_free(rs);
    /* within one file, rules do not see each other's entities */
    g_autofree char *joined = g_strconcat(r1, r2, NULL);
    ASSERT_EVENTS(joined, text, add_person_ines, "");
}

/* Dropped entities are invisible to later phases. */
static void test_dropped_invisible(void)
{
    nerve_rules *rs = compile("rule big\n entity BIG\n pattern \"new\" \"york\" \"city\"\n"
                              " priority 9\n");
    GError *err = NULL;
    g_assert_true(
        nerve_rules_add_string(rs, "b.rules", "rule r\n entity X\n pattern @GPE\n", -1, &err));
    nerve_doc *doc = prep("new york city");
    add_ent(doc, "new york", "GPE");
    nerve_rules_apply(rs, doc, NULL);
    nerve_doc_finish(doc, FALSE);
    g_autofree char *ents = ents_of(doc);
    g_assert_cmpstr(ents, ==, "BIG:new york city");
    nerve_doc_free(doc);
    nerve_rules_free(rs);
}

static void test_events(void)
{
    const char *src = "rule attack\n  event Conflict.Attack\n"
                      "  pattern (attacker: @GPE | [is=title]+) (trigger: [lemma=attack]) "
                      "(target: [is=title]+ | @)?\n";
    ASSERT_EVENTS(src, "Lyon attacked Acme Corp. Big Army attacks. Nobody attacks.", add_gpe_lyon,
                  "Conflict.Attack:attacked(attacker=@Lyon, target=@Acme Corp) | "
                  "Conflict.Attack:attacks(attacker=Big Army) | "
                  "Conflict.Attack:attacks(attacker=Nobody)");
    /* no trigger taking part: no event; empty captures are no argument */
    ASSERT_EVENTS("rule e\n event E\n pattern \"a\" (trigger: \"b\")? (x: \"c\"?)\n",
                  "a b c a c a b", NULL, "E:b(x=c) | E:b()");
}

static void test_merge(void)
{
    const char *src = "rule few\n  event E\n  pattern (trigger: \"met\") (who: @)\n"
                      "rule many\n  event E\n  pattern (a: @) (trigger: \"met\") (who: @)\n"
                      "rule other\n  event F\n  pattern (trigger: \"met\")\n"
                      "rule hi\n  event G\n  pattern (trigger: \"met\")\n  priority 1\n"
                      "rule lo\n  event G\n  pattern (trigger: \"met\") (x: [])\n"
                      "rule first\n  event H\n  pattern (trigger: \"met\") (x: [])\n"
                      "rule second\n  event H\n  pattern (t: []) (trigger: \"met\")\n";
    nerve_rules *rs = compile(src);
    nerve_doc *doc = prep("Lyon met Acme Corp");
    add_gpe_lyon(doc);
    nerve_rules_apply(rs, doc, NULL);
    size_t n;
    const nerve_event *ev = nerve_doc_events(doc, &n);
    g_assert_cmpuint(n, ==, 7);
    g_autoptr(GPtrArray) kept = g_ptr_array_new();
    for (size_t i = 0; i < n; i++)
        if (!(ev[i].flags & NERVE_EVENT_DROPPED))
            g_ptr_array_add(kept, (gpointer)ev[i].rule);
    g_ptr_array_add(kept, NULL);
    g_autofree char *joined = g_strjoinv(" ", (char **)kept->pdata);
    /* E: more arguments; F: alone; G: more arguments before priority; H: earlier rule
       (in the order the rules happened to run) */
    g_assert_cmpuint(kept->len, ==, 5);
    for (guint i = 0; i < 4; i++)
        g_assert_true(strstr(joined, (const char *[]){"many", "other", "lo", "first"}[i]));
    nerve_doc_free(doc);
    nerve_rules_free(rs);
}

/* Work per token is bounded: these finish (and give the right answer). */
static void test_pathological(void)
{
    GString *big = g_string_new(NULL);
    for (int i = 0; i < 10000; i++)
        g_string_append(big, i % 7 ? "word " : "Name ");
    g_string_append(big, "end");
    g_autofree char *got = run_rules(R("X", "([]*)* \"zzz\""), big->str, NULL, NULL);
    g_assert_cmpstr(got, ==, "");
    g_free(run_rules(R("X", "([] | [is=title] | (\"word\")*)* \"end\""), big->str, NULL, NULL));
    g_autofree char *all = run_rules(R("X", "(([]*)*)*"), big->str, NULL, NULL);
    g_assert_cmpuint(strlen(all), ==, strlen(big->str) + 2);
    /* tried at every token (the window of "end" opens at the sentence
       start), each try alive to the end: one walk, not one per start */
    g_autofree char *none =
        run_rules(R("X", "[is=lower|title]* \"end\" [is=title]"), big->str, NULL, NULL);
    g_assert_cmpstr(none, ==, "");
    g_autofree char *names =
        run_rules(R("X", "[is=title] ([lower=word]{1,8} [is=title])*"), big->str, NULL, NULL);
    g_assert_cmpuint(strlen(names), ==,
                     strlen("X:") + strlen(big->str) - strlen(" word word word end"));
    g_string_free(big, TRUE);
    /* 30 nested groups, each optional */
    GString *nested = g_string_new(NULL);
    for (int i = 0; i < 30; i++)
        g_string_append(nested, "(\"a\"? ");
    for (int i = 0; i < 30; i++)
        g_string_append(nested, ")*");
    g_string_append(nested, " \"b\"");
    g_autofree char *src = g_strdup_printf(R("X", "%s"), nested->str);
    ASSERT_ENTS(src, "a a a a a a a a a a a a b a c b", NULL, "X:a a a a a a a a a a a a b | X:b");
    g_string_free(nested, TRUE);
}

typedef struct {
    nerve_rules *rs;
    const char *want;
} thread_job;

static gpointer thread_main(gpointer p)
{
    const thread_job *job = p;
    for (int i = 0; i < 50; i++) {
        nerve_doc *doc = prep("The 2020 report and 1999 data, 2021 too.");
        nerve_rules_apply(job->rs, doc, NULL);
        nerve_doc_finish(doc, FALSE);
        g_autofree char *got = ents_of(doc);
        g_assert_cmpstr(got, ==, job->want);
        nerve_doc_free(doc);
    }
    return NULL;
}

/* One rule set, many threads: regular expressions are not shared. */
static void test_threads(void)
{
    thread_job job = {compile(R("YEAR", "[word=/(19|20)\\d\\d/] [lower=/[a-z]+/]?")),
                      "YEAR:2020 report | YEAR:1999 data | YEAR:2021 too"};
    GThread *th[8];
    for (int i = 0; i < 8; i++)
        th[i] = g_thread_new("t", thread_main, &job);
    for (int i = 0; i < 8; i++)
        g_thread_join(th[i]);
    nerve_rules_free(job.rs);
}

static char *write_tmp(const char *dir, const char *name, const char *content)
{
    char *path = g_build_filename(dir, name, NULL);
    g_assert_true(g_file_set_contents(path, content, -1, NULL));
    return path;
}

/* A model with rule files in model.json, then -r files: phases in order. */
static void test_model(void)
{
    g_autofree char *dir = g_dir_make_tmp("nerve-rules-XXXXXX", NULL);
    g_autofree char *json =
        write_tmp(dir, "model.json", "{\"name\": \"t\", \"rules\": [\"a.rules\"]}");
    g_autofree char *a = write_tmp(dir, "a.rules", "rule a\n entity A\n pattern [is=title]\n");
    g_autofree char *b = write_tmp(dir, "b.rules", "rule b\n entity B\n pattern @A \"met\"\n");
    const char *extra[] = {b, NULL};
    nerve_model_options opts = {.rules = extra};
    g_autoptr(GError) err = NULL;
    nerve_model *m = nerve_model_load(dir, &opts, &err);
    g_assert_no_error(err);
    g_assert_nonnull(nerve_model_find_stage(m, "lexicon"));
    const char *text = "Ann met Bob.";
    nerve_doc *doc = nerve_doc_new("t", text, strlen(text), NULL);
    g_assert_true(nerve_model_annotate(m, doc, &err));
    size_t n;
    const nerve_entity *e = nerve_doc_entities(doc, &n);
    g_assert_cmpuint(n, ==, 3);
    g_assert_cmpuint(e[0].phase, ==, 1);
    g_assert_cmpuint(e[2].phase, ==, 2);
    g_assert_true(e[2].label == g_intern_string("B"));
    nerve_doc_free(doc);
    nerve_model_free(m);
    /* an error in any rule file fails the model */
    g_autofree char *bad = write_tmp(dir, "b.rules", "rule b\n entity B\n pattern @A (\n");
    g_assert_null(nerve_model_load(dir, &opts, &err));
    g_autofree char *want = g_strdup_printf("%s:3:13: unbalanced '(': no matching ')'", b);
    g_assert_cmpstr(err->message, ==, want);
    g_unlink(json);
    g_unlink(a);
    g_unlink(b);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    setup();
    g_test_add_func("/rules/text", test_text);
    g_test_add_func("/rules/forms", test_forms);
    g_test_add_func("/rules/classes", test_classes);
    g_test_add_func("/rules/regex", test_regex);
    g_test_add_func("/rules/entities", test_entities);
    g_test_add_func("/rules/groups", test_groups);
    g_test_add_func("/rules/anchors", test_anchors);
    g_test_add_func("/rules/captures", test_captures);
    g_test_add_func("/rules/define", test_define);
    g_test_add_func("/rules/multiline", test_multiline);
    g_test_add_func("/rules/entity-fields", test_entity_fields);
    g_test_add_func("/rules/scan", test_scan);
    g_test_add_func("/rules/overlap", test_overlap);
    g_test_add_func("/rules/phases", test_phases);
    g_test_add_func("/rules/dropped-invisible", test_dropped_invisible);
    g_test_add_func("/rules/events", test_events);
    g_test_add_func("/rules/merge", test_merge);
    g_test_add_func("/rules/role-suffix", test_role_suffix);
    g_test_add_func("/rules/pathological", test_pathological);
    g_test_add_func("/rules/threads", test_threads);
    g_test_add_func("/rules/model", test_model);
    int r = g_test_run();
    teardown();
    return r;
}
