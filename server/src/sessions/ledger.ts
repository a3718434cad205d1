/**
 * Who holds which live session, and when each was last used: the basis of the per-client session
 * quota and of idle eviction (issue 11, item 7), so that one client cannot take every one of
 * `maxSessions` for the whole TTL.
 *
 * Kept in this process only: after a restart (or on another replica) sessions created earlier are
 * not attributed to anyone until they are used again; they still count towards `maxSessions` and
 * still expire with the TTL. A client is a token name when authentication is on, else the remote
 * address (see `clientKey` in http/security.ts).
 */
export interface LedgerEntry {
  id: string;
  owner: string;
  lastUsed: number;
}

export class SessionLedger {
  private entries = new Map<string, LedgerEntry>();

  constructor(private now: () => number = Date.now) {}

  add(id: string, owner: string): void {
    this.entries.set(id, { id, owner, lastUsed: this.now() });
  }

  /** Marks a session used (read or written through the service). */
  touch(id: string): void {
    const e = this.entries.get(id);
    if (e) e.lastUsed = this.now();
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  /** Forgets entries idle longer than the store's TTL: the store has expired those sessions. */
  prune(ttlMs: number): void {
    const cutoff = this.now() - ttlMs;
    for (const [id, e] of this.entries) if (e.lastUsed < cutoff) this.entries.delete(id);
  }

  /** The owner's sessions, least recently used first. */
  ownedBy(owner: string): LedgerEntry[] {
    return [...this.entries.values()].filter((e) => e.owner === owner).sort((a, b) => a.lastUsed - b.lastUsed);
  }

  /** The least recently used session of anyone, if it has been idle at least `idleMs`. */
  idlest(idleMs: number): LedgerEntry | null {
    let best: LedgerEntry | null = null;
    for (const e of this.entries.values()) if (!best || e.lastUsed < best.lastUsed) best = e;
    return best && this.now() - best.lastUsed >= idleMs ? best : null;
  }

  idleFor(e: LedgerEntry): number {
    return this.now() - e.lastUsed;
  }
}
