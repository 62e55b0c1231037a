// Prints payment vectors from numpy-financial's pmt, through `financial`
// (its TypeScript port), for lending's TestLevelInstallmentMatchesNumpyFinancial:
//   node gen-pmt.mjs > pmt-vectors.json
// The terms come from a fixed-seed generator, so the output is the same on
// every run; the Go test also runs this and compares when Node is present.
import { pmt } from 'financial';

// mulberry32: a small seeded PRNG, so the terms are reproducible.
let seed = 20261127;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

const vectors = [];
let skipped = 0;
while (vectors.length < 2000) {
  const cents = int(100_000, 500_000_000); // 1,000.00 .. 5,000,000.00
  const bps = int(0, 3000); // 0 .. 30 % a year, in basis points
  const months = int(1, 480);
  const balloonCents = rand() < 0.25 ? int(0, cents - 1) : 0;
  const r = bps / 10000 / 12;
  // numpy-financial: pmt(rate, nper, pv, fv) with the balloon left owing as -fv.
  const p = -pmt(r, months, cents / 100, -balloonCents / 100);
  const x = p * 100;
  // Float cannot decide a half-cent tie: leave those out.
  if (Math.abs(x - Math.floor(x) - 0.5) < 1e-4) {
    skipped++;
    continue;
  }
  vectors.push({
    principal: (cents / 100).toFixed(2),
    annual_rate: (bps / 10000).toString(),
    months,
    balloon: (balloonCents / 100).toFixed(2),
    payment: (Math.round(x) / 100).toFixed(2),
  });
}
console.log(JSON.stringify({ source: 'financial@0.2.4 pmt (port of numpy-financial)', skipped_ties: skipped, vectors }, null, 1));
