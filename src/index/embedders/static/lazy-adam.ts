// Adam that updates only the rows a batch touched (lazy Adam), so a large vocabulary costs nothing per step.

/** Optimiser state for a row-major parameter matrix. */
export interface LazyAdam {
  /** Applies gradients `grad` (one row per entry of `rows`) to `params`; `step` is the 1-based global step. */
  update(params: Float32Array, rows: Int32Array, count: number, grad: Float32Array, step: number): void;
}

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/**
 * Creates lazy Adam state for a matrix of `rows × width` parameters.
 * @example const adam = createLazyAdam(vocabSize, 256, { lr: 0.01 }); adam.update(E, touched, n, grads, step);
 */
export function createLazyAdam(totalRows: number, width: number, opts: AdamOptions): LazyAdam {
  const m = new Float32Array(totalRows * width);
  const v = new Float32Array(totalRows * width);
  const b1 = opts.beta1 ?? 0.9;
  const b2 = opts.beta2 ?? 0.999;
  const eps = opts.eps ?? 1e-8;
  return {
    update(params, rows, count, grad, step): void {
      const lr = (opts.lr * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
      for (let r = 0; r < count; r++) {
        const base = rows[r]! * width;
        const gBase = r * width;
        for (let j = 0; j < width; j++) {
          const g = grad[gBase + j]!;
          const p = base + j;
          const mj = (m[p] = b1 * m[p]! + (1 - b1) * g);
          const vj = (v[p] = b2 * v[p]! + (1 - b2) * g * g);
          params[p]! -= (lr * mj) / (Math.sqrt(vj) + eps);
        }
      }
    },
  };
}
