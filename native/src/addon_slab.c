/* allocSlab / reuseSlab / slabStats / setSlabExemptBytes: the Node-API side of slab_memory.c.
   Mapping and page faults run as async work on a libuv worker thread; the ArrayBuffer is made on the
   JS thread when it completes, and gives its memory back (for reuse) when the garbage collector frees
   it.

   V8 counts every ArrayBuffer's bytes as external memory and starts a full (mark-compact) GC each
   time that count grows 64 MiB past its level at the last one. A filling resume window takes a new
   4 MiB slab several times a second, none of it garbage, and that alone drove ~1.6 full GCs/s of
   3-12 ms pauses (measured: 31-35 in 20 s on a fresh gateway; 2 with the slabs exempt). So slabs up
   to a budget the pool sets (the bytes the window holds, plus what it keeps ready, plus a slack for
   garbage) are taken back out of V8's count; slabs beyond it stay counted, so garbage beyond the
   slack still prompts the collections that free slabs for reuse. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addon.h"
#include "slab_memory.h"

static atomic_long live_slabs;
static atomic_llong live_bytes;
static atomic_long huge_advised_slabs;
static atomic_long reused_slabs;
static atomic_llong exempt_bytes; /* slabs alive now that V8's external-memory count leaves out */
static atomic_llong exempt_max;   /* the budget for them (setSlabExemptBytes) */

/* The finalize hint: the slab's bytes (a multiple of 2 MiB), low bit set when it is exempt. */
#define HINT_EXEMPT ((uintptr_t)1)

struct slab_work {
    napi_async_work work;
    napi_deferred deferred;
    size_t want;
    struct slab_info slab;
};

static void slab_execute(napi_env env, void *data) {
    struct slab_work *w = data;
    w->slab = slab_reuse(w->want);
    if (w->slab.base != NULL) atomic_fetch_add(&reused_slabs, 1);
    else w->slab = slab_map(w->want);
}

/* Runs on the JS thread once no JS object views the memory any more (after V8 has taken the bytes
   off its count: an exempt slab's bytes are given back to the count, so it nets to zero). */
static void slab_finalize(napi_env env, void *base, void *hint) {
    size_t bytes = (size_t)((uintptr_t)hint & ~HINT_EXEMPT);
    if ((uintptr_t)hint & HINT_EXEMPT) {
        int64_t now;
        napi_adjust_external_memory(env, (int64_t)bytes, &now);
        atomic_fetch_sub(&exempt_bytes, (long long)bytes);
    }
    slab_release(base, bytes);
    atomic_fetch_sub(&live_slabs, 1);
    atomic_fetch_sub(&live_bytes, (long long)bytes);
}

/* The ArrayBuffer over slab `s`; NULL (the slab given back) when it cannot be made. */
static napi_value wrap_slab(napi_env env, struct slab_info s) {
    napi_value ab;
    int exempt = atomic_load(&exempt_bytes) + (long long)s.bytes <= atomic_load(&exempt_max);
    uintptr_t hint = (uintptr_t)s.bytes | (exempt ? HINT_EXEMPT : 0);
    if (napi_create_external_arraybuffer(env, s.base, s.bytes, slab_finalize, (void *)hint, &ab) != napi_ok) {
        slab_release(s.base, s.bytes);
        return NULL;
    }
    if (exempt) {
        int64_t now;
        napi_adjust_external_memory(env, -(int64_t)s.bytes, &now);
        atomic_fetch_add(&exempt_bytes, (long long)s.bytes);
    }
    atomic_fetch_add(&live_slabs, 1);
    atomic_fetch_add(&live_bytes, (long long)s.bytes);
    if (s.huge_advised) atomic_fetch_add(&huge_advised_slabs, 1);
    return ab;
}

static void reject(napi_env env, napi_deferred deferred, const char *msg) {
    napi_value code, text, err;
    napi_create_string_utf8(env, "ESLAB", NAPI_AUTO_LENGTH, &code);
    napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &text);
    napi_create_error(env, code, text, &err);
    napi_reject_deferred(env, deferred, err);
}

static void slab_complete(napi_env env, napi_status status, void *data) {
    struct slab_work *w = data;
    struct slab_info s = w->slab;
    napi_value ab;
    char msg[160];
    if (status != napi_ok || s.base == NULL) {
        snprintf(msg, sizeof msg, "allocSlab: cannot map %zu bytes: %s", w->want,
                 s.err ? strerror(s.err) : "the work was cancelled");
        reject(env, w->deferred, msg);
    } else if ((ab = wrap_slab(env, s)) == NULL) {
        reject(env, w->deferred, "allocSlab: cannot wrap the mapping in an ArrayBuffer");
    } else {
        napi_resolve_deferred(env, w->deferred, ab);
    }
    napi_delete_async_work(env, w->work);
    free(w);
}

