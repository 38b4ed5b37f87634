import { describe } from 'vitest';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { blobStoreContract } from '../blob-store.test-suite.js';
import { EncryptedBlobStore } from '../encrypted/encrypted.store.js';
import { MemoryBlobStore } from './memory.store.js';

describe('memory blob store', () => {
  blobStoreContract(
    async () => {
      const store = new MemoryBlobStore();
      return { store, raw: store, close: () => store.close() };
    },
    { holdsBlobsInMemory: true },
  );
});

describeEachDialect('memory blob store, encrypted', (dialect) => {
  blobStoreContract(
    async () => {
      const c = await openTestContainer(dialect);
      const raw = new MemoryBlobStore();
      return { store: new EncryptedBlobStore(raw, { db: c.db, vault: c.vault }), raw, keys: { db: c.db, vault: c.vault }, close: () => c.close() };
    },
    { holdsBlobsInMemory: true, encrypted: true },
  );
});
