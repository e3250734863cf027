import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * PGlite has no lock: a second process that opens the same data directory
 * starts without error and its writes are silently lost. Every process that
 * opens the embedded database (the server, jobs, seeds, imports) takes this
 * lock file first and refuses to run while another live process holds it.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockInfo,
  ) {
    super(
      `The embedded database in ${path.dirname(lockFile)} is in use by ${holder.owner} ` +
        `(process ${holder.pid}, since ${holder.since}). PGlite cannot be shared between processes: ` +
        `stop that process first, or run this against PostgreSQL with DATABASE_URL.`,
    );
    this.name = "DataDirLockedError";
  }
}

type LockInfo = { pid: number; host: string; owner: string; since: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | null {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (
      parsed &&
      typeof parsed === "object" &&
      "pid" in parsed &&
      typeof parsed.pid === "number" &&
      "host" in parsed &&
      typeof parsed.host === "string"
    ) {
      const owner = "owner" in parsed && typeof parsed.owner === "string" ? parsed.owner : "another process";
      const since = "since" in parsed && typeof parsed.since === "string" ? parsed.since : "unknown";
      return { pid: parsed.pid, host: parsed.host, owner, since };
    }
  } catch {
    // unreadable or half-written: treated as stale below
  }
  return null;
}

export type DataDirLock = { file: string; release: () => void };

/** Takes DATA_DIR's lock or throws DataDirLockedError naming the holder. */
export function acquireDataDirLock(dataDir: string, owner: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(path.resolve(dataDir), "embedded-db.lock");
  const info: LockInfo = { pid: process.pid, host: os.hostname(), owner, since: new Date().toISOString() };
  for (let tries = 0; tries < 3; tries++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const current = readLock(file);
        if (current?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.once("exit", release);
      return { file, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readLock(file);
      // Held by a live process, this one included: one handle per process too.
      if (holder && holder.host === os.hostname() && isAlive(holder.pid)) {
        throw new DataDirLockedError(file, holder);
      }
      if (holder && holder.host !== os.hostname()) {
        // Another machine shares this directory: we cannot tell whether it lives.
        throw new DataDirLockedError(file, holder);
      }
      // Stale lock from a process that died without cleaning up.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
