/**
 * Kubernetes resource quantities (`250m`, `1.5`, `512Mi`, `1G`) as numbers:
 * the one reader every layer uses (skills size nodes and limits, cost
 * prices them, the guide and the policy rules compare them).
 */

/** Factors of the suffixes Kubernetes accepts (decimal SI and binary). */
const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * Any quantity (`500m`, `2Gi`, `1e3`, 0.5) as a number, undefined when it
 * is not one: for objects read back from a package, which may hold
 * anything.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(
    value.trim(),
  );
  if (!match || !(match[2] in SUFFIXES)) return undefined;
  return Number(match[1]) * SUFFIXES[match[2]];
}

/** The memory and storage suffixes the spec allows (K is read as k). */
const BYTE_FACTORS: Record<string, number> = {
  '': 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
};

/**
 * A memory or storage quantity of the spec in bytes (`512Mi`, `1Gi`, `1G`,
 * `1000`). Throws for anything else: spec values are validated first.
 */
export function memoryBytes(quantity: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|K|M|G|T|P)?$/.exec(
    quantity.trim(),
  );
  if (!match) throw new Error(`unsupported memory quantity '${quantity}'`);
  return Number(match[1]) * BYTE_FACTORS[match[2] ?? ''];
}

/** Memory in MiB ("128Mi" → 128, "1Gi" → 1024, "1G" → 953.67). */
export function memoryMiB(quantity: string): number {
  return memoryBytes(quantity) / 1024 ** 2;
}

/** A CPU quantity of the spec in millicores ("250m" → 250, "1.5" → 1500). */
export function cpuMillicores(quantity: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(quantity.trim());
  if (!match) {
    throw new Error(`unsupported cpu quantity '${quantity}'`);
  }
  const value = Number(match[1]);
  return match[2] === 'm' ? Math.round(value) : Math.round(value * 1000);
}

/** Millicores as the shortest canonical quantity (4000 → "4", 400 → "400m"). */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}
