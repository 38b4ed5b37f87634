import { checkpointDue, makeCheckpoint, timestampCheckpoint, type LedgerDeps } from './checkpoints.js';

export interface CheckpointerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Signs checkpoints in the background when they are due (every N events or T minutes, see
 * LedgerConfig) and asks the configured time-stamping authorities to timestamp them. Skips its
 * turn while the vault is sealed; one turn at a time.
 */
export class Checkpointer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: LedgerDeps,
    private readonly log: CheckpointerLog,
    private readonly everyMs = 2_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One turn: a checkpoint if one is due, then its timestamps. */
  async tick(): Promise<void> {
    try {
      if (this.deps.vault.isSealed()) return;
      const due = await checkpointDue(this.deps);
      if (!due) return;
      const cp = await makeCheckpoint(this.deps, due);
      if (!cp) return;
      this.log.info({ size: cp.size, reason: due }, 'ledger checkpoint signed');
      const failures = await timestampCheckpoint(this.deps, cp.size);
      for (const f of failures) this.log.warn({ size: cp.size, tsa: f.tsa, error: f.error }, 'time-stamping authority did not timestamp the checkpoint');
    } catch (e) {
      this.log.warn({ error: (e as Error).message }, 'ledger checkpoint failed; will try again');
    }
  }
}
