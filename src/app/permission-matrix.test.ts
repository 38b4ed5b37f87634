import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Container } from './container.js';
import { buildServer } from './server.js';
import { depsOf, describeEachDialect, openTestContainer } from '../test-support/dialects.js';
import { makeActor, joinCompartment } from '../test-support/actors.js';
import { RECORD_TYPE_NAMES, type RecordTypeName } from '../domain/records/fields.js';
import { recordType } from '../domain/records/catalog.js';
import type { Actor, MembershipRole } from '../domain/policies.js';
import { appendAuditEvent } from '../modules/audit/audit.repository.js';
import { createCompartment } from '../modules/compartments/compartments.usecases.js';
import { addUser, createToken, disableUser } from '../modules/users/users.usecases.js';
import { loadDataSet, loadDemo } from '../modules/demo/demo.usecases.js';
import { DEMO_RECORDS } from '../modules/demo/demo.data.js';
import { enqueue } from '../adapters/queue/enqueue.js';
import { ingestBlob } from '../adapters/blobs/ingest/ingest.js';
import { ingestEvidence, storeItemMetadata } from '../modules/evidence/evidence.usecases.js';
import { insertItem } from '../modules/evidence/evidence.repository.js';
import { makeCheckpoint } from '../modules/ledger/checkpoints.js';
import { requestCaseExport } from '../modules/bundles/exports.usecases.js';
import { requestInterchangeExport } from '../modules/imports/interchange/interchange.usecases.js';

/**
 * The permission matrix (issue 3): every route of the application × every role × in and out of
 * the compartment, each answer compared with the table below.
 *
 * Who asks: one account per membership role, each a member of compartment A only (its account role
 * is the same as its membership role); the "outsider", coordinator of compartment B only; and an
 * administrator who belongs to no compartment. Everyone calls with an `admin`-scope API token, so
 * token scopes never decide an answer here (they are tested in tokens.test.ts).
 *
 * What is asked: requests that show the decision without spending the fixture. A change to a
 * record names a version it does not have (`If-Match: "999"`): 412 means "allowed, but stale", 403
 * "your role may not", 404 "no such record as far as you can know". Creation copies a record of the
 * same type (from the demo data, loaded into A and into B) into A or B: 201 / 403, and 422 for a
 * compartment you are not in, said exactly as for one that does not exist. Every 404 on something
 * that exists is also compared with the answer for an id that does not exist: they must not differ
 * (no IDOR, no existence oracle).
 *
 * The table is written out by hand on purpose — it is an independent statement of the rules in
 * docs/SECURITY.md and src/domain/policies.ts, not computed with `can()`. A route without a probe
 * fails the last test, so a new route must come with its row.
 */

const SUBJECTS = ['coordinator', 'documenter', 'analyst', 'translator', 'lawyer', 'viewer', 'outsider', 'administrator'] as const;
type Subject = (typeof SUBJECTS)[number];
const MEMBERS = ['coordinator', 'documenter', 'analyst', 'translator', 'lawyer', 'viewer'] as const satisfies readonly MembershipRole[];
type Expectation = Readonly<Record<Subject, number>>;

/** One row of the table, in the column order of SUBJECTS. */
function row(coordinator: number, documenter: number, analyst: number, translator: number, lawyer: number, viewer: number, outsider: number, administrator: number): Expectation {
  return { coordinator, documenter, analyst, translator, lawyer, viewer, outsider, administrator };
}
const all = (status: number) => row(status, status, status, status, status, status, status, status);

/**
 * Expected status per case and subject. "A" cases act on something in compartment A (where the six
 * members are), "B" cases on something in compartment B (where only the outsider is).
 */
