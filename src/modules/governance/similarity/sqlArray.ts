/**
 * A PostgreSQL array literal (`{"a","b"}`) to bind as ONE parameter and cast (`?::text[]`): em.execute expands a JS
 * array parameter into a comma list (and an empty one into nothing), which breaks `unnest(?)` and `any(?)`.
 */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
