/* test-rules-engine.c - the matcher's shortcuts give the answers of the
 * plain semantics: precomputed closures and the capture-free first pass
 * against the step-by-step walk (large programs), first-byte filters of
 * rules tried anywhere, windows of rules with a required word or entity
 * after the start, and rules grouped by equal first steps.  The language
 * itself is tested in test-rules.c. */
#include "rules-match.h" /* MEMO_GEN_MAX */
#include "rules-test.h"

#define R(label, pattern) "rule r\n  entity " label "\n  pattern " pattern "\n"

/* A rule with a [] ? gap repeated n times: over about 120 the program is
 * too large for precomputed closures and the VM walks it step by step. */
static char *gap_rule(const char *before, int n, const char *after)
{
    return g_strdup_printf(R("X", "%s ([]? ){%d} %s"), before, n, after);
}

static void test_closures_vs_walk(void)
{
    static const struct {
        const char *before, *after;
    } rules[] = {
        {"\"x\"", "\"y\""},
        {"(a: \"x\")", "(b: \"y\" | \"z\")"},
        {"(^ | \"x\")", "(\"y\" $ | \"y\" \".\")"},
        {"\"x\" (c: \"x\")?", "(\"y\" $ | \"z\")"},
    };
    static const char *const texts[] = {"x y",
                                        "x a y",
                                        "x a b c y z",
                                        "y x x y",
                                        "q x a y . x b z q",
                                        "x a b c d e f g h y",
                                        "x x x y y",
                                        "x y. x y z."};
    for (guint r = 0; r < G_N_ELEMENTS(rules); r++)
        for (guint t = 0; t < G_N_ELEMENTS(texts); t++) {
            g_autofree char *small = gap_rule(rules[r].before, 12, rules[r].after);
            g_autofree char *large = gap_rule(rules[r].before, 400, rules[r].after);
            g_autofree char *a = run_rules(small, texts[t], NULL, NULL);
            g_autofree char *b = run_rules(large, texts[t], NULL, NULL);
            if (g_strcmp0(a, b))
                g_error("rule %u on \"%s\": \"%s\" with closures, \"%s\" walked", r, texts[t], a,
                        b);
        }
    /* and the answers are the right ones */
    g_autofree char *src = gap_rule("(^ | \"x\")", 400, "(\"y\" $ | \"y\" \".\")");
    ASSERT_ENTS(src, "y x x y", NULL, "X:y x x y");
    ASSERT_ENTS(src, "q x a y . b", NULL, "X:q x a y .");
}

/* Captures and anchors reached through splits: the first path to a step
 * decides its captures. */
static void test_closure_paths(void)
{
    ASSERT_ENTS("rule r\n entity X\n pattern (^ | \"a\") (n: \"b\"+)\n span n\n", "b b a b c b",
                NULL, "X:b b | X:b");
    ASSERT_ENTS("rule r\n entity X\n pattern (n: \"a\")? (n: \"b\")\n span n\n", "a b b", NULL,
                "X:b | X:b");
    ASSERT_ENTS(R("X", "\"a\" ($ | \"b\")"), "a b a. a", NULL, "X:a b | X:a");
    ASSERT_ENTS(R("X", "(\"a\" ($ | \"b\")?)+"), "a b a. a", NULL, "X:a b a | X:a");
}

/* Rules whose first step is no literal and no entity are tried anywhere,
 * after a filter on the first byte of each form: it must let through
 * every token their first steps match. */
static void test_first_bytes(void)
{
    ASSERT_ENTS(R("X", "[word=/x.*/i]"), "Xerox and xenon", NULL, "X:Xerox | X:xenon");
    ASSERT_ENTS(R("X", "[word=/\\w+/ & !is=lower & !is=punct]"), "Über alles Zoë", NULL,
                "X:Über | X:Zoë");
    ASSERT_ENTS(R("X", "[word=/[0-9]+(st|nd|rd|th)/]"), "the 21st and 3rd, not 4x", NULL,
                "X:21st | X:3rd");
    ASSERT_ENTS(R("X", "[shape=/X.*/ & lower=/p.*/]"), "Paris pari Pau", NULL, "X:Paris | X:Pau");
    ASSERT_ENTS(R("X", "[lemma=/sign/]"), "he signed and signs", NULL, "X:signed | X:signs");
    /* a quoted word also matches its abbreviation token */
    ASSERT_ENTS(R("X", "[word=/[A-Z]+/]? \"mr\" [is=title]"), "Mr. Smith and mr Jones", NULL,
                "X:Mr. Smith | X:mr Jones");
    /* empty-able first steps: the rule may start anywhere */
    ASSERT_ENTS(R("X", "[is=title]? \"of\" [is=title]"), "Bank of England, of Wales", NULL,
                "X:Bank of England | X:of Wales");
}

