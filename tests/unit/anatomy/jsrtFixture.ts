// JSRT images and masks — moved to scripts/lib/jsrtFixture.ts; tests import it from here.
export * from '../../../scripts/lib/jsrtFixture';
