/* test-xml.c - --from xml: selection, text layout, ids, meta, presets,
 * malformed input, hostile input, .gz and mixed directories. */
#include "formats/markup.h"
#include "read-helpers.h"

static nerve_reader_options xml_opts(const char *preset)
{
    nerve_reader_options o = {0};
    o.format = NERVE_FORMAT_XML;
    o.xml_preset = preset;
    o.max_doc_bytes = 64 << 20;
    return o;
}

static void test_corpus_xpath(void)
{
    const char *x = write_file("c.xml",
                               "<?xml version=\"1.0\"?>\n<c>\n <doc id=\"x1\"><body>Aiko Tan "
                               "spoke.</body><note>n</note></doc>\n"
                               " <doc id=\"x2\"><body>Lyon.</body></doc>\n <other><doc "
                               "id=\"x3\"><body>Deep.</body></doc></other>\n</c>\n",
                               -1);
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    o.xpath_text = "./body";
    o.xpath_id = "@id";
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 3);
    g_assert_cmpstr(rec_at(a, 0)->id, ==, "x1");
    g_assert_cmpstr(rec_at(a, 0)->text, ==, "Aiko Tan spoke.");
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "Lyon.");
    g_assert_cmpstr(rec_at(a, 2)->id, ==, "x3");
    g_assert_cmpuint(rec_at(a, 0)->line, ==, 3);
    g_assert_cmpuint(rec_at(a, 2)->line, ==, 5);
    /* only the direct children: a path from the root */
    o.xpath_doc = "/c/doc";
    g_autoptr(GPtrArray) b = read_one(x, &o);
    g_assert_cmpuint(b->len, ==, 2);
    g_assert_cmpstr(rec_at(b, 1)->id, ==, "x2");
}

static void test_default_root_layout(void)
{
    const char *x = write_file(
        "r.xml",
        "<article docid=\"A-7\" lang=\"en\">\n  <title>Talks   resume</title>\n"
        "  <byline>By Ann Lee</byline>\n  <text>\n    <p>The <org>U.N.</org> said\n      talks "
        "would <em>resume</em>.</p>\n    <p>Second<br/>line.</p>\n  </text>\n</article>\n",
        -1);
    nerve_reader_options o = xml_opts(NULL);
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 1);
    out_rec *r = rec_at(a, 0);
    g_assert_cmpstr(r->id, ==, "A-7");
    g_assert_cmpstr(
        r->text, ==,
        "Talks resume\n\nBy Ann Lee\n\nThe U.N. said talks would resume.\n\nSecond\nline.");
    g_assert_cmpstr(r->meta, ==, "{\"lang\":\"en\"}");
}

static void test_ids_fallback(void)
{
    const char *x = write_file(
        "ids.xml", "<c><d xml:id=\"X\">a</d><d><DOCNO> TR-1 </DOCNO>b</d><d>c</d></c>", -1);
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "d";
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 3);
    g_assert_cmpstr(rec_at(a, 0)->id, ==, "X");
    g_assert_cmpstr(rec_at(a, 1)->id, ==, "TR-1");
    g_assert_cmpstr(rec_at(a, 2)->id, ==, "ids.xml#3");
    /* an --xpath-id that finds nothing falls back too */
    o.xpath_id = "@nothing";
    g_autoptr(GPtrArray) b = read_one(x, &o);
    g_assert_cmpstr(rec_at(b, 2)->id, ==, "ids.xml#3");
}

static void test_meta(void)
{
    const char *x = write_file(
        "m.xml",
        "<corpus xmlns:dc=\"http://purl.org/dc/elements/1.1/\" issue=\"42\">"
        "<item id=\"i1\" section=\"world\"><dc:title>T1</dc:title><dc:subject>a</dc:subject>"
        "<dc:subject>b</dc:subject><p>x</p><p>y</p></item></corpus>",
        -1);
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//item";
    const char *meta[] = {"title=dc:title", "subject=dc:subject", "issue=/corpus/@issue",
                          "paras=count(p)", "none=nothing",       NULL};
    o.xpath_meta = meta;
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpstr(rec_at(a, 0)->meta, ==,
                    "{\"issue\":\"42\",\"paras\":2,\"section\":\"world\",\"subject\":[\"a\",\"b\"],"
                    "\"title\":\"T1\"}");
}

