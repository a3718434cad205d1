// Synthetic lesions — moved to scripts/lib/synth.ts; tests import it from here.
export * from '../../../scripts/lib/synth';