// prettier-ignore
const EXPECTED = {
  // ── records: the same for every record type ──────────────────────────────────────────────────
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'record: list (only own compartments)':   all(200),
  'record: create in A':                    row(201,  201, 201,    403,   201,   403,   422,     403),
  'record: create in B':                    row(422,  422, 422,    403,   422,   403,   201,     403),
  'record: read one in A':                  row(200,  200, 200,    200,   200,   200,   404,     404),
  'record: read one in B':                  row(404,  404, 404,    404,   404,   404,   200,     404),
  'record: history in A':                   row(200,  200, 200,    200,   200,   200,   404,     404),
  'record: history in B':                   row(404,  404, 404,    404,   404,   404,   200,     404),
  'record: change in A (stale If-Match)':   row(412,  412, 412,    403,   412,   403,   404,     404),
  'record: change in B (stale If-Match)':   row(404,  404, 404,    404,   404,   404,   412,     404),
  'record: delete in A (stale If-Match)':   row(412,  412, 403,    403,   403,   403,   404,     404),
  'record: delete in B (stale If-Match)':   row(404,  404, 404,    404,   404,   404,   412,     404),
  'person: reveal identity in A':           row(200,  403, 403,    403,   403,   403,   404,     404),
  'person: reveal identity in B':           row(404,  404, 404,    404,   404,   404,   200,     404),
  // declares `record.read`, but it is the schema (public anyway in /api/openapi.json): any signed-in account
  'record catalog (record types)':          all(200),
  'vocabularies: list':                     all(200),
  'vocabularies: one':                      all(200),
  // changing a vocabulary: coordinators (by account role; the outsider is one) and administrators
  'vocabularies: add a term (stale If-Match)':    row(412,  403, 403,    403,   403,   403,   412,     412),
  'vocabularies: change a term (stale If-Match)': row(412,  403, 403,    403,   403,   403,   412,     412),

  // ── evidence: every member sees that an item exists and may download previews of its derivatives;
  //    the evidentiary copy, its metadata and file names, adding and linking: coordinator, documenter,
  //    analyst, lawyer. An upload naming a compartment one is not in: 422, as for one that does not exist.
  //                                                      coord  doc  analyst transl lawyer viewer outsider admin
  'evidence: list originals (only own compartments)':   all(200),
  "evidence: list derivatives of A's item (?parent=)":  all(200),
  'evidence: upload into A':                            row(201,  201, 201,    403,   201,   403,   422,     422),
  'evidence: upload into B':                            row(422,  422, 422,    422,   422,   422,   201,     422),
  'evidence: upload into A naming a source person in B': row(422, 422, 422,    403,   422,   403,   422,     422),
  'evidence: read one in A':                            row(200,  200, 200,    200,   200,   200,   404,     404),
  'evidence: read one in B':                            row(404,  404, 404,    404,   404,   404,   200,     404),
  'evidence: linked to a record in A':                  row(200,  200, 200,    200,   200,   200,   404,     404),
  'evidence: linked to a record in B':                  row(404,  404, 404,    404,   404,   404,   200,     404),
  'evidence: download the original in A':               row(200,  200, 200,    403,   200,   403,   404,     404),
  'evidence: download the original in B':               row(404,  404, 404,    404,   404,   404,   200,     404),
  'evidence: download a range of the original in A':    row(206,  206, 206,    403,   206,   403,   404,     404),
  'evidence: download a range of the original in B':    row(404,  404, 404,    404,   404,   404,   206,     404),
  'evidence: download a preview (derivative) in A':     row(200,  200, 200,    200,   200,   200,   404,     404),
  'evidence: download a preview (derivative) in B':     row(404,  404, 404,    404,   404,   404,   200,     404),
  'evidence: download a thumbnail (derivative) in A':   row(200,  200, 200,    200,   200,   200,   404,     404),
  'evidence: download a poster (derivative) in A':      row(200,  200, 200,    200,   200,   200,   404,     404),
  // derivatives that are not previews carry the content: only those who may download the original
  'evidence: download OCR text (derivative) in A':      row(200,  200, 200,    403,   200,   403,   404,     404),
  'evidence: download a video preview (derivative) in A': row(200, 200, 200,   403,   200,   403,   404,     404),
  'evidence: link in A to a record in A':               row(201,  201, 201,    403,   201,   403,   404,     404),
  'evidence: link in B to a record in B':               row(404,  404, 404,    404,   404,   404,   201,     404),
  // a record of a compartment one is not in is "no such record", as one that does not exist
  'evidence: link in A to a record in B':               row(422,  422, 422,    403,   422,   403,   404,     404),
  'evidence: remove a link in A':                       row(204,  204, 204,    403,   204,   403,   404,     404),
  'evidence: remove a link in B':                       row(404,  404, 404,    404,   404,   404,   204,     404),
  // resumable uploads (tus): starting one is adding evidence; an upload is its uploader's alone, 404 for
  // anyone else exactly as for none (a stale Upload-Offset lets its uploader through to the tus 409)
  'uploads: start one into A':                          row(201,  201, 201,    403,   201,   403,   422,     422),
  'uploads: start one into B':                          row(422,  422, 422,    422,   422,   422,   201,     422),
  "uploads: continue the documenter's (stale offset)":  row(404,  409, 404,    404,   404,   404,   404,     404),
  "uploads: continue the outsider's (stale offset)":    row(404,  404, 404,    404,   404,   404,   409,     404),
  "uploads: cancel the outsider's":                     row(404,  404, 404,    404,   404,   404,   204,     404),

  // ── compartments and their members ──────────────────────────────────────────────────────────
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'compartments: list (own; admin all)':    all(200),
  'compartments: create':                   row(403,  403, 403,    403,   403,   403,   403,     201),
  'members: list A':                        row(200,  200, 200,    200,   200,   200,   404,     200),
  'members: list B':                        row(404,  404, 404,    404,   404,   404,   200,     200),
  'members: add to A':                      row(200,  403, 403,    403,   403,   403,   404,     200),
  'members: add to B':                      row(404,  404, 404,    404,   404,   404,   200,     200),
  'members: remove from A':                 row(204,  403, 403,    403,   403,   403,   404,     204),
  'members: remove from B':                 row(404,  404, 404,    404,   404,   404,   204,     204),

  // ── accounts (account roles: the six members' are their membership roles; outsider: coordinator)
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'accounts: list':                         row(200,  403, 403,    403,   403,   403,   200,     200),
  'accounts: create':                       row(403,  403, 403,    403,   403,   403,   403,     201),
  'accounts: reset a password':             row(403,  403, 403,    403,   403,   403,   403,     200),
  'accounts: disable':                      row(403,  403, 403,    403,   403,   403,   403,     200),
  'accounts: enable':                       row(403,  403, 403,    403,   403,   403,   403,     200),
  'accounts: reset a second factor':        row(403,  403, 403,    403,   403,   403,   403,     200),
  'audit log':                              row(403,  403, 403,    403,   403,   403,   403,     200),

  // ── one's own account, session and tokens ──────────────────────────────────────────────────
  'sign in (public)':                       all(200),
  'session: who am I':                      all(200),
  'session: sign out':                      all(204),
  'account: sign out everywhere':           all(200),
  'account: change own password':           all(200),
  'account: begin TOTP enrolment':          all(201),
  'account: confirm TOTP (malformed code)': all(422),
  'account: set own language':              all(200),
  'tokens: list own':                       all(200),
  'tokens: create own':                     all(201),
  // saved views of the record lists: every account its own (another's is 404: saved-views.api.test.ts)
  'saved views: list own':                  all(200),
  'saved views: save own':                  all(201),
  'saved views: rename own':                all(200),
  'saved views: delete own':                all(204),
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  "tokens: revoke the viewer's token":      row(404,  404, 404,    404,   404,   204,   404,     404),

  // ── the vault (a dev vault: opened by its key file, so a passphrase is the wrong method: 409)
  'vault: status':                          all(200),
  'vault: unseal (public; wrong method)':   all(409),
  'vault: seal':                            row(403,  403, 403,    403,   403,   403,   403,     200),

  // ── background jobs (members follow their compartments' jobs; administrators all, and retry dead ones)
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'jobs: list (own compartments; admin all)': all(200),
  'jobs: read one in A':                    row(200,  200, 200,    200,   200,   200,   404,     200),
  'jobs: read one in B':                    row(404,  404, 404,    404,   404,   404,   200,     200),
  'jobs: read one without a compartment':   row(404,  404, 404,    404,   404,   404,   404,     200),
  'jobs: retry a dead job in A':            row(403,  403, 403,    403,   403,   403,   404,     200),
  'jobs: retry a dead job in B':            row(404,  404, 404,    404,   404,   404,   403,     200),

  // ── the custody ledger: sizes, hashes and signatures only, for every account ──────────────────
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'ledger: latest checkpoint':              all(200),
  'ledger: list checkpoints':               all(200),
  'ledger: inclusion proof':                all(200),
  'ledger: consistency proof':              all(200),
  'ledger: keys':                           all(200),
  // anyone may hand one in; only configured witness keys are taken (none here: 422)
  'ledger: hand in a cosignature (no such witness)': all(422),
  'ledger: sign a checkpoint now':          row(403,  403, 403,    403,   403,   403,   403,     200),
  // an item's custody: every reader of the item; verifying it (re-hashing its bytes): those who work with evidence
  'evidence: custody of an item in A':      row(200,  200, 200,    200,   200,   200,   404,     404),
  'evidence: custody of an item in B':      row(404,  404, 404,    404,   404,   404,   200,     404),
  'evidence: verify an item in A':          row(200,  200, 200,    403,   200,   403,   404,     404),
  // redaction (issue 9): coordinators and documenters of the item's compartment; the matrix's originals are not
  //    processed (no type yet), so a redaction asked by those allowed is refused as unfit (422); suggestions read
  //    the item's OCR text derivative; a testimony's transcript is redacted on the fly
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'redaction: redact an item in A':         row(422,  422, 403,    403,   403,   403,   404,     404),
  'redaction: redact an item in B':         row(404,  404, 404,    404,   404,   404,   422,     404),
  'redaction: suggestions for an item in A': row(200, 200, 403,    403,   403,   403,   404,     404),
  'redaction: suggestions for an item in B': row(404, 404, 404,    404,   404,   404,   200,     404),
  'redaction: suggestions for a testimony in A': row(200, 200, 403,  403,   403,   403,   404,     404),
  'redaction: suggestions for a testimony in B': row(404, 404, 404,  404,   404,   404,   200,     404),
  'redaction: redact a testimony in A':     row(200,  200, 403,    403,   403,   403,   404,     404),
  'redaction: redact a testimony in B':     row(404,  404, 404,    404,   404,   404,   200,     404),
  // translations (issue 9): reading follows the record; saving: coordinators, documenters, translators; reviewing:
  //    coordinators and translators. A save with empty text is refused as invalid (422) once allowed; a review
  //    without If-Match asks for it (428) once allowed
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'translations: of a testimony in A':      row(200,  200, 200,    200,   200,   200,   404,     404),
  'translations: of a testimony in B':      row(404,  404, 404,    404,   404,   404,   200,     404),
  'translations: save one in A (no text)':  row(422,  422, 403,    422,   403,   403,   404,     404),
  'translations: save one in B (no text)':  row(404,  404, 404,    404,   404,   404,   422,     404),
  'translations: review one in A (no If-Match)': row(428, 403, 403,  428,   403,   403,   404,     404),
  'translations: review one in B (no If-Match)': row(404, 404, 404,  404,   404,   404,   428,     404),
  'translations: the queue (only own compartments)': all(200),

  // ── anonymous drop (issue 9): the intake is instance-wide (no compartment until a file is taken in), so
  //    its staff routes follow the account action drop.read: coordinators (the outsider is one, of B). The
  //    source's routes are not on this server but on the drop listener (src/app/drop-server.ts)
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'drop: the intake queue':                 row(200,  403, 403,    403,   403,   403,   200,     403),
  'drop: open a submission (none such)':    row(404,  403, 403,    403,   403,   403,   404,     403),
  'drop: take a file in (none such)':       row(404,  403, 403,    403,   403,   403,   404,     403),
  'drop: reply to a submission (none such)': row(404, 403, 403,    403,   403,   403,   404,     403),

  // ── search: everyone searches what they may read (the outsider only B, the administrator nothing)
  'search: a query':                        all(200),
  'search: rebuild the index':              row(403,  403, 403,    403,   403,   403,   403,     202),
  'search: romanise a name':                all(200),

  // ── case bundles: coordinators and lawyers of the case's compartment ─────────────────────────
  'cases: export one in A':                 row(202,  403, 403,    403,   202,   403,   404,     404),
  'cases: export one in B':                 row(404,  404, 404,    404,   404,   404,   202,     404),
  'cases: list the exports of one in A':    row(200,  403, 403,    403,   200,   403,   404,     404),
  'exports: read one in A':                 row(200,  404, 404,    404,   200,   404,   404,     404),
  'exports: read one in B':                 row(404,  404, 404,    404,   404,   404,   200,     404),
  // not built yet (no worker runs here): 409 for those who may, "no such export" for the rest
  'exports: download one in A (not ready)': row(409,  404, 404,    404,   409,   404,   404,     404),

  // ── list imports (CSV/XLSX): reading a list's cells is reading the evidentiary copy (evidence.download);
  //    an import needs record.create in the target compartment and the list readable there (a dry run here)
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'imports: preview a list in A':           row(200,  200, 200,    403,   200,   403,   404,     404),
  'imports: preview a list in B':           row(404,  404, 404,    404,   404,   404,   200,     404),
  'imports: import a list in A into A':     row(202,  202, 202,    403,   202,   403,   422,     422),
  'imports: import a list in B into B':     row(422,  422, 422,    422,   422,   422,   202,     422),
  // the outsider may create records in B but cannot see A's list: "no such item", as for none
  'imports: import a list in A into B':     row(422,  422, 422,    422,   422,   422,   404,     422),
  // Telegram exports and folders uploaded as ZIPs: the same rights; the matrix's items are short text,
  //    so a preview by those who may read them is "not a ZIP" (422); an import is queued without reading it
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'imports: preview a Telegram ZIP in A':   row(422,  422, 422,    403,   422,   403,   404,     404),
  'imports: preview a Telegram ZIP in B':   row(404,  404, 404,    404,   404,   404,   422,     404),
  'imports: import a Telegram ZIP in A into A': row(202, 202, 202,  403,   202,   403,   422,     422),
  'imports: import a Telegram ZIP in B into B': row(422, 422, 422,  422,   422,   422,   202,     422),
  'imports: import a Telegram ZIP in A into B': row(422, 422, 422,  422,   422,   422,   404,     422),
  'imports: preview a folder ZIP in A':     row(422,  422, 422,    403,   422,   403,   404,     404),
  'imports: preview a folder ZIP in B':     row(404,  404, 404,    404,   404,   404,   422,     404),
  'imports: import a folder ZIP in A into A': row(202, 202, 202,    403,   202,   403,   422,     422),
  'imports: import a folder ZIP in B into B': row(422, 422, 422,    422,   422,   422,   202,     422),
  'imports: import a folder ZIP in A into B': row(422, 422, 422,    422,   422,   422,   404,     422),

  // ── interchange (Uwazi CSV, HURIDOCS ESF): an import as the list import (queued without reading the item);
  //    an export needs record.read, with identities identity.reveal, with files evidence.download;
  //    its file only for the one who asked (not built here: 409 for the coordinator who asked, 404 for the rest)
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'interchange: import Uwazi CSVs in A into A': row(202, 202, 202,  403,   202,   403,   422,     422),
  'interchange: import Uwazi CSVs in B into B': row(422, 422, 422,  422,   422,   422,   202,     422),
  'interchange: import Uwazi CSVs in A into B': row(422, 422, 422,  422,   422,   422,   404,     422),
  'interchange: export A as ESF':           row(202,  202, 202,    202,   202,   202,   422,     422),
  'interchange: export B as ESF':           row(422,  422, 422,    422,   422,   422,   202,     422),
  'interchange: export A with identities':  row(202,  403, 403,    403,   403,   403,   422,     422),
  'interchange: export A with files':       row(202,  202, 202,    403,   202,   403,   422,     422),
  'interchange: download an export of A (not ready)': row(409, 404, 404, 404, 404,  404,   404,     404),

  // ── analysis (charts, timeline, map, network): `record.read` is decided per compartment, so every
  //    account may ask and each counts only the records of its own compartments: members of A see A's,
  //    the outsider B's (checked: never A's), the administrator, in none, zeros and empty lists
  //                                            coord  doc  analyst transl lawyer viewer outsider admin
  'analysis: detentions over time':         all(200),
  'analysis: acts by type':                 all(200),
  'analysis: acts by method':               all(200),
  'analysis: acts by facility':             all(200),
  'analysis: acts by unit':                 all(200),
  'analysis: detention lengths':            all(200),
  'analysis: occupancy':                    all(200),
  'analysis: network':                      all(200),
  'analysis: geo':                          all(200),
  'analysis: timeline':                     all(200),

  // ── public pages ─────────────────────────────────────────────────────────────────────────────
  'public: home, health, OpenAPI':          all(200),
  // the web app's bundle is public (it holds no data); a file that is not there: 404 for anyone
  'public: web app asset (missing one)':    all(404),
} as const satisfies Record<string, Expectation>;
type Case = keyof typeof EXPECTED;

interface Req {
  method: string;
  url: string;
  body?: unknown;
  /** A body sent as is (e.g. multipart/form-data), instead of `body` as JSON. */
  raw?: { payload: Buffer; contentType: string };
  headers?: Record<string, string>;
}

interface Probe {
  /** "METHOD /url" exactly as in app.routeTable. */
  route: string;
  case: Case;
  request: (s: Subject) => Req;
  /** For a 404 on something that exists: the same request about something that does not. */
  absent?: { request: (s: Subject) => Req; id: string; absentId: string };
  /** Further checks of an answer; returns what is wrong, if anything. */
  check?: (s: Subject, res: LightMyRequestResponse) => string | undefined | Promise<string | undefined>;
  /** Run after the request (e.g. unseal the vault again once it was sealed). */
  after?: (s: Subject, res: LightMyRequestResponse) => Promise<void>;
}

const NOWHERE = '0190a1b2-0000-7000-8000-00000000abcd'; // a well-formed id of nothing
const STALE = { 'if-match': '"999"' };
const PASSWORD = 'correct horse battery staple';
/** Who sees an item's metadata and its acquisitions' file names and sources (`evidence.metadata`), among those who can read it. */
const SEES_METADATA: Readonly<Record<Subject, boolean>> = {
  coordinator: true,
  documenter: true,
  analyst: true,
  translator: false,
  lawyer: true,
  viewer: false,
  outsider: true, // coordinator of B
  administrator: false, // reads nothing anyway
};

