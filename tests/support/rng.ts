// Seeded random numbers — moved to scripts/lib/rng.ts; tests import it from here.
export * from '../../scripts/lib/rng';
