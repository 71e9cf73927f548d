// For a value the code knows is there (a row it has just written or locked, a setting checked at start,
// a map key it has just set) where the type cannot say so. Instead of a non-null assertion, which would
// let a broken assumption surface later as "cannot read properties of undefined", it fails at once and
// names what was missing. It is a plain Error, so a request sees the generic 500 with its request id.

/** `value`, or an Error saying that `what` is missing when it is null or undefined. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`Internal error: ${what} is missing`);
  return value;
}