/** A multipart/form-data body: the fields first, then one file part (as the upload route wants them). */
function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer }): { payload: Buffer; contentType: string } {
  const boundary = `----letapis-matrix-${createHash('sha256').update(file.bytes).digest('hex').slice(0, 24)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: application/octet-stream\r\n\r\n`));
  chunks.push(file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const IP: Record<Subject, string> = Object.fromEntries(SUBJECTS.map((s, i) => [s, `10.77.0.${i + 1}`])) as Record<Subject, string>;

describeEachDialect('permission matrix: every route × every role × in and out of the compartment', (dialect) => {
  let c: Container;
  let app: FastifyInstance;
  let A: string;
  let B: string;
  const actors = {} as Record<Subject, Actor>;
  const tokens = {} as Record<Subject, string>;
  const passwords = {} as Record<Subject, string>;
  /** A sample record of each type in each compartment, and a create body copied from it. */
  const sample = { A: {} as Record<string, string>, B: {} as Record<string, string> };
  const createBody = { A: {} as Record<string, Record<string, unknown>>, B: {} as Record<string, Record<string, unknown>> };
  /** Every id of each type in each compartment. */
  const idsIn = { A: {} as Record<string, Set<string>>, B: {} as Record<string, Set<string>> };
  const userId: Record<string, string> = {};
  let viewerSpareToken: string;
  /** Jobs: one queued in A, in B and in none; one dead in A and in B. */
  const jobs = {} as Record<'A' | 'B' | 'none' | 'deadA' | 'deadB', string>;
  /** Evidence: an original in A and in B (with metadata, a file name and a source), and derivatives made directly. */
  const evidence = {} as Record<'A' | 'B', { id: string; bytes: Buffer; metadata: Record<string, unknown>; derivatives: Record<string, { id: string; bytes: Buffer }> }>;
  /** route → subjects that called it */
  const exercised = new Map<string, Set<Subject>>();
  let requests = 0;

  const username = (s: Subject) => `pm-${s}`;
  const visibleCompartment = (s: Subject): 'A' | 'B' | null => (s === 'outsider' ? 'B' : s === 'administrator' ? null : 'A');

  const call = (s: Subject, req: Req) => {
    requests++;
    return app.inject({
      method: req.method as any,
      url: req.url,
      remoteAddress: IP[s],
      headers: {
        authorization: `Bearer ${tokens[s]}`,
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(req.raw ? { 'content-type': req.raw.contentType } : {}),
        ...req.headers,
      },
      ...(req.body !== undefined ? { payload: JSON.stringify(req.body) } : {}),
      ...(req.raw ? { payload: req.raw.payload } : {}),
    });
  };

  const detailOf = (res: LightMyRequestResponse): string => {
    try {
      const p = res.json();
      return String(p.detail ?? '') + (p.errors ? ` ${JSON.stringify(p.errors)}` : '');
    } catch {
      return res.body.slice(0, 200);
    }
  };

  /** Runs probes for every subject; returns the mismatches. */
  async function run(probes: Probe[]): Promise<string[]> {
    const wrong: string[] = [];
    for (const p of probes) {
      for (const s of SUBJECTS) {
        const req = p.request(s);
        const res = await call(s, req);
        let seen = exercised.get(p.route);
        if (!seen) exercised.set(p.route, (seen = new Set()));
        seen.add(s);
        const want = EXPECTED[p.case][s];
        if (res.statusCode !== want) {
          wrong.push(`${p.case} — ${req.method} ${req.url} as ${s}: expected ${want}, got ${res.statusCode} (${detailOf(res).slice(0, 240)})`);
        } else {
          if (res.statusCode === 404 && p.absent) {
            // the same request about nothing must read the same
            const other = await call(s, p.absent.request(s));
            const a = `${res.statusCode} ${detailOf(res).split(p.absent.id).join('<id>')}`;
            const b = `${other.statusCode} ${detailOf(other).split(p.absent.absentId).join('<id>')}`;
            if (a !== b) wrong.push(`${p.case} — ${req.method} ${req.url} as ${s}: answers "${a}" for something that exists but "${b}" for nothing`);
          }
          const problem = await p.check?.(s, res);
          if (problem) wrong.push(`${p.case} — ${req.method} ${req.url} as ${s}: ${problem}`);
        }
        await p.after?.(s, res);
      }
    }
    return wrong;
  }

  /** A create body with a key of its own where the type has a unique one (a message: its chat and message id). */
  let probeSerial = 0;
  const withFreshKey = (type: RecordTypeName, body: Record<string, unknown>) => (type === 'messages' ? { ...body, messageId: 1_000_000 + ++probeSerial } : body);

  /** The fields of a record as a body to create another like it, in `compartment`. */
  function bodyLike(type: RecordTypeName, rec: Record<string, any>, compartment: string): Record<string, unknown> {
    const def = recordType(type);
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(def.fields)) if (rec[name] !== null && rec[name] !== undefined) out[name] = rec[name];
    for (const name of (rec.hidden as string[] | undefined) ?? []) {
      const f = def.fields[name]!;
      if (!f.required) continue;
      if (f.kind !== 'text') throw new Error(`test setup: ${type}.${name} is required and protected; give the matrix a value for it`);
      out[name] = 'Matrix probe spelling';
    }
    return { ...out, compartment };
  }

  beforeAll(async () => {
    c = await openTestContainer(dialect);
    app = await buildServer(c);
    await app.ready();
    const deps = { db: c.db, audit: appendAuditEvent };

    actors.administrator = await makeActor(c.db, 'administrator', username('administrator'), null);
    A = (await createCompartment(deps, actors.administrator, { name: 'matrix-a' })).id;
    B = (await createCompartment(deps, actors.administrator, { name: 'matrix-b' })).id;
    for (const r of MEMBERS) actors[r] = await makeActor(c.db, r, username(r), A, r);
    actors.outsider = await makeActor(c.db, 'coordinator', username('outsider'), B, 'coordinator');
    for (const s of SUBJECTS) {
      tokens[s] = (await createToken(c.db, username(s), { scope: 'admin', name: 'matrix' })).token;
      passwords[s] = PASSWORD;
    }
    viewerSpareToken = (await createToken(c.db, username('viewer'), { name: 'spare' })).id;

    // accounts acted upon: administration targets, a bystander to add, one member to remove per subject
    const mkUser = async (name: string) => (userId[name] = (await addUser(c.db, { username: name, role: 'viewer', password: PASSWORD })).id);
    for (const name of ['pm-target-reset', 'pm-target-disable', 'pm-target-enable', 'pm-target-totp', 'pm-bystander']) await mkUser(name);
    await disableUser(c.db, null, { id: userId['pm-target-enable']! });
    const totpTargetToken = (await createToken(c.db, 'pm-target-totp')).token;
    const enrol = await app.inject({ method: 'POST', url: '/api/v1/account/totp', headers: { authorization: `Bearer ${totpTargetToken}` }, payload: {} });
    if (enrol.statusCode !== 201) throw new Error(`test setup: TOTP enrolment of the target answered ${enrol.statusCode} ${enrol.body}`);
    for (const s of SUBJECTS)
      for (const [t, id] of [['a', A], ['b', B]] as const) {
        await mkUser(`pm-dm-${s}-${t}`);
        await joinCompartment(c.db, userId[`pm-dm-${s}-${t}`]!, id, 'viewer');
      }

    // a record of every type in A (the demo) and in B (the same data set again)
    await loadDemo(depsOf(c), actors.coordinator, undefined, A);
    await loadDataSet(depsOf(c), actors.outsider, DEMO_RECORDS, { compartment: B });
    for (const type of RECORD_TYPE_NAMES) {
      const def = recordType(type);
      for (const [side, id, reader] of [['A', A, 'coordinator'], ['B', B, 'outsider']] as const) {
        const rows = await c.db.selectFrom(def.table).select('id').where('compartment_id', '=', id).orderBy('id').execute();
        if (!rows.length) throw new Error(`test setup: the demo data has no ${type} to probe with`);
        idsIn[side][type] = new Set(rows.map((r) => r.id as string));
        sample[side][type] = rows[0]!.id as string;
        const got = await call(reader, { method: 'GET', url: `/api/v1/${type}/${rows[0]!.id}` });
        if (got.statusCode !== 200) throw new Error(`test setup: ${type} ${rows[0]!.id} answered ${got.statusCode} ${got.body}`);
        createBody[side][type] = bodyLike(type, got.json(), id);
      }
    }
    // jobs (never run here: due in an hour); the dead ones made dead directly
    const later = new Date(Date.now() + 3_600_000);
    const job = async (compartmentId: string | null) => (await enqueue(c.db, 'matrix.probe' as never, {} as never, { compartmentId, runAt: later })).id;
    jobs.A = await job(A);
    jobs.B = await job(B);
    jobs.none = await job(null);
    jobs.deadA = await job(A);
    jobs.deadB = await job(B);
    await c.db.updateTable('jobs').set({ state: 'dead', last_error: 'matrix: made dead' }).where('id', 'in', [jobs.deadA, jobs.deadB]).execute();

    // evidence: an original in A and in B, ingested as the use case does it (no worker runs here, so
    // the processing job never does): its metadata stored as the job would, derivatives inserted directly
    const ev = { db: c.db, vault: c.vault, blobs: c.blobs, audit: appendAuditEvent };
    const DERIVATIVES = { preview: 'image/webp', thumbnail: 'image/webp', poster: 'image/webp', 'ocr-text': 'text/plain', 'video-preview': 'video/mp4' } as const;
    for (const [side, cid, by] of [['A', A, actors.coordinator], ['B', B, actors.outsider]] as const) {
      const bytes = Buffer.from(`matrix evidence of compartment ${side}: `.repeat(64));
      const metadata = { gps: { lat: 53.9, lon: 27.56 }, device: `matrix camera ${side}` };
      const out = await ingestEvidence(ev, by, Readable.from([bytes]), { compartment: cid, filename: `IMG_${side}.jpg`, source: `matrix source ${side}`, method: 'upload' });
      await storeItemMetadata(c.db, c.vault, out.item.id, metadata);
      const derivatives: Record<string, { id: string; bytes: Buffer }> = {};
      for (const [kind, mime] of Object.entries(DERIVATIVES)) {
        const dbytes = Buffer.from(`matrix ${kind} of ${side}: `.repeat(16));
        const stored = await ingestBlob(Readable.from([dbytes]), { store: c.blobs, vault: c.vault, db: c.db });
        const id = uuidv7();
        await insertItem(c.db, {
          id,
          compartment: cid,
          sha256: stored.sha256,
          size: stored.size,
          blobName: stored.blobName,
          dataKeyId: stored.dataKeyId,
          storedSize: stored.encryptedSize,
          mime,
          category: null,
          state: 'ready',
          flags: [],
          parentId: out.item.id,
          derivativeKind: kind,
          derivedWith: 'permission matrix',
          phash: null,
          createdAt: new Date().toISOString(),
          createdBy: null,
        });
        derivatives[kind] = { id, bytes: dbytes };
      }
      evidence[side] = { id: out.item.id, bytes, metadata, derivatives };
    }
    requests = 0;
  });

  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  it('records: every type × list, create, read, history, change, delete × every subject, in A and in B', async () => {
    const probes: Probe[] = [];
    const byId = (type: string, id: string, suffix = '') => `/api/v1/${type}/${id}${suffix}`;
    for (const type of RECORD_TYPE_NAMES) {
      const base = `/api/v1/${type}`;
      probes.push({
        route: `GET ${base}`,
        case: 'record: list (only own compartments)',
        request: () => ({ method: 'GET', url: `${base}?limit=500` }),
        check: (s, res) => {
          const items = res.json().items as { id: string; compartment: string }[];
          const mine = visibleCompartment(s);
          const leaked = items.filter((i) => (mine === 'A' ? i.compartment !== A || idsIn.B[type]!.has(i.id) : mine === 'B' ? i.compartment !== B || idsIn.A[type]!.has(i.id) : true));
          if (leaked.length) return `lists ${leaked.length} record(s) of compartments it is not in, e.g. ${leaked[0]!.id}`;
          if (mine && !items.some((i) => i.id === sample[mine][type])) return `does not list ${sample[mine][type]} of its own compartment`;
          return undefined;
        },
      });
      for (const side of ['A', 'B'] as const) {
        const id = () => sample[side][type]!;
        const absent = (make: (rid: string) => Req) => ({ request: () => make(NOWHERE), id: id(), absentId: NOWHERE });
        probes.push({
          route: `POST ${base}`,
          case: `record: create in ${side}`,
          request: () => ({ method: 'POST', url: base, body: withFreshKey(type, createBody[side][type]!) }),
          check: (_s, res) => {
            if (res.statusCode === 201) return res.json().compartment === (side === 'A' ? A : B) ? undefined : `created in ${res.json().compartment}`;
            if (res.statusCode !== 422) return undefined;
            // refused for the compartment, exactly as for a compartment that does not exist
            const errors = res.json().errors as { field: string; message: string }[];
            const cid = side === 'A' ? A : B;
            return errors.length === 1 && errors[0]!.field === 'compartment' && errors[0]!.message === `no compartment you belong to has id ${cid}`
              ? undefined
              : `422 not about the compartment alone: ${JSON.stringify(errors)}`;
          },
        });
        const get = (rid: string): Req => ({ method: 'GET', url: byId(type, rid) });
        probes.push({
          route: `GET ${base}/:id`,
          case: `record: read one in ${side}`,
          request: () => get(id()),
          absent: absent(get),
          check: (s, res) => {
            if (res.statusCode !== 200) return undefined;
            // the permissions carried on the answer agree with the table
            const want = {
              update: EXPECTED[`record: change in ${side} (stale If-Match)`][s] === 412,
              delete: EXPECTED[`record: delete in ${side} (stale If-Match)`][s] === 412,
              revealIdentity: EXPECTED[`person: reveal identity in ${side}`][s] === 200,
            };
            const got = res.json().permissions;
            return JSON.stringify(got) === JSON.stringify(want) ? undefined : `permissions ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
          },
        });
        const history = (rid: string): Req => ({ method: 'GET', url: byId(type, rid, '/history') });
        probes.push({ route: `GET ${base}/:id/history`, case: `record: history in ${side}`, request: () => history(id()), absent: absent(history) });
        const patch = (rid: string): Req => ({ method: 'PATCH', url: byId(type, rid), body: {}, headers: STALE });
        probes.push({ route: `PATCH ${base}/:id`, case: `record: change in ${side} (stale If-Match)`, request: () => patch(id()), absent: absent(patch) });
        const del = (rid: string): Req => ({ method: 'DELETE', url: byId(type, rid), headers: STALE });
        probes.push({ route: `DELETE ${base}/:id`, case: `record: delete in ${side} (stale If-Match)`, request: () => del(id()), absent: absent(del) });
      }
    }
    expect(await run(probes)).toEqual([]);
    // nothing was changed or deleted by the stale writes
    for (const type of RECORD_TYPE_NAMES)
      for (const side of ['A', 'B'] as const) {
        const r = await c.db.selectFrom(recordType(type).table).select('version').where('id', '=', sample[side][type]!).executeTakeFirst();
        expect(Number(r?.version), `${type} ${side}`).toBe(1);
      }
    // every type × every subject: 2-9 s alone, past the default 30 s on a loaded machine (a hang guard, not a speed check)
  }, 120_000);

  it('a compartment one is not in is refused exactly like one that does not exist', async () => {
    const named = await call('outsider', { method: 'POST', url: '/api/v1/events', body: createBody.A.events });
    const nowhere = await call('outsider', { method: 'POST', url: '/api/v1/events', body: { ...createBody.A.events, compartment: NOWHERE } });
    expect(named.statusCode).toBe(422);
    expect(detailOf(named).split(A).join('<id>')).toBe(detailOf(nowhere).split(NOWHERE).join('<id>'));
  });

  it('identities: reveal × every subject, in A and in B', async () => {
    const reveal = (rid: string): Req => ({ method: 'POST', url: `/api/v1/persons/${rid}/reveal`, body: { reason: 'permission matrix: checking who may reveal' } });
    const probes: Probe[] = (['A', 'B'] as const).map((side) => ({
      route: 'POST /api/v1/persons/:id/reveal',
      case: `person: reveal identity in ${side}` as const,
      request: () => reveal(sample[side].persons!),
      absent: { request: () => reveal(NOWHERE), id: sample[side].persons!, absentId: NOWHERE },
      check: (_s, res) => (res.statusCode === 200 && res.json().id !== sample[side].persons ? `revealed ${res.json().id}` : undefined),
    }));
    expect(await run(probes)).toEqual([]);
  });

  it('evidence × every subject: list, upload, read, download (original, range, derivatives), link, in A and in B', async () => {
    const cid = (side: 'A' | 'B') => (side === 'A' ? A : B);
    const absentItem = (make: (id: string) => Req, id: string) => ({ request: () => make(NOWHERE), id, absentId: NOWHERE });
    const A_MEMBERS: readonly Subject[] = MEMBERS;
    /** sha256 of every upload that was refused: none of them may have been stored */
    const refused: string[] = [];
    let uploads = 0;
    let lastUpload = '';

    // ── uploads: a 422 must read exactly as the same upload naming nothing ──────────────────────────
    const upload = (fields: Record<string, string>, note: string): Req => {
      const bytes = Buffer.from(`matrix upload #${++uploads}: ${note}`);
      lastUpload = sha256(bytes);
      return { method: 'POST', url: '/api/v1/evidence', raw: multipart(fields, { name: `upload-${uploads}.bin`, bytes }) };
    };
    const uploadProbe = (kase: Case, fields: (s: Subject) => Record<string, string>, into: 'A' | 'B'): Probe => ({
      route: 'POST /api/v1/evidence',
      case: kase,
      request: (s) => upload(fields(s), `${kase} by ${s}`),
      check: async (s, res) => {
        if (res.statusCode !== 201) refused.push(lastUpload);
        if (res.statusCode === 201) {
          const b = res.json();
          return b.item.compartment === cid(into) && b.duplicate === false && b.acquisition.itemId === b.item.id ? undefined : `stored as ${JSON.stringify(b.item)}`;
        }
        if (res.statusCode !== 422) return undefined;
        const errors = res.json().errors as { field: string; message: string }[];
        const f = fields(s);
        const named = errors.length === 1 ? errors[0]!.field : undefined;
        if (named !== 'compartment' && named !== 'sourcePerson') return `422 not about the compartment or the source person alone: ${JSON.stringify(errors)}`;
        const id = f[named]!;
        const what = named === 'compartment' ? 'compartment you belong to' : 'person';
        if (errors[0]!.message !== `no ${what} has id ${id}`) return `422 says ${JSON.stringify(errors[0]!.message)}`;
        const other = await call(s, upload({ ...f, [named]: NOWHERE }, `${kase} by ${s}, naming nothing`));
        refused.push(lastUpload);
        const a = `${res.statusCode} ${detailOf(res).split(id).join('<id>')}`;
        const b = `${other.statusCode} ${detailOf(other).split(NOWHERE).join('<id>')}`;
        return a === b ? undefined : `answers "${a}" naming ${named} ${id} but "${b}" naming nothing`;
      },
    });

    // ── reading ────────────────────────────────────────────────────────────────────────────────────
    const detail = (id: string): Req => ({ method: 'GET', url: `/api/v1/evidence/${id}` });
    const content = (id: string, range?: string): Req => ({ method: 'GET', url: `/api/v1/evidence/${id}/content`, ...(range ? { headers: { range } } : {}) });
    const RANGE = { header: 'bytes=10-99', start: 10, end: 99 };
    const bytesOf = (res: LightMyRequestResponse) => res.rawPayload;
    const contentProbe = (kase: Case, item: () => { id: string; bytes: Buffer }, range?: typeof RANGE): Probe => ({
      route: 'GET /api/v1/evidence/:id/content',
      case: kase,
      request: () => content(item().id, range?.header),
      absent: { request: () => content(NOWHERE, range?.header), id: item().id, absentId: NOWHERE },
      check: (_s, res) => {
        const { bytes } = item();
        if (res.statusCode === 200) {
          if (!bytesOf(res).equals(bytes)) return `sent ${bytesOf(res).length} bytes that are not the item's ${bytes.length}`;
          return res.headers['x-content-sha256'] === sha256(bytes) ? undefined : `x-content-sha256 ${res.headers['x-content-sha256']}`;
        }
        if (res.statusCode === 206 && range) {
          if (res.headers['content-range'] !== `bytes ${range.start}-${range.end}/${bytes.length}`) return `content-range ${res.headers['content-range']}`;
          return bytesOf(res).equals(bytes.subarray(range.start, range.end + 1)) ? undefined : 'sent bytes that are not the range asked for';
        }
        if (res.statusCode === 403 && bytesOf(res).includes(bytes.subarray(0, 32))) return 'refused, yet the answer carries the bytes';
        return undefined;
      },
    });

    const listCheck = (s: Subject, res: LightMyRequestResponse): string | undefined => {
      const items = res.json().items as { id: string; compartment: string; parentId: string | null; permissions: Record<string, boolean> }[];
      const mine = visibleCompartment(s);
      if (mine === null) return items.length ? `an administrator in no compartment lists ${items.length} item(s)` : undefined;
      const leaked = items.filter((i) => i.compartment !== cid(mine));
      if (leaked.length) return `lists ${leaked.length} item(s) of compartments it is not in, e.g. ${leaked[0]!.id}`;
      if (items.some((i) => i.parentId !== null)) return 'lists derivatives among the originals';
      if (!items.some((i) => i.id === evidence[mine].id)) return `does not list ${evidence[mine].id} of its own compartment`;
      return undefined;
    };

    const probes: Probe[] = [
      { route: 'GET /api/v1/evidence', case: 'evidence: list originals (only own compartments)', request: () => ({ method: 'GET', url: '/api/v1/evidence?limit=500' }), check: listCheck },
      {
        route: 'GET /api/v1/evidence',
        case: "evidence: list derivatives of A's item (?parent=)",
        request: () => ({ method: 'GET', url: `/api/v1/evidence?limit=500&parent=${evidence.A.id}` }),
        check: (s, res) => {
          const ids = (res.json().items as { id: string }[]).map((i) => i.id).sort();
          const want = A_MEMBERS.includes(s) ? Object.values(evidence.A.derivatives).map((d) => d.id).sort() : [];
          return JSON.stringify(ids) === JSON.stringify(want) ? undefined : `lists ${JSON.stringify(ids)}, expected ${JSON.stringify(want)}`;
        },
      },
      uploadProbe('evidence: upload into A', () => ({ compartment: A, note: 'matrix' }), 'A'),
      uploadProbe('evidence: upload into B', () => ({ compartment: B, note: 'matrix' }), 'B'),
      uploadProbe('evidence: upload into A naming a source person in B', () => ({ compartment: A, sourcePerson: sample.B.persons! }), 'A'),
    ];
    for (const side of ['A', 'B'] as const) {
      const linked = (rid: string): Req => ({ method: 'GET', url: `/api/v1/linked-evidence?type=events&id=${rid}` });
      probes.push({ route: 'GET /api/v1/linked-evidence', case: `evidence: linked to a record in ${side}`, request: () => linked(sample[side].events!) });
      probes.push({
        route: 'GET /api/v1/evidence/:id',
        case: `evidence: read one in ${side}`,
        request: () => detail(evidence[side].id),
        absent: absentItem(detail, evidence[side].id),
        check: (s, res) => {
          if (res.statusCode !== 200) return undefined;
          const d = res.json();
          // the permissions carried on the answer agree with the table
          const want = {
            download: EXPECTED[`evidence: download the original in ${side}`][s] === 200,
            metadata: SEES_METADATA[s],
            link: EXPECTED[side === 'A' ? 'evidence: link in A to a record in A' : 'evidence: link in B to a record in B'][s] === 201,
            // allowed to redact: the matrix's unprocessed original is refused as unfit (422), not forbidden
            redact: EXPECTED[`redaction: redact an item in ${side}`][s] === 422,
          };
          if (JSON.stringify(d.permissions) !== JSON.stringify(want)) return `permissions ${JSON.stringify(d.permissions)}, expected ${JSON.stringify(want)}`;
          // metadata, file names and sources: only for those who may see them (evidence.metadata)
          const acq = d.acquisitions as { filename: string | null; source: string | null }[];
          if (SEES_METADATA[s]) {
            if (JSON.stringify(d.metadata) !== JSON.stringify(evidence[side].metadata)) return `metadata ${JSON.stringify(d.metadata)}, expected the item's`;
            if (acq[0]?.filename !== `IMG_${side}.jpg` || acq[0]?.source !== `matrix source ${side}`) return `acquisition ${JSON.stringify(acq[0])} lacks its file name or source`;
          } else {
            if (d.metadata !== null) return `shows metadata ${JSON.stringify(d.metadata)} to a ${s}`;
            if (acq.some((a) => a.filename !== null || a.source !== null)) return `shows file names or sources to a ${s}: ${JSON.stringify(acq)}`;
          }
          const derived = (d.derivatives as { id: string }[]).map((x) => x.id).sort();
          const wantDerived = Object.values(evidence[side].derivatives).map((x) => x.id).sort();
          return JSON.stringify(derived) === JSON.stringify(wantDerived) ? undefined : `derivatives ${JSON.stringify(derived)}`;
        },
      });
      const original = () => ({ id: evidence[side].id, bytes: evidence[side].bytes });
      probes.push(
        contentProbe(`evidence: download the original in ${side}`, original),
        contentProbe(`evidence: download a range of the original in ${side}`, original, RANGE),
        contentProbe(`evidence: download a preview (derivative) in ${side}`, () => evidence[side].derivatives.preview!),
      );
    }
    probes.push(
      contentProbe('evidence: download a thumbnail (derivative) in A', () => evidence.A.derivatives.thumbnail!),
      contentProbe('evidence: download a poster (derivative) in A', () => evidence.A.derivatives.poster!),
      contentProbe('evidence: download OCR text (derivative) in A', () => evidence.A.derivatives['ocr-text']!),
      contentProbe('evidence: download a video preview (derivative) in A', () => evidence.A.derivatives['video-preview']!),
    );

    // ── links ──────────────────────────────────────────────────────────────────────────────────────
    const link = (id: string, target: string): Req => ({
      method: 'POST',
      url: `/api/v1/evidence/${id}/links`,
      body: { targetType: 'events', targetId: target, span: { kind: 'region', x: 0, y: 0, width: 10, height: 10 }, note: 'matrix link' },
    });
    const LINK_CASES = [
      ['A', 'A', 'evidence: link in A to a record in A'],
      ['B', 'B', 'evidence: link in B to a record in B'],
      ['A', 'B', 'evidence: link in A to a record in B'],
    ] as const;
    for (const [item, target, kase] of LINK_CASES) {
      const id = () => evidence[item].id;
      const tid = () => sample[target].events!;
      probes.push({
        route: 'POST /api/v1/evidence/:id/links',
        case: kase,
        request: () => link(id(), tid()),
        absent: { request: () => link(NOWHERE, tid()), id: id(), absentId: NOWHERE },
        check: async (s, res) => {
          if (res.statusCode === 201) return res.json().targetId === tid() ? undefined : `linked to ${res.json().targetId}`;
          if (res.statusCode !== 422) return undefined;
          // a record of another compartment reads exactly as a record that does not exist
          const errors = res.json().errors as { field: string; message: string }[];
          if (errors.length !== 1 || errors[0]!.field !== 'targetId' || errors[0]!.message !== `no event has id ${tid()}`) return `422 not about the target alone: ${JSON.stringify(errors)}`;
          const other = await call(s, link(id(), NOWHERE));
          const a = `${res.statusCode} ${detailOf(res).split(tid()).join('<id>')}`;
          const b = `${other.statusCode} ${detailOf(other).split(NOWHERE).join('<id>')}`;
          return a === b ? undefined : `answers "${a}" for a record of B but "${b}" for none`;
        },
      });
    }
    expect(await run(probes)).toEqual([]);

    // refused uploads stored nothing; the links made are exactly those allowed, and none to B from A
    expect(refused.length).toBeGreaterThan(0);
    expect(await c.db.selectFrom('evidence_items').select('id').where('sha256', 'in', refused).execute()).toEqual([]);
    const links = await c.db.selectFrom('evidence_links').select(['item_id', 'target_id']).execute();
    const count = (item: 'A' | 'B', target: 'A' | 'B') => links.filter((l) => l.item_id === evidence[item].id && l.target_id === sample[target].events).length;
    const allowed = (k: Case, status: number) => SUBJECTS.filter((s) => EXPECTED[k][s] === status).length;
    expect(count('A', 'A')).toBe(allowed('evidence: link in A to a record in A', 201));
    expect(count('B', 'B')).toBe(allowed('evidence: link in B to a record in B', 201));
    expect(count('A', 'B')).toBe(0);

    // removing links: one link per subject and side made beforehand (by A's coordinator, B's outsider)
    const linksOf = { A: {} as Record<string, string>, B: {} as Record<string, string> };
    for (const side of ['A', 'B'] as const) {
      for (const s of SUBJECTS) {
        const made = await call(side === 'A' ? 'coordinator' : 'outsider', link(evidence[side].id, sample[side].events!));
        expect(made.statusCode, made.body).toBe(201);
        linksOf[side][s] = made.json().id;
      }
    }
    const unlink = (item: string, linkId: string): Req => ({ method: 'DELETE', url: `/api/v1/evidence/${item}/links/${linkId}` });
    const unlinkProbes: Probe[] = (['A', 'B'] as const).map((side) => ({
      route: 'DELETE /api/v1/evidence/:id/links/:linkId',
      case: side === 'A' ? 'evidence: remove a link in A' : 'evidence: remove a link in B',
      request: (s) => unlink(evidence[side].id, linksOf[side][s]!),
      absent: { request: (s) => unlink(NOWHERE, linksOf[side][s]!), id: evidence[side].id, absentId: NOWHERE },
    }));
    expect(await run(unlinkProbes)).toEqual([]);
    // exactly the allowed removals happened
    for (const side of ['A', 'B'] as const) {
      const left = new Set((await c.db.selectFrom('evidence_links').select('id').where('item_id', '=', evidence[side].id).execute()).map((r) => r.id));
      for (const s of SUBJECTS) {
        const removed = EXPECTED[side === 'A' ? 'evidence: remove a link in A' : 'evidence: remove a link in B'][s] === 204;
        expect(left.has(linksOf[side][s]!), `${side} link of ${s}`).toBe(!removed);
      }
    }
  });

  it('resumable uploads (tus) × every subject: start into A and B, continue and cancel one of another', async () => {
    const cid = (side: 'A' | 'B') => (side === 'A' ? A : B);
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    const TUS = { 'tus-resumable': '1.0.0' };
    const start = (compartment: string): Req => ({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...TUS, 'upload-length': '64', 'upload-metadata': `compartment ${b64(compartment)},filename ${b64('matrix.bin')}` },
    });
    const startProbe = (side: 'A' | 'B'): Probe => ({
      route: 'POST /api/v1/uploads',
      case: `uploads: start one into ${side}`,
      request: () => start(cid(side)),
      check: async (s, res) => {
        if (res.statusCode === 201) {
          const url = String(res.headers.location);
          if (!/^\/api\/v1\/uploads\/[0-9a-f]{32}$/.test(url)) return `Location ${url}`;
          const head = await call(s, { method: 'HEAD', url, headers: TUS });
          return String(head.headers['upload-metadata']).includes(`compartment ${b64(cid(side))}`) ? undefined : `the upload is not in ${side}: ${head.statusCode} ${head.headers['upload-metadata']}`;
        }
        if (res.statusCode !== 422) return undefined;
        const other = await call(s, start(NOWHERE));
        const a = `${res.statusCode} ${detailOf(res).split(cid(side)).join('<id>')}`;
        const b = `${other.statusCode} ${detailOf(other).split(NOWHERE).join('<id>')}`;
        return a === b ? undefined : `answers "${a}" naming ${side} but "${b}" naming nothing`;
      },
    });
    // an upload of the documenter (in A) and one of the outsider (in B), made by them
    const made = async (s: Subject, side: 'A' | 'B') => {
      const res = await call(s, start(cid(side)));
      if (res.statusCode !== 201) throw new Error(`test setup: ${s} could not start an upload: ${res.statusCode} ${res.body}`);
      return String(res.headers.location);
    };
    const ofDocumenter = await made('documenter', 'A');
    const ofOutsider = await made('outsider', 'B');
    const nowhere = '/api/v1/uploads/0123456789abcdef0123456789abcdef';
    const patch = (url: string): Req => ({ method: 'PATCH', url, headers: { ...TUS, 'upload-offset': '1' }, raw: { payload: Buffer.from('x'), contentType: 'application/offset+octet-stream' } });
    const cancel = (url: string): Req => ({ method: 'DELETE', url, headers: TUS });
    const absent = (make: (url: string) => Req, url: string) => ({ request: () => make(nowhere), id: url.split('/').pop()!, absentId: nowhere.split('/').pop()! });
    const probes: Probe[] = [
      startProbe('A'),
      startProbe('B'),
      { route: 'PATCH /api/v1/uploads/:id', case: "uploads: continue the documenter's (stale offset)", request: () => patch(ofDocumenter), absent: absent(patch, ofDocumenter) },
      { route: 'PATCH /api/v1/uploads/:id', case: "uploads: continue the outsider's (stale offset)", request: () => patch(ofOutsider), absent: absent(patch, ofOutsider) },
      { route: 'DELETE /api/v1/uploads/:id', case: "uploads: cancel the outsider's", request: () => cancel(ofOutsider), absent: absent(cancel, ofOutsider) },
    ];
    expect(await run(probes)).toEqual([]);
    // the documenter's upload is as it was; the outsider's is gone
    expect((await call('documenter', { method: 'HEAD', url: ofDocumenter, headers: TUS })).headers['upload-offset']).toBe('0');
    expect((await call('outsider', { method: 'HEAD', url: ofOutsider, headers: TUS })).statusCode).toBe(404);
  });

  it('compartments and members × every subject, for A and B', async () => {
    const cid = (side: 'A' | 'B') => (side === 'A' ? A : B);
    const probes: Probe[] = [
      {
        route: 'GET /api/v1/compartments',
        case: 'compartments: list (own; admin all)',
        request: () => ({ method: 'GET', url: '/api/v1/compartments' }),
        check: (s, res) => {
          const ids = (res.json().items as { id: string }[]).map((x) => x.id);
          const mine = visibleCompartment(s);
          if (mine === null) return ids.includes(A) && ids.includes(B) ? undefined : `an administrator should see every compartment, saw ${ids.length}`;
          return ids.length === 1 && ids[0] === cid(mine) ? undefined : `sees ${JSON.stringify(ids)}, expected only ${mine}`;
        },
      },
      {
        route: 'POST /api/v1/compartments',
        case: 'compartments: create',
        request: (s) => ({ method: 'POST', url: '/api/v1/compartments', body: { name: `made-by-${s}` } }),
      },
    ];
    for (const side of ['A', 'B'] as const) {
      const members = (id: string): Req => ({ method: 'GET', url: `/api/v1/compartments/${id}/members` });
      const add = (id: string): Req => ({ method: 'PUT', url: `/api/v1/compartments/${id}/members/${userId['pm-bystander']}`, body: { role: 'viewer' } });
      const absent = (make: (id: string) => Req) => ({ request: () => make(NOWHERE), id: cid(side), absentId: NOWHERE });
      probes.push(
        { route: 'GET /api/v1/compartments/:id/members', case: `members: list ${side}`, request: () => members(cid(side)), absent: absent(members) },
        { route: 'PUT /api/v1/compartments/:id/members/:user', case: `members: add to ${side}`, request: () => add(cid(side)), absent: absent(add) },
        {
          route: 'DELETE /api/v1/compartments/:id/members/:user',
          case: `members: remove from ${side}`,
          request: (s) => ({ method: 'DELETE', url: `/api/v1/compartments/${cid(side)}/members/${userId[`pm-dm-${s}-${side.toLowerCase()}`]}` }),
        },
      );
    }
    expect(await run(probes)).toEqual([]);
  });

  it('accounts, sessions, tokens, audit, vocabularies, catalog, public pages and the vault × every subject', async () => {
    const target = (name: string) => userId[name]!;
    const savedViews: Partial<Record<Subject, string>> = {};
    const probes: Probe[] = [
      ...['/', '/api/health', '/api/openapi.json'].map(
        (url): Probe => ({ route: `GET ${url}`, case: 'public: home, health, OpenAPI', request: () => ({ method: 'GET', url }) }),
      ),
      { route: 'GET /assets/*', case: 'public: web app asset (missing one)', request: () => ({ method: 'GET', url: '/assets/no-such-file-0000.js' }) },
      {
        route: 'POST /api/v1/session',
        case: 'sign in (public)',
        request: (s) => ({ method: 'POST', url: '/api/v1/session', body: { username: username(s), password: passwords[s] } }),
      },
      { route: 'GET /api/v1/session', case: 'session: who am I', request: () => ({ method: 'GET', url: '/api/v1/session' }), check: (s, res) => (res.json().user.username === username(s) ? undefined : `answers ${res.json().user.username}`) },
      { route: 'DELETE /api/v1/session', case: 'session: sign out', request: () => ({ method: 'DELETE', url: '/api/v1/session' }) },
      { route: 'POST /api/v1/account/sign-out-everywhere', case: 'account: sign out everywhere', request: () => ({ method: 'POST', url: '/api/v1/account/sign-out-everywhere', body: {} }) },
      {
        route: 'POST /api/v1/account/password',
        case: 'account: change own password',
        request: (s) => ({ method: 'POST', url: '/api/v1/account/password', body: { currentPassword: passwords[s], newPassword: `${PASSWORD} (${s}, changed)` } }),
        after: async (s, res) => {
          if (res.statusCode === 200) passwords[s] = `${PASSWORD} (${s}, changed)`;
        },
      },
      { route: 'POST /api/v1/account/totp', case: 'account: begin TOTP enrolment', request: () => ({ method: 'POST', url: '/api/v1/account/totp', body: {} }) },
      { route: 'PATCH /api/v1/account', case: 'account: set own language', request: () => ({ method: 'PATCH', url: '/api/v1/account', body: { locale: 'be' } }), check: (_s, res) => (res.json().locale === 'be' ? undefined : `answers ${res.body}`) },
      {
        route: 'POST /api/v1/account/totp/confirm',
        case: 'account: confirm TOTP (malformed code)',
        request: () => ({ method: 'POST', url: '/api/v1/account/totp/confirm', body: { code: 'abcdef' } }),
      },
      { route: 'GET /api/v1/tokens', case: 'tokens: list own', request: () => ({ method: 'GET', url: '/api/v1/tokens' }) },
      { route: 'POST /api/v1/tokens', case: 'tokens: create own', request: () => ({ method: 'POST', url: '/api/v1/tokens', body: { name: 'matrix extra', scope: 'read' } }) },
      {
        route: 'DELETE /api/v1/tokens/:id',
        case: "tokens: revoke the viewer's token",
        request: () => ({ method: 'DELETE', url: `/api/v1/tokens/${viewerSpareToken}` }),
        // a token of another account is "not found", exactly as one that does not exist
        absent: { request: () => ({ method: 'DELETE', url: `/api/v1/tokens/${NOWHERE}` }), id: viewerSpareToken, absentId: NOWHERE },
      },
      { route: 'GET /api/v1/users', case: 'accounts: list', request: () => ({ method: 'GET', url: '/api/v1/users' }) },
      {
        route: 'POST /api/v1/users',
        case: 'accounts: create',
        request: (s) => ({ method: 'POST', url: '/api/v1/users', body: { username: `pm-made-by-${s}`, role: 'viewer', password: PASSWORD } }),
      },
      {
        route: 'POST /api/v1/users/:id/password',
        case: 'accounts: reset a password',
        request: () => ({ method: 'POST', url: `/api/v1/users/${target('pm-target-reset')}/password`, body: { password: `${PASSWORD} reset` } }),
      },
      { route: 'POST /api/v1/users/:id/disable', case: 'accounts: disable', request: () => ({ method: 'POST', url: `/api/v1/users/${target('pm-target-disable')}/disable` }) },
      { route: 'POST /api/v1/users/:id/enable', case: 'accounts: enable', request: () => ({ method: 'POST', url: `/api/v1/users/${target('pm-target-enable')}/enable` }) },
      { route: 'DELETE /api/v1/users/:id/totp', case: 'accounts: reset a second factor', request: () => ({ method: 'DELETE', url: `/api/v1/users/${target('pm-target-totp')}/totp` }) },
      { route: 'GET /api/v1/audit', case: 'audit log', request: () => ({ method: 'GET', url: '/api/v1/audit?limit=1' }) },
      { route: 'GET /api/v1/vocabularies', case: 'vocabularies: list', request: () => ({ method: 'GET', url: '/api/v1/vocabularies' }) },
      { route: 'GET /api/v1/vocabularies/:name', case: 'vocabularies: one', request: () => ({ method: 'GET', url: '/api/v1/vocabularies/methods' }) },
      {
        route: 'POST /api/v1/vocabularies/:name/terms',
        case: 'vocabularies: add a term (stale If-Match)',
        request: (s) => ({ method: 'POST', url: '/api/v1/vocabularies/methods/terms', headers: { 'if-match': '"999"' }, body: { code: `pm-${s}`, labels: { be: 'Спроба', ru: 'Попытка', en: 'Probe' } } }),
      },
      {
        route: 'PATCH /api/v1/vocabularies/:name/terms/:code',
        case: 'vocabularies: change a term (stale If-Match)',
        request: () => ({ method: 'PATCH', url: '/api/v1/vocabularies/methods/terms/batons', headers: { 'if-match': '"999"' }, body: { deprecated: true } }),
      },
      { route: 'GET /api/v1/record-types', case: 'record catalog (record types)', request: () => ({ method: 'GET', url: '/api/v1/record-types' }) },
      { route: 'GET /api/v1/saved-views', case: 'saved views: list own', request: () => ({ method: 'GET', url: '/api/v1/saved-views?type=events' }) },
      {
        route: 'POST /api/v1/saved-views',
        case: 'saved views: save own',
        request: () => ({ method: 'POST', url: '/api/v1/saved-views', body: { type: 'events', name: 'matrix', query: { sort: 'title' } } }),
        after: async (s, res) => {
          if (res.statusCode === 201) savedViews[s] = res.json().id;
        },
      },
      { route: 'PATCH /api/v1/saved-views/:id', case: 'saved views: rename own', request: (s) => ({ method: 'PATCH', url: `/api/v1/saved-views/${savedViews[s] ?? NOWHERE}`, body: { name: 'matrix 2' } }) },
      { route: 'DELETE /api/v1/saved-views/:id', case: 'saved views: delete own', request: (s) => ({ method: 'DELETE', url: `/api/v1/saved-views/${savedViews[s] ?? NOWHERE}` }) },
      { route: 'GET /api/v1/vault/status', case: 'vault: status', request: () => ({ method: 'GET', url: '/api/v1/vault/status' }) },
      {
        route: 'POST /api/v1/vault/unseal',
        case: 'vault: unseal (public; wrong method)',
        request: () => ({ method: 'POST', url: '/api/v1/vault/unseal', body: { passphrase: 'not how this vault opens' } }),
      },
      // last: sealing wipes the keys; it is opened again at once with its key file
      {
        route: 'POST /api/v1/vault/seal',
        case: 'vault: seal',
        request: () => ({ method: 'POST', url: '/api/v1/vault/seal' }),
        after: async () => {
          if (c.vault.isSealed()) await c.vault.unsealWithKeyFile();
        },
      },
    ];
    expect(await run(probes)).toEqual([]);
    expect(c.vault.isSealed()).toBe(false);
  });

  it('jobs × every subject: list, read in A, in B and without a compartment, retry dead ones', async () => {
    const one = (id: string): Req => ({ method: 'GET', url: `/api/v1/jobs/${id}` });
    const retry = (id: string): Req => ({ method: 'POST', url: `/api/v1/jobs/${id}/retry` });
    const absent = (make: (id: string) => Req, id: string) => ({ request: () => make(NOWHERE), id, absentId: NOWHERE });
    const probes: Probe[] = [
      {
        route: 'GET /api/v1/jobs',
        case: 'jobs: list (own compartments; admin all)',
        request: () => ({ method: 'GET', url: '/api/v1/jobs?limit=500' }),
        check: (s, res) => {
          const seen = (res.json().items as { id: string }[]).map((j) => j.id).filter((id) => Object.values(jobs).includes(id)).sort();
          const mine = visibleCompartment(s);
          const want = (mine === 'A' ? [jobs.A, jobs.deadA] : mine === 'B' ? [jobs.B, jobs.deadB] : Object.values(jobs)).sort();
          return JSON.stringify(seen) === JSON.stringify(want) ? undefined : `lists jobs ${JSON.stringify(seen)}, expected ${JSON.stringify(want)}`;
        },
      },
      { route: 'GET /api/v1/jobs/:id', case: 'jobs: read one in A', request: () => one(jobs.A), absent: absent(one, jobs.A) },
      { route: 'GET /api/v1/jobs/:id', case: 'jobs: read one in B', request: () => one(jobs.B), absent: absent(one, jobs.B) },
      { route: 'GET /api/v1/jobs/:id', case: 'jobs: read one without a compartment', request: () => one(jobs.none), absent: absent(one, jobs.none) },
      // the administrator comes last: the first retry that succeeds is the last request
      { route: 'POST /api/v1/jobs/:id/retry', case: 'jobs: retry a dead job in A', request: () => retry(jobs.deadA), absent: absent(retry, jobs.deadA) },
      { route: 'POST /api/v1/jobs/:id/retry', case: 'jobs: retry a dead job in B', request: () => retry(jobs.deadB), absent: absent(retry, jobs.deadB) },
    ];
    expect(await run(probes)).toEqual([]);
  });

  it('ledger and case bundles × every subject', async () => {
    const cp = await makeCheckpoint({ db: c.db, vault: c.vault, ledger: c.config.ledger }, 'manual');
    if (!cp) throw new Error('test setup: the ledger is empty');
    const exportDeps = { db: c.db, vault: c.vault, blobs: c.blobs, ledger: c.config.ledger, audit: appendAuditEvent };
    const exportA = (await requestCaseExport(exportDeps, actors.coordinator, sample.A.cases!, { reason: 'matrix' })).id;
    const exportB = (await requestCaseExport(exportDeps, actors.outsider, sample.B.cases!, { reason: 'matrix' })).id;
    const interchangeExportA = (await requestInterchangeExport(exportDeps, actors.coordinator, { compartment: A, format: 'uwazi', types: ['places'] })).jobId;
    const absent = (make: (id: string) => Req, id: string) => ({ request: () => make(NOWHERE), id, absentId: NOWHERE });
    const exportCase = (id: string): Req => ({ method: 'POST', url: `/api/v1/cases/${id}/exports`, body: { reason: 'matrix probe' } });
    const oneExport = (id: string): Req => ({ method: 'GET', url: `/api/v1/exports/${id}` });
    const download = (id: string): Req => ({ method: 'GET', url: `/api/v1/exports/${id}/download` });
    const custody = (id: string): Req => ({ method: 'GET', url: `/api/v1/evidence/${id}/custody` });
    const verify = (id: string): Req => ({ method: 'POST', url: `/api/v1/evidence/${id}/verify` });
    // list imports: the matrix's evidence originals are short text, a one-column list
    const previewList = (itemId: string): Req => ({ method: 'POST', url: '/api/v1/imports/lists/preview', body: { itemId } });
    const importList = (itemId: string, compartment: string): Req => ({
      method: 'POST',
      url: '/api/v1/imports/lists',
      body: { itemId, type: 'persons', compartment, mapping: { '#1': 'pseudonym' }, dryRun: true },
    });
    const probes: Probe[] = [
      { route: 'GET /api/ledger/checkpoint', case: 'ledger: latest checkpoint', request: () => ({ method: 'GET', url: '/api/ledger/checkpoint' }) },
      { route: 'GET /api/ledger/checkpoints', case: 'ledger: list checkpoints', request: () => ({ method: 'GET', url: '/api/ledger/checkpoints' }) },
      { route: 'GET /api/ledger/proof/inclusion', case: 'ledger: inclusion proof', request: () => ({ method: 'GET', url: `/api/ledger/proof/inclusion?index=0&size=${cp.size}` }) },
      { route: 'GET /api/ledger/proof/consistency', case: 'ledger: consistency proof', request: () => ({ method: 'GET', url: `/api/ledger/proof/consistency?from=1&to=${cp.size}` }) },
      { route: 'GET /api/ledger/keys', case: 'ledger: keys', request: () => ({ method: 'GET', url: '/api/ledger/keys' }) },
      {
        route: 'POST /api/ledger/cosignatures',
        case: 'ledger: hand in a cosignature (no such witness)',
        request: () => ({ method: 'POST', url: '/api/ledger/cosignatures', body: { size: cp.size, cosignature: `\u2014 nobody ${Buffer.alloc(76, 1).toString('base64')}` } }),
      },
      {
        route: 'GET /api/v1/search',
        case: 'search: a query',
        request: () => ({ method: 'GET', url: '/api/v1/search?q=Okrestina&limit=100' }),
        check: async (s, res) => {
          const side = visibleCompartment(s);
          const want = side === null ? [] : [side === 'A' ? A : B];
          const seen = [...new Set((res.json().items as { compartment: string }[]).map((i) => i.compartment))];
          const facet = (res.json().facets.compartment ?? []).map((f: { value: string }) => f.value);
          return seen.every((x) => want.includes(x)) && facet.every((x: string) => want.includes(x)) ? undefined : `sees compartments ${JSON.stringify(seen)} / facets ${JSON.stringify(facet)}`;
        },
      },
      { route: 'POST /api/v1/search/reindex', case: 'search: rebuild the index', request: () => ({ method: 'POST', url: '/api/v1/search/reindex', body: {} }) },
      { route: 'GET /api/v1/romanize', case: 'search: romanise a name', request: () => ({ method: 'GET', url: `/api/v1/romanize?text=${encodeURIComponent('Шчарбакоў')}` }) },
      { route: 'POST /api/ledger/checkpoints', case: 'ledger: sign a checkpoint now', request: () => ({ method: 'POST', url: '/api/ledger/checkpoints', body: {} }) },
      { route: 'GET /api/v1/evidence/:id/custody', case: 'evidence: custody of an item in A', request: () => custody(evidence.A.id), absent: absent(custody, evidence.A.id) },
      { route: 'GET /api/v1/evidence/:id/custody', case: 'evidence: custody of an item in B', request: () => custody(evidence.B.id), absent: absent(custody, evidence.B.id) },
      { route: 'POST /api/v1/evidence/:id/verify', case: 'evidence: verify an item in A', request: () => verify(evidence.A.id), absent: absent(verify, evidence.A.id) },
      ...(['A', 'B'] as const).flatMap((side) => {
        const redactItem = (id: string): Req => ({ method: 'POST', url: `/api/v1/evidence/${id}/redactions`, body: { kind: 'text', spans: [{ start: 0, end: 6 }] } });
        const itemSuggestions = (id: string): Req => ({ method: 'GET', url: `/api/v1/evidence/${id}/redaction-suggestions` });
        const testimonySuggestions = (id: string): Req => ({ method: 'GET', url: `/api/v1/testimonies/${id}/redaction-suggestions` });
        const redactTestimony = (id: string): Req => ({ method: 'POST', url: `/api/v1/testimonies/${id}/redacted-transcript`, body: { spans: [{ start: 0, end: 1 }] } });
        const t = sample[side].testimonies!;
        return [
          { route: 'POST /api/v1/evidence/:id/redactions', case: `redaction: redact an item in ${side}` as Case, request: () => redactItem(evidence[side].id), absent: absent(redactItem, evidence[side].id) },
          { route: 'GET /api/v1/evidence/:id/redaction-suggestions', case: `redaction: suggestions for an item in ${side}` as Case, request: () => itemSuggestions(evidence[side].id), absent: absent(itemSuggestions, evidence[side].id) },
          { route: 'GET /api/v1/testimonies/:id/redaction-suggestions', case: `redaction: suggestions for a testimony in ${side}` as Case, request: () => testimonySuggestions(t), absent: absent(testimonySuggestions, t) },
          { route: 'POST /api/v1/testimonies/:id/redacted-transcript', case: `redaction: redact a testimony in ${side}` as Case, request: () => redactTestimony(t), absent: absent(redactTestimony, t) },
        ];
      }),
      ...(['A', 'B'] as const).flatMap((side) => {
        const translations = (id: string): Req => ({ method: 'GET', url: `/api/v1/testimonies/${id}/translations` });
        const save = (id: string): Req => ({ method: 'PUT', url: `/api/v1/testimonies/${id}/translations/transcript/en`, body: { text: '' } });
        const review = (id: string): Req => ({ method: 'POST', url: `/api/v1/testimonies/${id}/translations/transcript/en/review` });
        const t = sample[side].testimonies!;
        return [
          { route: 'GET /api/v1/:type/:id/translations', case: `translations: of a testimony in ${side}` as Case, request: () => translations(t), absent: absent(translations, t) },
          { route: 'PUT /api/v1/:type/:id/translations/:field/:lang', case: `translations: save one in ${side} (no text)` as Case, request: () => save(t), absent: absent(save, t) },
          { route: 'POST /api/v1/:type/:id/translations/:field/:lang/review', case: `translations: review one in ${side} (no If-Match)` as Case, request: () => review(t), absent: absent(review, t) },
        ];
      }),
      {
        route: 'GET /api/v1/translations/queue',
        case: 'translations: the queue (only own compartments)',
        request: () => ({ method: 'GET', url: '/api/v1/translations/queue?limit=500' }),
        check: (s, res) => {
          const side = visibleCompartment(s);
          const want = side === null ? [] : [side === 'A' ? A : B];
          const seen = [...new Set((res.json().items as { compartment: string }[]).map((i) => i.compartment))];
          return seen.every((x) => want.includes(x)) && (side === null || seen.length > 0) ? undefined : `queues compartments ${JSON.stringify(seen)}`;
        },
      },
      { route: 'GET /api/v1/drop/queue', case: 'drop: the intake queue', request: () => ({ method: 'GET', url: '/api/v1/drop/queue' }) },
      { route: 'POST /api/v1/drop/submissions/:id/open', case: 'drop: open a submission (none such)', request: () => ({ method: 'POST', url: `/api/v1/drop/submissions/${uuidv7()}/open` }) },
      { route: 'POST /api/v1/drop/files/:id/evidence', case: 'drop: take a file in (none such)', request: () => ({ method: 'POST', url: `/api/v1/drop/files/${uuidv7()}/evidence`, body: {} }) },
      { route: 'POST /api/v1/drop/submissions/:id/replies', case: 'drop: reply to a submission (none such)', request: () => ({ method: 'POST', url: `/api/v1/drop/submissions/${uuidv7()}/replies`, body: { text: 'Thank you.' } }) },
      { route: 'POST /api/v1/cases/:id/exports', case: 'cases: export one in A', request: () => exportCase(sample.A.cases!), absent: absent(exportCase, sample.A.cases!) },
      { route: 'POST /api/v1/cases/:id/exports', case: 'cases: export one in B', request: () => exportCase(sample.B.cases!), absent: absent(exportCase, sample.B.cases!) },
      {
        route: 'GET /api/v1/cases/:id/exports',
        case: 'cases: list the exports of one in A',
        request: () => ({ method: 'GET', url: `/api/v1/cases/${sample.A.cases}/exports` }),
      },
      { route: 'GET /api/v1/exports/:exportId', case: 'exports: read one in A', request: () => oneExport(exportA), absent: absent(oneExport, exportA) },
      { route: 'GET /api/v1/exports/:exportId', case: 'exports: read one in B', request: () => oneExport(exportB), absent: absent(oneExport, exportB) },
      { route: 'GET /api/v1/exports/:exportId/download', case: 'exports: download one in A (not ready)', request: () => download(exportA), absent: absent(download, exportA) },
      ...(['A', 'B'] as const).map((side) => ({
        route: 'POST /api/v1/imports/lists/preview',
        case: `imports: preview a list in ${side}` as Case,
        request: () => previewList(evidence[side].id),
        absent: absent(previewList, evidence[side].id),
      })),
      { route: 'POST /api/v1/imports/lists', case: 'imports: import a list in A into A', request: () => importList(evidence.A.id, A) },
      { route: 'POST /api/v1/imports/lists', case: 'imports: import a list in B into B', request: () => importList(evidence.B.id, B) },
      {
        route: 'POST /api/v1/imports/lists',
        case: 'imports: import a list in A into B',
        request: () => importList(evidence.A.id, B),
        absent: { request: () => importList(NOWHERE, B), id: evidence.A.id, absentId: NOWHERE },
      },
      ...(['telegram', 'folder'] as const).flatMap((kind) => {
        const name = kind === 'telegram' ? 'Telegram' : 'folder';
        const preview = (itemId: string): Req => ({ method: 'POST', url: `/api/v1/imports/${kind}/preview`, body: { itemId } });
        const importZip = (itemId: string, compartment: string): Req => ({ method: 'POST', url: `/api/v1/imports/${kind}`, body: { itemId, compartment, dryRun: true } });
        return [
          ...(['A', 'B'] as const).map((side) => ({
            route: `POST /api/v1/imports/${kind}/preview`,
            case: `imports: preview a ${name} ZIP in ${side}` as Case,
            request: () => preview(evidence[side].id),
            absent: absent(preview, evidence[side].id),
          })),
          { route: `POST /api/v1/imports/${kind}`, case: `imports: import a ${name} ZIP in A into A` as Case, request: () => importZip(evidence.A.id, A) },
          { route: `POST /api/v1/imports/${kind}`, case: `imports: import a ${name} ZIP in B into B` as Case, request: () => importZip(evidence.B.id, B) },
          {
            route: `POST /api/v1/imports/${kind}`,
            case: `imports: import a ${name} ZIP in A into B` as Case,
            request: () => importZip(evidence.A.id, B),
            absent: { request: () => importZip(NOWHERE, B), id: evidence.A.id, absentId: NOWHERE },
          },
        ];
      }),
      ...(() => {
        const importUwazi = (itemId: string, compartment: string): Req => ({ method: 'POST', url: '/api/v1/interchange/uwazi/import', body: { itemId, compartment, dryRun: true } });
        const exportTo = (compartment: string, extra: Record<string, unknown> = {}): Req => ({ method: 'POST', url: '/api/v1/interchange/export', body: { compartment, format: 'esf', ...extra } });
        const downloadExport = (jobId: string): Req => ({ method: 'GET', url: `/api/v1/interchange/exports/${jobId}/download` });
        return [
          { route: 'POST /api/v1/interchange/uwazi/import', case: 'interchange: import Uwazi CSVs in A into A' as Case, request: () => importUwazi(evidence.A.id, A) },
          { route: 'POST /api/v1/interchange/uwazi/import', case: 'interchange: import Uwazi CSVs in B into B' as Case, request: () => importUwazi(evidence.B.id, B) },
          {
            route: 'POST /api/v1/interchange/uwazi/import',
            case: 'interchange: import Uwazi CSVs in A into B' as Case,
            request: () => importUwazi(evidence.A.id, B),
            absent: { request: () => importUwazi(NOWHERE, B), id: evidence.A.id, absentId: NOWHERE },
          },
          { route: 'POST /api/v1/interchange/export', case: 'interchange: export A as ESF' as Case, request: () => exportTo(A) },
          { route: 'POST /api/v1/interchange/export', case: 'interchange: export B as ESF' as Case, request: () => exportTo(B) },
          { route: 'POST /api/v1/interchange/export', case: 'interchange: export A with identities' as Case, request: () => exportTo(A, { format: 'uwazi', types: ['persons'], withIdentities: true }) },
          { route: 'POST /api/v1/interchange/export', case: 'interchange: export A with files' as Case, request: () => exportTo(A, { format: 'uwazi', types: ['events'], withFiles: true }) },
          {
            route: 'GET /api/v1/interchange/exports/:jobId/download',
            case: 'interchange: download an export of A (not ready)' as Case,
            request: () => downloadExport(interchangeExportA),
            absent: absent(downloadExport, interchangeExportA),
          },
        ];
      })(),
    ];
    expect(await run(probes)).toEqual([]);
  });

  it('analysis × every subject: each counts only its own compartments (the outsider B, never A)', async () => {
    const cid = (s: Subject) => {
      const side = visibleCompartment(s);
      return side === 'A' ? A : side === 'B' ? B : null;
    };
    /** How many records of a table lie in a compartment (none for no compartment). */
    const countIn = async (table: string, compartment: string | null, extra?: string) => {
      if (!compartment) return 0;
      let q = c.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('compartment_id', '=', compartment);
      if (extra) q = q.where(extra, 'is not', null);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    /** What is wrong with the ids an answer names: each must be a record of `tables` in the subject's compartment. */
    const idsOutside = async (s: Subject, tables: string[], ids: string[]) => {
      const own = cid(s);
      if (own === null) return ids.length ? `an account in no compartment is shown ${ids.length} record(s)` : undefined;
      if (ids.length === 0) return `shows nothing of its own compartment`;
      const where = new Map<string, string>();
      for (const t of tables)
        for (const r of await c.db.selectFrom(t).select(['id', 'compartment_id']).where('id', 'in', [...new Set(ids)]).execute()) where.set(r.id, r.compartment_id);
      const foreign = ids.filter((id) => where.get(id) !== own);
      return foreign.length ? `shows ${foreign.length} record(s) outside its compartment, e.g. ${foreign[0]}` : undefined;
    };
    const same = (what: string, got: number, want: number) => (got === want ? undefined : `${what}: ${got}, but its compartment holds ${want}`);
    const sum = (a: { count: number }[]) => a.reduce((t, x) => t + x.count, 0);
    const probe = (kase: Case, path: string, check: Probe['check']): Probe => ({
      route: `GET /api/v1/analysis/${path.split('?')[0]}`,
      case: kase,
      request: () => ({ method: 'GET', url: `/api/v1/analysis/${path}` }),
      check,
    });
    const probes: Probe[] = [
      probe('analysis: detentions over time', 'detentions-over-time?interval=week', async (s, res) => {
        const b = res.json();
        return same('detentions counted', sum(b.buckets) + b.undated, await countIn('detentions', cid(s)));
      }),
      probe('analysis: acts by type', 'acts-by-type', async (s, res) => {
        const b = res.json();
        return same('acts counted', b.total, await countIn('acts', cid(s))) ?? same('acts by type', sum(b.items), b.total);
      }),
      probe('analysis: acts by method', 'acts-by-method', async (s, res) => {
        const b = res.json();
        const terms = cid(s)
          ? Number(
              (
                await c.db
                  .selectFrom('record_terms as t')
                  .innerJoin('acts as a', 'a.id', 't.record_id')
                  .select((eb) => eb.fn.countAll().as('n'))
                  .where('t.record_type', '=', 'acts')
                  .where('t.field', '=', 'methods')
                  .where('a.compartment_id', '=', cid(s)!)
                  .executeTakeFirstOrThrow()
              ).n,
            )
          : 0;
        return same('acts counted', b.total, await countIn('acts', cid(s))) ?? same('methods of acts', sum(b.items), terms);
      }),
      probe('analysis: acts by facility', 'acts-by-facility', async (s, res) => {
        const b = res.json();
        return same('acts counted', b.total, await countIn('acts', cid(s))) ?? idsOutside(s, ['facilities'], b.items.map((i: { id: string }) => i.id));
      }),
      probe('analysis: acts by unit', 'acts-by-unit', async (s, res) => {
        const b = res.json();
        return same('acts counted', b.total, await countIn('acts', cid(s))) ?? idsOutside(s, ['units'], b.items.map((i: { id: string }) => i.id));
      }),
      probe('analysis: detention lengths', 'detention-lengths', async (s, res) => {
        const b = res.json();
        const all = (h: { buckets: { count: number }[]; unknownEnd: number; unknownStart: number }) => sum(h.buckets) + h.unknownEnd + h.unknownStart;
        return same('detentions counted', all(b.detentions), await countIn('detentions', cid(s))) ?? same('custody stays counted', all(b.custodyStays), await countIn('custody_stays', cid(s)));
      }),
      probe('analysis: occupancy', 'occupancy', async (s, res) => {
        const b = res.json();
        const stays = b.facilities.reduce((t: number, f: { stays: number }) => t + f.stays, 0);
        return same('custody stays counted', stays, await countIn('custody_stays', cid(s), 'from_from')) ?? idsOutside(s, ['facilities'], b.facilities.map((f: { id: string }) => f.id));
      }),
      probe('analysis: network', 'network?kind=unit-event', (s, res) => idsOutside(s, ['units', 'events'], res.json().nodes.map((n: { id: string }) => n.id))),
      probe('analysis: geo', 'geo', (s, res) => idsOutside(s, ['places', 'facilities'], res.json().points.map((p: { id: string }) => p.id))),
      probe('analysis: timeline', 'timeline', async (s, res) => {
        const items = res.json().items as { id: string }[];
        return (
          same('events and acts on the timeline', items.length, (await countIn('events', cid(s), 'start_from')) + (await countIn('acts', cid(s), 'start_from'))) ??
          idsOutside(s, ['events', 'acts'], items.map((i) => i.id))
        );
      }),
    ];
    expect(await run(probes)).toEqual([]);
  });

  it('exercised every route of the application with every subject (a new route needs a row)', () => {
    const routes = app.routeTable.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`);
    const missing = routes.flatMap((k) => SUBJECTS.filter((s) => !exercised.get(k)?.has(s)).map((s) => `${k} as ${s}`));
    expect(missing).toEqual([]);
    const stale = [...exercised.keys()].filter((k) => !routes.includes(k));
    expect(stale).toEqual([]);
    expect(routes.length).toBeGreaterThan(RECORD_TYPE_NAMES.length * 6);
    expect(requests).toBeGreaterThanOrEqual(routes.length * SUBJECTS.length);
  });
});
