// An in-process test server — moved to scripts/lib/testServer.ts; tests import it from here.
export * from '../../scripts/lib/testServer';
