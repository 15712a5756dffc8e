// Writes a tiny ONNX model by hand (protobuf encoded here) so the ONNX embedder is tested without any download.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Protobuf varint (non-negative numbers only, enough for field tags, lengths and small ints). */
function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
}

type Field = [field: number, value: number | string | Uint8Array];

/** Encodes fields in order: numbers as varints (wire type 0), strings and bytes length-delimited (wire type 2). */
function message(fields: readonly Field[]): Uint8Array {
  const bytes: number[] = [];
  for (const [field, value] of fields) {
    if (typeof value === 'number') {
      bytes.push(...varint(field << 3), ...varint(value));
    } else {
      const body = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      bytes.push(...varint((field << 3) | 2), ...varint(body.length), ...body);
    }
  }
  return Uint8Array.from(bytes);
}

/** ValueInfoProto for a tensor with symbolic or fixed dims. */
function valueInfo(name: string, elemType: number, dims: ReadonlyArray<string | number>): Uint8Array {
  const shape = message(dims.map((d): Field => [1, message([typeof d === 'number' ? [1, d] : [2, d]])]));
  return message([
    [1, name],
    [
      2,
      message([
        [
          1,
          message([
            [1, elemType],
            [2, shape],
          ]),
        ],
      ]),
    ],
  ]);
}

const FLOAT = 1;
const INT64 = 7;

/**
 * A model: last_hidden_state = Gather(embedding table, input_ids), with attention_mask as a second input.
 * Token id i has the one-hot-ish vector row i of `table` (vocab × hidden).
 */
export function tinyOnnxModel(table: Float32Array, vocab: number, hidden: number): Uint8Array {
  const tensor = message([
    [1, vocab],
    [1, hidden],
    [2, FLOAT],
    [8, 'embeddings'],
    [9, new Uint8Array(table.buffer, table.byteOffset, table.byteLength)],
  ]);
  const gather = message([
    [1, 'embeddings'],
    [1, 'input_ids'],
    [2, 'last_hidden_state'],
    [3, 'lookup'],
    [4, 'Gather'],
  ]);
  const graph = message([
    [1, gather],
    [2, 'tiny'],
    [5, tensor],
    [11, valueInfo('input_ids', INT64, ['batch', 'sequence'])],
    [11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])],
    [12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', hidden])],
  ]);
  return message([
    [1, 8],
    [2, 'paperboy-test'],
    [7, graph],
    [
      8,
      message([
        [1, ''],
        [2, 13],
      ]),
    ],
  ]);
}

/**
 * Writes model.onnx and vocab.txt into `dir` and returns the vocabulary in id order.
 * @example const vocab = writeTinyModelDir(dir, ['protein', 'folding']);
 */
export function writeTinyModelDir(dir: string, words: readonly string[], hidden = 8): string[] {
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...words];
  const table = new Float32Array(vocab.length * hidden);
  vocab.forEach((_, i) => {
    table[i * hidden + (i % hidden)] = 1;
    table[i * hidden + ((i * 3 + 1) % hidden)]! += 0.5;
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), tinyOnnxModel(table, vocab.length, hidden));
  writeFileSync(join(dir, 'vocab.txt'), `${vocab.join('\n')}\n`);
  return vocab;
}