/* The filter also asks a flag of a first step's is= tests, and whether a
 * rule whose every start lies after ^ is at a sentence start: several
 * flags, flags in one of several first steps, and ^ on one path only. */
static void test_flag_filters(void)
{
    ASSERT_ENTS(R("X", "[is=upper & is=alpha] [is=digit]"), "NATO 12 and nato 3 , FBI 7", NULL,
                "X:NATO 12 | X:FBI 7");
    ASSERT_ENTS(R("X", "([is=number] | \"some\") [lower=people|cars]"),
                "some people saw 12 cars and 3 dogs", NULL, "X:some people | X:12 cars");
    ASSERT_ENTS(R("X", "[is=title|digit] \"x\""), "Ab x 12 x ab x", NULL, "X:Ab x | X:12 x");
    ASSERT_ENTS(R("X", "^ [is=upper]"), "ROME - The pope. PARIS and LYON", NULL,
                "X:ROME | X:PARIS");
    ASSERT_ENTS(R("X", "(^ | \"in\") [is=upper]"), "ROME - The pope in LYON. PARIS", NULL,
                "X:ROME | X:in LYON | X:PARIS");
}

/* Memo answers are kept per sentence and generation: past the number of
 * generations it is cleared, and answers never leak between sentences. */
static void test_memo_generations(void)
{
    /* the word list passes both words, the memo holds the regex's answer */
    const char *src = "define W = [lower=alpha|beta|gamma|delta|epsilon|zeta & word=/b.*/]\n"
                      "rule a\n entity A\n pattern \"x\" %W\n";
    GString *text = g_string_new(NULL), *want = g_string_new(NULL);
    for (int i = 0; i < MEMO_GEN_MAX + 300; i++) {
        /* the memo slot of the second token changes between yes and no;
           the first sentence after the generations wrap (generation 1
           again) asks a slot only the first sentence wrote, with the other
           answer */
        gboolean yes = i == MEMO_GEN_MAX || (i && i % 3);
        if (!i || i == MEMO_GEN_MAX)
            g_string_append(text, yes ? "Then q q q x beta. " : "Then q q q x alpha. ");
        else
            g_string_append(text, yes ? "Then x beta. " : "Then x alpha. ");
        if (yes)
            g_string_append(want, want->len ? " | A:x beta" : "A:x beta");
    }
    ASSERT_ENTS(src, text->str, NULL, want->str);
    g_string_free(text, TRUE);
    g_string_free(want, TRUE);
}

/* A regular expression that only ICU decides and that backtracks
 * exponentially on a token gives up within ICU's time limit: that token
 * does not match, and the rest of the document is annotated. */
static void test_regex_time_limit(void)
{
    const char *src = "rule a\n entity A\n pattern [word=/(a|aa)*\\1b/] \"x\"\n"
                      "rule b\n entity B\n pattern \"y\"\n";
    GString *text = g_string_new("ab x y ");
    for (int i = 0; i < 60; i++)
        g_string_append_c(text, 'a');
    g_string_append(text, " x y aab x.");
    ASSERT_ENTS(src, text->str, NULL, "B:y | B:y | A:aab x");
    g_string_free(text, TRUE);
}

/* Several rules with the same first steps form one group, tested once per
 * token; each rule still scans on its own.  A rule after ^ forms no group
 * with one that may start anywhere (the group's answer at a later token
 * would be no for both). */
static void test_groups(void)
{
    const char *src = "rule a\n entity A\n pattern [is=title] [is=upper]\n"
                      "rule b\n entity B\n pattern [is=title] [is=digit]\n"
                      "rule c\n entity C\n pattern [is=title]{2}\n"
                      "rule d\n entity D\n pattern [word=/[0-9]+/] [is=lower]\n";
    ASSERT_ENTS(src, "Aa BB , Cc 12 , Dd Ee , 34 x", NULL, "A:Aa BB | B:Cc 12 | C:Dd Ee | D:34 x");
    const char *bol = "rule b\n entity B\n pattern [is=title] [is=digit]\n"
                      "rule a\n entity A\n pattern ^ [is=title] [is=lower]\n";
    ASSERT_ENTS(bol, "Aa x , Cc 12", NULL, "A:Aa x | B:Cc 12");
}

