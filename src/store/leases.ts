// Store interface for job leases: a scheduled job (harvest, embedding, digest) runs on one node at a time.

export interface LeaseHolder {
  holder: string;
  /** ISO time until which the holder owns the lease unless it renews it. */
  until: string;
  acquiredAt: string;
}

export interface LeaseRepo {
  /**
   * Takes the named lease for `holder` until now + `ttlMs` when nobody holds it, its holder let it
   * expire, or `holder` already holds it (a renewal). True when `holder` holds it afterwards.
   */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once, if `holder` holds it. */
  release(name: string, holder: string): Promise<void>;
  /** Who holds the lease now; null when nobody does or the holder let it expire. */
  current(name: string): Promise<LeaseHolder | null>;
}