static int get_slab_bytes(napi_env env, napi_value v, const char *fn, double *bytes) {
    if (napi_get_value_double(env, v, bytes) == napi_ok && *bytes >= 1 && *bytes <= (double)SLAB_MAX_BYTES &&
        *bytes == (double)(size_t)*bytes)
        return 0;
    char msg[96];
    snprintf(msg, sizeof msg, "%s: bytes must be an integer from 1 to 1073741824", fn);
    throw_type(env, msg);
    return -1;
}

/* allocSlab(bytes): a Promise of a resident ArrayBuffer of `bytes` rounded up to 2 MiB. */
napi_value js_alloc_slab(napi_env env, napi_callback_info info) {
    napi_value argv[1];
    CHECK(get_args(env, info, 1, argv) == 0 ? napi_ok : napi_generic_failure);
    double bytes;
    if (get_slab_bytes(env, argv[0], "allocSlab", &bytes) != 0) return NULL;
    struct slab_work *w = calloc(1, sizeof *w);
    if (w == NULL) {
        napi_throw_error(env, "ESLAB", "allocSlab: out of memory");
        return NULL;
    }
    w->want = (size_t)bytes;
    napi_value promise, name;
    if (napi_create_promise(env, &w->deferred, &promise) != napi_ok) {
        free(w);
        napi_throw_error(env, "ESLAB", "allocSlab: cannot create the promise");
        return NULL;
    }
    napi_create_string_utf8(env, "monad_slab_alloc", NAPI_AUTO_LENGTH, &name);
    if (napi_create_async_work(env, NULL, name, slab_execute, slab_complete, w, &w->work) != napi_ok) {
        reject(env, w->deferred, "allocSlab: cannot create the async work");
        free(w);
        return promise;
    }
    if (napi_queue_async_work(env, w->work) != napi_ok) {
        reject(env, w->deferred, "allocSlab: cannot queue the async work");
        napi_delete_async_work(env, w->work);
        free(w);
    }
    return promise;
}

/* reuseSlab(bytes): a freed slab of that (rounded) size as an ArrayBuffer, at once, or null. */
napi_value js_reuse_slab(napi_env env, napi_callback_info info) {
    napi_value argv[1];
    CHECK(get_args(env, info, 1, argv) == 0 ? napi_ok : napi_generic_failure);
    double bytes;
    if (get_slab_bytes(env, argv[0], "reuseSlab", &bytes) != 0) return NULL;
    struct slab_info s = slab_reuse((size_t)bytes);
    napi_value out = NULL;
    if (s.base != NULL) {
        atomic_fetch_add(&reused_slabs, 1);
        out = wrap_slab(env, s);
    }
    if (out == NULL) napi_get_null(env, &out);
    return out;
}

/* setSlabExemptBytes(bytes): slabs made from now on are left out of V8's external-memory count while
   the exempt ones alive total at most `bytes` (0, the default: every slab counted). */
napi_value js_set_slab_exempt_bytes(napi_env env, napi_callback_info info) {
    napi_value argv[1];
    CHECK(get_args(env, info, 1, argv) == 0 ? napi_ok : napi_generic_failure);
    double bytes;
    if (napi_get_value_double(env, argv[0], &bytes) != napi_ok || !(bytes >= 0 && bytes <= 9007199254740991.0) ||
        bytes != (double)(long long)bytes) {
        throw_type(env, "setSlabExemptBytes: bytes must be an integer from 0 to 9007199254740991");
        return NULL;
    }
    atomic_store(&exempt_max, (long long)bytes);
    return NULL;
}

/* slabStats(): slabs alive now (not yet freed by the garbage collector) and their bytes, freed slabs
   kept for reuse, how many times one was reused, how many slabs ever got the huge-page advice, and
   the bytes of live slabs left out of V8's external-memory count. */
napi_value js_slab_stats(napi_env env, napi_callback_info info) {
    napi_value out, v;
    CHECK(napi_create_object(env, &out));
    napi_create_double(env, (double)atomic_load(&live_slabs), &v);
    napi_set_named_property(env, out, "liveSlabs", v);
    napi_create_double(env, (double)atomic_load(&live_bytes), &v);
    napi_set_named_property(env, out, "liveBytes", v);
    napi_create_double(env, (double)slab_free_count(), &v);
    napi_set_named_property(env, out, "freeSlabs", v);
    napi_create_double(env, (double)atomic_load(&reused_slabs), &v);
    napi_set_named_property(env, out, "reusedSlabs", v);
    napi_create_double(env, (double)atomic_load(&huge_advised_slabs), &v);
    napi_set_named_property(env, out, "hugeAdvisedSlabs", v);
    napi_create_double(env, (double)atomic_load(&exempt_bytes), &v);
    napi_set_named_property(env, out, "exemptBytes", v);
    return out;
}
