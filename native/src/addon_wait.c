/* waitForEvents: the Node-API side of ring_wait.c. The wait runs as async work on a libuv worker
   thread; closing the handle meanwhile is safe (see js_close in addon.c and event_ring.md). */
#include <stdlib.h>

#include "addon.h"
#include "ring_wait.h"

struct wait_work {
    napi_async_work work;
    napi_deferred deferred;
    napi_ref handle_ref; /* keeps the handle alive (not finalized) while the worker uses it */
    struct ring_handle *h;
    uint64_t after;
    uint64_t timeout_ns;
    int ready;
};

static void wait_execute(napi_env env, void *data) {
    struct wait_work *w = data;
    w->ready = ring_wait_for_seqno(&w->h->reader.map, w->after, w->timeout_ns, &w->h->cancel);
}

static void wait_complete(napi_env env, napi_status status, void *data) {
    struct wait_work *w = data;
    struct ring_handle *h = w->h;
    h->waiting = 0;
    h->cancel = 0;
    if (h->unmap_pending) {
        h->unmap_pending = 0;
        ring_unmap(&h->reader.map);
    }
    napi_value result;
    napi_get_boolean(env, status == napi_ok && w->ready && !h->closed, &result);
    napi_resolve_deferred(env, w->deferred, result);
    napi_delete_reference(env, w->handle_ref);
    napi_delete_async_work(env, w->work);
    free(w);
}

/* waitForEvents(handle, afterSeqno, timeoutMs): a Promise of true once the writer has allocated a
   seqno above afterSeqno, false on timeout or when the handle is closed meanwhile. One at a time. */
napi_value js_wait_for_events(napi_env env, napi_callback_info info) {
    napi_value argv[3];
    CHECK(get_args(env, info, 3, argv) == 0 ? napi_ok : napi_generic_failure);
    struct ring_handle *h = unwrap(env, argv[0], KIND_READER);
    if (h == NULL) return NULL;
    double after, timeout_ms;
    if (napi_get_value_double(env, argv[1], &after) != napi_ok || !(after >= 0))
        return throw_type(env, "waitForEvents: afterSeqno must be a non-negative number");
    if (napi_get_value_double(env, argv[2], &timeout_ms) != napi_ok || !(timeout_ms >= 0 && timeout_ms <= 60000))
        return throw_type(env, "waitForEvents: timeoutMs must be a number from 0 to 60000");
    if (h->waiting) {
        napi_throw_error(env, "ERING_BUSY", "waitForEvents: a wait on this handle is already in progress");
        return NULL;
    }
    struct wait_work *w = calloc(1, sizeof *w);
    if (w == NULL) {
        napi_throw_error(env, "ERING_IO", "out of memory");
        return NULL;
    }
    w->h = h;
    w->after = (uint64_t)after;
    w->timeout_ns = (uint64_t)(timeout_ms * 1e6);
    napi_value promise, name;
    if (napi_create_promise(env, &w->deferred, &promise) != napi_ok ||
        napi_create_reference(env, argv[0], 1, &w->handle_ref) != napi_ok) {
        free(w);
        napi_throw_error(env, "ERING_ARG", "waitForEvents: cannot create the promise");
        return NULL;
    }
    napi_create_string_utf8(env, "monad_ring_wait", NAPI_AUTO_LENGTH, &name);
    int created = napi_create_async_work(env, NULL, name, wait_execute, wait_complete, w, &w->work) == napi_ok;
    if (!created || napi_queue_async_work(env, w->work) != napi_ok) {
        if (created) napi_delete_async_work(env, w->work);
        napi_value no; /* settle the unreturned promise (frees it) without an unhandled rejection */
        napi_get_boolean(env, false, &no);
        napi_resolve_deferred(env, w->deferred, no);
        napi_delete_reference(env, w->handle_ref);
        free(w);
        napi_throw_error(env, "ERING_ARG", "waitForEvents: cannot queue the wait");
        return NULL;
    }
    h->waiting = 1;
    return promise;
}
