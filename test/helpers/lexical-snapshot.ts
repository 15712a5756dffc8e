// Lexical snapshot files as tests inspect and damage them: a section's place in the file, and a flipped byte that
// an unverified open must report when read ahead instead of answering from it.
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { expect } from 'vitest';
import { openLexicalIndex } from '../../src/index/lexical/lexical-index.ts';

/** Byte offset and length of a section of a lexical snapshot. */
export function section(path: string, name: string): [number, number] {
  const bytes = readFileSync(path);
  const header = JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as {
    sections: Record<string, [number, number, number]>;
  };
  const [at, length] = header.sections[name]!;
  return [at, length];
}

/**
 * Writes `path` to `damagedPath` with one byte of section `name` flipped (`offset` bytes in, XOR `mask`), then checks
 * that a verified open refuses it and an unverified one reports block 0's checksum once reading ahead meets it.
 */
export function expectDamageReported(
  path: string,
  damagedPath: string,
  name: string,
  offset: number,
  mask: number,
): void {
  const bytes = readFileSync(path);
  const [at] = section(path, name);
  bytes[at + offset] = bytes[at + offset]! ^ mask;
  writeFileSync(damagedPath, bytes);
  expect(() => openLexicalIndex(damagedPath)).toThrow(/reindex/);
  const damage: string[] = [];
  const opened = openLexicalIndex(damagedPath, {
    verify: false,
    onDamage: (err) => damage.push(err.message),
  });
  expect(() => {
    while (opened.readAhead(1 << 16));
  }).toThrow(/checksum of block 0/);
  expect(damage).toEqual([expect.stringMatching(/checksum of block 0/)]);
}

/** The JSON header of a lexical snapshot, as far as tests edit it. */
export interface LexicalHeader {
  boundsKey?: number[];
  sections: Record<string, [number, number, number]>;
}

/** The snapshot with its header rewritten by `edit` and its checksum redone (version kept unless `version` is given). */
export function rewriteLexicalHeader(
  current: Buffer,
  edit: (header: LexicalHeader) => void,
  version?: number,
): Buffer {
  const length = current.readUInt32LE(8);
  const header = JSON.parse(current.toString('utf8', 16, 16 + length)) as LexicalHeader;
  edit(header);
  const head = Buffer.from(JSON.stringify(header));
  const out = Buffer.from(current);
  if (version !== undefined) out.writeUInt32LE(version, 4);
  out.writeUInt32LE(head.length, 8);
  out.writeUInt32LE(crc32(head), 12);
  out.fill(0, 16, 16 + length);
  head.copy(out, 16);
  return out;
}

/** A format 5 lexical snapshot as format 4 wrote it: the same bytes without the `blockMax` section, version 4. */
export function asLexicalFormat4(current: Buffer): Buffer {
  return rewriteLexicalHeader(current, (h) => delete h.sections.blockMax, 4);
}

/** A format 5 lexical snapshot as format 3 wrote it: no block maxima, no `unitMax` section, no bounds key. */
export function asLexicalFormat3(current: Buffer): Buffer {
  return rewriteLexicalHeader(
    current,
    (h) => {
      delete h.sections.blockMax;
      delete h.sections.unitMax;
      delete h.boundsKey;
    },
    3,
  );
}
