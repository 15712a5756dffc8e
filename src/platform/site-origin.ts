// The origin put in mailed links: PAPERBOY_BASE_URL, else the address `serve` really listens on.
import type { Config } from '../config.ts';

export interface SiteOrigin {
  /** The origin without a trailing slash, e.g. "https://papers.example.org" or "http://127.0.0.1:43117". */
  url(): string;
  /** Whether PAPERBOY_BASE_URL set it (then the listening address changes nothing). */
  readonly configured: boolean;
  /** Tells it where serve listens, once the port is known (with `--port 0`, only after listen). */
  listeningOn(host: string, port: number): void;
}

function originOf(host: string, port: number): string {
  // A wildcard address is not one a reader can open; this machine's name for itself is.
  const shown = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/**
 * @example const origin = createSiteOrigin(config); origin.listeningOn('127.0.0.1', 43117); origin.url() // 'http://127.0.0.1:43117'
 */
export function createSiteOrigin(config: Config): SiteOrigin {
  const configured = config.PAPERBOY_BASE_URL !== '';
  let current = configured ? config.PAPERBOY_BASE_URL : originOf(config.HOST, config.PORT);
  return {
    url: () => current,
    configured,
    listeningOn(host, port) {
      if (!configured) current = originOf(host, port);
    },
  };
}
