/**
 * Exclusive access to a file shared by concurrent runs (the audit log, the
 * history store): proper-lockfile's lock, an atomic mkdir of `<path>.lock`,
 * refreshed while held and taken over when its holder died (stale after 10 s).
 */
import lockfile from 'proper-lockfile';
import { AssayError, errorMessage } from './diagnostics.js';
import { refuseLink } from './write-file.js';

/** Lock wait: about 30 s in total, longer than the 10 s after which a dead holder's lock is stale. */
const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  retries: { retries: 150, factor: 1.2, minTimeout: 10, maxTimeout: 200, randomize: true },
};

/**
 * Run `fn` holding the lock of `path`. `what` names the file in messages
 * ("audit log reports/audit.jsonl"). `fn` gets a function that returns the
 * error when the lock was lost meanwhile (its holder must then not write).
 */
export async function withFileLock<T>(path: string, what: string, fn: (compromised: () => Error | undefined) => T | Promise<T>): Promise<T> {
  // The lock beside the file is never reached through a link (util/write-file.ts).
  refuseLink(`${path}.lock`);
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, { ...LOCK_OPTIONS, onCompromised: (e) => (compromised = e) });
  } catch (e) {
    const busy = (e as NodeJS.ErrnoException).code === 'ELOCKED';
    throw new AssayError(
      'usage',
      `cannot lock ${what}: ${busy ? 'another run holds the lock' : errorMessage(e)}`,
      busy ? `if no assay run is active, remove ${path}.lock` : undefined,
    );
  }
  try {
    return await fn(() => compromised);
  } finally {
    await release().catch(() => undefined);
  }
}
