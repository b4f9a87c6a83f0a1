import {
  cpuMillicores,
  formatCpu,
  memoryBytes,
  memoryMiB,
  parseQuantity,
} from './quantities';

describe('quantities', () => {
  it.each([
    ['250m', 250],
    ['1', 1000],
    ['1.5', 1500],
    [' 2 ', 2000],
  ])('cpuMillicores(%s) = %d', (quantity, millicores) => {
    expect(cpuMillicores(quantity)).toBe(millicores);
  });

  it('formats millicores as the shortest quantity', () => {
    expect(formatCpu(4000)).toBe('4');
    expect(formatCpu(400)).toBe('400m');
  });

  it.each([
    ['1000', 1000],
    ['1Ki', 1024],
    ['512Mi', 512 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['2K', 2000],
    ['1G', 1e9],
    ['1Pi', 2 ** 50],
  ])('memoryBytes(%s) = %d', (quantity, bytes) => {
    expect(memoryBytes(quantity)).toBe(bytes);
  });

  it('gives MiB with the binary factor', () => {
    expect(memoryMiB('128Mi')).toBe(128);
    expect(memoryMiB('1Gi')).toBe(1024);
    expect(memoryMiB('1G')).toBeCloseTo(953.67, 2);
  });

  it('throws for what the spec does not allow', () => {
    expect(() => cpuMillicores('lots')).toThrow(
      "unsupported cpu quantity 'lots'",
    );
    expect(() => memoryBytes('1Xi')).toThrow(
      "unsupported memory quantity '1Xi'",
    );
  });

  it('reads any Kubernetes quantity of an object, or undefined', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('128M')).toBe(128e6);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(0.25)).toBe(0.25);
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity({})).toBeUndefined();
  });
});
