// The old SDK's (@monad-labs/execution-events) type names, as aliases of the generated protocol
// types, so code that imported them compiles against this package. New code can use the
// generated names directly.

import type {
  AddressFieldFilter,
  AdvancedSubscription,
  BlockLifecycleList,
  BlockPerfEvmEnterPayload,
  BlockPerfEvmExitPayload,
  CallTargetFieldFilter,
  CallerFieldFilter,
  CommitStage,
  ContendedSlot,
  ContractContention,
  DepthFieldFilter,
  ExecPayload,
  LogIndexFieldFilter,
  ResumeInfo,
  SenderFieldFilter,
  ServerFrame,
  SimpleSubscription,
  ToFieldFilter,
  TopAccesses,
  TopicsFieldFilter,
  TpsResponse,
  TxnEndPayload,
  TxnHeaderEndPayload,
  TxnIndexFieldFilter,
  TxnPerfEvmEnterPayload,
  TxnPerfEvmExitPayload,
} from "./generated/index.js";

/** Old name of ExecPayload. */
export type ExecEventPayload = ExecPayload;
/** Payloads without fields (timing markers and ends). */
export type EmptyPayload =
  BlockPerfEvmEnterPayload | BlockPerfEvmExitPayload | TxnHeaderEndPayload | TxnPerfEvmEnterPayload | TxnPerfEvmExitPayload | TxnEndPayload;
/** Old name of CommitStage. */
export type BlockStage = CommitStage;
/** Old name of ResumeInfo (the old type had only `mode`). */
export type ResumeMode = ResumeInfo;
/** Old name of ContendedSlot. */
export type ContendedSlotEntry = ContendedSlot;
/** Old name of ContractContention. */
export type ContractContentionEntry = ContractContention;
/** Old name of TopAccesses. */
export type TopAccessesData = TopAccesses;
/** One entry of a top-accesses list. */
export interface AccessEntry<T> {
  key: T;
  count: number;
}
/** A simple subscribe message. */
export interface SimpleSubscribe {
  subscribe: SimpleSubscription;
}
/** An advanced subscribe message. */
export interface AdvancedSubscribe {
  subscribe: AdvancedSubscription;
}
/** Any field filter of an advanced subscription. */
export type FieldFilter =
  | AddressFieldFilter
  | TopicsFieldFilter
  | TxnIndexFieldFilter
  | LogIndexFieldFilter
  | SenderFieldFilter
  | ToFieldFilter
  | CallerFieldFilter
  | CallTargetFieldFilter
  | DepthFieldFilter;
/** Old name of TpsResponse. */
export type TPSResponse = TpsResponse;
/** Old name of BlockLifecycleList. */
export type LifecycleResponse = BlockLifecycleList;
/** Old name of ServerFrame. */
export type ServerMessage = ServerFrame;
