/**
 * The anonymous drop's page for sources (docs/DROP.md), served only by the drop listener. Everything
 * happens in this page: the codename is drawn here (src/domain/drop/codename.ts), the keys are derived
 * here (src/domain/drop/source-keys.ts over libsodium-wrappers-sumo), the message and the files are
 * sealed here to the organisation's public key, and only sealed boxes, the token and the public key are
 * sent. Replies are opened here. No cookie, no storage, no request to another origin.
 */
import sodiumModule from 'libsodium-wrappers-sumo';
import { generateCodename, normalizeCodename, type CodenameList } from '../../src/domain/drop/codename.js';
import { sourceKeyPair, sourceToken, type DropSodium } from '../../src/domain/drop/source-keys.js';
import { LANG_NAMES, STRINGS, type Lang } from './strings.js';

interface Info {
  publicKey: string;
  salt: string;
  lists: CodenameList[];
  limits: { messageBytes: number; fileBytes: number; files: number };
}

const SEAL_OVERHEAD = 48;
const root = document.getElementById('drop')!;
let lang: Lang = (['be', 'ru', 'en'] as const).find((l) => navigator.language.toLowerCase().startsWith(l)) ?? 'en';
let view: 'send' | 'back' = 'send';
let list: CodenameList = lang === 'en' ? 'en' : 'latin';
/** The codename of this visit after a first submission (kept in memory only, to send more). */
let current: string | undefined;
let shownCodename: string | undefined;
let status: { kind: 'info' | 'error'; text: string } | undefined;
let cameBack: { submissions: number; replies: string[] } | undefined;
let busy = false;

const t = () => STRINGS[lang];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

async function sodium() {
  await sodiumModule.ready;
  return sodiumModule;
}

function b64(u: Uint8Array, s: typeof sodiumModule): string {
  return s.to_base64(u, s.base64_variants.ORIGINAL);
}

async function info(): Promise<Info> {
  const res = await fetch('/drop/api/info', { credentials: 'omit', cache: 'no-store' });
  if (res.status === 503) throw new Error(t().notReady);
  if (!res.ok) throw new Error(t().failed);
  return (await res.json()) as Info;
}

/** Derives the source's key pair and token from a canonical codename. */
function derive(s: typeof sodiumModule, codename: string, saltB64: string) {
  const salt = s.from_base64(saltB64, s.base64_variants.ORIGINAL);
  const ds = s as unknown as DropSodium;
  return { keys: sourceKeyPair(ds, codename, salt), token: sourceToken(ds, codename, salt) };
}

async function send(form: HTMLFormElement): Promise<void> {
  const text = (form.elements.namedItem('message') as HTMLTextAreaElement).value;
  const chosen = [...((form.elements.namedItem('files') as HTMLInputElement).files ?? [])];
  if (text.trim() === '' && chosen.length === 0) throw new Error(t().empty);
  const s = await sodium();
  const i = await info();
  if (chosen.length > i.limits.files || chosen.some((f) => f.size + SEAL_OVERHEAD > i.limits.fileBytes)) throw new Error(t().tooBig);
  const codename = current ?? generateCodename(list, (n) => s.randombytes_buf(n));
  const check = normalizeCodename(codename);
  if (!check.ok) throw new Error(t().failed);
  const { keys, token } = derive(s, check.codename, i.salt);
  const orgKey = s.from_base64(i.publicKey, s.base64_variants.ORIGINAL);
  const message = s.crypto_box_seal(new TextEncoder().encode(JSON.stringify({ v: 1, text, files: chosen.map((f) => ({ name: f.name, type: f.type })) })), orgKey);
  const body = new FormData();
  body.append('token', b64(token, s));
  body.append('publicKey', b64(keys.publicKey, s));
  // the part names say nothing of the files: their names travel inside the sealed message
  body.append('message', new Blob([message as Uint8Array<ArrayBuffer>]), 'message');
  for (const f of chosen) body.append('file', new Blob([s.crypto_box_seal(new Uint8Array(await f.arrayBuffer()), orgKey) as Uint8Array<ArrayBuffer>]), 'file');
  keys.privateKey.fill(0);
  const res = await fetch('/drop/api/submissions', { method: 'POST', body, credentials: 'omit', cache: 'no-store' });
  if (res.status === 413) throw new Error(t().tooBig);
  if (!res.ok) throw new Error(t().failed);
  shownCodename = current === undefined ? check.codename : undefined;
  current = check.codename;
  form.reset();
  status = { kind: 'info', text: t().sent };
}

