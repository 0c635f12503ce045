/* test-offsets.c - byte <-> code point <-> UTF-16 conversion. */
#include <string.h>

#include "nerve/nerve.h"

/* Checks every character boundary of text against a direct count. */
static void check_all(const char *text)
{
    size_t len = strlen(text);
    g_autoptr(nerve_offsets) m = nerve_offsets_new(text, len);
    size_t cp = 0, u16 = 0;
    for (size_t b = 0; b <= len;) {
        g_assert_cmpuint(nerve_offsets_from_byte(m, b, NERVE_UNIT_CODEPOINT), ==, cp);
        g_assert_cmpuint(nerve_offsets_from_byte(m, b, NERVE_UNIT_UTF16), ==, u16);
        g_assert_cmpuint(nerve_offsets_from_byte(m, b, NERVE_UNIT_BYTE), ==, b);
        size_t back;
        g_assert_true(nerve_offsets_to_byte(m, cp, NERVE_UNIT_CODEPOINT, &back));
        g_assert_cmpuint(back, ==, b);
        g_assert_true(nerve_offsets_to_byte(m, u16, NERVE_UNIT_UTF16, &back));
        g_assert_cmpuint(back, ==, b);
        if (b == len)
            break;
        gunichar c = g_utf8_get_char(text + b);
        size_t n = (size_t)(g_utf8_next_char(text + b) - (text + b));
        if (c > 0xFFFF) {
            /* the middle of a surrogate pair is not a boundary */
            g_assert_false(nerve_offsets_to_byte(m, u16 + 1, NERVE_UNIT_UTF16, &back));
        }
        if (n > 1)
            g_assert_false(nerve_offsets_to_byte(m, b + 1, NERVE_UNIT_BYTE, &back));
        b += n;
        cp++;
        u16 += c > 0xFFFF ? 2 : 1;
    }
    g_assert_cmpuint(nerve_offsets_length(m, NERVE_UNIT_CODEPOINT), ==, cp);
    g_assert_cmpuint(nerve_offsets_length(m, NERVE_UNIT_UTF16), ==, u16);
    size_t back;
    g_assert_false(nerve_offsets_to_byte(m, cp + 1, NERVE_UNIT_CODEPOINT, &back));
}

static void test_ascii(void)
{
    check_all("The U.S. envoy met officials in Lyon.");
    check_all("");
}

static void test_emoji_flags_zwj(void)
{
    /* 🙂 (astral), 🇫🇷 (two regional indicators), 👩‍💻 (ZWJ sequence),
     * 👍🏽 (skin tone) */
    check_all("Hi \xF0\x9F\x99\x82 met \xF0\x9F\x87\xAB\xF0\x9F\x87\xB7 and "
              "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD end");
    const char *t = "\xF0\x9F\x99\x82x";
    g_autoptr(nerve_offsets) m = nerve_offsets_new(t, strlen(t));
    g_assert_cmpuint(nerve_offsets_from_byte(m, 4, NERVE_UNIT_CODEPOINT), ==, 1);
    g_assert_cmpuint(nerve_offsets_from_byte(m, 4, NERVE_UNIT_UTF16), ==, 2);
}

static void test_combining_cjk_rtl(void)
{
    check_all(
        "Cafe\xCC\x81 caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC "
        "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85");
}

static void test_crlf_bom_nul(void)
{
    static const char t[] = "\xEF\xBB\xBFline\r\nnext\0after";
    size_t len = sizeof t - 1;
    g_autoptr(nerve_offsets) m = nerve_offsets_new(t, len);
    g_assert_cmpuint(nerve_offsets_from_byte(m, 3, NERVE_UNIT_CODEPOINT), ==, 1);
    g_assert_cmpuint(nerve_offsets_from_byte(m, len, NERVE_UNIT_CODEPOINT), ==, len - 2);
    g_assert_cmpuint(nerve_offsets_from_byte(m, len, NERVE_UNIT_UTF16), ==, len - 2);
}

/* Long texts: the 64-byte blocks start inside characters. */
static void test_long(void)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 3000; i++)
        g_string_append(s, i % 7 ? "ab\xC3\xA9 " : "\xF0\x9F\x98\x80\xE4\xB8\xAD");
    check_all(s->str);
    g_string_free(s, TRUE);
}

