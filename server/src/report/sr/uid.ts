/** UIDs for the SR: 2.25.<UUID as an integer> (PS3.5 B.2), no registered root needed. */
import { createHash, randomUUID } from 'node:crypto';

/** A fresh UID. */
export const newUid = (): string => `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;

/** A UID derived from a name, stable across runs (e.g. the Device Observer UID). */
export function nameUid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${h}`).toString()}`;
}
