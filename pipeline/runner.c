/* runner.c - the streaming runner (see runner.h).
 *
 * The calling thread owns the reader and the writer.  Records are grouped
 * into batches (up to BATCH_RECORDS records or BATCH_BYTES of input) that
 * go into a ring of max_in_flight batches in input order; a GThreadPool of
 * workers turns each batch into rendered output (or error records); the
 * calling thread writes batches strictly in ring order as they complete.
 * Workers never touch the reader or the writer's files, so neither needs a
 * lock, and the output cannot depend on which worker finished first.
 * Batching matters for corpora of tiny documents: handing each record to
 * the pool alone costs more in locking and wake-ups than annotating it.
 */
#include "nerve/runner.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "nerve/error.h"
#include "nerve/hash.h"

#define BATCH_RECORDS 64
#define BATCH_BYTES   (256 * 1024)
/* A slot's output buffer: its first size, and what a batch keeps of its
 * slots' buffers for the next documents (see release()). */
#define OUT_INITIAL (16 * 1024)
#define OUT_KEEP    (4 * BATCH_BYTES)

typedef struct {
    nerve_record rec;
    GString *out;
    nerve_doc *doc; /* kept until written: writers may need it */
    GError *err;    /* the record failed */
    gboolean skip;  /* not for this shard, or already written */
    guint64 tokens, dropped;
} slot;

typedef struct {
    slot items[BATCH_RECORDS];
    guint n;
    gsize bytes;
    gboolean done;
} batch;

typedef struct {
    atomic_uint_fast64_t parse_ns, render_ns;
    const nerve_model *model;
    const nerve_reader_options *ropts;
    nerve_writer *writer;
    const nerve_runner_options *opts;
    gboolean keep_overlaps;
    GMutex lock;
    GCond cond;
} run_ctx;

