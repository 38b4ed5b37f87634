import yauzl from 'yauzl';
import { ListReadError } from '../lists/read.js';

/**
 * The files of an interchange ZIP, read into memory within limits: no entry whose name leaves the
 * archive (`..`, absolute paths, backslashes, drive letters), no symbolic links, at most `maxEntries`
 * entries and `maxBytes` once inflated — counted while inflating, since the sizes a ZIP declares may
 * lie (zip bombs). Folders are skipped.
 */
export async function readZipFiles(bytes: Buffer, limits = { maxEntries: 1000, maxBytes: 256 * 1024 * 1024 }): Promise<{ name: string; bytes: Buffer }[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (err, z) =>
      err ? reject(new ListReadError(`the file is not a readable ZIP: ${err.message}`)) : resolve(z!),
    ),
  );
  const out: { name: string; bytes: Buffer }[] = [];
  let total = 0;
  let count = 0;
  const tooLarge = () => new ListReadError(`the ZIP inflates to more than ${Math.round(limits.maxBytes / 1024 / 1024)} MB: refused (a zip bomb, or export fewer records at a time)`);
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => reject(e instanceof ListReadError ? e : new ListReadError(`the ZIP is damaged or holds a name that leaves the archive: ${e.message.slice(0, 160)}`)));
      zip.on('end', () => resolve());
      zip.on('entry', (e: yauzl.Entry) => {
        count++;
        if (count > limits.maxEntries) return reject(new ListReadError(`the ZIP holds more than ${limits.maxEntries} files: refused`));
        const name = e.fileName;
        if (name.startsWith('/') || name.includes('\\') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..'))
          return reject(new ListReadError(`the ZIP holds a file whose name leaves the archive ("${name.slice(0, 100)}"): refused`));
        if (((e.externalFileAttributes >>> 16) & 0o170000) === 0o120000) return reject(new ListReadError(`the ZIP holds a symbolic link ("${name.slice(0, 100)}"): refused`));
        if (total + e.uncompressedSize > limits.maxBytes) return reject(tooLarge());
        if (name.endsWith('/')) return zip.readEntry();
        zip.openReadStream(e, (err, stream) => {
          if (err || !stream) return reject(new ListReadError(`the ZIP's entry "${name.slice(0, 100)}" cannot be read: ${err?.message}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => {
            total += c.length;
            if (total > limits.maxBytes) {
              stream.destroy();
              reject(tooLarge());
            } else chunks.push(c);
          });
          stream.on('error', (se) => reject(new ListReadError(`the ZIP's entry "${name.slice(0, 100)}" is damaged: ${se.message}`)));
          stream.on('end', () => {
            out.push({ name, bytes: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return out;
}
