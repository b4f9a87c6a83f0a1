/**
 * Removes empty strings, nulls and empty objects that a form leaves behind.
 * The scaffolder actions apply it to their `architecture` input and the
 * browser's plan preview to the form data, so that the preview sees exactly
 * what the action will see. Empty arrays are kept (an empty `environments`
 * is an error in both places).
 *
 * @public
 */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(pruneEmpty).filter(v => v !== undefined);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const pruned = pruneEmpty(child);
      const empty =
        pruned === undefined ||
        (typeof pruned === 'object' &&
          pruned !== null &&
          !Array.isArray(pruned) &&
          Object.keys(pruned).length === 0);
      if (!empty) {
        out[key] = pruned;
      }
    }
    return out;
  }
  if (value === '' || value === null) {
    return undefined;
  }
  return value;
}
