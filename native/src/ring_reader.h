/* Batch reader: one call copies many events out of the ring, following the SDK's iterator protocol. */
#ifndef MONAD_GW_RING_READER_H
#define MONAD_GW_RING_READER_H

#include "ring_map.h"

enum poll_status {
    POLL_OK = 0,           /* stopped at max events or a full buffer; more may be ready */
    POLL_NOT_READY = 1,    /* caught up with the writer */
    POLL_GAP = 2,          /* the writer lapped us: the expected descriptor was overwritten */
    POLL_EXPIRED = 3,      /* a payload was overwritten before or while we copied it */
    POLL_BUFFER_SMALL = 4, /* the next event does not fit in the (empty) output buffer */
};

struct poll_result {
    enum poll_status status;
    uint32_t count;
    uint64_t bytes;
    uint64_t gap_found_seqno;
    uint64_t expired_seqno;
    uint64_t needed_bytes;
    uint64_t writer_last_seqno;
};

struct ring_reader {
    struct ring_map map;
    uint64_t read_last_seqno; /* last seqno consumed; the next read is read_last_seqno + 1 */
};

void ring_reader_poll(struct ring_reader *r, uint8_t *out, uint64_t out_len, uint32_t max_events,
                      struct poll_result *res);
uint64_t ring_reader_seek_head(struct ring_reader *r);
uint64_t ring_reader_seek_seqno(struct ring_reader *r, uint64_t seqno);
uint64_t ring_reader_seek_last_of_type(struct ring_reader *r, uint16_t event_type);

#endif