static void test_namespaces_any(void)
{
    /* a default namespace: unprefixed names still match */
    const char *x =
        write_file("ns.xml",
                   "<r xmlns=\"urn:x\" xmlns:o=\"urn:other\"><doc id=\"1\"><t>A</t></doc>"
                   "<o:doc id=\"2\"><t>B</t></o:doc></r>",
                   -1);
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    o.xpath_text = "t";
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "B");
    /* a prefix requires its namespace */
    o.xpath_doc = "//o:doc";
    g_autoptr(GPtrArray) b = read_one(x, &o);
    g_assert_cmpuint(b->len, ==, 1);
    g_assert_cmpstr(rec_at(b, 0)->id, ==, "2");
    o.xpath_doc = "//*[local-name()='doc' and @id!='2']";
    g_autoptr(GPtrArray) c = read_one(x, &o);
    g_assert_cmpuint(c->len, ==, 1);
    g_assert_cmpstr(rec_at(c, 0)->id, ==, "1");
}

static void test_nitf(void)
{
    g_autofree char *s = read_sample("nitf-single.xml");
    const char *x = write_file("n.xml", s, -1);
    nerve_reader_options o = xml_opts("nitf");
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 1);
    out_rec *r = rec_at(a, 0);
    g_assert_null(r->error);
    g_assert_cmpstr(r->id, ==, "1843921");
    g_assert_true(
        g_str_has_prefix(r->text, "Port Authority Approves New Terminal Plan\n\nBoard Votes"));
    /* the lead paragraph is repeated in full_text: taken once */
    g_assert_null(strstr(strstr(r->text, "approved a $2.1") + 1, "approved a $2.1"));
    /* entities of the unread DTD are HTML's */
    g_assert_nonnull(strstr(r->text, "The vote \xE2\x80\x94 9 to 2"));
    g_assert_nonnull(strstr(r->text, "\xE2\x80\x9CThis is the front door"));
    g_assert_null(strstr(r->text, "MARIA"));
    json_t *m = json_loads(r->meta, 0, NULL);
    g_assert_cmpstr(json_string_value(json_object_get(m, "title")), ==,
                    "Port Authority Approves New Terminal Plan");
    g_assert_cmpstr(json_string_value(json_object_get(m, "date")), ==, "20201007T000000");
    g_assert_cmpstr(json_string_value(json_object_get(m, "source")), ==, "The Example Times");
    g_assert_cmpuint(json_array_size(json_object_get(m, "keywords")), ==, 2);
    g_assert_cmpstr(json_string_value(json_object_get(m, "online_sections")), ==,
                    "New York and Region");
    json_decref(m);

    g_autofree char *c = read_sample("nitf-collection.xml");
    x = write_file("nc.xml", c, -1);
    g_autoptr(GPtrArray) b = read_one(x, &o);
    g_assert_cmpuint(b->len, ==, 2);
    g_assert_cmpstr(rec_at(b, 0)->id, ==, "EXW-20210203-0001");
    g_assert_cmpstr(rec_at(b, 1)->id, ==, "EXW-20210203-0002");
    g_assert_cmpstr(rec_at(b, 1)->text, ==,
                    "Storm Cuts Power to 40,000 Homes\n\nA winter storm knocked out power to about "
                    "40,000 homes in Nova Scotia overnight, the utility said.");
    g_assert_nonnull(strstr(rec_at(b, 0)->meta, "\"date\":\"20210203T091500Z\""));
}

static void test_tei(void)
{
    g_autofree char *s = read_sample("tei-corpus.xml");
    g_autofree char *p = read_sample("tei-plain.xml");
    const char *inputs[] = {write_file("t.xml", s, -1), write_file("p.xml", p, -1), NULL};
    nerve_reader_options o = xml_opts("tei");
    g_autoptr(GPtrArray) a = read_inputs(inputs, &o, NULL);
    g_assert_cmpuint(a->len, ==, 3);
    out_rec *r = rec_at(a, 0);
    g_assert_cmpstr(r->id, ==, "enc-2021-03-14-001");
    g_assert_cmpstr(
        r->text, ==,
        "Flooding Forces Evacuations in Lyon\n\nAuthorities in Lyon ordered the "
        "evacuation of 3,000 residents on Sunday after the Rh\xC3\xB4ne burst its banks."
        "\n\nMayor Gr\xC3\xA9gory Doucet said the city had received help from the army."
        "\nSchools will stay closed on Monday.");
    g_assert_nonnull(strstr(r->text, "had received help"));
    g_assert_null(strstr(r->text, "recieved"));
    g_assert_null(strstr(r->text, "Not part of the body"));
    g_assert_null(strstr(r->text, "Claire Martin"));
    g_assert_null(strstr(r->text, "12"));
    g_assert_nonnull(strstr(r->text, "army.\nSchools"));
    json_t *m = json_loads(r->meta, 0, NULL);
    g_assert_cmpstr(json_string_value(json_object_get(m, "title")), ==,
                    "Flooding Forces Evacuations in Lyon");
    g_assert_cmpstr(json_string_value(json_object_get(m, "date")), ==, "2021-03-14");
    g_assert_cmpstr(json_string_value(json_object_get(m, "author")), ==, "Claire Martin");
    json_decref(m);
    g_assert_cmpstr(rec_at(a, 1)->id, ==, "enc-2021-03-14-002");
    g_assert_cmpstr(rec_at(a, 2)->text, ==, "The harbour at Dover reopened on Monday.");
    g_assert_nonnull(strstr(rec_at(a, 2)->meta, "\"title\":\"Harbour Reopens\""));
}

