/* stage.c - a named processing function with its read-only state. */
#include "nerve/stage.h"

struct nerve_stage {
    char *name;
    nerve_stage_fn process;
    void *self;
    GDestroyNotify free_self;
};

nerve_stage *nerve_stage_new(const char *name, nerve_stage_fn process, void *self,
                             GDestroyNotify free_self)
{
    nerve_stage *s = g_new0(nerve_stage, 1);
    s->name = g_strdup(name);
    s->process = process;
    s->self = self;
    s->free_self = free_self;
    return s;
}

void nerve_stage_free(nerve_stage *s)
{
    if (!s)
        return;
    if (s->free_self)
        s->free_self(s->self);
    g_free(s->name);
    g_free(s);
}

const char *nerve_stage_name(const nerve_stage *s)
{
    return s->name;
}

void *nerve_stage_self(const nerve_stage *s)
{
    return s->self;
}

gboolean nerve_stage_process(const nerve_stage *s, nerve_doc *doc, GError **error)
{
    return s->process(s->self, doc, error);
}