guint nerve_shard_of(const char *id, guint n)
{
    return n ? nerve_hash(id, strlen(id)) % n : 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void process(slot *s, run_ctx *ctx)
{
    GError *err = NULL;
    uint64_t t0 = ctx->opts->timing ? now_ns() : 0;
    nerve_doc *doc = nerve_record_parse(&s->rec, ctx->ropts, &err);
    if (ctx->opts->timing)
        atomic_fetch_add(&ctx->parse_ns, now_ns() - t0);
    const nerve_runner_options *o = ctx->opts;
    const char *id = doc ? nerve_doc_id(doc) : s->rec.id;
    if (o->shard_n) {
        guint shard = id ? nerve_shard_of(id, o->shard_n)
                         : nerve_hash(s->rec.data ? s->rec.data : "", s->rec.len) % o->shard_n;
        if (shard != o->shard_k - 1) {
            s->skip = TRUE;
            g_clear_error(&err);
            nerve_doc_free(doc);
            return;
        }
    }
    if (doc && nerve_writer_done(ctx->writer, id)) {
        s->skip = TRUE;
        nerve_doc_free(doc);
        return;
    }
    if (doc && !nerve_model_annotate(ctx->model, doc, &err)) {
        nerve_doc_free(doc);
        doc = NULL;
    }
    if (!s->out)
        s->out = g_string_sized_new(OUT_INITIAL);
    if (!doc) {
        s->err = err;
        nerve_writer_render_error(&s->rec, s->rec.id, err, s->out);
        return;
    }
    nerve_doc_finish(doc, ctx->keep_overlaps);
    size_t n_tokens;
    nerve_doc_tokens(doc, &n_tokens);
    s->tokens = n_tokens;
    s->dropped = nerve_doc_n_dropped(doc);
    t0 = ctx->opts->timing ? now_ns() : 0;
    nerve_writer_render(ctx->writer, doc, s->out);
    if (ctx->opts->timing)
        atomic_fetch_add(&ctx->render_ns, now_ns() - t0);
    s->doc = doc;
}

static void process_batch(batch *b, run_ctx *ctx)
{
    for (guint i = 0; i < b->n; i++)
        process(&b->items[i], ctx);
}

static void worker(gpointer data, gpointer user)
{
    batch *b = data;
    run_ctx *ctx = user;
    process_batch(b, ctx);
    g_mutex_lock(&ctx->lock);
    b->done = TRUE;
    g_cond_broadcast(&ctx->cond);
    g_mutex_unlock(&ctx->lock);
}

/* Empties a written batch for the next one.  The slots keep their output
 * buffers, up to OUT_KEEP bytes in all per batch (about what a full batch
 * renders, so the ring holds no more than when all its batches are in
 * flight): a run writes many documents through the same few slots, and a
 * buffer grown to a document's size need not be allocated and grown again
 * for the next. */
static void release(batch *b)
{
    gsize kept = 0;
    for (guint i = 0; i < b->n; i++) {
        slot *s = &b->items[i];
        nerve_record_clear(&s->rec);
        GString *out = s->out;
        if (out && kept + out->allocated_len > OUT_KEEP)
            g_string_free(out, TRUE), out = NULL;
        else if (out) {
            kept += out->allocated_len;
            g_string_truncate(out, 0);
        }
        nerve_doc_free(s->doc);
        g_clear_error(&s->err);
        memset(s, 0, sizeof *s);
        s->out = out;
    }
    b->n = 0;
    b->bytes = 0;
    b->done = FALSE;
}

static void free_ring(batch *ring, guint n)
{
    for (guint k = 0; k < n; k++)
        for (guint i = 0; i < BATCH_RECORDS; i++)
            if (ring[k].items[i].out)
                g_string_free(ring[k].items[i].out, TRUE);
    g_free(ring);
}

/* Writes a finished slot; FALSE with error when the output fails. */
static gboolean emit_slot(run_ctx *ctx, slot *s, nerve_run_stats *st, GError **error)
{
    if (s->skip) {
        st->skipped++;
        return TRUE;
    }
    if (s->err) {
        st->failed++;
        if (ctx->opts->on_error)
            ctx->opts->on_error(&s->rec, s->err, ctx->opts->user_data);
        return nerve_writer_write_error(ctx->writer, s->out, error);
    }
    st->written++;
    st->tokens += s->tokens;
    st->dropped += s->dropped;
    return nerve_writer_write(ctx->writer, s->doc, s->out, error);
}

static gboolean emit(run_ctx *ctx, batch *b, nerve_run_stats *st, GError **error)
{
    for (guint i = 0; i < b->n; i++)
        if (!emit_slot(ctx, &b->items[i], st, error))
            return FALSE;
    return TRUE;
}

gboolean nerve_run(const nerve_model *model, nerve_reader *reader, nerve_writer *writer,
                   const nerve_runner_options *opts, nerve_run_stats *stats, GError **error)
{
    nerve_run_stats local = {0};
    nerve_run_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    guint threads = opts->threads ? opts->threads : g_get_num_processors();
    guint max = opts->max_in_flight ? opts->max_in_flight : 4 * threads + 4;
    run_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.model = model;
    ctx.ropts = nerve_reader_get_options(reader);
    ctx.writer = writer;
    ctx.opts = opts;
    ctx.keep_overlaps = nerve_writer_get_options(writer)->keep_overlaps;
    g_mutex_init(&ctx.lock);
    g_cond_init(&ctx.cond);
    batch *ring = g_new0(batch, max);
    GThreadPool *pool = NULL;
    if (threads > 1)
        pool = g_thread_pool_new(worker, &ctx, (gint)threads, TRUE, NULL);
    /* one thread: records one by one, annotated and written as they come */
    guint per_batch = pool ? BATCH_RECORDS : 1;

    gint64 t0 = g_get_monotonic_time(), last_progress = t0;
    guint64 next_read = 0, next_write = 0;
    gboolean reading = TRUE, ok = TRUE;
    GError *fatal = NULL;

    while (ok) {
        gboolean stop = opts->stop && g_atomic_int_get(opts->stop);
        if (reading && !stop && next_read - next_write < max) {
            /* fill the next batch */
            batch *b = &ring[next_read % max];
            while (b->n < per_batch && b->bytes < BATCH_BYTES &&
                   !(opts->stop && g_atomic_int_get(opts->stop))) {
                slot *s = &b->items[b->n];
                if (!nerve_reader_next(reader, &s->rec, &fatal)) {
                    reading = FALSE;
                    if (fatal)
                        ok = FALSE;
                    break;
                }
                st->read++;
                b->n++;
                b->bytes += s->rec.len;
            }
            if (b->n == 0)
                continue;
            next_read++;
            if (pool)
                g_thread_pool_push(pool, b, NULL);
            else {
                process_batch(b, &ctx);
                b->done = TRUE;
            }
        } else if (next_write < next_read) {
            batch *b = &ring[next_write % max];
            if (pool) {
                g_mutex_lock(&ctx.lock);
                while (!b->done)
                    g_cond_wait(&ctx.cond, &ctx.lock);
                g_mutex_unlock(&ctx.lock);
            }
            if (ok && !emit(&ctx, b, st, &fatal))
                ok = FALSE;
            release(b);
            next_write++;
        } else
            break;
        /* write what is ready without waiting, then report progress */
        while (ok && next_write < next_read) {
            batch *b = &ring[next_write % max];
            gboolean ready;
            if (pool) {
                g_mutex_lock(&ctx.lock);
                ready = b->done;
                g_mutex_unlock(&ctx.lock);
            } else
                ready = b->done;
            if (!ready)
                break;
            if (!emit(&ctx, b, st, &fatal))
                ok = FALSE;
            release(b);
            next_write++;
        }
        gint64 now = g_get_monotonic_time();
        if (opts->on_progress && now - last_progress > 500000) {
            last_progress = now;
            st->bytes = nerve_reader_bytes_read(reader);
            st->bytes_total = nerve_reader_bytes_total(reader);
            st->seconds = (double)(now - t0) / 1e6;
            opts->on_progress(st, FALSE, opts->user_data);
        }
    }
    if (pool)
        g_thread_pool_free(pool, FALSE, TRUE); /* waits for the workers */
    for (guint64 k = next_write; k < next_read; k++)
        release(&ring[k % max]);
    free_ring(ring, max);
    g_mutex_clear(&ctx.lock);
    g_cond_clear(&ctx.cond);
    st->bytes = nerve_reader_bytes_read(reader);
    st->bytes_total = nerve_reader_bytes_total(reader);
    st->seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
    st->parse_ns = atomic_load(&ctx.parse_ns);
    st->render_ns = atomic_load(&ctx.render_ns);
    if (opts->on_progress)
        opts->on_progress(st, TRUE, opts->user_data);
    if (fatal) {
        g_propagate_error(error, fatal);
        return FALSE;
    }
    return TRUE;
}
