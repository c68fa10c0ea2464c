/* Node-API bindings. Every function validates its arguments and turns failures into JS errors carrying
   a stable `code` (ERING_*) and a message that names the file; nothing here aborts the process. */
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addon.h"
#include "ring_path.h"
#include "ring_reader.h"
#include "ring_writer.h"
#include "snapshot.h"

static const napi_type_tag RING_TAG = {0x6d6f6e61645f7269ULL, 0x6e675f68616e646cULL};

static napi_value throw_ring(napi_env env, const struct ring_error *err) {
    napi_throw_error(env, err->code, err->message);
    return NULL;
}

napi_value throw_type(napi_env env, const char *msg) {
    napi_throw_type_error(env, "ERING_ARG", msg);
    return NULL;
}

int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
    size_t argc = want;
    if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return -1;
    for (size_t i = argc; i < want; i++) napi_get_undefined(env, &argv[i]);
    return 0;
}

static int get_string(napi_env env, napi_value v, char *out, size_t len, const char *what) {
    size_t n;
    if (napi_get_value_string_utf8(env, v, out, len, &n) != napi_ok) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s must be a string", what);
        napi_throw_type_error(env, "ERING_ARG", msg);
        return -1;
    }
    if (n >= len - 1) {
        napi_throw_range_error(env, "ERING_ARG", "string argument too long");
        return -1;
    }
    return 0;
}

static int get_prop_u32(napi_env env, napi_value obj, const char *name, uint32_t *out) {
    napi_value v;
    if (napi_get_named_property(env, obj, name, &v) != napi_ok || napi_get_value_uint32(env, v, out) != napi_ok) {
        char msg[160];
        snprintf(msg, sizeof msg, "option %s must be a non-negative integer", name);
        napi_throw_type_error(env, "ERING_ARG", msg);
        return -1;
    }
    return 0;
}

static int parse_hash(napi_env env, napi_value obj, uint8_t out[32]) {
    napi_value v;
    char hex[80];
    size_t n = 0;
    if (napi_get_named_property(env, obj, "schemaHash", &v) != napi_ok ||
        napi_get_value_string_utf8(env, v, hex, sizeof hex, &n) != napi_ok || n != 64) {
        napi_throw_type_error(env, "ERING_ARG", "option schemaHash must be 64 hex characters");
        return -1;
    }
    for (int i = 0; i < 32; i++) {
        unsigned byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            napi_throw_type_error(env, "ERING_ARG", "option schemaHash must be 64 hex characters");
            return -1;
        }
        out[i] = (uint8_t)byte;
    }
    return 0;
}

static int parse_expect(napi_env env, napi_value obj, struct ring_expect *e) {
    uint32_t ct;
    if (get_prop_u32(env, obj, "contentType", &ct) != 0) return -1;
    e->content_type = (uint16_t)ct;
    return parse_hash(env, obj, e->schema_hash);
}

static void finalize_handle(napi_env env, void *data, void *hint) {
    struct ring_handle *h = data;
    if (!h->closed) ring_unmap(&h->reader.map);
    free(h);
}

static napi_value wrap_handle(napi_env env, struct ring_handle *h) {
    napi_value ext;
    if (napi_create_external(env, h, finalize_handle, NULL, &ext) != napi_ok) {
        ring_unmap(&h->reader.map);
        free(h);
        napi_throw_error(env, "ERING_ARG", "cannot create handle");
        return NULL;
    }
    napi_type_tag_object(env, ext, &RING_TAG);
    return ext;
}

struct ring_handle *unwrap(napi_env env, napi_value v, enum handle_kind kind) {
    bool ok = false;
    if (napi_check_object_type_tag(env, v, &RING_TAG, &ok) != napi_ok || !ok) {
        throw_type(env, "expected a ring handle");
        return NULL;
    }
    void *data;
    napi_get_value_external(env, v, &data);
    struct ring_handle *h = data;
    if (h->closed) {
        napi_throw_error(env, "ERING_CLOSED", "the ring handle is closed");
        return NULL;
    }
    if (kind && h->kind != kind) {
        throw_type(env, kind == KIND_WRITER ? "expected a writer handle" : "expected a reader handle");
        return NULL;
    }
    return h;
}

