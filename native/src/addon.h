/* What the Node-API binding files share: the handle behind every ring object JS holds, argument
   helpers, and the bindings defined outside addon.c. */
#ifndef MONAD_GW_ADDON_H
#define MONAD_GW_ADDON_H

#include <node_api.h>

#include "ring_reader.h"

enum handle_kind { KIND_READER = 1, KIND_WRITER = 2 };

struct ring_handle {
    enum handle_kind kind;
    int closed;
    int waiting;          /* a waitForEvents is in flight: its worker thread reads the mapping */
    int unmap_pending;    /* closed while waiting: the wait's completion unmaps */
    volatile int cancel;  /* tells the waiting worker to return now */
    struct ring_reader reader; /* a writer uses only reader.map */
};

#define CHECK(call)                                                                   \
    do {                                                                              \
        if ((call) != napi_ok) {                                                      \
            const napi_extended_error_info *info;                                     \
            napi_get_last_error_info(env, &info);                                     \
            bool pending;                                                             \
            napi_is_exception_pending(env, &pending);                                 \
            if (!pending)                                                             \
                napi_throw_error(env, "ERING_ARG", info && info->error_message ? info->error_message : "N-API call failed"); \
            return NULL;                                                              \
        }                                                                             \
    } while (0)

napi_value throw_type(napi_env env, const char *msg);
int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv);
/* The live handle `v` wraps, of `kind` (0: any); NULL with a JS exception pending otherwise. */
struct ring_handle *unwrap(napi_env env, napi_value v, enum handle_kind kind);

/* addon_wait.c */
napi_value js_wait_for_events(napi_env env, napi_callback_info info);

/* addon_slab.c */
napi_value js_alloc_slab(napi_env env, napi_callback_info info);
napi_value js_reuse_slab(napi_env env, napi_callback_info info);
napi_value js_slab_stats(napi_env env, napi_callback_info info);
napi_value js_set_slab_exempt_bytes(napi_env env, napi_callback_info info);

#endif
