/* test-rules-errors.c - every error of the rule parser and compiler, with
 * its exact FILE:LINE:COL. */
#include "rules-test.h"

/* src must fail with exactly want (all lines). */
static void assert_error(const char *src, const char *want)
{
    nerve_rules *rs = nerve_rules_new(tk, NULL);
    GError *err = NULL;
    gboolean ok = nerve_rules_add_string(rs, "t.rules", src, -1, &err);
    if (ok)
        g_error("no error for:\n%s", src);
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_MODEL);
    if (strcmp(err->message, want))
        g_test_message("got  %s\nwant %s", err->message, want);
    g_assert_cmpstr(err->message, ==, want);
    g_assert_cmpuint(nerve_rules_n_phases(rs), ==, 0);
    g_error_free(err);
    nerve_rules_free(rs);
}

#define PAT(p) "rule x\n  entity X\n  pattern " p "\n"

static void test_constraints(void)
{
    assert_error(PAT("[lower=a] [colour=b]"), "t.rules:3:22: unknown constraint 'colour'");
    assert_error(PAT("[lower=a"), "t.rules:3:11: unbalanced '[': no matching ']'");
    assert_error(PAT("[lower=a [is=title]"), "t.rules:3:11: unbalanced '[': no matching ']'");
    assert_error(PAT("[] ]"), "t.rules:3:14: unbalanced ']'");
    assert_error(PAT("[is=colour]"),
                 "t.rules:3:15: unknown token class 'colour' (title, upper, lower, digit, number, "
                 "punct, alpha, symbol, url, email, hashtag, mention, emoji, abbrev, initial, "
                 "quote, space, newline)");
    assert_error(PAT("[lower]"), "t.rules:3:12: 'lower' needs a value: lower=VALUE");
    assert_error(PAT("[lower=]"), "t.rules:3:18: expected a value, not ']'");
    assert_error(PAT("[lower=a b]"), "t.rules:3:20: expected '&' or ']', not 'b]'");
    assert_error(PAT("[lower=a &]"), "t.rules:3:21: expected a constraint (word, lower, lemma, "
                                     "shape, is, ent), not ']'");
    assert_error(PAT("[is=/x/]"), "t.rules:3:15: is= takes words, not a regular expression");
    assert_error(PAT("[lower=%NOPE]"), "t.rules:3:18: undefined %NOPE");
    assert_error("define D = [] []\n" PAT("[lower=%D]"),
                 "t.rules:4:18: %D is not a list of quoted words, so it cannot be a value");
}

static void test_strings_and_regex(void)
{
    assert_error(PAT("\"abc"), "t.rules:3:11: unterminated string");
    assert_error(PAT("[word=\"abc]"), "t.rules:3:17: unterminated string");
    assert_error(PAT("[word=/abc]"), "t.rules:3:17: unterminated regular expression");
    /* the column points inside the regular expression */
    assert_error(PAT("[word=/ab[c/]"),
                 "t.rules:3:22: bad regular expression (U_REGEX_MISSING_CLOSE_BRACKET)");
    assert_error(PAT("[word=/a{2,1}/]"),
                 "t.rules:3:24: bad regular expression (U_REGEX_MAX_LT_MIN)");
    assert_error(PAT("[word=/a/x]"), "t.rules:3:20: unknown regular expression flag 'x' (only i)");
    assert_error(PAT("\"\""), "t.rules:3:11: empty string");
}

static void test_groups_and_quantifiers(void)
{
    assert_error(PAT("([] []"), "t.rules:3:11: unbalanced '(': no matching ')'");
    assert_error(PAT("(a: [] | "), "t.rules:3:11: unbalanced '(': no matching ')'");
    assert_error(PAT("[] )"), "t.rules:3:14: unbalanced ')'");
    assert_error(PAT("[]{3,1}"),
                 "t.rules:3:13: bad quantifier {3,1}: minimum greater than maximum");
    assert_error(PAT("[]{x}"), "t.rules:3:13: bad quantifier: expected {m}, {m,n}, {,n} or {m,}");
    assert_error(PAT("[]{}"), "t.rules:3:13: bad quantifier: expected {m}, {m,n}, {,n} or {m,}");
    assert_error(PAT("[]{2"), "t.rules:3:13: bad quantifier: expected {m}, {m,n}, {,n} or {m,}");
    assert_error(PAT("* []"), "t.rules:3:11: bad quantifier: nothing to repeat before '*'");
    assert_error(PAT("[]?*"), "t.rules:3:14: bad quantifier: '*' after another quantifier");
    assert_error(PAT("^*"), "t.rules:3:12: bad quantifier: an anchor cannot repeat");
    assert_error(PAT("[]{1,5000}"), "t.rules:3:13: bad quantifier: a count over 1000 (limit "
                                    "max-repeat)");
    assert_error(PAT("[] | | []"), "t.rules:3:16: expected a pattern element before '|'");
    assert_error(PAT("[] ()"), "t.rules:3:15: expected a pattern element before ')'");
    assert_error(PAT("%NOPE []"), "t.rules:3:11: undefined %NOPE");
    assert_error(PAT("@GPE word"), "t.rules:3:16: unexpected 'word' (text is quoted: \"word\")");
    assert_error(PAT("([]{1000}){1000}"),
                 "t.rules:3:11: pattern too large: over 100000 steps (limit max-pattern-size)");
    GString *deep = g_string_new(PAT(""));
    g_string_truncate(deep, deep->len - 1);
    for (int i = 0; i < 250; i++)
        g_string_append_c(deep, '(');
    g_string_append(deep, "[]\n");
    assert_error(deep->str,
                 "t.rules:3:211: groups nested deeper than 200 (limit max-pattern-depth)");
    g_string_free(deep, TRUE);
}

