// The JSON API as a page to read: every path, method, parameter and status, from the OpenAPI document itself.
import { html, type SafeHtml } from './html.ts';

type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A parameter's schema in a few words: its type or values, and its range. */
function schemaText(schema: Json): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map(String).join(' | ');
  const range =
    typeof schema.minimum === 'number' && typeof schema.maximum === 'number'
      ? ` ${schema.minimum}–${schema.maximum}`
      : '';
  const dflt = schema.default !== undefined ? `, default ${String(schema.default)}` : '';
  return `${str(schema.type) || 'value'}${range}${dflt}`;
}

function parameters(op: Json): SafeHtml {
  const params = Array.isArray(op.parameters) ? (op.parameters as unknown[]).map(obj) : [];
  if (params.length === 0) return html``;
  return html`<div class="table-scroll">
    <table>
      <thead>
        <tr>
          <th scope="col">Parameter</th>
          <th scope="col">In</th>
          <th scope="col">Value</th>
          <th scope="col">Meaning</th>
        </tr>
      </thead>
      <tbody>
        ${params.map(
          (p) =>
            html`<tr>
              <td><code>${str(p.name)}</code>${p.required === true ? ' (required)' : ''}</td>
              <td>${str(p.in)}</td>
              <td>${schemaText(obj(p.schema))}</td>
              <td>${str(p.description)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function operation(path: string, method: string, op: Json): SafeHtml {
  const statuses = Object.keys(obj(op.responses)).join(', ');
  const signIn = Array.isArray(op.security) ? ' · needs a token or a session' : '';
  return html`<section class="api-op" id="${method}-${path}">
    <h3><code>${method.toUpperCase()} ${path}</code></h3>
    <p>${str(op.summary)}</p>
    ${parameters(op)}
    <p class="hint">Answers ${statuses}${signIn}</p>
  </section>`;
}

/**
 * The API page: the document's description, then each path grouped by its first segment.
 */
export function apiDocsBody(doc: Json): SafeHtml {
  const info = obj(doc.info);
  const paths = Object.entries(obj(doc.paths));
  return html`<h1>${str(info.title) || 'API'}</h1>
    <p>${str(info.description)}</p>
    <p>
      Send <code>Authorization: Bearer &lt;token&gt;</code> with a token from
      <a href="/settings">Settings → API tokens</a> for your own data. The machine-readable description is
      <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
    </p>
    <nav aria-label="Endpoints">
      <ul class="api-index">
        ${paths.map(
          ([p]) => html`<li><a href="#${Object.keys(obj(obj(doc.paths)[p]))[0] ?? 'get'}-${p}">${p}</a></li>`,
        )}
      </ul>
    </nav>
    ${paths.map(([path, item]) =>
      METHODS.filter((m) => obj(item)[m] !== undefined).map((m) => operation(path, m, obj(obj(item)[m]))),
    )}`;
}
