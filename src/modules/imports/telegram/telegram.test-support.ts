import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

/**
 * Writes exports in Telegram Desktop's machine-readable format ("Export chat history", JSON), as
 * the tests and the benchmark need them: result.json with `messages`, and the media folders
 * beside it (photos/, video_files/, files/). Everything about message `id` follows from the id
 * (text, links, forward, reply, media bytes), so two exports of one channel that overlap carry the
 * same messages and the same files where they overlap, as real ones do.
 */

const run = promisify(execFile);

export interface ExportSpec {
  /** Ids of the messages, in order (e.g. 1…1000, or 501…1500 for an export overlapping by half). */
  ids: number[];
  /** Ids of the messages that carry a file: a photo, or every `videoEvery`-th a video, every `fileEvery`-th a document. */
  mediaIds?: Set<number>;
  chat?: { id: number; name: string; type: string };
  /** Ids whose message was edited after it was posted (its text then says so). */
  editedIds?: Set<number>;
  /** Service messages (a pinned message) put after these ids: the import skips them. */
  serviceAfter?: number[];
  /** A short MP4 to attach where a video falls (made by `makeVideo`); without one, a photo is attached instead. */
  video?: Buffer;
  videoEvery?: number;
  fileEvery?: number;
  /** `whole`: the account's export (`chats.list`) instead of one chat's. */
  shape?: 'chat' | 'whole';
}

export const TEST_CHAT = { id: 1_234_567_890, name: 'Вясновы вечар (test channel)', type: 'public_channel' };

const T0 = Date.UTC(2020, 7, 9, 19, 0, 0) / 1000; // 2020-08-09 22:00 in Minsk

/** The local time string Telegram Desktop writes (the exporting computer in Minsk, UTC+3). */
const localOf = (unix: number) => new Date((unix + 3 * 3600) * 1000).toISOString().slice(0, 19);

/** The words of message `id`: Belarusian and Russian, with a word unique to it for searches. */
export const uniqueWord = (id: number) => `пост${id}слова`;

/** A small JPEG different for every id (its colour comes from the id). */
export async function photoBytes(id: number): Promise<Buffer> {
  return sharp({ create: { width: 24, height: 16, channels: 3, background: { r: id % 256, g: (id >> 8) % 256, b: (id * 37) % 256 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** A one-second 64×48 MP4 made with ffmpeg (callers check that ffmpeg exists). */
export async function makeVideo(dir: string, seed = 0): Promise<Buffer> {
  const out = join(dir, `video-${seed}.mp4`);
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=64x48:rate=10:n=${seed % 5}`, '-t', '1', '-pix_fmt', 'yuv420p', out]);
  return readFile(out);
}

/** Message `id` as Telegram Desktop writes it, and the file it names (path and bytes), if any. */
async function messageOf(id: number, spec: ExportSpec): Promise<{ message: Record<string, unknown>; file?: { path: string; bytes: Buffer } }> {
  const unix = T0 + id * 60;
  const entities: Record<string, unknown>[] = [
    { type: 'plain', text: `Паведамленне ${id}: ` },
    { type: 'bold', text: 'затрыманні' },
    { type: 'plain', text: ` каля метро, ${uniqueWord(id)}. Падрабязнасці: ` },
    { type: 'link', text: `https://example.org/post/${id}` },
  ];
  if (id % 3 === 0) entities.push({ type: 'plain', text: ' і ' }, { type: 'text_link', text: 'тут', href: `https://example.org/more/${id}` });
  if (spec.editedIds?.has(id)) entities.push({ type: 'plain', text: ' (абноўлена)' });
  const message: Record<string, unknown> = {
    id,
    type: 'message',
    date: localOf(unix),
    date_unixtime: String(unix),
    from: spec.chat?.name ?? TEST_CHAT.name,
    from_id: `channel${spec.chat?.id ?? TEST_CHAT.id}`,
  };
  if (spec.editedIds?.has(id)) Object.assign(message, { edited: localOf(unix + 3600), edited_unixtime: String(unix + 3600) });
  if (id % 7 === 0) message.author = 'Рэдакцыя';
  if (id % 5 === 0) message.forwarded_from = 'Другі канал';
  if (id % 4 === 0 && id > 1) message.reply_to_message_id = id - 1;
  let file: { path: string; bytes: Buffer } | undefined;
  if (spec.mediaIds?.has(id)) {
    const stamp = localOf(unix).replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/, '$3-$2-$1_$4-$5-$6');
    if (spec.video && spec.videoEvery && id % spec.videoEvery === 0) {
      file = { path: `video_files/video_${id}@${stamp}.mp4`, bytes: spec.video };
      Object.assign(message, { file: file.path, thumbnail: `${file.path}_thumb.jpg`, media_type: 'video_file', mime_type: 'video/mp4', duration_seconds: 1, width: 64, height: 48 });
    } else if (spec.fileEvery && id % spec.fileEvery === 0) {
      file = { path: `files/пратакол_${id}.txt`, bytes: Buffer.from(`Пратакол ${id}\n`.repeat(8)) };
      Object.assign(message, { file: file.path, mime_type: 'text/plain' });
    } else {
      file = { path: `photos/photo_${id}@${stamp}.jpg`, bytes: await photoBytes(id) };
      Object.assign(message, { photo: file.path, width: 24, height: 16 });
    }
  }
  message.text = entities.map((e) => (e.type === 'plain' ? e.text : e));
  message.text_entities = entities;
  return { message, file };
}

/**
 * Writes an export into `dir` (which must exist) and returns how many files it wrote.
 *
 * @example await writeTelegramExport(dir, { ids: range(1, 1000), mediaIds: new Set(range(1, 1000).filter((i) => i % 5 === 0)) })
 */
export async function writeTelegramExport(dir: string, spec: ExportSpec): Promise<{ files: number }> {
  const chat = spec.chat ?? TEST_CHAT;
  const messages: Record<string, unknown>[] = [];
  const written = new Set<string>();
  for (const id of spec.ids) {
    const { message, file } = await messageOf(id, spec);
    messages.push(message);
    if (file && !written.has(file.path)) {
      await mkdir(join(dir, file.path, '..'), { recursive: true });
      await writeFile(join(dir, file.path), file.bytes);
      written.add(file.path);
    }
    if (spec.serviceAfter?.includes(id))
      messages.push({ id: 900_000_000 + id, type: 'service', date: localOf(T0 + id * 60 + 1), date_unixtime: String(T0 + id * 60 + 1), actor: chat.name, actor_id: `channel${chat.id}`, action: 'pin_message', message_id: id, text: '', text_entities: [] });
  }
  const one = { name: chat.name, type: chat.type, id: chat.id, messages };
  const root = spec.shape === 'whole' ? { about: 'Here is the data you requested.', chats: { about: 'This page lists all chats from this export.', list: [one] } } : one;
  await writeFile(join(dir, 'result.json'), JSON.stringify(root, null, 1));
  return { files: written.size };
}

/** The whole numbers from `a` to `b`, both included. */
export const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
