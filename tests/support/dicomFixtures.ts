// Synthetic DICOM fixtures — moved to scripts/lib/dicomFixtures.ts; tests import it from here.
export * from '../../scripts/lib/dicomFixtures';
