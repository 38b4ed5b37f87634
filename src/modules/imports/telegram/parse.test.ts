import { describe, expect, it } from 'vitest';
import { flattenText, jsonDeeperThan, mediaPathProblem, parseTelegramExport, RefusedExport } from './parse.js';

const chat = (messages: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'Вясновы вечар', type: 'public_channel', id: 1234567890, messages, ...extra });

const msg = (extra: Record<string, unknown>) => ({ id: 10, type: 'message', date: '2020-08-10T23:15:00', date_unixtime: '1597090500', from: 'Вясновы вечар', from_id: 'channel1234567890', text: '', text_entities: [], ...extra });

describe('Telegram export parser', () => {
  it('reads one chat: ids, the UTC date from unixtime, the local date as written, chat kind in the catalog’s spelling', () => {
    const p = parseTelegramExport(chat([msg({ text: 'Добры вечар' })]));
    expect(p.chats).toEqual([{ id: '1234567890', name: 'Вясновы вечар', type: 'public-channel' }]);
    expect(p.seen).toBe(1);
    expect(p.messages).toHaveLength(1);
    const m = p.messages[0]!;
    expect(m).toMatchObject({ id: 10, date: '2020-08-10T20:15:00Z', dateLocal: '2020-08-10T23:15:00', author: 'Вясновы вечар', authorId: 'channel1234567890', text: 'Добры вечар', links: [], media: [] });
  });

  it('flattens text with entities and collects links (plain URLs and text links, each once)', () => {
    const entities = [
      { type: 'plain', text: 'Відэа: ' },
      { type: 'link', text: 'https://example.org/v/1' },
      { type: 'plain', text: ', ' },
      { type: 'bold', text: 'затрыманні' },
      { type: 'plain', text: ' — ' },
      { type: 'text_link', text: 'падрабязней', href: 'https://example.org/more' },
      { type: 'link', text: 'https://example.org/v/1' },
    ];
    const m = parseTelegramExport(chat([msg({ text: entities.map((e) => (e.type === 'plain' ? e.text : e)), text_entities: entities })])).messages[0]!;
    expect(m.text).toBe('Відэа: https://example.org/v/1, затрыманні — падрабязнейhttps://example.org/v/1');
    expect(m.links).toEqual(['https://example.org/v/1', 'https://example.org/more']);
    // older exports have only `text`, mixing strings and entities
    expect(flattenText(['a ', { type: 'text_link', text: 'b', href: 'https://x.example/' }, ' c'])).toEqual({ text: 'a b c', links: ['https://x.example/'] });
  });

  it('keeps forwarded-from, reply-to, the edit time and a channel post’s signature', () => {
    const m = parseTelegramExport(chat([msg({ forwarded_from: 'Другі канал', reply_to_message_id: 9, edited: '2020-08-11T00:15:00', edited_unixtime: '1597094100', author: 'Рэдакцыя' })])).messages[0]!;
    expect(m).toMatchObject({ forwardedFrom: 'Другі канал', replyTo: 9, edited: '2020-08-10T21:15:00Z', author: 'Рэдакцыя' });
  });

  it('names attached files, and lists those the export left out ("File not included")', () => {
    const p = parseTelegramExport(
      chat([
        msg({ id: 1, photo: 'photos/photo_1@10-08-2020_23-15-00.jpg', width: 800, height: 600 }),
        msg({ id: 2, file: 'video_files/v.mp4', thumbnail: 'video_files/v.mp4_thumb.jpg', media_type: 'video_file', mime_type: 'video/mp4' }),
        msg({ id: 3, file: '(File not included. Change data exporting settings to download.)', media_type: 'video_file' }),
      ]),
    );
    expect(p.messages.map((m) => m.media)).toEqual([['photos/photo_1@10-08-2020_23-15-00.jpg'], ['video_files/v.mp4'], []]);
    expect(p.messages.map((m) => m.mediaType)).toEqual(['photo', 'video_file', 'video_file']);
    expect(p.messages[2]!.absentMedia).toEqual(['file: File not included. Change data exporting settings to download.']);
  });

  it('skips service messages and malformed entries, saying why', () => {
    const p = parseTelegramExport(chat([msg({ id: 1 }), { id: 2, type: 'service', action: 'pin_message', date: '2020-08-10T23:16:00', date_unixtime: '1597090560' }, msg({ id: 'x' }), msg({ id: 4, date_unixtime: undefined, date: undefined }), 7]));
    expect(p.seen).toBe(5);
    expect(p.messages.map((m) => m.id)).toEqual([1]);
    expect(p.skipped.map((s) => s.where)).toEqual(['message 2', 'message x', 'message 4', 'message ?']);
    expect(p.skipped[0]!.reason).toMatch(/service message \(pin_message\)/);
    expect(p.skipped.map((s) => [s.code, s.params])).toEqual([
      ['service-message', { action: 'pin_message' }],
      ['no-message-id', undefined],
      ['no-message-date', undefined],
      ['entry-not-an-object', undefined],
    ]);
  });

  it('reads the whole account’s export (chats.list and left_chats.list), telling chats apart in problems', () => {
    const text = JSON.stringify({
      about: 'Here is the data you requested.',
      personal_information: { first_name: 'X' },
      chats: { about: '…', list: [{ name: 'Група', type: 'private_supergroup', id: 11, messages: [msg({ id: 1 }), { id: 2, type: 'service', action: 'invite_members' }] }, { name: null, type: 'personal_chat', id: 12, messages: [msg({ id: 1 })] }] },
      left_chats: { about: '…', list: [{ name: 'Стары канал', type: 'private_channel', id: 13, messages: [msg({ id: 5 })] }] },
    });
    const p = parseTelegramExport(text);
    expect(p.chats.map((c) => [c.id, c.name, c.type])).toEqual([
      ['11', 'Група', 'private-supergroup'],
      ['12', 'chat 12', 'personal-chat'],
      ['13', 'Стары канал', 'private-channel'],
    ]);
    expect(p.messages.map((m) => `${m.chat.id}/${m.id}`)).toEqual(['11/1', '12/1', '13/5']);
    expect(p.skipped).toEqual([{ where: 'message 2 in chat 11', reason: expect.stringMatching(/service message/), code: 'service-message', params: { action: 'invite_members' } }]);
  });

  it('reads old exports without unixtime by their local date, and says so once per chat', () => {
    const p = parseTelegramExport(chat([msg({ id: 1, date_unixtime: undefined }), msg({ id: 2, date_unixtime: undefined })]));
    expect(p.messages.map((m) => m.date)).toEqual(['2020-08-10T23:15:00Z', '2020-08-10T23:15:00Z']);
    expect(p.skipped).toHaveLength(1);
    expect(p.skipped[0]!.reason).toMatch(/no date_unixtime/);
    expect(p.skipped[0]!.code).toBe('local-dates-as-utc');
  });

  it('refuses JSON nested 100,000 deep before parsing it (no stack overflow), and text that is not JSON or not an export', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonDeeperThan(deep, 32)).toBe(true);
    expect(() => parseTelegramExport(deep)).toThrow(RefusedExport);
    expect(() => parseTelegramExport(deep)).toThrow(/nests deeper than 32 levels/);
    // brackets inside strings do not count
    expect(jsonDeeperThan(JSON.stringify({ text: '['.repeat(1000) + '"\\"{{{' }), 3)).toBe(false);
    expect(() => parseTelegramExport('<html>not json</html>')).toThrow(/result.json is not JSON/);
    expect(() => parseTelegramExport('[1,2]')).toThrow(/not a Telegram Desktop export: its top level is not an object/);
    expect(() => parseTelegramExport('{"foo":1}')).toThrow(/neither "messages" \(one chat\) nor "chats.list"/);
    // a byte-order mark is allowed
    expect(parseTelegramExport('\ufeff' + chat([])).chats).toHaveLength(1);
  });

  it('tells which media paths may not be opened', () => {
    expect(mediaPathProblem('photos/photo_1@10-08-2020_23-15-00.jpg')).toBeNull();
    expect(mediaPathProblem('files\\пратакол.pdf')).toBeNull();
    expect(mediaPathProblem('../outside.jpg')).toMatch(/climbs out/);
    expect(mediaPathProblem('photos/../../etc/passwd')).toMatch(/climbs out/);
    expect(mediaPathProblem('..\\..\\win.ini')).toMatch(/climbs out/);
    expect(mediaPathProblem('/etc/passwd')).toMatch(/absolute/);
    expect(mediaPathProblem('C:/Windows/win.ini')).toMatch(/absolute/);
    expect(mediaPathProblem('photos/a\0.jpg')).toMatch(/NUL/);
  });
});
