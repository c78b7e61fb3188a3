import { describe, expect, it } from 'vitest';
import { parseEntryInput } from '../src/entry-input.js';
import { canonicalJson } from '../src/canonical-json.js';
import { canonicalRecordText, checkRecord, fieldCommitment, GENESIS_HASH, sealEntry } from '../src/record.js';
import { isAuditChainError } from '../src/errors.js';
import { FULL_ENTRY } from './helpers.js';

const fixedRandom = (n: number) => new Uint8Array(n).fill(7);

const input = FULL_ENTRY;

describe('record', () => {
  it('normalises timestamps to UTC milliseconds', () => {
    expect(parseEntryInput(input).occurredAt).toBe('2026-05-01T08:00:00.000Z');
  });

  it('hand-ordered canonical text equals generic JCS', () => {
    const { record } = sealEntry(parseEntryInput(input), { seq: 1, prevHash: GENESIS_HASH, recordedAt: '2026-05-01T08:00:01.000Z', randomBytes: fixedRandom });
    const { hash: _h, ...rest } = record;
    const generic = canonicalJson({ '@type': 'stela.audit/entry/v1', ...rest });
    expect(canonicalRecordText(record)).toBe(generic);
  });

  it('keeps personal data out of the hashed record and verifies commitments', () => {
    const sealed = sealEntry(parseEntryInput(input), { seq: 1, prevHash: GENESIS_HASH, recordedAt: '2026-05-01T08:00:01.000Z', randomBytes: fixedRandom });
    const text = canonicalRecordText(sealed.record);
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('203.0.113.9');
    expect(Object.keys(sealed.record.commitments).sort()).toEqual(['actor_display', 'actor_email', 'ip', 'metadata.recipient', 'target_display', 'user_agent']);
    expect(sealed.record.metadata).toEqual({ version: '1.2.0', size: 1234 });
    expect(checkRecord(sealed.record, sealed.disclosures)).toEqual({ ok: true, erased: 0 });
    const { actor_email: _e, ...rest } = sealed.disclosures;
    expect(checkRecord(sealed.record, rest)).toEqual({ ok: true, erased: 1 });
    const lie = { ...sealed.disclosures, ip: { salt: sealed.disclosures.ip!.salt, value: '198.51.100.1' } };
    expect(checkRecord(sealed.record, lie)).toMatchObject({ ok: false, code: 'ERR_AUDIT_COMMITMENT_MISMATCH', field: 'ip' });
    expect(checkRecord({ ...sealed.record, actor_id: 'u_8' }, sealed.disclosures)).toMatchObject({ ok: false, code: 'ERR_AUDIT_HASH_MISMATCH' });
  });

  it('commitments depend on salt, field and value', () => {
    const a = fieldCommitment('ip', '1.2.3.4', 'AAAAAAAAAAAAAAAAAAAAAA');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fieldCommitment('ip', '1.2.3.4', 'AAAAAAAAAAAAAAAAAAAAAB')).not.toBe(a);
    expect(fieldCommitment('user_agent', '1.2.3.4', 'AAAAAAAAAAAAAAAAAAAAAA')).not.toBe(a);
  });

  it.each([
    ['a lone surrogate', { actor: { type: 'user', id: 'u\ud800' } }, 'actor.id'],
    ['a control character', { actor: { type: 'user', id: 'u\u0007' } }, 'actor.id'],
    ['a bad action', { action: 'Skill Downloaded' }, 'action'],
    ['an unknown outcome', { outcome: 'ok' }, 'outcome'],
    ['a bad timestamp', { occurredAt: '2026-13-01T00:00:00Z' }, 'occurredAt'],
    ['oversized metadata', { metadata: { blob: 'x'.repeat(17_000) } }, 'metadata'],
    ['an erasable key that is not metadata', { erasableMetadata: ['nope'] }, 'erasableMetadata'],
    ['a Date in metadata', { metadata: { when: new Date(0) } }, 'metadata'],
    ['a non-finite number in metadata', { metadata: { n: Infinity } }, 'metadata'],
    ['a lone surrogate deep in metadata', { metadata: { a: [{ b: 'x\udc00' }] } }, 'metadata'],
    ['a bigint in metadata', { metadata: { n: 1n } }, 'metadata'],
  ])('rejects %s with a coded error naming the field', (_what, patch, field) => {
    try {
      parseEntryInput({ ...input, ...patch });
      expect.unreachable();
    } catch (e) {
      expect(isAuditChainError(e)).toBe(true);
      expect((e as { code: string }).code).toBe('ERR_AUDIT_INVALID_ENTRY');
      expect((e as Error).message).toContain(field);
    }
  });
});