static void test_trec(void)
{
    g_autofree char *s = read_sample("trec-mixed.trec");
    const char *x = write_file("t.trec", s, -1);
    nerve_reader_options o = xml_opts("trec");
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 3);
    out_rec *r = rec_at(a, 0);
    g_assert_cmpstr(r->id, ==, "AP880212-0001");
    g_assert_true(g_str_has_prefix(r->text, "AT&T Wins Pentagon Contract\n\nAT&T Corp. won"));
    g_assert_nonnull(strstr(r->text, "rose 5% & margins < 2% &hyph; officials"));
    g_assert_nonnull(strstr(r->text, "five years \xC3\xA9t\xC3\xA9."));
    g_assert_null(strstr(r->text, "AP-NR"));
    g_assert_cmpstr(rec_at(a, 1)->id, ==, "LA010189-0001");
    g_assert_cmpstr(rec_at(a, 1)->text, ==,
                    "COUNCIL BACKS NEW TRANSIT LINE\n\nThe Los Angeles City Council on Friday "
                    "endorsed a light-rail line to Long Beach.\n\nMayor Tom Bradley said the vote "
                    "was \"historic.\"");
    g_assert_nonnull(
        strstr(rec_at(a, 1)->meta, "\"date\":\"January 1, 1989, Sunday, Home Edition\""));
    g_assert_cmpstr(rec_at(a, 2)->id, ==, "FBIS3-1");
    g_assert_nonnull(strstr(rec_at(a, 2)->meta, "\"date\":\"1 March 1994\""));
}

static void test_trec_unclosed(void)
{
    /* a DOC whose TEXT is never closed does not swallow the next DOC */
    const char *x = write_file("u.trec",
                               "<DOC><DOCNO>1</DOCNO><TEXT>a<P>b</DOC>\n<DOC><DOCNO>2</DOCNO>"
                               "<TEXT>c</TEXT></DOC>\n<DOC><DOCNO>3</DOCNO><TEXT>d</TEXT>",
                               -1);
    nerve_reader_options o = xml_opts("trec");
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 3);
    g_assert_cmpstr(rec_at(a, 0)->text, ==, "a\n\nb");
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "c");
    g_assert_cmpstr(rec_at(a, 2)->text, ==, "d");
}

static void test_trec_latin1(void)
{
    const char *inputs[] = {
        write_file("l1.trec",
                   "<DOC><DOCNO>L1</DOCNO><TEXT>Caf\xE9 \x93q\x94 \xC3\xA9t\xC3\xA9</TEXT></DOC>",
                   -1),
        write_file("l2.trec",
                   "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><DOC><DOCNO>L2</DOCNO>"
                   "<TEXT>Caf\xE9</TEXT></DOC>",
                   -1),
        NULL};
    nerve_reader_options o = xml_opts("trec");
    g_autoptr(GPtrArray) a = read_inputs(inputs, &o, NULL);
    g_assert_cmpuint(a->len, ==, 2);
    /* undeclared: UTF-8 where it is UTF-8, windows-1252 elsewhere */
    g_assert_cmpstr(rec_at(a, 0)->text, ==,
                    "Caf\xC3\xA9 \xE2\x80\x9Cq\xE2\x80\x9D \xC3\xA9t\xC3\xA9");
    g_assert_cmpstr(rec_at(a, 0)->warnings, ==, "");
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "Caf\xC3\xA9");
    /* --strict: not UTF-8 is an error, not a guess */
    o.strict = TRUE;
    const char *one[] = {inputs[0], NULL};
    g_autoptr(GPtrArray) b = read_inputs(one, &o, NULL);
    g_assert_cmpuint(b->len, ==, 1);
    g_assert_cmpint(rec_at(b, 0)->code, ==, NERVE_ERROR_INPUT);
    g_assert_nonnull(strstr(rec_at(b, 0)->error, "--strict"));
}

