/**
 * @module `@stela/audit-chain`: a per-tenant, append-only, hash-chained audit log with RFC 6962
 * Merkle proofs, signed checkpoints, a versioned CSV export and an offline verifier.
 */
export { createAuditLog } from './audit-log.js';
export type { AuditLog, AuditLogOptions, ExportOptions, Receipt, WriteOptions } from './audit-log.js';

export { EntryInputSchema, parseEntryInput, METADATA_MAX_BYTES } from './entry-input.js';
export type { EntryInput, ParsedEntry } from './entry-input.js';

export { checkRecord, fieldCommitment, sealEntry, ENTRY_TYPE, ERASABLE_FIELDS, GENESIS_HASH } from './record.js';
export type { AuditRecord, Disclosure, Disclosures, ErasableField, RecordCheck, SealContext, SealedEntry } from './record.js';

export { canonicalJson } from './canonical-json.js';
export type { JsonValue } from './canonical-json.js';

export {
  EMPTY_ROOT,
  leafHash,
  nodeHash,
  merkleRoot,
  createTreeBuilder,
  inclusionProof,
  consistencyProof,
  verifyInclusion,
  verifyConsistency,
  arrayHashSource,
  streamingHashSource,
} from './merkle.js';
export type { CompactRange, SubtreeHashSource, TreeBuilder } from './merkle.js';

export { CheckpointSchema, signCheckpoint, verifyCheckpoint, CHECKPOINT_TYPE } from './checkpoint.js';
export type { Checkpoint, CheckpointVerification, SignedCheckpoint } from './checkpoint.js';
export { noteKeyId, noteVerifierKey } from './signed-note.js';

export {
  AuditJwksSchema,
  AuditPublicJwkSchema,
  AuditPrivateJwkSchema,
  createKeyRing,
  generateAuditKey,
  keyThumbprint,
  publicJwksFor,
} from './keys.js';
export type { AuditJwks, AuditPublicJwk, AuditPrivateJwk, GeneratedKey, KeyRing, ResolvedKey } from './keys.js';
export { createLocalSigner } from './signer.js';
export type { Signer } from './signer.js';

export { CSV_COLUMNS, CSV_FORMAT, escapeCell, unescapeCell } from './csv/format.js';
export { verifyExport, exitCodeFor, inlineRunner } from './verify.js';
export type { RowBatchRunner, VerifyFailure, VerifyInput, VerifyOptions, VerifyReport } from './verify.js';
export { verifyRowBatch } from './verify-rows.js';
export type { RowBatch, RowBatchContext, RowBatchResult } from './verify-rows.js';

export { createMemoryStore } from './store/memory.js';
export type {
  AuditStore,
  LockedTenant,
  NewEntry,
  PrunedPrefix,
  RetentionPolicy,
  Sealer,
  StoreCapabilities,
  StoredEntry,
  TenantHead,
} from './store/types.js';

export { AuditChainError, isAuditChainError, AUDIT_ERROR_CODES } from './errors.js';
export type { AuditErrorCode } from './errors.js';
