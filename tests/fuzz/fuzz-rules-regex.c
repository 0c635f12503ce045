/* fuzz-rules-regex.c - the rule engine's regex DFA (stages/rules-regex.c)
 * against ICU: the input is a flag byte, a pattern up to the first line
 * break, then test strings one per line.  Whenever ICU compiles the pattern
 * and the DFA takes it on, both must give the same answer on every string
 * (and on every prefix of it); a difference aborts. */
#include <string.h>
#include <unicode/uregex.h>
#include <unicode/utext.h>

#include <glib.h>

#include "rules-regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ICU's answer: 1 or 0; -1 when it has none (an error); -2 when it gave
 * up (its backtracking can take exponential time: see below). */
static int icu_matches(URegularExpression *re, const char *s, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    UText us = UTEXT_INITIALIZER;
    utext_openUTF8(&us, s, (int64_t)n, &st);
    uregex_setUText(re, &us, &st);
    UBool m = uregex_matches(re, -1, &st);
    utext_close(&us);
    if (st == U_REGEX_TIME_OUT)
        return -2;
    return U_SUCCESS(st) ? m != 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    const char *in = (const char *)data + 1, *end = (const char *)data + size;
    int icase = data[0] & 1;
    const char *nl = memchr(in, '\n', (size_t)(end - in));
    const char *pat_end = nl ? nl : end;
    /* rule files hold valid UTF-8 (nerve_rules_add_string checks) */
    if (!g_utf8_validate(in, pat_end - in, NULL) || memchr(in, 0, (size_t)(pat_end - in)))
        return 0;
    UErrorCode st = U_ZERO_ERROR;
    UParseError pe;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, in, pat_end - in, &st);
    URegularExpression *re = uregex_openUText(&ut, icase ? UREGEX_CASE_INSENSITIVE : 0, &pe, &st);
    utext_close(&ut);
    if (U_FAILURE(st)) {
        if (re)
            uregex_close(re);
        return 0;
    }
    /* ICU backtracks, exponentially on patterns like (?:mr|r*)+? (the DFA
       does not): past a few milliseconds per string it is no oracle, and
       the input is dropped */
    uregex_setTimeLimit(re, 5, &st);
    rx_dfa *d = rx_dfa_compile(in, (size_t)(pat_end - in), icase);
    for (const char *p = nl ? nl + 1 : end; d && p < end;) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        for (const char *q = p; q <= e; q++) {
            if (!g_utf8_validate(p, q - p, NULL))
                continue;
            int got = rx_dfa_match(d, p, (size_t)(q - p));
            int want = got == RX_ASK_ICU ? -1 : icu_matches(re, p, (size_t)(q - p));
            if (want == -2)
                goto done;
            if (got != RX_ASK_ICU && want >= 0 && got != want)
                g_error("/%.*s/ on \"%.*s\": DFA %d, ICU %d", (int)(pat_end - in), in, (int)(q - p),
                        p, got, want);
        }
        p = e + 1;
    }
done:
    rx_dfa_free(d);
    uregex_close(re);
    return 0;
}
