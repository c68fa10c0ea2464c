/* The shared-memory layout of a Monad event ring (RING01). See event_ring.md beside this file. */
#ifndef MONAD_GW_RING_FORMAT_H
#define MONAD_GW_RING_FORMAT_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define RING_MAGIC "RING01"
#define RING_MAGIC_LEN 6
#define RING_HEADER_SECTION ((uint64_t)1 << 21) /* every section starts on a 2 MiB boundary */
#define RING_DESCRIPTORS_SHIFT_MIN 16
#define RING_DESCRIPTORS_SHIFT_MAX 32
#define RING_PAYLOAD_SHIFT_MIN 27
#define RING_PAYLOAD_SHIFT_MAX 40
#define RING_PAYLOAD_ALIGN 16
#define RING_WINDOW_INCR ((uint64_t)1 << 24) /* the writer moves the payload window in 16 MiB steps */
#define RING_RECORD_ERROR_TYPE 1
#define RING_RECORD_ERROR_TRUNCATED_SIZE 8192
#define RING_RECORD_ERROR_OVERFLOW_EXPIRE 2

struct ring_size {
    uint64_t descriptor_capacity;
    uint64_t payload_buf_size;
    uint64_t context_area_size;
};

struct ring_control {
    alignas(64) _Atomic uint64_t last_seqno;
    _Atomic uint64_t next_payload_byte;
    alignas(64) _Atomic uint64_t buffer_window_start;
};

struct ring_header {
    char magic[RING_MAGIC_LEN];
    uint16_t content_type;
    uint8_t schema_hash[32];
    struct ring_size size;
    struct ring_control control;
};

struct ring_descriptor {
    alignas(64) _Atomic uint64_t seqno;
    uint16_t event_type;
    uint16_t unused;
    uint32_t payload_size;
    uint64_t record_epoch_nanos;
    uint64_t payload_buf_offset;
    uint64_t content_ext[4];
};

_Static_assert(sizeof(struct ring_descriptor) == 64, "descriptor is 64 bytes");
_Static_assert(offsetof(struct ring_header, size) == 40, "size at 40");
_Static_assert(offsetof(struct ring_header, control) == 64, "control at 64");
_Static_assert(offsetof(struct ring_header, control.buffer_window_start) == 128, "window at 128");
_Static_assert(sizeof(struct ring_header) == 192, "header is 192 bytes");

static inline uint64_t ring_round_up(uint64_t x, uint64_t align) { return (x + align - 1) & ~(align - 1); }

static inline uint64_t ring_file_size(const struct ring_size *s) {
    return RING_HEADER_SECTION + s->descriptor_capacity * sizeof(struct ring_descriptor) + s->payload_buf_size +
           s->context_area_size;
}

/* An error as the addon reports it: a stable code plus a message that names the file. */
struct ring_error {
    const char *code;
    char message[1024];
};

int ring_fail(struct ring_error *err, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
