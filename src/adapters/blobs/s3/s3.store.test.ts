import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, openTestContainer } from '../../../test-support/dialects.js';
import { newBlobName } from '../blob-name.js';
import { blobStoreContract, generated } from '../blob-store.test-suite.js';
import { EncryptedBlobStore } from '../encrypted/encrypted.store.js';
import { S3BlobStore } from './s3.store.js';
import { startS3rver, type S3rverProcess } from './s3rver.test-support.js';

// one s3rver process for this file, on a free loopback port, in a temporary folder
let s3: S3rverProcess;
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
});

describe('S3 blob store (s3rver through the AWS SDK)', () => {
  blobStoreContract(async () => {
    const store = new S3BlobStore(s3.storeOptions('plain/'));
    return { store, raw: store, close: () => store.close() };
  });
});

describeEachDialect('S3 blob store, encrypted', (dialect) => {
  blobStoreContract(async () => {
    const c = await openTestContainer(dialect);
    const raw = new S3BlobStore(s3.storeOptions(`encrypted-${dialect}/`));
    return {
      store: new EncryptedBlobStore(raw, { db: c.db, vault: c.vault }),
      raw,
      keys: { db: c.db, vault: c.vault },
      close: async () => {
        await raw.close();
        await c.close();
      },
    };
  }, { encrypted: true });
});

describe('S3 blob store: keys and uploads', () => {
  it('stores objects under the prefix, by name only, with multipart uploads for large blobs', async () => {
    const store = new S3BlobStore(s3.storeOptions('prefixed/path'));
    try {
      const small = newBlobName();
      const large = newBlobName();
      await store.put(small, [Buffer.from('x')]);
      await store.put(large, generated(12 * 1024 * 1024 + 1)); // three 5 MiB parts
      const listed = await store.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'prefixed/' }));
      expect((listed.Contents ?? []).map((o) => [o.Key, o.Size]).sort()).toEqual(
        [
          [`prefixed/path/${small}`, 1],
          [`prefixed/path/${large}`, 12 * 1024 * 1024 + 1],
        ].sort(),
      );
    } finally {
      await store.close();
    }
  });

  it('describes itself without credentials', () => {
    const store = new S3BlobStore(s3.storeOptions('p'));
    expect(store.describe).toBe(`s3://${s3.bucket}/p/ at ${s3.endpoint}`);
    expect(store.describe).not.toContain('S3RVER');
    void store.close();
  });
});
