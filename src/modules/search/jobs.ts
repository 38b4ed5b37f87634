import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import type { JobHandlers } from '../../adapters/queue/queue.port.js';
import type { BlobStore } from '../../adapters/blobs/blob-store.port.js';
import { rebuildIndex } from './indexer.js';
import { rebuildNameIndex } from '../records/secrets.js';

declare module '../../adapters/queue/queue.port.js' {
  interface JobPayloads {
    'search.reindex': Record<string, never>;
  }
}

/** The `search.reindex` job: rebuilds the blind name index and the search index, with progress. */
export function searchJobHandlers(deps: { db: Kysely<any>; vault: KeyVault; blobs: BlobStore }): JobHandlers {
  return {
    'search.reindex': {
      timeoutMs: 12 * 60 * 60 * 1000,
      run: async (_payload, ctx) => {
        await ctx.progress(1, 'rebuilding the name index');
        const names = await rebuildNameIndex(deps.db, deps.vault);
        let last = 0;
        const docs = await rebuildIndex(
          deps.db,
          deps.vault,
          async (p) => {
            const pct = 5 + Math.floor((p.done / Math.max(1, p.total)) * 94);
            if (pct > last) {
              last = pct;
              await ctx.progress(pct, `${p.done} of ${p.total} records (${p.type})`);
            }
          },
          deps.blobs,
        );
        return { documents: docs, names };
      },
    },
  };
}