/* The notes: the rules tried at every token of every sentence, a
 * regular expression first with nothing the sentence must have (a), a
 * negation (b) and [] (c), not a rule indexed by a word (d), by a shape
 * (e), whose first step rules tokens out by class (f) or that needs a word
 * in the sentence (g); and values the tokenizer splits (h, i), not a
 * phrase, a number range, an abbreviation, a name with an apostrophe, a
 * clitic or a shape (j). */
static void test_notes(void)
{
    const char *src = "rule a\n entity A\n pattern [word=/[0-9]+[CF]/] | [lower=km]\n"
                      "rule b\n entity B\n pattern [!lower=the] [is=digit]\n"
                      "rule c\n entity C\n pattern [] [is=upper]\n"
                      "rule d\n entity D\n pattern \"km\" [is=digit]\n"
                      "rule e\n entity E\n pattern [shape=ddX & word=/[0-9]+[CF]/]\n"
                      "rule f\n entity F\n pattern [is=digit] [is=upper]\n"
                      "rule g\n entity G\n pattern [] \"said\"\n"
                      "define W = \"a\" | \"run-off\"\n"
                      "rule h\n entity H\n pattern \"x\" [lower=elected|re-elected] [lemma=%W]\n"
                      "rule i\n entity I\n pattern \"y\" [word=\"km/h\"]\n"
                      "rule j\n entity J\n pattern \"re-elected\" [word=9-10|Mr.|U.S.|O'Neal] "
                      "[lower='s] [shape=Xx-Xx]\n";
    nerve_rules *rs = nerve_rules_new(tk, NULL);
    GError *err = NULL;
    g_assert_true(nerve_rules_add_string(rs, "u.rules", src, -1, &err));
    g_assert_no_error(err);
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
    const char *want[] = {
        "u.rules:25:29: note: 're-elected' is 3 tokens to the tokenizer, so lower= never matches "
        "it: write the phrase \"re-elected\" outside [ ]",
        "u.rules:25:48: note: 'run-off' is 3 tokens to the tokenizer, so lemma= never matches it: "
        "write the phrase \"run-off\" outside [ ]",
        "u.rules:28:20: note: 'km/h' is 3 tokens to the tokenizer, so word= never matches it: "
        "write the phrase \"km/h\" outside [ ]",
        "u.rules:1: note: rule a is tried at every token: its first step names no word, shape, "
        "entity or class that rules tokens out, and it needs no word of the sentence",
        "u.rules:4: note: rule b is tried at every token: its first step names no word, shape, "
        "entity or class that rules tokens out, and it needs no word of the sentence",
        "u.rules:7: note: rule c is tried at every token: its first step names no word, shape, "
        "entity or class that rules tokens out, and it needs no word of the sentence"};
    g_assert_cmpuint(nerve_rules_notes(rs, out), ==, G_N_ELEMENTS(want));
    g_assert_cmpuint(out->len, ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpstr(g_ptr_array_index(out, i), ==, want[i]);
    nerve_rules_free(rs);
}

/* Windowed rules with the same first steps (the title rules, and the
 * digit rules) and rules that differ in theirs, open at the same tokens:
 * whether each can start is decided by its own first steps, whichever rule
 * asks first. */
static void test_window_first_steps(void)
{
#define W(name, pattern) "rule " name "\n event " name "\n pattern (trigger: " pattern ")\n"
    const char *src = W("T1", "[is=title] []{0,2} \"incq\"") W("D1", "[is=digit] \"unitsq\"")
        W("T2", "[is=title] []{0,2} \"corpq\"") W("D2", "[is=digit] []? \"pctq\"")
            W("T3", "[is=title] [is=digit] \"ltdq\"") W("L1", "[is=lower] []{0,2} \"incq\"");
#undef W
    ASSERT_EVENTS(src, "x 12 unitsq incq . Big 7 pctq corpq . Foo 3 ltdq 4 unitsq , x 5 pctq", NULL,
                  "L1:x 12 unitsq incq() | D1:12 unitsq() | T2:Big 7 pctq corpq() | D2:7 pctq() "
                  "| T3:Foo 3 ltdq() | D1:4 unitsq() | D2:5 pctq()");
}

static void add_city(nerve_doc *doc)
{
    add_ent(doc, "New York City", "GPE");
    add_ent(doc, "Paris", "GPE");
}

/* A rule whose required word comes after an entity of any length runs in
 * a window that the longest entity of the sentence widens. */
static void test_windows(void)
{
    const char *src = "rule r\n event Say\n pattern (who: @GPE) []{0,2} (trigger: \"said\")\n";
    ASSERT_EVENTS(src, "New York City officials today said so; Paris said no.", add_city,
                  "Say:said(who=@New York City) | Say:said(who=@Paris)");
    ASSERT_ENTS(R("X", "[is=title]{1,3} \"inc\""), "Big Red Tall Acme Inc and Inc", NULL,
                "X:Red Tall Acme Inc");
}

static void add_amounts(nerve_doc *doc)
{
    add_ent(doc, "New York City", "GPE");
    add_ent(doc, "Paris", "GPE");
    add_ent(doc, "$5 billion", "MONEY");
    add_ent_nth(doc, "$5 billion", 1, "MONEY", 0);
    add_ent(doc, "International Monetary Fund", "ORG");
}

/* A rule whose cheapest requirement is an entity step (short words are
 * frequent) runs in windows before the entity's first token, widened by
 * the longest entity of the sentence; an [ent=X] test also holds inside an
 * entity begun before the match, so it gets no window.  Threads waiting
 * inside entities (the first pass without captures) reach the end. */
static void test_entity_windows(void)
{
    const char *text = "It rose to $5 billion , then to New York City $5 billion , "
                       "the International Monetary Fund said of Paris New York City Paris said";
    ASSERT_ENTS(R("X", "(\"of\" | \"to\" | \"in\") @GPE? @MONEY"), text, add_amounts,
                "X:to $5 billion | X:to New York City $5 billion | ORG:International Monetary Fund "
                "| GPE:Paris");
#define E(pattern) "rule r\n  event E\n  pattern " pattern "\n"
    ASSERT_EVENTS(E("(trigger: [ent=ORG & word=/F.*/]) [is=lower]"), text, add_amounts, "E:Fund()");
    ASSERT_EVENTS(E("(trigger: (@GPE | [is=title])+) [is=lower]"), text, add_amounts,
                  "E:It() | E:International Monetary Fund() | E:Paris New York City Paris()");
    ASSERT_EVENTS(E("(trigger: @GPE) \"x\""), text, add_amounts, "");
#undef E
}

static void add_places(nerve_doc *doc)
{
    add_ent(doc, "New York City", "GPE");
    add_ent_nth(doc, "Paris", 0, "GPE", 0);
    add_ent_nth(doc, "Paris", 1, "GPE", 0);
}

/* A try is ended before the walk when the rule's first two steps cannot
 * match (vm_two_steps()): the second step after an entity of several
 * tokens, an entity as the second step, a match of one step, $ as the
 * second step, ^ before the first, and a third step that fails. */
static void test_two_steps(void)
{
    const char *text = "New York City Giants beat Paris Hawks in Paris";
    ASSERT_ENTS(R("X", "@GPE [word=/[A-Z][a-z]+s/]"), text, add_places,
                "X:New York City Giants | X:Paris Hawks | GPE:Paris");
    ASSERT_ENTS(R("X", "[lower=beat|in] @GPE"), text, add_places,
                "GPE:New York City | X:beat Paris | X:in Paris");
    ASSERT_ENTS(R("X", "@GPE $") "  priority 1\n", text, add_places,
                "GPE:New York City | GPE:Paris | X:Paris");
    ASSERT_ENTS(R("X", "^ @GPE [is=title]"), text, add_places,
                "X:New York City Giants | GPE:Paris | GPE:Paris");
    ASSERT_ENTS(R("X", "\"x\" \"y\"?"), "x z x y", NULL, "X:x | X:x y");
    ASSERT_ENTS(R("X", "\"x\" ($ | \"y\")"), "b x y c x z x", NULL, "X:x y | X:x");
    ASSERT_ENTS(R("X", "\"x\" \"y\" \"z\""), "x y q x y z", NULL, "X:x y z");
}

static void add_org_person(nerve_doc *doc)
{
    add_ent(doc, "Acme", "ORG");
    add_ent(doc, "Mary. Ann", "P"); /* over a sentence boundary */
}

/* Conditions (every element a match must contain, besides the one it is
 * indexed by) keep a rule out of sentences that lack one; optional
 * elements, alternatives and repeats of zero are no conditions, and an
 * [ent=X] condition holds inside an X begun in an earlier sentence. */
static void test_conditions(void)
{
    ASSERT_ENTS(R("X", "\"xq\" \"yq\"? (\"zq\" | @ORG) \"wq\"+ \"vq\"{0,2} (\"uq\"* | \"tq\")"),
                "A xq zq wq. B xq yq zq wq vq. C xq Acme wq tq. D xq yq wq. E xq zq vq.",
                add_org_person, "X:xq zq wq | X:xq yq zq wq vq | X:xq Acme wq tq");
    ASSERT_ENTS(R("Y", "[ent=P] \"said\" \"so\""), "Then Mary. Ann said so. Bob said so.",
                add_org_person, "Y:Ann said so");
}

/* A rule that matches at most of its tries goes straight to the VM after
 * a few dozen tries, one that seldom matches keeps the first pass: both
 * give the same matches and captures. */
static void test_first_pass_odds(void)
{
    const char *src = "rule often\n event Often\n pattern (trigger: \"x\") (what: \"y\"+)?\n"
                      "rule seldom\n event Seldom\n pattern (trigger: \"x\") \"y\" (what: \"z\")\n";
    GString *text = g_string_new(NULL), *want = g_string_new(NULL);
    for (int i = 0; i < 100; i++) {
        g_string_append(text, i % 10 == 9 ? "x y z. " : i % 2 ? "x y y. " : "x q. ");
        g_string_append_printf(want, "%s%s", want->len ? " | " : "",
                               i % 10 == 9 ? "Often:x(what=y) | Seldom:x(what=z)"
                               : i % 2     ? "Often:x(what=y y)"
                                           : "Often:x()");
    }
    ASSERT_EVENTS(src, text->str, NULL, want->str);
    g_string_free(text, TRUE);
    g_string_free(want, TRUE);
}

/* Costly constraints equal in several rules share one memo per sentence:
 * each token keeps its own answer, in every sentence, for every rule and
 * negation. */
static void test_memo(void)
{
    const char *src =
        "define W = [lower=alpha|beta|gamma|delta|epsilon|zeta & is=lower]\n"
        "rule a\n entity A\n pattern %W \"x\"\n"
        "rule b\n entity B\n pattern \"y\" %W\n"
        "rule c\n entity C\n pattern \"z\" [!lower=alpha|beta|gamma|delta|epsilon|zeta "
        "& is=lower]\n";
    ASSERT_ENTS(src, "alpha x y beta. y x beta x. z alpha z omega. Zeta x y gamma", NULL,
                "A:alpha x | B:y beta | A:beta x | C:z omega | B:y gamma");
}

/* Alternatives of single words run as one token with a word list; nested
 * alternatives, multi-word alternatives, captures and different keys stay
 * what they were. */
static void test_merged_alternatives(void)
{
    ASSERT_ENTS(
        R("X", "(\"nearly\" | \"about\" \"x\" | (\"almost\" | [word=Some]) | \"about\") \"y\""),
        "almost y about x y nearly y about y some y Some y", NULL,
        "X:almost y | X:about x y | X:nearly y | X:about y | X:Some y");
    ASSERT_ENTS("rule r\n entity X\n pattern (\"a\" | (c: \"b\" \"b\") | \"d\") \"z\"\n span c\n",
                "a z b b z d z", NULL, "X:b b");
    ASSERT_ENTS(R("X", "(\"mr\" | \"dr\") [is=title]"), "Mr. Smith met Dr Jones and mr Brown", NULL,
                "X:Mr. Smith | X:Dr Jones | X:mr Brown");
}

/* A rule whose rarest word is a shape waits for a token of that shape,
 * and still starts before it. */
static void test_shape_requirement(void)
{
    ASSERT_ENTS(R("X", "\"the\" (\"early\" | \"late\")? [shape=dddd|ddddx]"),
                "in the 1990s and the late 1980s the end. The 2004 the", NULL,
                "X:the 1990s | X:the late 1980s | X:The 2004");
    ASSERT_ENTS(R("X", "\"the\" [shape=dddd]"), "the end of the story", NULL, "");
}

/* A clitic written alone ("'s", "n't") is one token, as after a word. */
static void test_clitic_literals(void)
{
    ASSERT_ENTS(R("X", "\"'s\" [is=title]"), "Kenya's Eliud Kipchoge won", NULL, "X:'s Eliud");
    ASSERT_ENTS(R("X", "\"do\" \"n't\""), "I don't know", NULL, "X:don't");
    ASSERT_ENTS(R("X", "\"\xE2\x80\x99s\" [is=title]"), "Kenya\xE2\x80\x99s Eliud", NULL,
                "X:\xE2\x80\x99s Eliud");
}

/* A word= (lemma=, shape=) list is decided at once for a token form that
 * is no literal of that key, even when it is a literal of another: "in"
 * of the "text" test, "Xx" of the word= list, "met" of the lower= one. */
static void test_literal_keys(void)
{
    const char *src = "rule a\n entity A\n pattern \"in\" [is=digit]\n"
                      "rule b\n entity B\n pattern [word=In|At|Xx] [is=title]\n"
                      "rule c\n entity C\n pattern [lemma=meet|sign] [shape=Xxx]\n"
                      "rule d\n entity D\n pattern [lower=met|xx] [shape=Xx|dddd]\n";
    ASSERT_ENTS(src, "In Paris in 2020 at Rome At Lyon xx 12 Xx Yy met Bob signs Ann Xx 2020", NULL,
                "B:In Paris | A:in 2020 | B:At Lyon | B:Xx Yy | C:met Bob | C:signs Ann | "
                "D:Xx 2020");
}

static void add_paris(nerve_doc *doc)
{
    add_ent_nth(doc, "Paris", 0, "GPE", 0);
    add_ent_nth(doc, "Paris", 1, "GPE", 0);
}

/* One stage, two phases, documents in turn through the same worker
 * scratch: a phase sees only the entities of its document as they are
 * when it starts, under its own label ids.  The per-token entity arrays
 * are set only where entities are and cleared after each phase, so what
 * the first phase saw (GPE is label id 0 there, ORG in the second) or
 * the first document had must not show through. */
static void test_visibility_cleared(void)
{
    nerve_rules *rs = nerve_rules_new(tk, NULL);
    GError *err = NULL;
    g_assert_true(nerve_rules_add_string(rs, "a.rules", R("A", "@GPE \"x\""), -1, &err));
    g_assert_true(nerve_rules_add_string(
        rs, "b.rules",
        "rule b\n entity B\n pattern [ent=ORG] \"y\"\nrule c\n entity C\n pattern @ \"y\"\n", -1,
        &err));
    /* a phase that uses no entities skips them (its filters take a token
       with or without one alike) */
    g_assert_true(nerve_rules_add_string(rs, "c.rules", R("D", "\"Rome\" \"x\""), -1, &err));
    const char *texts[] = {"Paris x Paris y Rome x", "Lyon y Lyon x Rome x",
                           "Paris x Paris y Rome x"};
    const char *want[] = {"A:Paris x | C:Paris y | D:Rome x", "D:Rome x",
                          "A:Paris x | C:Paris y | D:Rome x"};
    for (int round = 0; round < 2; round++)
        for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
            nerve_doc *doc = prep(texts[i]);
            if (i != 1)
                add_paris(doc);
            g_assert_true(nerve_rules_apply(rs, doc, NULL));
            nerve_doc_finish(doc, FALSE);
            g_autofree char *got = ents_of(doc);
            g_assert_cmpstr(got, ==, want[i]);
            nerve_doc_free(doc);
        }
    nerve_rules_free(rs);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    setup();
    g_test_add_func("/rules-engine/closures-vs-walk", test_closures_vs_walk);
    g_test_add_func("/rules-engine/closure-paths", test_closure_paths);
    g_test_add_func("/rules-engine/first-bytes", test_first_bytes);
    g_test_add_func("/rules-engine/groups", test_groups);
    g_test_add_func("/rules-engine/notes", test_notes);
    g_test_add_func("/rules-engine/flag-filters", test_flag_filters);
    g_test_add_func("/rules-engine/memo-generations", test_memo_generations);
    g_test_add_func("/rules-engine/windows", test_windows);
    g_test_add_func("/rules-engine/window-first-steps", test_window_first_steps);
    g_test_add_func("/rules-engine/entity-windows", test_entity_windows);
    g_test_add_func("/rules-engine/first-pass-odds", test_first_pass_odds);
    g_test_add_func("/rules-engine/memo", test_memo);
    g_test_add_func("/rules-engine/conditions", test_conditions);
    g_test_add_func("/rules-engine/two-steps", test_two_steps);
    g_test_add_func("/rules-engine/regex-time-limit", test_regex_time_limit);
    g_test_add_func("/rules-engine/merged-alternatives", test_merged_alternatives);
    g_test_add_func("/rules-engine/clitic-literals", test_clitic_literals);
    g_test_add_func("/rules-engine/literal-keys", test_literal_keys);
    g_test_add_func("/rules-engine/shape-requirement", test_shape_requirement);
    g_test_add_func("/rules-engine/visibility-cleared", test_visibility_cleared);
    int status = g_test_run();
    teardown();
    return status;
}
