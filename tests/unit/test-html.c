/* test-html.c - --from html: visible text, layout, entities, meta,
 * charsets, ids, limits, and offsets that refer to the extracted text. */
#include "read-helpers.h"

static nerve_reader_options html_opts(void)
{
    nerve_reader_options o = {0};
    o.format = NERVE_FORMAT_HTML;
    o.max_doc_bytes = 64 << 20;
    return o;
}

static out_rec *read_page(GPtrArray **keep, const char *name, const char *html, gssize len)
{
    nerve_reader_options o = html_opts();
    *keep = read_one(write_file(name, html, len), &o);
    g_assert_cmpuint((*keep)->len, ==, 1);
    return rec_at(*keep, 0);
}

static void test_article(void)
{
    g_autofree char *s = read_sample("article.html");
    g_autoptr(GPtrArray) a = NULL;
    out_rec *r = read_page(&a, "article.html", s, -1);
    g_assert_null(r->error);
    g_assert_cmpstr(r->id, ==, "article.html");
    /* invisible: scripts, styles, JSON-LD, noscript, template, hidden */
    const char *absent[] = {"dataLayer",     "font-family",      "LD-JSON", "enable JavaScript",
                            "template text", "hidden paragraph", "Buy now", "console.log"};
    for (guint i = 0; i < G_N_ELEMENTS(absent); i++)
        g_assert_null(strstr(r->text, absent[i]));
    /* the title first, then the page; whitespace collapsed, entities decoded */
    g_assert_true(g_str_has_prefix(r->text, "Ceasefire Talks Resume in Geneva | Example News\n\n"));
    g_assert_nonnull(
        strstr(r->text,
               "\n\nCeasefire Talks Resume in Geneva\n\nBy Ana Petrova \xC2\xB7 May 4, 2022\n\n"));
    g_assert_nonnull(strstr(r->text, "GENEVA \xE2\x80\x94 Negotiators"));
    g_assert_nonnull(strstr(r->text, "hosted by the U.N., officials said.\n\n"));
    g_assert_nonnull(strstr(r->text,
                            "\xE2\x80\x9CWe are making progress,\xE2\x80\x9D said Maria Keller, a "
                            "spokeswoman.\nShe declined"));
    g_assert_nonnull(strstr(r->text, "\n\nPeace is possible.\n\nFirst point\nSecond point\n\n"));
    g_assert_nonnull(strstr(r->text, "City\tDelegates\nGeneva\t12"));
    g_assert_nonnull(strstr(r->text, "\n\n  line one\n  line two\n\n"));
    g_assert_nonnull(strstr(r->text,
                            "Caf\xC3\xA9 owners near the Palais des Nations welcomed the talks & "
                            "the crowds."));
    g_assert_true(g_str_has_suffix(r->text, "\xC2\xA9 2022 Example News"));
    g_assert_null(strstr(r->text, "  Talks"));
    g_assert_null(strstr(r->text, "\n\n\n"));
    json_t *m = json_loads(r->meta, 0, NULL);
    g_assert_cmpstr(json_string_value(json_object_get(m, "title")), ==,
                    "Ceasefire Talks Resume in Geneva | Example News");
    g_assert_cmpstr(json_string_value(json_object_get(m, "description")), ==,
                    "Negotiators met for a third day.");
    g_assert_cmpstr(json_string_value(json_object_get(m, "og:title")), ==,
                    "Ceasefire Talks Resume in Geneva");
    g_assert_cmpstr(json_string_value(json_object_get(m, "lang")), ==, "en");
    g_assert_cmpstr(json_string_value(json_object_get(m, "canonical")), ==,
                    "https://news.example.com/2022/05/04/geneva-talks");
    json_t *tags = json_object_get(m, "article:tag");
    g_assert_cmpuint(json_array_size(tags), ==, 2);
    g_assert_cmpstr(json_string_value(json_array_get(tags, 1)), ==, "Switzerland");
    json_decref(m);
}

static void test_layout(void)
{
    g_autoptr(GPtrArray) a = NULL;
    out_rec *r = read_page(&a, "l.html",
                           "<body>  one <b>bold</b>text<br><br>two<br>three<div>four</div>five"
                           "<ul><li> x </li><li>y</li></ul><p></p><p>  </p>six &nbsp;seven"
                           "<span hidden>no</span><div style=\"DISPLAY : None\">no</div>"
                           "<div style=\"visibility:hidden\">no</div></body>",
                           -1);
    g_assert_cmpstr(r->text, ==,
                    "one boldtext\n\ntwo\nthree\n\nfour\n\nfive\n\nx\ny\n\nsix \xC2\xA0seven");
}

static void test_entities_and_junk(void)
{
    g_autoptr(GPtrArray) a = NULL;
    out_rec *r = read_page(&a, "e.html",
                           "<p>A &amp; B &lt;c&gt; &eacute;&#233;&#xE9; &euro;5 &unknown;</p>"
                           "<p>unclosed <i>italic<p>next",
                           -1);
    g_assert_cmpstr(r->text, ==,
                    "A & B <c> \xC3\xA9\xC3\xA9\xC3\xA9 \xE2\x82\xAC"
                    "5 &unknown;\n\nunclosed "
                    "italic\n\nnext");
}

