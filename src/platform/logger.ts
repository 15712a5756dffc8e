// The minimal logging interface services report through; surfaces decide where lines go.

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

/**
 * A line logger with ISO timestamps, dropping lines below `level`.
 * @example createLogger('info', (l) => process.stderr.write(l + '\n')).info('listening on :8080');
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void,
  now: () => Date = () => new Date(),
): Logger {
  const min = LEVELS.indexOf(level);
  const at = (l: Exclude<LogLevel, 'silent'>) => (msg: string) => {
    if (LEVELS.indexOf(l) >= min) write(`${now().toISOString()} ${l.padEnd(5)} ${msg}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
