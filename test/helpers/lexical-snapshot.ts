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

/** A format 5 lexical snapshot as format 4 wrote it: the same bytes without the `blockMax` section, version 4. */
export function asLexicalFormat4(current: Buffer): Buffer {
  const length = current.readUInt32LE(8);
  const header = JSON.parse(current.toString('utf8', 16, 16 + length)) as {
    sections: Record<string, [number, number, number]>;
  };
  delete header.sections.blockMax;
  const head = Buffer.from(JSON.stringify(header));
  const out = Buffer.from(current);
  out.writeUInt32LE(4, 4);
  out.writeUInt32LE(head.length, 8);
  out.writeUInt32LE(crc32(head), 12);
  out.fill(0, 16, 16 + length);
  head.copy(out, 16);
  return out;
}
