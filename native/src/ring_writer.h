/* Writer side: creating a ring like the Monad daemon and recording events like its recorder. */
#ifndef MONAD_GW_RING_WRITER_H
#define MONAD_GW_RING_WRITER_H

#include "ring_map.h"

struct ring_create_options {
    unsigned descriptors_shift;
    unsigned payload_buf_shift;
    uint16_t content_type;
    uint8_t schema_hash[32];
};

int ring_writer_create(struct ring_map *map, const char *path, const struct ring_create_options *opt,
                       struct ring_error *err);
/* Records `count` records laid out as in event-record.ts; returns the seqno of the last one. */
int ring_writer_record(struct ring_map *map, const uint8_t *batch, uint64_t batch_len, uint32_t count,
                       uint64_t *last_seqno, struct ring_error *err);

#endif
