/* The reader side of the ring protocol (see event_ring.md). Descriptors are read like a seqlock: load
   the seqno with acquire, copy, then re-load it; a changed seqno means the slot was rewritten under us.
   Payload bytes are only trusted if their offset is still inside the writer's buffer window AFTER the
   copy, because the writer moves the window before it overwrites bytes. */
#include "ring_reader.h"

#include <string.h>

static inline uint64_t load_acquire(_Atomic uint64_t *p) { return atomic_load_explicit(p, memory_order_acquire); }

void ring_reader_poll(struct ring_reader *r, uint8_t *out, uint64_t out_len, uint32_t max_events,
                      struct poll_result *res) {
    struct ring_map *m = &r->map;
    struct ring_control *ctl = &m->header->control;
    uint64_t pos = 0;
    uint32_t count = 0;
    memset(res, 0, sizeof *res);
    res->status = POLL_OK;

    while (count < max_events) {
        uint64_t last = r->read_last_seqno;
        struct ring_descriptor *slot = &m->descriptors[last & m->desc_mask];
        uint64_t s = load_acquire(&slot->seqno);
        if (s != last + 1) {
            /* An older lap's event, or 0 while the writer rewrites the slot: nothing new yet. */
            if (s < last || (s == last && s == 0)) {
                res->status = POLL_NOT_READY;
            } else {
                res->status = POLL_GAP;
                res->gap_found_seqno = s;
            }
            break;
        }
        struct ring_descriptor d;
        memcpy(&d, slot, sizeof d);
        atomic_thread_fence(memory_order_acquire);
        if (load_acquire(&slot->seqno) != s) {
            res->status = POLL_GAP;
            res->gap_found_seqno = load_acquire(&slot->seqno);
            break;
        }
        uint64_t size = d.payload_size;
        uint64_t rec = 64 + ((size + 7) & ~7ULL);
        if (pos + rec > out_len) {
            if (count == 0) {
                res->status = POLL_BUFFER_SMALL;
                res->needed_bytes = rec;
            }
            break;
        }
        /* A size beyond the buffer can only come from a damaged file; never read past the mapping. */
        int expired = size > m->payload_mask + 1 || d.payload_buf_offset < load_acquire(&ctl->buffer_window_start);
        uint8_t *dst = out + pos;
        if (!expired) {
            memcpy(dst + 64, m->payload + (d.payload_buf_offset & m->payload_mask), size);
            atomic_thread_fence(memory_order_acquire);
            expired = d.payload_buf_offset < load_acquire(&ctl->buffer_window_start);
        }
        r->read_last_seqno = s;
        if (expired) {
            res->status = POLL_EXPIRED;
            res->expired_seqno = s;
            break;
        }
        memset(dst + 64 + size, 0, rec - 64 - size);
        memcpy(dst, &d, 64);
        pos += rec;
        count++;
    }
    res->count = count;
    res->bytes = pos;
    res->writer_last_seqno = load_acquire(&ctl->last_seqno);
}

/* The SDK's reset (sync_wait): find the newest event whose slot already holds it, so the next read
   returns the most recent event. */
uint64_t ring_reader_seek_head(struct ring_reader *r) {
    struct ring_map *m = &r->map;
    uint64_t last = load_acquire(&m->header->control.last_seqno);
    uint64_t oldest = last > m->desc_mask ? last - m->desc_mask : 1;
    while (last >= oldest && last > 0) {
        struct ring_descriptor *slot = &m->descriptors[(last - 1) & m->desc_mask];
        int tries = 0;
        while (load_acquire(&slot->seqno) != last && tries++ < 100) __builtin_ia32_pause();
        if (load_acquire(&slot->seqno) == last) break;
        last--;
    }
    r->read_last_seqno = last > 0 ? last - 1 : 0;
    return r->read_last_seqno + 1;
}

uint64_t ring_reader_seek_seqno(struct ring_reader *r, uint64_t seqno) {
    r->read_last_seqno = seqno > 0 ? seqno - 1 : 0;
    return r->read_last_seqno + 1;
}

uint64_t ring_reader_seek_last_of_type(struct ring_reader *r, uint16_t event_type) {
    struct ring_map *m = &r->map;
    uint64_t last = load_acquire(&m->header->control.last_seqno);
    uint64_t oldest = last > m->desc_mask ? last - m->desc_mask : 1;
    for (uint64_t seq = last; seq >= oldest && seq > 0; seq--) {
        struct ring_descriptor *slot = &m->descriptors[(seq - 1) & m->desc_mask];
        if (load_acquire(&slot->seqno) != seq) {
            if (seq == last) continue; /* the newest slot may still be in the middle of its write */
            break;                     /* overwritten: nothing older is left */
        }
        uint16_t type = slot->event_type;
        atomic_thread_fence(memory_order_acquire);
        if (type == event_type && load_acquire(&slot->seqno) == seq) {
            r->read_last_seqno = seq - 1;
            return seq;
        }
    }
    return ring_reader_seek_head(r);
}
