// The browser `#digest` hashes in WebAssembly where it may and falls back to @noble/hashes where
// it may not; the vectors run on both (vitest.wasm.config.ts, vitest.noble.config.ts). This checks
// the "may not" side: no WebAssembly at all, or a compile refused as a CSP without
// 'wasm-unsafe-eval' refuses it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWasmSha256 } from '../src/sha256-wasm.js';
import { toHex } from '../src/bytes.js';

afterEach(() => vi.unstubAllGlobals());

describe('createWasmSha256', () => {
  it('hashes here, where WebAssembly is allowed', () => {
    expect(toHex(createWasmSha256()!.digest(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('returns null without WebAssembly', () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(createWasmSha256()).toBeNull();
  });

  it('returns null when compiling is refused', () => {
    const refused = class {
      constructor() {
        throw new Error("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source");
      }
    };
    vi.stubGlobal('WebAssembly', { ...WebAssembly, Module: refused });
    expect(createWasmSha256()).toBeNull();
  });
});