static void test_trec_lines(void)
{
    /* dropped comments and declarations keep their line breaks */
    const char *x =
        write_file("lines.trec",
                   "<!DOCTYPE x [\n<!ENTITY a \"b\">\n]>\n<!-- one\ntwo -->\n"
                   "<DOC>\n<DOCNO>A</DOCNO>\n</DOC>\n<?pi\n?>\n<DOC><DOCNO>B</DOCNO></DOC>\n",
                   -1);
    nerve_reader_options o = xml_opts("trec");
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpuint(rec_at(a, 0)->line, ==, 6);
    g_assert_cmpuint(rec_at(a, 1)->line, ==, 11);
}

static void test_trec_filter_chunks(void)
{
    g_autofree char *sample = read_sample("trec-mixed.trec");
    GString *in = g_string_new(sample);
    /* raw UTF-8 and Latin-1 bytes too, to be cut between reads */
    g_string_append(
        in, "<DOC><TEXT>\xC3\xA9 \xF0\x9F\x99\x82 \xE9 <!-- c --> <![CDATA[x<y]]></TEXT></DOC>");
    /* a quote left open: whether it is a tag must not depend on the cut */
    g_string_append(in, "<DOC><TITLE TYPE=\"main>x<P>y</P>\"></DOC>");
    /* a NUL byte inside a comment: its end is found all the same */
    g_string_append_len(in, "<DOC><!-- a\0b --><TEXT>z</TEXT></DOC>", 37);
    const char *s = in->str;
    gsize n = in->len;
    GString *whole = g_string_new(NULL), *bytes = g_string_new(NULL);
    nerve_trec_filter *f = nerve_trec_filter_new(TRUE);
    nerve_trec_filter_feed(f, s, n, TRUE, whole);
    nerve_trec_filter_free(f);
    f = nerve_trec_filter_new(TRUE);
    for (gsize i = 0; i < n; i++)
        nerve_trec_filter_feed(f, s + i, 1, FALSE, bytes);
    nerve_trec_filter_feed(f, "", 0, TRUE, bytes);
    nerve_trec_filter_free(f);
    g_assert_cmpstr(whole->str, ==, bytes->str);
    g_assert_true(g_str_has_prefix(whole->str, "<NERVE-TREC><DOC>"));
    g_assert_nonnull(strstr(whole->str, "AT&amp;T"));
    g_assert_nonnull(strstr(whole->str, "<F P=\"105\">"));
    g_assert_nonnull(strstr(whole->str, "&amp;hyph;"));
    g_assert_nonnull(strstr(whole->str, "&#233;t&#233;"));
    g_assert_nonnull(strstr(whole->str, "\xC3\xA9 \xF0\x9F\x99\x82 \xC3\xA9  <![CDATA[x<y]]>"));
    g_assert_true(g_utf8_validate(whole->str, -1, NULL));
    g_assert_true(g_str_has_suffix(whole->str, "<DOC><TEXT>z</TEXT></DOC></NERVE-TREC>"));
    g_string_free(in, TRUE);
    g_string_free(whole, TRUE);
    g_string_free(bytes, TRUE);
}

static void test_malformed_recovers(void)
{
    const char *x = write_file("bad.xml",
                               "<c>\n<doc id=\"1\">one</doc>\n<doc id=\"2\">two <b>x</i> y</doc>\n"
                               "<doc id=\"3\">three &amp; four</doc>\n</c>\n",
                               -1);
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 3);
    g_assert_cmpstr(rec_at(a, 0)->text, ==, "one");
    out_rec *e = rec_at(a, 1);
    g_assert_nonnull(e->error);
    g_assert_cmpint(e->code, ==, NERVE_ERROR_INPUT);
    g_assert_cmpstr(e->id, ==, "2");
    g_assert_cmpuint(e->line, ==, 3);
    g_autofree char *where = g_strdup_printf("%s:3:", x);
    g_assert_true(g_str_has_prefix(e->error, where));
    g_assert_nonnull(strstr(e->input, "<b>x</i>"));
    g_assert_cmpstr(rec_at(a, 2)->text, ==, "three & four");
}

