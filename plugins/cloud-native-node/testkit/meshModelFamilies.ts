import { StrictIssue } from '../src/core/strict';

/** What a strict model family (Linkerd, Knative) exposes to the skills. */
export interface CheckedFamily {
  isMember(value: unknown): boolean;
  validate(value: unknown): StrictIssue[];
}

/**
 * The assertions every model family must pass on what it does not model: a
 * modelled kind at another version is refused on `apiVersion` with
 * `versionMessage`; a kind of the group that has no model is refused on
 * `kind`; an object of another API group is no member.
 */
export function expectRefusesUnmodelled(
  family: CheckedFamily,
  cases: {
    otherVersion: unknown;
    versionMessage: string;
    unmodelledKind: unknown;
  },
): void {
  expect(family.validate(cases.otherVersion)).toEqual([
    { path: 'apiVersion', message: cases.versionMessage },
  ]);
  expect(family.validate(cases.unmodelledKind).map(i => i.path)).toEqual([
    'kind',
  ]);
  expect(
    family.isMember({ apiVersion: 'networking.istio.io/v1', kind: 'X' }),
  ).toBe(false);
}
