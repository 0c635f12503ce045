/* rules-regex.h - private: a DFA for the simple ASCII regular expressions
 * of rule constraints (word=/[0-9]+(st|nd|rd|th)/), so that the matcher
 * runs ICU only on what the DFA cannot decide (see rules-regex.c). */
#ifndef NERVE_RULES_REGEX_H
#define NERVE_RULES_REGEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct rx_dfa rx_dfa;

/* Answers of rx_dfa_match(). */
enum { RX_NO = 0, RX_YES = 1, RX_ASK_ICU = -1 };

/* Compiles the ICU pattern (pat, len) (UTF-8; icase: UREGEX_CASE_INSENSITIVE)
 * into a DFA when it lies in the subset rules-regex.c describes; NULL
 * otherwise (the caller keeps using ICU).  Free with rx_dfa_free(). */
rx_dfa *rx_dfa_compile(const char *pat, size_t len, int icase);
void rx_dfa_free(rx_dfa *d);

/* Whether the pattern matches the whole of (s, len), as uregex_matches()
 * would say; RX_ASK_ICU when s holds a non-ASCII character the pattern
 * might match. */
int rx_dfa_match(const rx_dfa *d, const char *s, size_t len);

/* Adds to the 256-bit set out the bytes a matching string may begin with
 * (every byte from 0x80 when a non-ASCII character might match). */
void rx_dfa_first_bytes(const rx_dfa *d, uint64_t out[4]);

#endif
