// The suite waits for events, not for time: no test sleeps (a promise resolved by a timer, timers/promises'
// setTimeout), except in the few helper files listed here, each with its reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Files that may sleep, relative to the repository root, and why. */
const ALLOWED: Record<string, string> = {
  'test/helpers/wait-for.ts':
    'waitFor: the one re-check interval, for conditions in another process that nothing announces',
};

/** A sleep found in a source: where, and the line's text. */
interface Sleep {
  line: number;
  text: string;
}

/** The name of the resolve parameter of the `new Promise((resolve) => ...)` executor around `node`, if any. */
function enclosingResolves(node: ts.Node): Set<string> {
  const names = new Set<string>();
  for (let n: ts.Node | undefined = node.parent; n !== undefined; n = n.parent) {
    if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) continue;
    const call = n.parent;
    if (!ts.isNewExpression(call) || call.expression.getText() !== 'Promise') continue;
    const first = n.parameters[0]?.name;
    if (first !== undefined && ts.isIdentifier(first)) names.add(first.text);
  }
  return names;
}

/** Whether `fn` (a timer's callback) is `resolve` itself or a function that calls it. */
function resolvesOnTimer(fn: ts.Expression, resolves: Set<string>): boolean {
  if (ts.isIdentifier(fn)) return resolves.has(fn.text);
  let calls = false;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && resolves.has(n.expression.text))
      calls = true;
    n.forEachChild(visit);
  };
  visit(fn);
  return calls;
}

/**
 * The sleeps in one TypeScript source: setTimeout resolving a promise, and sleeping timers imported from
 * timers/promises (its setImmediate, a turn of the event loop, is not a sleep).
 * @example findSleeps('await new Promise((r) => setTimeout(r, 100));')[0]?.line; // 1
 */
function findSleeps(source: string, file = 'x.ts'): Sleep[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Sleep[] = [];
  const report = (n: ts.Node): void => {
    const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
    found.push({ line: line + 1, text: (source.split('\n')[line] ?? '').trim() });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = n.expression.getText(sf).replace(/^globalThis\./, '');
      const fn = n.arguments[0];
      if (callee === 'setTimeout' && fn !== undefined && resolvesOnTimer(fn, enclosingResolves(n))) report(n);
      if (callee === 'Atomics.wait') report(n);
    }
    if (
      ts.isImportDeclaration(n) &&
      ts.isStringLiteral(n.moduleSpecifier) &&
      /^(node:)?timers\/promises$/.test(n.moduleSpecifier.text)
    ) {
      const bindings = n.importClause?.namedBindings;
      const names =
        bindings !== undefined && ts.isNamedImports(bindings)
          ? bindings.elements.map((e) => (e.propertyName ?? e.name).text)
          : ['*'];
      if (names.some((name) => name !== 'setImmediate')) report(n);
    }
    n.forEachChild(visit);
  };
  visit(sf);
  return found;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('no sleeps in the tests', () => {
  it('finds the shapes a sleep takes', () => {
    const sleeps = [
      'await new Promise((r) => setTimeout(r, 100));',
      'await new Promise((resolve) => { setTimeout(resolve, 50); });',
      'await new Promise<void>((done) => setTimeout(() => done(), 3000));',
      'const sleep = (ms: number) => new Promise(function (ok) { globalThis.setTimeout(ok, ms); });',
      "import { setTimeout as delay } from 'node:timers/promises';",
      "import * as timers from 'timers/promises';",
      'Atomics.wait(view, 0, 0, 200);',
    ];
    for (const source of sleeps) expect(findSleeps(source), source).toHaveLength(1);
    expect(findSleeps('const a = 1;\n\nawait new Promise((r) => setTimeout(r, 5));')[0]?.line).toBe(3);
  });

  it('leaves timeouts, simulated delays and the next turn alone', () => {
    const fine = [
      "new Promise((_, reject) => { setTimeout(() => reject(new Error('timed out')), 5000); });",
      'const t = setTimeout(() => child.kill(), timeoutMs);',
      "setTimeout(() => res.end('ok'), 40);",
      "import { setImmediate as nextTurn } from 'node:timers/promises';",
      "page.evaluate('new Promise((r) => setTimeout(r, 0))');",
    ];
    for (const source of fine) expect(findSleeps(source), source).toEqual([]);
  });

  it('has none in test/ outside the allowed helpers', () => {
    const found = testFiles(join(ROOT, 'test')).flatMap((path) => {
      const file = relative(ROOT, path);
      const source = readFileSync(path, 'utf8');
      // Parsing only the files that mention a timer keeps this quick.
      if (file in ALLOWED || !/setTimeout|timers\/promises|Atomics/.test(source)) return [];
      return findSleeps(source, file).map((s) => `${file}:${s.line}: ${s.text}`);
    });
    expect(found, 'await the event instead (or use waitFor from test/helpers/wait-for.ts)').toEqual([]);
  });

  it('allows only files that exist and still need it, each with a reason', () => {
    for (const [file, reason] of Object.entries(ALLOWED)) {
      expect(reason.length, file).toBeGreaterThan(20);
      expect(findSleeps(readFileSync(join(ROOT, file), 'utf8'), file).length, file).toBeGreaterThan(0);
    }
  });
});
