// Starting a worker thread on a TypeScript module: workers do not inherit the parent's tsx loader.

/** Code for `new Worker(code, { eval: true })` that registers tsx in the worker, then imports `moduleUrl`. */
export function tsWorkerSource(moduleUrl: string): string {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `import(${tsx}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}); });`;
}