static napi_value open_common(napi_env env, napi_callback_info info, int snapshot) {
    napi_value argv[2];
    CHECK(get_args(env, info, 2, argv) == 0 ? napi_ok : napi_generic_failure);
    char name[4096], path[4200];
    if (get_string(env, argv[0], name, sizeof name, "path") != 0) return NULL;
    struct ring_expect expect;
    if (parse_expect(env, argv[1], &expect) != 0) return NULL;
    struct ring_error err;
    int fd;
    if (snapshot) {
        snprintf(path, sizeof path, "%s", name);
        fd = snapshot_decompress(path, &err);
        if (fd < 0) return throw_ring(env, &err);
    } else {
        if (ring_resolve_path(name, false, path, sizeof path, &err) != 0) return throw_ring(env, &err);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            ring_fail(&err, "ERING_OPEN", "cannot open ring %s: %s", path, strerror(errno));
            return throw_ring(env, &err);
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
            close(fd);
            ring_fail(&err, "ERING_OPEN", "cannot open ring %s: not a regular file", path);
            return throw_ring(env, &err);
        }
    }
    struct ring_handle *h = calloc(1, sizeof *h);
    if (h == NULL) {
        close(fd);
        napi_throw_error(env, "ERING_IO", "out of memory");
        return NULL;
    }
    h->kind = KIND_READER;
    if (ring_map_fd(&h->reader.map, fd, path, false, snapshot, &expect, &err) != 0) {
        close(fd);
        free(h);
        return throw_ring(env, &err);
    }
    return wrap_handle(env, h);
}

static napi_value js_open_ring(napi_env env, napi_callback_info info) { return open_common(env, info, 0); }
static napi_value js_open_snapshot(napi_env env, napi_callback_info info) { return open_common(env, info, 1); }

static void set_num(napi_env env, napi_value obj, const char *k, double v) {
    napi_value n;
    napi_create_double(env, v, &n);
    napi_set_named_property(env, obj, k, n);
}

static napi_value js_ring_info(napi_env env, napi_callback_info info) {
    napi_value argv[1];
    CHECK(get_args(env, info, 1, argv) == 0 ? napi_ok : napi_generic_failure);
    struct ring_handle *h = unwrap(env, argv[0], 0);
    if (h == NULL) return NULL;
    struct ring_map *m = &h->reader.map;
    struct ring_header *hd = m->header;
    napi_value o, v;
    CHECK(napi_create_object(env, &o));
    napi_create_string_utf8(env, m->path, NAPI_AUTO_LENGTH, &v);
    napi_set_named_property(env, o, "path", v);
    napi_get_boolean(env, m->is_snapshot, &v);
    napi_set_named_property(env, o, "isSnapshot", v);
    char hex[65];
    ring_hex(hd->schema_hash, 32, hex);
    napi_create_string_utf8(env, hex, 64, &v);
    napi_set_named_property(env, o, "schemaHash", v);
    set_num(env, o, "contentType", hd->content_type);
    set_num(env, o, "descriptorCapacity", (double)hd->size.descriptor_capacity);
    set_num(env, o, "payloadBufSize", (double)hd->size.payload_buf_size);
    set_num(env, o, "contextAreaSize", (double)hd->size.context_area_size);
    set_num(env, o, "fileSize", (double)m->file_size);
    set_num(env, o, "lastSeqno", (double)atomic_load_explicit(&hd->control.last_seqno, memory_order_acquire));
    set_num(env, o, "nextPayloadByte", (double)atomic_load_explicit(&hd->control.next_payload_byte, memory_order_acquire));
    set_num(env, o, "bufferWindowStart",
            (double)atomic_load_explicit(&hd->control.buffer_window_start, memory_order_acquire));
    return o;
}

static napi_value js_close(napi_env env, napi_callback_info info, enum handle_kind kind) {
    napi_value argv[2];
    CHECK(get_args(env, info, 2, argv) == 0 ? napi_ok : napi_generic_failure);
    bool ok = false;
    if (napi_check_object_type_tag(env, argv[0], &RING_TAG, &ok) != napi_ok || !ok) return throw_type(env, "expected a ring handle");
    void *data;
    napi_get_value_external(env, argv[0], &data);
    struct ring_handle *h = data;
    if (h->closed) return NULL; /* closing twice is harmless */
    if (h->kind != kind) return throw_type(env, kind == KIND_WRITER ? "expected a writer handle" : "expected a reader handle");
    bool unlink_it = false;
    napi_valuetype t;
    napi_typeof(env, argv[1], &t);
    if (t == napi_boolean) napi_get_value_bool(env, argv[1], &unlink_it);
    char path[4096];
    snprintf(path, sizeof path, "%s", h->reader.map.path);
    /* Unlink before unmapping and closing, so the lock is held until the name is gone. */
    if (unlink_it) unlink(path);
    h->closed = 1;
    if (h->waiting) {
        /* A worker thread is reading the header: it stops at once, and its completion unmaps. */
        h->cancel = 1;
        h->unmap_pending = 1;
    } else {
        ring_unmap(&h->reader.map);
    }
    return NULL;
}

static napi_value js_close_ring(napi_env env, napi_callback_info info) { return js_close(env, info, KIND_READER); }
static napi_value js_close_writer(napi_env env, napi_callback_info info) { return js_close(env, info, KIND_WRITER); }

