/**
 * The export and checkpoint records of a `stela.audit/csv/v1` file (SPEC.md §8.3), written by
 * every exporter through these two functions so they cannot drift apart.
 *
 * The export descriptor is signed (a JWS in the checkpoint record), so that every cell of an
 * export is covered by a signature: the entries through the checkpoint, the descriptor through
 * this JWS. Without it, `generated_at` or `filter` could be edited undetected.
 */
import { canonicalJson, type JsonValue } from '../canonical-json.js';
import type { SignedCheckpoint } from '../checkpoint.js';
import { toBase64Url, toHex, utf8 } from '../bytes.js';
import type { CompactRange } from '../merkle.js';
import type { Signer } from '../signer.js';
import { CELL_ESCAPE, CSV_FORMAT } from './format.js';
import { dataRow } from './to-csv.js';

/** JWS `typ` of the signed export descriptor. */
export const EXPORT_JWS_TYP = 'stela-audit-export+jws';

/** What the export record states. */
export interface ExportDescriptorInput {
  readonly origin: string;
  readonly tenant: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly prefix: { readonly range: CompactRange; readonly chainHead: string };
  readonly generatedAt: string;
  readonly bom: boolean;
  readonly filter: { from_seq: number | null; to_seq: number | null; from_time: string | null; to_time: string | null };
}

/** Returns the descriptor object (the `data` cell of the export record is its JCS). */
export function exportDescriptor(d: ExportDescriptorInput): Record<string, JsonValue> {
  return {
    '@type': CSV_FORMAT,
    origin: d.origin,
    tenant: d.tenant,
    first_seq: d.firstSeq,
    last_seq: d.lastSeq,
    prefix: { size: d.firstSeq - 1, chain_head: d.prefix.chainHead, compact_range: d.prefix.range.nodes.map(toHex) },
    generated_at: d.generatedAt,
    bom: d.bom,
    cell_escape: CELL_ESCAPE,
    filter: d.filter,
  };
}

/** The export record line. */
export function exportRecord(descriptor: Record<string, JsonValue>): string {
  return dataRow('export', descriptor);
}

/** The checkpoint record line: the checkpoint, the consistency proof, the signer's key and the descriptor signature. */
export async function checkpointRecord(
  descriptor: Record<string, JsonValue>,
  checkpoint: SignedCheckpoint,
  consistency: readonly Uint8Array[],
  signer: Signer,
): Promise<string> {
  const header = toBase64Url(utf8.encode(canonicalJson({ alg: 'EdDSA', kid: signer.kid, typ: EXPORT_JWS_TYP })));
  const input = header + '.' + toBase64Url(utf8.encode(canonicalJson(descriptor)));
  const exportJws = input + '.' + toBase64Url(await signer.sign(utf8.encode(input)));
  return dataRow('checkpoint', {
    jws: checkpoint.jws,
    note: checkpoint.note,
    consistency: consistency.map(toHex),
    public_key: signer.publicJwk as unknown as JsonValue,
    export_jws: exportJws,
  });
}
