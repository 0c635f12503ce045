/* stages.h - private: the stage factories that model.c registers beyond
 * the text stages.  Each later stage module adds its factory here and to
 * NERVE_EXTRA_STAGES, in canonical order (lexicon, gazetteer, rules, hide,
 * aliases, event_rules). */
#ifndef NERVE_PRIVATE_STAGES_H
#define NERVE_PRIVATE_STAGES_H

#include "nerve/aliases.h"
#include "nerve/hide.h"
#include "nerve/lexicon.h"
#include "nerve/model.h"
#include "nerve/rules.h"

nerve_stage *nerve_gazetteer_stage_factory(const nerve_model *model, GError **error);

#define NERVE_EXTRA_STAGES                                                                         \
    {"lexicon", nerve_lexicon_stage_from_model}, {"gazetteer", nerve_gazetteer_stage_factory},     \
        {"rules", nerve_rules_stage_from_model}, {"hide", nerve_hide_stage_from_model},            \
        {"aliases", nerve_aliases_stage_from_model},                                               \
        {"event_rules", nerve_event_rules_stage_from_model},

#endif
