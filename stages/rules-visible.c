/* rules-visible.c - the entities a phase of rules sees (rules-match.h):
 * per start token, with their label ids and spans, and per token the
 * label ids covering it.  Built once per phase and document: the
 * entities a phase adds are not visible to it.  Costs in the entities and
 * the tokens they cover, not in the document's tokens: the per-token
 * arrays stay zero between phases.
 */
#include <string.h>

#include "rules-match.h"

static inline gboolean visible(const nerve_entity *e, size_t n_tok)
{
    return !(e->flags & NERVE_ENTITY_DROPPED) && e->tok_end <= n_tok && e->tok_start < e->tok_end;
}

void rules_build_visibility(const phase *ph, nerve_doc *doc, scratch *sc, size_t n_tok)
{
    size_t n_ent;
    const nerve_entity *ents = nerve_doc_entities(doc, &n_ent);
    uint32_t n_ids = ph->id_labels->len, n_starts = 0, n_vis = 0;
    sc->words = n_ids / 64 + 1;
    RESERVE_ZERO(sc->by_start, sc->cap_by_start, n_tok + 1);
    RESERVE_ZERO(sc->cover, sc->cap_cover, (n_tok + 1) * sc->words);
    RESERVE_ZERO(sc->ent_here, sc->cap_here, n_tok + 8);
    RESERVE_ZERO(sc->ent_at, sc->cap_at, n_tok + 8);
    /* a phase without entity steps or tests reads only ent_here, in its
       first-step filters, which then take a token with or without an
       entity alike: it may stay zero */
    if (!ph->uses_entities)
        return;
    size_t cap = sc->cap_ents;
    RESERVE(sc->ent_list, cap, n_ent + 1);
    cap = sc->cap_ents;
    RESERVE(sc->ent_id, cap, n_ent + 1);
    cap = sc->cap_ents;
    RESERVE(sc->ent_span, cap, n_ent + 1);
    RESERVE(sc->starts, sc->cap_ents, n_ent + 1);
    ent_range *by = sc->by_start;
    /* the entities starting at token t are counted in by[t].end; then the
       buckets are laid out (in the order their tokens first appear: only
       the entities of one token are read together), and filled in store
       order */
    for (size_t i = 0; i < n_ent; i++)
        if (visible(&ents[i], n_tok) && !by[ents[i].tok_start].end++)
            sc->starts[n_starts++] = ents[i].tok_start;
    for (uint32_t k = 0; k < n_starts; k++) {
        uint32_t t = sc->starts[k], n = by[t].end;
        by[t] = (ent_range){n_vis, n_vis};
        n_vis += n;
        sc->ent_here[t] = 1;
        sc->ent_at[t] = 1;
    }
    for (size_t i = 0; i < n_ent; i++) {
        const nerve_entity *e = &ents[i];
        if (!visible(e, n_tok))
            continue;
        uint32_t bit = label_id(&ph->index, e->label);
        uint32_t at = by[e->tok_start].end++;
        sc->ent_list[at] = (uint32_t)i;
        sc->ent_id[at] = bit;
        sc->ent_span[at] = (ent_range){e->tok_start, e->tok_end};
        for (uint32_t t = e->tok_start; t < e->tok_end; t++) {
            uint64_t *mask = sc->cover + (size_t)t * sc->words;
            mask[n_ids / 64] |= 1ull << (n_ids % 64);
            sc->ent_at[t] |= 2;
            if (bit != UNSET)
                mask[bit / 64] |= 1ull << (bit % 64);
        }
    }
    sc->n_vis = n_vis;
    for (uint32_t k = 0; k < n_starts; k++) {
        const ent_range *b = &by[sc->starts[k]];
        /* longest first within each start, else in store order */
        for (uint32_t i = b->first + 1; i < b->end; i++)
            for (uint32_t j = i; j > b->first && sc->ent_span[j].end > sc->ent_span[j - 1].end;
                 j--) {
                uint32_t x = sc->ent_list[j], y = sc->ent_id[j];
                ent_range z = sc->ent_span[j];
                sc->ent_list[j] = sc->ent_list[j - 1];
                sc->ent_id[j] = sc->ent_id[j - 1];
                sc->ent_span[j] = sc->ent_span[j - 1];
                sc->ent_list[j - 1] = x;
                sc->ent_id[j - 1] = y;
                sc->ent_span[j - 1] = z;
            }
    }
}

void rules_clear_visibility(scratch *sc)
{
    for (uint32_t k = 0; k < sc->n_vis; k++) {
        ent_range sp = sc->ent_span[k];
        sc->by_start[sp.first] = (ent_range){0, 0};
        sc->ent_here[sp.first] = 0;
        /* entities are short: stores, not calls (with one word per token,
           the commonest, not even a loop the compiler makes a memset) */
        for (uint32_t t = sp.first; t < sp.end; t++) {
            sc->ent_at[t] = 0;
            if (sc->words == 1)
                sc->cover[t] = 0;
            else
                memset(sc->cover + (size_t)t * sc->words, 0, sc->words * sizeof(uint64_t));
        }
    }
    sc->n_vis = 0;
}