static void test_malformed_halts(void)
{
    /* a second root element stops the parser: one error record for the
     * rest, and the next file is read */
    const char *bad =
        write_file("h1.xml", "<c><doc id=\"1\">a</doc></c>\n<c><doc id=\"2\">b</doc></c>", -1);
    const char *cut = write_file("h2.xml", "<c><doc id=\"3\">c</doc><doc id=\"4\">d", -1);
    const char *good = write_file("h3.xml", "<c><doc id=\"5\">e</doc></c>", -1);
    const char *inputs[] = {bad, cut, good, NULL};
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    g_autoptr(GPtrArray) a = read_inputs(inputs, &o, NULL);
    g_assert_cmpuint(a->len, ==, 5);
    g_assert_cmpstr(rec_at(a, 0)->text, ==, "a");
    g_assert_nonnull(rec_at(a, 1)->error);
    g_assert_nonnull(strstr(rec_at(a, 1)->error, "the rest of the file is not read"));
    g_assert_cmpuint(rec_at(a, 1)->line, ==, 2);
    g_assert_cmpstr(rec_at(a, 2)->text, ==, "c");
    g_assert_nonnull(rec_at(a, 3)->error);
    g_assert_cmpstr(rec_at(a, 3)->id, ==, "4");
    g_assert_cmpstr(rec_at(a, 4)->text, ==, "e");
}

static void test_empty_and_no_match(void)
{
    const char *inputs[] = {write_file("e.xml", "", 0), write_file("n.xml", "<c><x/></c>", -1),
                            NULL};
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    g_autoptr(GPtrArray) a = read_inputs(inputs, &o, NULL);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_nonnull(rec_at(a, 0)->error);
    g_assert_nonnull(strstr(rec_at(a, 1)->error, "no element matches --xpath-doc \"//doc\""));
}

static const char *secret = "NERVE-SECRET-7f3a9c";

static void assert_no_secret(GPtrArray *a)
{
    for (guint i = 0; i < a->len; i++) {
        out_rec *r = rec_at(a, i);
        g_assert_true(!r->text || !strstr(r->text, secret));
        g_assert_true(!r->input || !strstr(r->input, secret));
        g_assert_true(!r->meta || !strstr(r->meta, secret));
        g_assert_true(!r->error || !strstr(r->error, secret));
    }
}

static void test_xxe_refused(void)
{
    const char *marker = write_file("secret.txt", secret, -1);
    g_autofree char *x1 = g_strdup_printf(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE c [\n <!ENTITY x SYSTEM \"file://%s\">\n]>\n"
        "<c><doc id=\"1\">a &x; b</doc><doc id=\"2\">fine</doc></c>\n",
        marker);
    g_autofree char *x2 = g_strdup_printf(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE c SYSTEM \"file://%s\" [\n <!ENTITY %% p SYSTEM "
        "\"file://%s\">\n %%p;\n]>\n<c xmlns:xi=\"http://www.w3.org/2001/XInclude\"><doc id=\"3\">"
        "c <xi:include href=\"file://%s\" parse=\"text\"/> d</doc></c>\n",
        marker, marker, marker);
    const char *inputs[] = {write_file("x1.xml", x1, -1), write_file("x2.xml", x2, -1), NULL};
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    g_autoptr(GPtrArray) a = read_inputs(inputs, &o, NULL);
    g_assert_cmpuint(a->len, ==, 3);
    g_assert_nonnull(rec_at(a, 0)->error);
    g_assert_nonnull(strstr(rec_at(a, 0)->error, "external entity &x;"));
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "fine");
    g_assert_cmpstr(rec_at(a, 2)->text, ==, "c d");
    assert_no_secret(a);
}