/* The cursor against the map, for every boundary of text, in increasing
 * and decreasing order and in jumps back and forth (far ones build the
 * cursor's own map). */
static void check_cursor(const char *text, nerve_unit unit)
{
    size_t len = strlen(text);
    g_autoptr(nerve_offsets) m = nerve_offsets_new(text, len);
    g_autoptr(GArray) at = g_array_new(FALSE, FALSE, sizeof(size_t));
    for (size_t b = 0; b < len; b = (size_t)(g_utf8_next_char(text + b) - text))
        g_array_append_val(at, b);
    g_array_append_val(at, len);
    guint n = at->len;
    nerve_offsets_cursor cur;
    nerve_offsets_cursor_init(&cur, text, len, unit);
    for (guint pass = 0; pass < 3; pass++)
        for (guint k = 0; k < n; k++) {
            /* 0: up; 1: down; 2: alternately from both ends */
            guint i = pass == 0 ? k : pass == 1 ? n - 1 - k : k % 2 ? n - 1 - k / 2 : k / 2;
            size_t b = g_array_index(at, size_t, i);
            g_assert_cmpuint(nerve_offsets_cursor_convert(&cur, b), ==,
                             nerve_offsets_from_byte(m, b, unit));
        }
    g_assert_cmpuint(nerve_offsets_cursor_convert(&cur, len + 5), ==,
                     nerve_offsets_length(m, unit));
    if (len > 2000 && !cur.identity && !cur.sparse) /* the jumps from end to end took a map */
        g_assert_nonnull(cur.map);
    nerve_offsets_cursor_clear(&cur);
}

static void test_cursor(void)
{
    /* many non-ASCII characters (counted) */
    GString *dense = g_string_new(NULL);
    for (int i = 0; i < 600; i++)
        g_string_append(dense, i % 7 ? "ab\xC3\xA9 " : "\xF0\x9F\x98\x80\xE4\xB8\xAD");
    /* a few in a long text (listed), and as many as the list holds, and one more */
    GString *sparse = g_string_new(NULL), *full = g_string_new(NULL), *over = g_string_new(NULL);
    for (int i = 0; i < 300; i++)
        g_string_append(sparse, i % 50 == 7 ? "\xF0\x9F\x98\x80 \xE2\x80\x9Cq\xE2\x80\x9D "
                                            : "plain text ");
    for (int i = 0; i < NERVE_OFFSETS_SPARSE; i++)
        g_string_append(full, i % 3 ? "x\xC3\xA9" : "\xF0\x9F\x99\x82y");
    g_string_append(over, full->str);
    g_string_append(over, "\xE6\x9D\xB1");
    const char *texts[] = {
        "",         "plain ASCII", "caf\xC3\xA9 \xF0\x9F\x99\x82 \xE6\x9D\xB1",
        "\xC3\xA9", dense->str,    sparse->str,
        full->str,  over->str,
    };
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        for (nerve_unit u = NERVE_UNIT_CODEPOINT; u <= NERVE_UNIT_BYTE; u++)
            check_cursor(texts[i], u);
    g_string_free(dense, TRUE);
    g_string_free(sparse, TRUE);
    g_string_free(full, TRUE);
    g_string_free(over, TRUE);
}

static void test_units(void)
{
    nerve_unit u;
    g_assert_true(nerve_unit_parse("utf16", &u) && u == NERVE_UNIT_UTF16);
    g_assert_true(nerve_unit_parse("codepoint", &u) && u == NERVE_UNIT_CODEPOINT);
    g_assert_true(nerve_unit_parse("byte", &u) && u == NERVE_UNIT_BYTE);
    g_assert_false(nerve_unit_parse("chars16", &u));
    g_assert_cmpstr(nerve_unit_name(NERVE_UNIT_UTF16), ==, "utf16");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/offsets/ascii", test_ascii);
    g_test_add_func("/offsets/emoji-flags-zwj", test_emoji_flags_zwj);
    g_test_add_func("/offsets/combining-cjk-rtl", test_combining_cjk_rtl);
    g_test_add_func("/offsets/crlf-bom-nul", test_crlf_bom_nul);
    g_test_add_func("/offsets/long", test_long);
    g_test_add_func("/offsets/cursor", test_cursor);
    g_test_add_func("/offsets/units", test_units);
    return g_test_run();
}
