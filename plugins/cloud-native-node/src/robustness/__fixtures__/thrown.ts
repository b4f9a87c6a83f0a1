/** What `run` threw, or undefined when it returned: for tests that check the kind of refusal. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}
