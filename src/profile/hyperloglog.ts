/**
 * HyperLogLog (Flajolet, Fusy, Gandouet, Meunier 2007) for distinct counts
 * beyond the exact limit, with Otmar Ertl's improved estimator ("New
 * cardinality estimation algorithms for HyperLogLog sketches", 2017), which
 * needs no empirical bias tables and keeps the error near 1.04 / √m at every
 * cardinality (the classic estimator with linear counting is biased between
 * about 2.5m and 5m). 2^14 registers give a standard error of 0.81%; the test
 * measures it (test/profile/sketches.test.ts).
 *
 * Written here rather than taken from npm: the one maintained JavaScript
 * package with an HLL (bloom-filters) gave estimates far off the truth in its
 * own issue tracker (#69), and the algorithm is 40 lines. The hash is not
 * written here: 32 bits of MurmurHash3 (imurmurhash), 14 for the register and
 * 18 for the rank. Ertl's estimator accounts for the saturated top rank, and
 * hash collisions stay below 1% of the count up to about 10^8 distinct values.
 *
 * Mergeable: the union of two sketches is the register-wise maximum.
 */
import murmur from 'imurmurhash';

export const HLL_PRECISION = 14;
const REGISTERS = 1 << HLL_PRECISION;
/** Bits of the 32-bit hash left for the rank once the register index is taken: a rank is 1 … RANK_BITS + 1. */
const RANK_BITS = 32 - HLL_PRECISION;
const RANK_MASK = (1 << RANK_BITS) - 1;
const ALPHA_INFINITY = 0.5 / Math.LN2;

/** The relative standard error of the estimate. */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(REGISTERS);

export class HyperLogLog {
  private readonly registers = new Uint8Array(REGISTERS);

  add(text: string): void {
    const hash = murmur(text, 0x9747b28c).result();
    const index = hash >>> RANK_BITS;
    const rest = hash & RANK_MASK;
    // Rank: position of the first 1 bit in the RANK_BITS low bits (RANK_BITS + 1 when all are 0).
    const rank = rest === 0 ? RANK_BITS + 1 : Math.clz32(rest) - (32 - RANK_BITS) + 1;
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  merge(other: HyperLogLog): void {
    for (let i = 0; i < REGISTERS; i++) if (other.registers[i] > this.registers[i]) this.registers[i] = other.registers[i];
  }

  estimate(): number {
    // Histogram of register values: C[k] registers hold k (0 … RANK_BITS + 1).
    const c = new Array<number>(RANK_BITS + 2).fill(0);
    for (let i = 0; i < REGISTERS; i++) c[this.registers[i]]++;
    let z = REGISTERS * tau(1 - c[RANK_BITS + 1] / REGISTERS);
    for (let k = RANK_BITS; k >= 1; k--) z = 0.5 * (z + c[k]);
    z += REGISTERS * sigma(c[0] / REGISTERS);
    return Math.round((ALPHA_INFINITY * REGISTERS * REGISTERS) / z);
  }
}

/** Ertl's σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k−1), for the registers still 0. */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const before = z;
    z += x * y;
    y += y;
    if (z === before) return z;
  }
}

/** Ertl's τ(x), for the registers at the largest rank. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const before = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === before) return z / 3;
  }
}