static void test_charsets(void)
{
    static const struct {
        const char *name, *html, *want;
    } cases[] = {
        {"a.html",
         "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
         "</head><body><p>Na\xEFve caf\xE9</p></body></html>",
         "Na\xC3\xAFve caf\xC3\xA9"},
        {"b.html", "<meta charset=\"windows-1252\"><p>\x93q\x94 \x80</p>",
         "\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x82\xAC"},
        {"c.html", "<p>Caf\xC3\xA9 \xE2\x80\x94 undeclared UTF-8</p>",
         "Caf\xC3\xA9 \xE2\x80\x94 undeclared UTF-8"},
        {"d.html", "<p>Caf\xE9 \x93q\x94 undeclared</p>",
         "Caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D undeclared"},
        {"e.html", "\xEF\xBB\xBF<p>bom</p>", "bom"},
        {"f.html", "<meta charset=\"shift_jis\"><p>\x93\xfa\x96\x7b</p>",
         "\xE6\x97\xA5\xE6\x9C\xAC"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GPtrArray) a = NULL;
        out_rec *r = read_page(&a, cases[i].name, cases[i].html, -1);
        g_assert_cmpstr(r->text, ==, cases[i].want);
    }
    /* --strict: undeclared bytes that are not UTF-8 are an error */
    nerve_reader_options o = html_opts();
    o.strict = TRUE;
    g_autoptr(GPtrArray) s = read_one(tpath("d.html"), &o);
    g_assert_cmpint(rec_at(s, 0)->code, ==, NERVE_ERROR_INPUT);
    g_autoptr(GPtrArray) t = read_one(tpath("a.html"), &o);
    g_assert_cmpstr(rec_at(t, 0)->text, ==, "Na\xC3\xAFve caf\xC3\xA9");
}

static void test_empty_and_deep(void)
{
    g_autoptr(GPtrArray) a = NULL;
    out_rec *r = read_page(&a, "empty.html", "", 0);
    g_assert_cmpstr(r->text, ==, "");
    /* deeper than libxml2's 256 levels: what came before is kept, and the
     * loss is said */
    GString *s = g_string_new("<body><p>before</p>");
    for (int i = 0; i < 100000; i++)
        g_string_append(s, "<span>");
    g_string_append(s, "deep");
    g_autoptr(GPtrArray) b = NULL;
    r = read_page(&b, "deep.html", s->str, (gssize)s->len);
    g_assert_true(g_str_has_prefix(r->text, "before"));
    g_assert_nonnull(strstr(r->warnings, "the HTML parser stopped"));
    g_string_free(s, TRUE);
}

static void test_limit(void)
{
    nerve_reader_options o = html_opts();
    o.max_doc_bytes = 8;
    const char *inputs[] = {write_file("big.html", "<p>more than eight bytes</p>", -1),
                            write_file("ok.html", "<p>tiny</p>", -1), NULL};
    g_autoptr(GPtrArray) a = read_inputs(inputs, &o, NULL);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpint(rec_at(a, 0)->code, ==, NERVE_ERROR_LIMIT);
    g_assert_cmpstr(rec_at(a, 0)->id, ==, "big.html");
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "tiny");
}

static void test_directory_ids(void)
{
    write_file("site/2022/05/a.html", "<p>A</p>", -1);
    write_file("site/index.htm", "<p>I</p>", -1);
    write_file("site/notes.md", "not html", -1);
    nerve_reader_options o = {0};
    o.max_doc_bytes = 1 << 20;
    g_autoptr(GPtrArray) a = read_one(tpath("site"), &o);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpstr(rec_at(a, 0)->id, ==, "2022/05/a.html");
    g_assert_cmpstr(rec_at(a, 1)->id, ==, "index.htm");
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "I");
}

/* End to end: token offsets re-slice the extracted text, for a gzipped
 * page read through the command line. */
static void test_offsets_cli(void)
{
    const char *html =
        "<html><head><title>Caf\xC3\xA9 \xF0\x9F\x99\x82</title><script>x()</script></head>"
        "<body><p>Gen&egrave;ve &amp; Z\xC3\xBCrich signed.</p></body></html>";
    const char *gz = write_gz("p.html.gz", html, strlen(html));
    const char *args[] = {"annotate", "-q", "--tokens", "--offsets", "codepoint", gz, NULL};
    int status;
    g_autofree char *out = run_nerve(args, &status);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_autoptr(GPtrArray) a = json_lines(out);
    g_assert_cmpuint(a->len, ==, 1);
    json_t *d = g_ptr_array_index(a, 0);
    const char *text = json_string_value(json_object_get(d, "text"));
    g_assert_cmpstr(text, ==,
                    "Caf\xC3\xA9 \xF0\x9F\x99\x82\n\nGen\xC3\xA8ve & Z\xC3\xBCrich signed.");
    g_autofree gunichar *u = g_utf8_to_ucs4_fast(text, -1, NULL);
    json_t *toks = json_object_get(d, "tokens");
    GString *seen = g_string_new(NULL);
    for (size_t i = 0; i < json_array_size(toks); i++) {
        json_t *t = json_array_get(toks, i);
        glong s = (glong)json_integer_value(json_array_get(t, 0));
        glong e = (glong)json_integer_value(json_array_get(t, 1));
        g_autofree char *piece = g_ucs4_to_utf8(u + s, e - s, NULL, NULL, NULL);
        g_string_append_printf(seen, "%s|", piece);
    }
    g_assert_cmpstr(seen->str, ==,
                    "Caf\xC3\xA9|\xF0\x9F\x99\x82|Gen\xC3\xA8ve|&|Z\xC3\xBCrich|signed|.|");
    g_string_free(seen, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    helpers_init(argv[0]);
    g_test_add_func("/html/article", test_article);
    g_test_add_func("/html/layout", test_layout);
    g_test_add_func("/html/entities-and-junk", test_entities_and_junk);
    g_test_add_func("/html/charsets", test_charsets);
    g_test_add_func("/html/empty-and-deep", test_empty_and_deep);
    g_test_add_func("/html/limit", test_limit);
    g_test_add_func("/html/directory-ids", test_directory_ids);
    g_test_add_func("/html/offsets-cli", test_offsets_cli);
    int status = g_test_run();
    helpers_done();
    return status;
}