static napi_value js_poll(napi_env env, napi_callback_info info) {
    napi_value argv[4];
    CHECK(get_args(env, info, 4, argv) == 0 ? napi_ok : napi_generic_failure);
    struct ring_handle *h = unwrap(env, argv[0], KIND_READER);
    if (h == NULL) return NULL;
    void *out;
    size_t out_len;
    bool is_buf = false;
    napi_is_buffer(env, argv[1], &is_buf);
    if (!is_buf || napi_get_buffer_info(env, argv[1], &out, &out_len) != napi_ok)
        return throw_type(env, "poll: the output must be a Buffer");
    uint32_t max_events;
    if (napi_get_value_uint32(env, argv[2], &max_events) != napi_ok) return throw_type(env, "poll: maxEvents must be a number");
    napi_typedarray_type tt;
    size_t state_len;
    void *state_data;
    bool is_ta = false;
    napi_is_typedarray(env, argv[3], &is_ta);
    if (!is_ta || napi_get_typedarray_info(env, argv[3], &tt, &state_len, &state_data, NULL, NULL) != napi_ok ||
        tt != napi_float64_array || state_len < 8)
        return throw_type(env, "poll: state must be a Float64Array of length 8");
    struct poll_result res;
    ring_reader_poll(&h->reader, out, out_len, max_events, &res);
    double *st = state_data;
    st[0] = res.status;
    st[1] = (double)res.bytes;
    st[2] = (double)(h->reader.read_last_seqno + 1);
    st[3] = (double)res.gap_found_seqno;
    st[4] = (double)res.expired_seqno;
    st[5] = (double)res.needed_bytes;
    st[6] = (double)res.writer_last_seqno;
    napi_value n;
    napi_create_uint32(env, res.count, &n);
    return n;
}

static napi_value seek_common(napi_env env, napi_callback_info info, int mode) {
    napi_value argv[2];
    CHECK(get_args(env, info, 2, argv) == 0 ? napi_ok : napi_generic_failure);
    struct ring_handle *h = unwrap(env, argv[0], KIND_READER);
    if (h == NULL) return NULL;
    uint64_t next;
    if (mode == 0) {
        next = ring_reader_seek_head(&h->reader);
    } else {
        double d;
        if (napi_get_value_double(env, argv[1], &d) != napi_ok || d < 0 || d > 9007199254740991.0)
            return throw_type(env, mode == 1 ? "seekSeqno: seqno must be a non-negative integer" : "seekLastEventOfType: eventType must be a number");
        next = mode == 1 ? ring_reader_seek_seqno(&h->reader, (uint64_t)d)
                         : ring_reader_seek_last_of_type(&h->reader, (uint16_t)d);
    }
    napi_value n;
    napi_create_double(env, (double)next, &n);
    return n;
}

static napi_value js_seek_head(napi_env env, napi_callback_info info) { return seek_common(env, info, 0); }
static napi_value js_seek_seqno(napi_env env, napi_callback_info info) { return seek_common(env, info, 1); }
static napi_value js_seek_type(napi_env env, napi_callback_info info) { return seek_common(env, info, 2); }

static napi_value js_writer_pid(napi_env env, napi_callback_info info) {
    napi_value argv[1];
    CHECK(get_args(env, info, 1, argv) == 0 ? napi_ok : napi_generic_failure);
    char name[4096], path[4200];
    if (get_string(env, argv[0], name, sizeof name, "path") != 0) return NULL;
    struct ring_error err;
    if (ring_resolve_path(name, false, path, sizeof path, &err) != 0) return throw_ring(env, &err);
    int pid = ring_writer_pid(path);
    napi_value o, v;
    CHECK(napi_create_object(env, &o));
    set_num(env, o, "pid", pid);
    napi_get_boolean(env, ring_pid_alive(pid), &v);
    napi_set_named_property(env, o, "alive", v);
    return o;
}

static napi_value js_resolve(napi_env env, napi_callback_info info) {
    napi_value argv[1];
    CHECK(get_args(env, info, 1, argv) == 0 ? napi_ok : napi_generic_failure);
    char name[4096], path[4200];
    if (get_string(env, argv[0], name, sizeof name, "name") != 0) return NULL;
    struct ring_error err;
    if (ring_resolve_path(name, false, path, sizeof path, &err) != 0) return throw_ring(env, &err);
    napi_value v;
    napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &v);
    return v;
}

static napi_value js_hugetlbfs(napi_env env, napi_callback_info info) {
    char mount[4096];
    napi_value v;
    if (ring_hugetlbfs_mount(mount, sizeof mount) != 0) {
        napi_get_null(env, &v);
    } else {
        napi_create_string_utf8(env, mount, NAPI_AUTO_LENGTH, &v);
    }
    return v;
}

