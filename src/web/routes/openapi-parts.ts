// Building blocks shared by the OpenAPI document's parts (papers, collections, discussion).

export type Json = Record<string, unknown>;

/** A reference to a schema under components/schemas. */
export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/** Either a bearer token or a signed-in browser session. */
export const secured = [{ bearer: [] }, { session: [] }];

/** Responses for the given error statuses, each the standard {"error":{code,message}} body. */
export const errors = (...codes: number[]): Json =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: 'Error', content: { 'application/json': { schema: ref('Error') } } },
    ]),
  );

/** A JSON response with `schema` under `status`. */
export const jsonResponse = (schema: Json, status = '200', description = 'OK'): Json => ({
  [status]: { description, content: { 'application/json': { schema } } },
});
