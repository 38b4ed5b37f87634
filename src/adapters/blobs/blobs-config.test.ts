import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseBlobsConfig } from '../../app/config.js';
import { createBlobStore } from '../../app/container.js';

describe('LETAPIS_BLOBS', () => {
  it('defaults to the blobs folder of the data dir; takes another folder by path or file URL', () => {
    expect(loadConfig({ LETAPIS_DATA_DIR: '/srv/letapis' }).blobStore).toEqual({ driver: 'disk', dir: '/srv/letapis/blobs' });
    expect(parseBlobsConfig('/mnt/evidence/', {}, '/d')).toEqual({ driver: 'disk', dir: '/mnt/evidence' });
    expect(parseBlobsConfig('file:///mnt/evidence%20store', {}, '/d')).toEqual({ driver: 'disk', dir: '/mnt/evidence store' });
    expect(createBlobStore(loadConfig({ LETAPIS_DATA_DIR: '/srv/letapis' })).describe).toBe('disk at /srv/letapis/blobs');
  });

  it('reads an S3 bucket, prefix and options, with credentials from the AWS variables only', () => {
    const env = { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-central-1' };
    expect(parseBlobsConfig('s3://evidence-bucket/letapis/blobs?endpoint=http://127.0.0.1:9000&checksums=when_required', env, '/d')).toEqual({
      driver: 's3',
      bucket: 'evidence-bucket',
      prefix: 'letapis/blobs',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-central-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
      checksums: 'when_required',
    });
    expect(parseBlobsConfig('s3://aws-bucket', {}, '/d')).toMatchObject({ prefix: '', endpoint: undefined, region: 'us-east-1', forcePathStyle: false, credentials: undefined, checksums: 'when_supported' });
    expect(parseBlobsConfig('s3://b-1/p?endpoint=https://s3.example.org&forcePathStyle=false&region=x', {}, '/d')).toMatchObject({ forcePathStyle: false, region: 'x' });
    const store = createBlobStore(loadConfig({ LETAPIS_BLOBS: 's3://evidence/p?endpoint=http://127.0.0.1:9000', ...env }));
    expect(store.describe).toBe('s3://evidence/p/ at http://127.0.0.1:9000');
    void store.close();
  });

  it('refuses what it cannot use, saying what is expected', () => {
    const bad: [string, Record<string, string>, RegExp][] = [
      ['relative/folder', {}, /absolute folder/],
      ['https://bucket/x', {}, /s3:\/\//],
      ['s3://key:secret@bucket/x', {}, /credentials/],
      ['s3://Bad_Bucket/x', {}, /bucket name/],
      ['s3://bucket/x?endpont=http://x', {}, /unknown parameter "endpont"/],
      ['s3://bucket/x?endpoint=ftp://x', {}, /http/],
      ['s3://bucket/x?forcePathStyle=yes', {}, /true or false/],
      ['s3://bucket/x?checksums=never', {}, /when_required/],
      ['s3://bucket/x', { AWS_ACCESS_KEY_ID: 'only-the-id' }, /both/],
    ];
    for (const [raw, env, message] of bad) expect(() => parseBlobsConfig(raw, env, '/d'), raw).toThrow(message);
    expect(() => loadConfig({ LETAPIS_BLOBS: 'relative' })).toThrow(ConfigError);
  });
});