static napi_value js_create_ring(napi_env env, napi_callback_info info) {
    napi_value argv[2];
    CHECK(get_args(env, info, 2, argv) == 0 ? napi_ok : napi_generic_failure);
    char name[4096], path[4200];
    if (get_string(env, argv[0], name, sizeof name, "path") != 0) return NULL;
    struct ring_create_options opt;
    uint32_t ds, ps, ct;
    if (get_prop_u32(env, argv[1], "descriptorsShift", &ds) || get_prop_u32(env, argv[1], "payloadBufShift", &ps) ||
        get_prop_u32(env, argv[1], "contentType", &ct) || parse_hash(env, argv[1], opt.schema_hash))
        return NULL;
    opt.descriptors_shift = ds;
    opt.payload_buf_shift = ps;
    opt.content_type = (uint16_t)ct;
    struct ring_error err;
    if (ring_resolve_path(name, true, path, sizeof path, &err) != 0) return throw_ring(env, &err);
    struct ring_handle *h = calloc(1, sizeof *h);
    if (h == NULL) {
        napi_throw_error(env, "ERING_IO", "out of memory");
        return NULL;
    }
    h->kind = KIND_WRITER;
    if (ring_writer_create(&h->reader.map, path, &opt, &err) != 0) {
        free(h);
        return throw_ring(env, &err);
    }
    return wrap_handle(env, h);
}

static napi_value js_record(napi_env env, napi_callback_info info) {
    napi_value argv[3];
    CHECK(get_args(env, info, 3, argv) == 0 ? napi_ok : napi_generic_failure);
    struct ring_handle *h = unwrap(env, argv[0], KIND_WRITER);
    if (h == NULL) return NULL;
    void *data;
    size_t len;
    bool is_buf = false;
    napi_is_buffer(env, argv[1], &is_buf);
    if (!is_buf || napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok)
        return throw_type(env, "record: the batch must be a Buffer");
    uint32_t count;
    if (napi_get_value_uint32(env, argv[2], &count) != napi_ok) return throw_type(env, "record: count must be a number");
    struct ring_error err;
    uint64_t last = 0;
    if (ring_writer_record(&h->reader.map, data, len, count, &last, &err) != 0) return throw_ring(env, &err);
    napi_value n;
    napi_create_double(env, (double)last, &n);
    return n;
}

static void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
    napi_value fn;
    napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
    napi_set_named_property(env, exports, name, fn);
}

static napi_value Init(napi_env env, napi_value exports) {
    export_fn(env, exports, "openRing", js_open_ring);
    export_fn(env, exports, "openSnapshot", js_open_snapshot);
    export_fn(env, exports, "ringInfo", js_ring_info);
    export_fn(env, exports, "closeRing", js_close_ring);
    export_fn(env, exports, "poll", js_poll);
    export_fn(env, exports, "waitForEvents", js_wait_for_events);
    export_fn(env, exports, "seekHead", js_seek_head);
    export_fn(env, exports, "seekSeqno", js_seek_seqno);
    export_fn(env, exports, "seekLastEventOfType", js_seek_type);
    export_fn(env, exports, "writerPid", js_writer_pid);
    export_fn(env, exports, "resolveRingPath", js_resolve);
    export_fn(env, exports, "hugetlbfsMount", js_hugetlbfs);
    export_fn(env, exports, "createRing", js_create_ring);
    export_fn(env, exports, "record", js_record);
    export_fn(env, exports, "closeWriter", js_close_writer);
    export_fn(env, exports, "allocSlab", js_alloc_slab);
    export_fn(env, exports, "reuseSlab", js_reuse_slab);
    export_fn(env, exports, "slabStats", js_slab_stats);
    export_fn(env, exports, "setSlabExemptBytes", js_set_slab_exempt_bytes);
    static const struct { const char *name; int value; } consts[] = {
        {"POLL_OK", POLL_OK}, {"POLL_NOT_READY", POLL_NOT_READY}, {"POLL_GAP", POLL_GAP},
        {"POLL_EXPIRED", POLL_EXPIRED}, {"POLL_BUFFER_SMALL", POLL_BUFFER_SMALL},
        {"STATE_STATUS", 0}, {"STATE_BYTES", 1}, {"STATE_NEXT_SEQNO", 2}, {"STATE_GAP_FOUND_SEQNO", 3},
        {"STATE_EXPIRED_SEQNO", 4}, {"STATE_NEEDED_BYTES", 5}, {"STATE_WRITER_LAST_SEQNO", 6}, {"STATE_LENGTH", 8},
    };
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++) {
        napi_value v;
        napi_create_int32(env, consts[i].value, &v);
        napi_set_named_property(env, exports, consts[i].name, v);
    }
    return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
