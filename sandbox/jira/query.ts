/**
 * Query parameters as Jira's REST resources (JAX-RS) read them. fastify gives a repeated parameter as an array
 * (`?a=1&a=2` → `['1','2']`); Jira declares most parameters as one `String`, and JAX-RS hands such a parameter its
 * first value (`MultivaluedMap.getFirst`); parameters the spec types as `array` take every value.
 * @see https://eclipse-ee4j.github.io/jersey.github.io/apidocs/latest/jersey/org/glassfish/jersey/uri/JerseyQueryParamStyle.html
 */

/** A query string as fastify parses it. */
export type Query = Record<string, string | string[] | undefined>;

/** The first value of a parameter given once or repeated (undefined when absent). */
export function first(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length ? String(v[0]) : undefined;
  return v === undefined || v === null ? undefined : String(v);
}

/** Every value of a parameter the spec types as an array (`?keys=A&keys=B`), each also split on commas when asked. */
export function all(v: unknown, opts: { commas?: boolean } = {}): string[] {
  const values = (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(String);
  return (opts.commas ? values.flatMap((x) => x.split(',')) : values).map((x) => x.trim()).filter(Boolean);
}
