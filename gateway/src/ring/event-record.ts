// The batch record format shared by the native reader (output) and the native writer (input).
//
// A batch is a Buffer holding records back to back. Each record is the 64-byte ring descriptor,
// verbatim, followed by the payload bytes, padded with zeros to the next multiple of 8:
//
//   +0   u64 seqno                (reader: the ring seqno; writer input: ignored, the ring assigns it)
//   +8   u16 event_type
//   +10  u16 (unused)
//   +12  u32 payload_size
//   +16  u64 record_epoch_nanos   (writer input: 0 means "now", CLOCK_REALTIME at reserve time)
//   +24  u64 payload_buf_offset   (reader: the unwrapped ring offset; writer input: ignored)
//   +32  u64 content_ext[0]       block flow: seqno of the enclosing BLOCK_START, 0 outside a block
//   +40  u64 content_ext[1]       txn flow: txn_index + 1, 0 when not a transaction event
//   +48  u64 content_ext[2]       account index (STORAGE_ACCESS)
//   +56  u64 content_ext[3]       unused
//   +64  payload_size bytes of payload, then zero padding to a multiple of 8
//
// Using one layout both ways lets replay hand a polled batch straight to the writer, and lets
// decoders read a record without knowing whether it came from a live ring or a builder.

export const DESCRIPTOR_SIZE = 64;

export const REC_SEQNO = 0;
export const REC_EVENT_TYPE = 8;
export const REC_PAYLOAD_SIZE = 12;
export const REC_EPOCH_NANOS = 16;
export const REC_PAYLOAD_BUF_OFFSET = 24;
export const REC_CONTENT_EXT = 32;
export const REC_BLOCK_SEQNO = 32;
export const REC_TXN_ID = 40;
export const REC_ACCOUNT_INDEX = 48;

/** Size of a whole record (descriptor + padded payload) for a payload of `payloadSize` bytes. */
export function recordSize(payloadSize: number): number {
  return DESCRIPTOR_SIZE + ((payloadSize + 7) & ~7);
}
