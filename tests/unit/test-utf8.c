/* test-utf8.c - validation and repair at the edge. */
#include <string.h>

#include "nerve/nerve.h"

static void check(const char *in, size_t len, size_t want_bad, const char *want_out)
{
    size_t first;
    g_assert_cmpuint(nerve_utf8_count_invalid(in, len, &first), ==, want_bad);
    GString *out = g_string_new(NULL);
    g_assert_cmpuint(nerve_utf8_repair(in, len, out), ==, want_bad);
    g_assert_cmpmem(out->str, out->len, want_out, strlen(want_out));
    g_assert_true(g_utf8_validate(out->str, (gssize)out->len, NULL) ||
                  memchr(out->str, 0, out->len));
    g_string_free(out, TRUE);
}

#define FFFD "\xEF\xBF\xBD"

static void test_valid(void)
{
    check("plain", 5, 0, "plain");
    check("caf\xC3\xA9 \xF0\x9F\x99\x82 \xE6\x9D\xB1", 14, 0,
          "caf\xC3\xA9 \xF0\x9F\x99\x82 \xE6\x9D\xB1");
    check("", 0, 0, "");
    /* a NUL byte is valid UTF-8 */
    size_t first;
    g_assert_cmpuint(nerve_utf8_count_invalid("a\0b", 3, &first), ==, 0);
    g_assert_cmpuint(first, ==, 3);
}

static void test_invalid(void)
{
    check("a\xFF"
          "b",
          3, 1, "a" FFFD "b");
    check("a\xC3", 2, 1, "a" FFFD);                       /* truncated at the end */
    check("\xC0\xAF", 2, 2, FFFD FFFD);                   /* overlong '/' */
    check("\xE0\x80\xAF", 3, 3, FFFD FFFD FFFD);          /* overlong, 3 bytes */
    check("\xED\xA0\x80", 3, 3, FFFD FFFD FFFD);          /* a surrogate, U+D800 */
    check("\xF4\x90\x80\x80", 4, 4, FFFD FFFD FFFD FFFD); /* above U+10FFFF */
    check("\xE6\x9D"
          "x",
          3, 1, FFFD "x"); /* maximal subpart: one U+FFFD */
    check("\xF0\x9F\x99"
          "x",
          4, 1, FFFD "x");
    size_t first;
    g_assert_cmpuint(nerve_utf8_count_invalid("ok\x80ok\x80", 6, &first), ==, 2);
    g_assert_cmpuint(first, ==, 2);
}

/* the capitals of a term, counted in letters, not bytes; none when the
 * term is in capitals already or too short */
static void test_caps_variant(void)
{
    g_autofree char *a = nerve_utf8_caps_variant("Stuttgart", 9, 4);
    g_assert_cmpstr(a, ==, "STUTTGART");
    g_autofree char *b = nerve_utf8_caps_variant("K\xC3\xB6ln", 5, 4); /* 4 letters, 5 bytes */
    g_assert_cmpstr(b, ==, "K\xC3\x96LN");
    g_assert_null(nerve_utf8_caps_variant("Ulm", 3, 4));
    g_assert_null(nerve_utf8_caps_variant("NATO", 4, 0));
    g_autofree char *c = nerve_utf8_caps_variant("Li", 2, 0);
    g_assert_cmpstr(c, ==, "LI");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/utf8/valid", test_valid);
    g_test_add_func("/utf8/invalid", test_invalid);
    g_test_add_func("/utf8/caps-variant", test_caps_variant);
    return g_test_run();
}
