// Strict command-line option parsing that turns mistakes into usage errors with a hint.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` against `options` (plus --help), rejecting unknown flags with the command's name.
 */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new AppError(
      'USAGE',
      `paperboy ${command}: ${(err as Error).message}. See \`paperboy ${command} --help\`.`,
    );
  }
}

/** Parses a non-negative integer option, or throws a usage error naming it. */
export function intOption(
  command: string,
  name: string,
  raw: string | undefined,
  fallback: number,
  max = 1_000_000,
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new AppError(
      'USAGE',
      `paperboy ${command}: --${name} must be a whole number from 0 to ${max}, got "${raw}"`,
    );
  }
  return n;
}

/** Parses a YYYY-MM-DD date option, or throws a usage error naming it. */
export function dateOption(command: string, name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    throw new AppError(
      'USAGE',
      `paperboy ${command}: --${name} must be a date like 2026-11-01, got "${raw}"`,
    );
  }
  return raw;
}