static void test_billion_laughs(void)
{
    GString *s = g_string_new("<?xml version=\"1.0\"?>\n<!DOCTYPE c [\n<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i <= 10; i++) {
        g_string_append_printf(s, "<!ENTITY l%d \"", i);
        for (int j = 0; j < 10; j++)
            g_string_append_printf(s, "&l%d;", i - 1);
        g_string_append(s, "\">\n");
    }
    g_string_append(s, "]>\n<c><doc id=\"1\">&l10;</doc><doc id=\"2\">after</doc></c>\n");
    const char *x = write_file("laughs.xml", s->str, (gssize)s->len);
    g_string_free(s, TRUE);
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, >=, 1);
    g_assert_nonnull(rec_at(a, 0)->error);
    g_assert_nonnull(strstr(rec_at(a, 0)->error, "entity"));
    for (guint i = 0; i < a->len; i++)
        g_assert_true(!rec_at(a, i)->text || strlen(rec_at(a, i)->text) < 1000);
    /* the parser stops inside the first document: its id still comes
     * from --xpath-id (found by the fuzzer: no XPath context yet) */
    o.xpath_id = "@id";
    g_autoptr(GPtrArray) b = read_one(x, &o);
    g_assert_nonnull(rec_at(b, 0)->error);
    g_assert_cmpstr(rec_at(b, 0)->id, ==, "1");
}

static void test_quadratic_blowup(void)
{
    /* one 100 KB entity used 200 times: 20 MB of text from 120 KB */
    GString *s = g_string_new("<!DOCTYPE c [<!ENTITY big \"");
    for (int i = 0; i < 100000 / 4; i++)
        g_string_append(s, "abc ");
    g_string_append(s, "\">]>\n<c><doc id=\"1\">");
    for (int i = 0; i < 200; i++)
        g_string_append(s, "&big;");
    g_string_append(s, "</doc><doc id=\"2\">&big;</doc></c>");
    const char *x = write_file("quad.xml", s->str, (gssize)s->len);
    g_string_free(s, TRUE);
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, >=, 1);
    g_assert_nonnull(rec_at(a, 0)->error);
    if (a->len == 2) /* when libxml2 does not stop the file itself */
        g_assert_cmpuint(strlen(rec_at(a, 1)->text), <, 200000);
}

static void test_usage_errors(void)
{
    const char *x = write_file("u.xml", "<c><doc/></c>", -1);
    const char *bad_doc[] = {"//doc[1]", "//doc/text()", "count(//doc)", "//doc[", "ancestor::doc"};
    for (guint i = 0; i < G_N_ELEMENTS(bad_doc); i++) {
        nerve_reader_options o = xml_opts(NULL);
        o.xpath_doc = bad_doc[i];
        GError *err = NULL;
        const char *inputs[] = {x, NULL};
        g_autoptr(GPtrArray) a = read_inputs(inputs, &o, &err);
        g_assert_error(err, NERVE_ERROR, NERVE_ERROR_USAGE);
        g_assert_nonnull(strstr(err->message, "--xpath-doc"));
        g_error_free(err);
    }
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_text = "body[@a='x";
    GError *err = NULL;
    const char *inputs[] = {x, NULL};
    g_autoptr(GPtrArray) a = read_inputs(inputs, &o, &err);
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_USAGE);
    g_assert_nonnull(strstr(err->message, "--xpath-text \"body[@a='x\""));
    g_assert_nonnull(strstr(err->message, "unfinished literal"));
    g_clear_error(&err);
    nerve_reader_options p = xml_opts("newsml-9");
    g_autoptr(GPtrArray) b = read_inputs(inputs, &p, &err);
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_USAGE);
    g_clear_error(&err);
    nerve_reader_options q = xml_opts(NULL);
    const char *meta[] = {"no-equals-sign", NULL};
    q.xpath_meta = meta;
    g_autoptr(GPtrArray) c = read_inputs(inputs, &q, &err);
    g_assert_error(err, NERVE_ERROR, NERVE_ERROR_USAGE);
    g_clear_error(&err);
}