static void test_rule_structure(void)
{
    assert_error("rule x\n  entity X\n  pattern (a: [])\n  span b\n",
                 "t.rules:4:8: span 'b' names no capture of the pattern");
    assert_error("rule x\n  event E\n  pattern (a: [])\n",
                 "t.rules:3:3: event rule 'x' has no (trigger: …) capture");
    assert_error("rule x\n  event E\n  pattern (trigger: [])\n  span trigger\n",
                 "t.rules:4:8: span is for entity rules; an event's parts are captures");
    assert_error("rule x\n  entity X\n  event E\n  pattern (trigger: [])\n",
                 "t.rules:3:3: rule 'x' has both 'entity' and 'event'; it needs one");
    assert_error("rule x\n  entity X\n  entity Y\n  pattern []\n",
                 "t.rules:3:3: rule 'x' has two 'entity' keys");
    assert_error("rule x\n  pattern []\n",
                 "t.rules:1:1: rule 'x' needs 'entity LABEL' or 'event TYPE'");
    assert_error("rule x\n  entity X\n", "t.rules:1:1: rule 'x' has no pattern");
    assert_error("rule x\n  entity X\n  pattern []\n  pattern []\n",
                 "t.rules:4:3: rule 'x' has two patterns");
    assert_error("rule x\n  entity X\n  colour red\n  pattern []\n",
                 "t.rules:3:3: unknown rule key 'colour' (entity, event, pattern, span, priority, "
                 "attr)");
    assert_error("entity X\n", "t.rules:1:1: 'entity' outside a rule (start one with 'rule NAME')");
    assert_error("[lower=a]\n", "t.rules:1:1: expected 'rule' or 'define', not '[lower=a]'");
    assert_error("rule x\n  entity X\n  pattern []\n  priority high\n",
                 "t.rules:4:12: priority must be an integer, not 'high'");
    assert_error("rule x\n  entity X\n  pattern []\n  attr nokey\n",
                 "t.rules:4:13: attr needs KEY=VALUE");
    assert_error("rule\n", "t.rules:1:1: expected a rule name after 'rule'");
    assert_error("rule x y\n  entity X\n  pattern []\n",
                 "t.rules:1:8: unexpected 'y' after a rule name");
    assert_error("rule x\n  entity\n  pattern []\n",
                 "t.rules:2:3: expected an entity label after 'entity'");
    assert_error("rule x\n  entity X\n  pattern []\nrule x\n  entity Y\n  pattern []\n",
                 "t.rules:4:6: rule 'x' is already defined on line 1");
    assert_error("define A = []\ndefine A = []\n", "t.rules:2:8: %A is already defined on line 1");
    assert_error("define = []\n", "t.rules:1:1: define needs a name: define NAME = pattern");
    assert_error("define A []\n", "t.rules:1:10: expected '=' after define A");
    assert_error("rule x\n  entity X\n  pattern\n", "t.rules:3:10: empty pattern");
}

/* Errors of independent rules are all reported; continuation lines and
 * comments keep their positions. */
static void test_many(void)
{
    assert_error("# header\n"
                 "rule a\n"
                 "  entity X\n"
                 "  pattern [lower=a]\n"
                 "           [colour=b]   # deeper: still the pattern\n"
                 "rule b\n"
                 "  event E\n"
                 "  pattern [is=title]\n"
                 "\tpriority x\n",
                 "t.rules:5:13: unknown constraint 'colour'\n"
                 "t.rules:9:11: priority must be an integer, not 'x'\n"
                 "t.rules:8:3: event rule 'b' has no (trigger: …) capture");
    /* columns count characters, not bytes */
    assert_error("define É = \"é\"\nrule x\n  entity X\n  pattern \"Ünïcödé\" [ß=1]\n",
                 "t.rules:4:22: unknown constraint 'ß'");
    assert_error(PAT("[lower=a]") "\xff\n", "t.rules:4:1: invalid UTF-8");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    setup();
    g_test_add_func("/rules/errors/constraints", test_constraints);
    g_test_add_func("/rules/errors/strings-regex", test_strings_and_regex);
    g_test_add_func("/rules/errors/groups-quantifiers", test_groups_and_quantifiers);
    g_test_add_func("/rules/errors/rule-structure", test_rule_structure);
    g_test_add_func("/rules/errors/many", test_many);
    int r = g_test_run();
    teardown();
    return r;
}