async function comeBack(typed: string): Promise<void> {
  const check = normalizeCodename(typed);
  if (!check.ok) throw new Error(check.reason === 'word-count' ? t().wordCount(check.count) : t().unknownWords(check.unknown.join(', ')));
  const s = await sodium();
  const i = await info();
  const { keys, token } = derive(s, check.codename, i.salt);
  const res = await fetch('/drop/api/come-back', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: b64(token, s) }), credentials: 'omit', cache: 'no-store' });
  if (res.status === 404) throw new Error(t().notFound);
  if (!res.ok) throw new Error(t().failed);
  const out = (await res.json()) as { submissions: { day: string; files: number }[]; replies: { day: string; ciphertext: string }[] };
  const replies = out.replies.map((r) => `${r.day}\n${s.crypto_box_seal_open(s.from_base64(r.ciphertext, s.base64_variants.ORIGINAL), keys.publicKey, keys.privateKey, 'text')}`);
  keys.privateKey.fill(0);
  current = check.codename;
  cameBack = { submissions: out.submissions.length, replies };
  status = undefined;
}

async function run(work: () => Promise<void>, working: string): Promise<void> {
  if (busy) return;
  busy = true;
  status = { kind: 'info', text: working };
  render();
  // let the page show "working" before Argon2id takes the main thread
  await new Promise((r) => setTimeout(r, 30));
  try {
    await work();
  } catch (e) {
    status = { kind: 'error', text: e instanceof Error && e.message ? e.message : t().failed };
  } finally {
    busy = false;
    render();
  }
}

function render(): void {
  const s = t();
  document.documentElement.lang = lang;
  document.title = `Letapis · ${s.title}`;
  const langSelect = el('select', { id: 'lang' });
  for (const l of ['be', 'ru', 'en'] as const) {
    const o = el('option', { value: l, lang: l }, LANG_NAMES[l]);
    if (l === lang) o.selected = true;
    langSelect.append(o);
  }
  langSelect.addEventListener('change', () => {
    lang = langSelect.value as Lang;
    render();
  });
  const tab = (v: typeof view, label: string) => {
    const b = el('button', { type: 'button', class: view === v ? '' : 'secondary', 'aria-pressed': String(view === v) }, label);
    b.addEventListener('click', () => {
      view = v;
      status = undefined;
      render();
    });
    return b;
  };
  const parts: Node[] = [
    el('p', {}, el('label', { for: 'lang' }, s.language), langSelect),
    el('h1', {}, s.title),
    el('p', {}, s.intro),
    el('nav', { 'aria-label': s.title }, tab('send', s.newTab), tab('back', s.backTab)),
  ];
  if (view === 'send') {
    const form = el('form', { novalidate: '' });
    if (current === undefined) {
      const fs = el('fieldset', {}, el('legend', {}, s.listLegend));
      for (const [value, label] of [['en', s.listEn], ['latin', s.listLatin]] as const) {
        const input = el('input', { type: 'radio', name: 'list', id: `list-${value}`, value });
        if (value === list) input.checked = true;
        input.addEventListener('change', () => (list = value));
        fs.append(el('div', {}, input, el('label', { for: `list-${value}`, class: 'inline' }, ` ${label}`)));
      }
      form.append(fs);
    }
    form.append(
      el('label', { for: 'message' }, s.message),
      el('textarea', { id: 'message', name: 'message' }),
      el('label', { for: 'files' }, s.files),
      el('input', { type: 'file', id: 'files', name: 'files', multiple: '' }),
      el('div', {}, el('button', { type: 'submit' }, current === undefined ? s.send : s.sendMore)),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void run(() => send(form), s.working);
    });
    parts.push(form);
  } else {
    const form = el('form', { novalidate: '' },
      el('label', { for: 'codename' }, s.typeCodename),
      el('input', { type: 'text', id: 'codename', name: 'codename', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }),
      el('div', {}, el('button', { type: 'submit' }, s.read)),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const typed = (form.elements.namedItem('codename') as HTMLInputElement).value;
      void run(() => comeBack(typed), s.reading);
    });
    parts.push(form);
  }
  if (status) parts.push(el('p', { class: status.kind === 'error' ? 'error' : '', role: status.kind === 'error' ? 'alert' : 'status' }, status.text));
  if (shownCodename && view === 'send') parts.push(el('h2', {}, s.codename), el('p', { class: 'codename', id: 'shown-codename' }, shownCodename));
  if (cameBack && view === 'back') {
    parts.push(el('p', {}, s.submissions(cameBack.submissions)), el('h2', {}, s.replies));
    if (cameBack.replies.length === 0) parts.push(el('p', {}, s.noReplies));
    for (const r of cameBack.replies) parts.push(el('p', { class: 'reply' }, r));
  }
  root.replaceChildren(...parts);
}

render();