static void test_select_forms(void)
{
    const char *xml = "<root xmlns:t=\"http://www.tei-c.org/ns/1.0\"><a k=\"v\"><b/></a><x><a><b/>"
                      "</a></x><t:TEI/></root>";
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "s.xml", NULL, XML_PARSE_NONET);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr a1 = root->children, b1 = a1->children, a2 = root->children->next->children;
    xmlNodePtr b2 = a2->children, tei = root->children->next->next;
    static const struct {
        const char *path;
        gboolean a1, b1, a2, b2, tei;
    } cases[] = {
        {"//a", 1, 0, 1, 0, 0},         {"/root/a", 1, 0, 0, 0, 0},
        {"/root//a", 1, 0, 1, 0, 0},    {"a/b", 0, 1, 0, 1, 0},
        {"//x/a/b", 0, 0, 0, 1, 0},     {"//a[@k]", 1, 0, 0, 0, 0},
        {"//a[@k='w']", 0, 0, 0, 0, 0}, {"//a[not(@k)]", 0, 0, 1, 0, 0},
        {"//tei:TEI", 0, 0, 0, 0, 1},   {"//TEI", 0, 0, 0, 0, 1},
        {"//*:TEI", 0, 0, 0, 0, 1},     {"//*[local-name()='b']", 0, 1, 0, 1, 0},
        {"//t:*", 0, 0, 0, 0, 1},       {"//b | /root/a", 1, 1, 0, 1, 0},
        {"/a", 0, 0, 0, 0, 0},          {".//x//b", 0, 0, 0, 1, 0},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        GError *err = NULL;
        nerve_doc_select *s = nerve_doc_select_new(cases[i].path, &err);
        g_assert_no_error(err);
        g_assert_cmpint(nerve_doc_select_match(s, a1), ==, cases[i].a1);
        g_assert_cmpint(nerve_doc_select_match(s, b1), ==, cases[i].b1);
        g_assert_cmpint(nerve_doc_select_match(s, a2), ==, cases[i].a2);
        g_assert_cmpint(nerve_doc_select_match(s, b2), ==, cases[i].b2);
        g_assert_cmpint(nerve_doc_select_match(s, tei), ==, cases[i].tei);
        nerve_doc_select_free(s);
    }
    xmlFreeDoc(doc);
}

static void test_any_namespace_rewrite(void)
{
    static const char *const cases[][2] = {
        {"./body", "./*[local-name()='body']"},
        {"text/p | @id", "*[local-name()='text']/*[local-name()='p'] | @id"},
        {"tei:body", "tei:body"},
        {"count(p) * 2 div 3", "count(*[local-name()='p']) * 2 div 3"},
        {"block[@class='full_text']", "*[local-name()='block'][@class='full_text']"},
        {"node() | text() | attribute::lang", "node() | text() | attribute::lang"},
        {"child::a/descendant::b", "child::*[local-name()='a']/descendant::*[local-name()='b']"},
        {"body.content/doc-id", "*[local-name()='body.content']/*[local-name()='doc-id']"},
        {"x[. = 'a b' or y]", "*[local-name()='x'][. = 'a b' or *[local-name()='y']]"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *r = nerve_xpath_any_namespace(cases[i][0]);
        g_assert_cmpstr(r, ==, cases[i][1]);
    }
}

static void test_limits(void)
{
    const char *x = write_file(
        "l.xml", "<c><doc id=\"1\">0123456789 0123456789</doc><doc id=\"2\">short</doc></c>", -1);
    nerve_reader_options o = xml_opts(NULL);
    o.xpath_doc = "//doc";
    o.max_doc_bytes = 10;
    g_autoptr(GPtrArray) a = read_one(x, &o);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpint(rec_at(a, 0)->code, ==, NERVE_ERROR_LIMIT);
    g_assert_cmpstr(rec_at(a, 0)->id, ==, "1");
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "short");
}

