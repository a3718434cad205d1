// Codec bombs — moved to scripts/lib/bombs.ts; tests import it from here.
export * from '../../scripts/lib/bombs';