static void test_encodings(void)
{
    const char *l1 =
        write_file("l1.xml", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><d>caf\xE9</d>", -1);
    /* UTF-16LE with a byte order mark */
    const char *u16src = "<d>\xC3\xA9t\xC3\xA9</d>";
    gsize n16;
    g_autofree char *u16 = g_convert(u16src, -1, "UTF-16LE", "UTF-8", NULL, &n16, NULL);
    GString *b = g_string_new_len("\xFF\xFE", 2);
    g_string_append_len(b, u16, (gssize)n16);
    const char *u = write_file("u16.xml", b->str, (gssize)b->len);
    g_string_free(b, TRUE);
    const char *inputs[] = {l1, u, NULL};
    nerve_reader_options o = xml_opts(NULL);
    g_autoptr(GPtrArray) a = read_inputs(inputs, &o, NULL);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpstr(rec_at(a, 0)->text, ==, "caf\xC3\xA9");
    g_assert_cmpstr(rec_at(a, 1)->text, ==, "\xC3\xA9t\xC3\xA9");
}

static void test_gz_and_directory_cli(void)
{
    g_autofree char *nitf = read_sample("nitf-collection.xml");
    g_autofree char *html = read_sample("article.html");
    write_gz("dir/b/news.xml.gz", nitf, strlen(nitf));
    write_gz("dir/c/page.html.gz", html, strlen(html));
    /* JSONL metadata passes through untouched, from a .gz too */
    const char *jl = "{\"id\":\"j1\",\"text\":\"Hello.\",\"source\":\"wire\",\"n\":3,"
                     "\"tags\":[\"a\",{\"b\":null}],\"u\":\"\xC3\xA9\xF0\x9F\x99\x82\"}\n";
    write_gz("dir/a.jsonl.gz", jl, strlen(jl));
    write_file("dir/d.txt", "Plain.", -1);
    write_file("dir/README", "not an input", -1);
    const char *args[] = {"annotate", "-q", "--from", "xml:nitf", tpath("dir/b/news.xml.gz"), NULL};
    int status;
    g_autofree char *out = run_nerve(args, &status);
    g_autoptr(GPtrArray) a = json_lines(out);
    g_assert_cmpuint(a->len, ==, 2);
    g_assert_cmpstr(json_string_value(json_object_get(g_ptr_array_index(a, 0), "id")), ==,
                    "EXW-20210203-0001");
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    /* a directory: the reader by extension, .gz included, in path order;
     * without --xpath-doc the XML root is one document */
    const char *args2[] = {"annotate", "-q", tpath("dir"), NULL};
    g_autofree char *out2 = run_nerve(args2, &status);
    g_autoptr(GPtrArray) b = json_lines(out2);
    const char *want[] = {"j1", "b/news.xml.gz#1", "c/page.html.gz", "d.txt"};
    g_assert_cmpuint(b->len, ==, G_N_ELEMENTS(want));
    for (guint i = 0; i < b->len; i++)
        g_assert_cmpstr(json_string_value(json_object_get(g_ptr_array_index(b, i), "id")), ==,
                        want[i]);
    g_autofree char *meta =
        json_dumps(json_object_get(g_ptr_array_index(b, 0), "meta"), JSON_SORT_KEYS | JSON_COMPACT);
    g_assert_cmpstr(meta, ==,
                    "{\"n\":3,\"source\":\"wire\",\"tags\":[\"a\",{\"b\":null}],"
                    "\"u\":\"\xC3\xA9\xF0\x9F\x99\x82\"}");
    const char *x = json_string_value(json_object_get(g_ptr_array_index(b, 1), "text"));
    g_assert_nonnull(strstr(x, "Central Bank Holds Rates Steady"));
    g_assert_nonnull(strstr(x, "utility said."));
    const char *t = json_string_value(json_object_get(g_ptr_array_index(b, 2), "text"));
    g_assert_nonnull(strstr(t, "GENEVA \xE2\x80\x94 Negotiators"));
    g_assert_null(strstr(t, "dataLayer"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    helpers_init(argv[0]);
    g_test_add_func("/xml/corpus-xpath", test_corpus_xpath);
    g_test_add_func("/xml/default-root-layout", test_default_root_layout);
    g_test_add_func("/xml/ids-fallback", test_ids_fallback);
    g_test_add_func("/xml/meta", test_meta);
    g_test_add_func("/xml/namespaces", test_namespaces_any);
    g_test_add_func("/xml/nitf", test_nitf);
    g_test_add_func("/xml/tei", test_tei);
    g_test_add_func("/xml/trec", test_trec);
    g_test_add_func("/xml/trec-unclosed", test_trec_unclosed);
    g_test_add_func("/xml/trec-latin1", test_trec_latin1);
    g_test_add_func("/xml/trec-lines", test_trec_lines);
    g_test_add_func("/xml/trec-filter-chunks", test_trec_filter_chunks);
    g_test_add_func("/xml/malformed-recovers", test_malformed_recovers);
    g_test_add_func("/xml/malformed-halts", test_malformed_halts);
    g_test_add_func("/xml/empty-and-no-match", test_empty_and_no_match);
    g_test_add_func("/xml/xxe-refused", test_xxe_refused);
    g_test_add_func("/xml/billion-laughs", test_billion_laughs);
    g_test_add_func("/xml/quadratic-blowup", test_quadratic_blowup);
    g_test_add_func("/xml/usage-errors", test_usage_errors);
    g_test_add_func("/xml/select-forms", test_select_forms);
    g_test_add_func("/xml/any-namespace-rewrite", test_any_namespace_rewrite);
    g_test_add_func("/xml/limits", test_limits);
    g_test_add_func("/xml/encodings", test_encodings);
    g_test_add_func("/xml/gz-and-directory-cli", test_gz_and_directory_cli);
    int status = g_test_run();
    helpers_done();
    return status;
}
