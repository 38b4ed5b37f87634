/**
 * The shape of a case bundle's `manifest.json` (format `letapis-case-bundle/v1`). A bundle is a
 * ZIP with the evidentiary copies, this manifest, a human-readable report (HTML and PDF) and
 * `VERIFY.txt`. Everything a recipient needs to check it offline is in the manifest: each file's
 * SHA-256 and size, each item's custody events with their inclusion proofs, and the signed (and
 * cosigned) checkpoint the proofs lead to. Hashes are lower-case hex unless named otherwise.
 */

export const BUNDLE_FORMAT = 'letapis-case-bundle/v1';

/** One custody or audit event as it is hashed into the ledger (leaf = SHA-256(0x00 ‖ JCS(event))). */
export interface LedgerEventBody {
  v: 1;
  /** Position of the leaf in the log (0-based). */
  index: number;
  /** The audit event's id (uuidv7). */
  id: string;
  /** ISO 8601 UTC. */
  at: string;
  /** e.g. `evidence.ingest`, `evidence.view`, `evidence.download`, `evidence.derive`, `case.export`. */
  action: string;
  /** The acting account's id, null for the system. */
  actor: string | null;
  target: { type: string; id: string } | null;
  reason: string | null;
  details: Record<string, unknown> | null;
  /** Leaf hash (hex) of the previous event with the same target, null for its first. */
  prev: string | null;
}

export interface BundleEvent {
  body: LedgerEventBody;
  /** hex SHA-256(0x00 ‖ JCS(body)) */
  leafHash: string;
  /** Inclusion proof of leaf `body.index` in the tree of the bundle's checkpoint (hex, RFC 9162 order). */
  proof: string[];
}

export interface BundleFile {
  /** Path inside the ZIP, e.g. `evidence/0192…/original.mp4`. */
  path: string;
  itemId: string;
  role: 'original' | 'derivative';
  derivativeKind: string | null;
  sha256: string;
  size: number;
  mime: string | null;
}

export interface BundleItem {
  id: string;
  parentId: string | null;
  sha256: string;
  size: number;
  mime: string | null;
  category: string | null;
  /** How the item came to us (method, when, by whom, tool version, note). */
  acquisitions: Array<{ id: string; method: string; acquiredAt: string; acquiredBy: string | null; toolVersion: string; note: string | null }>;
  /** Records of the case the item is linked to, with the span. */
  links: Array<{ targetType: string; targetId: string; span: unknown; note: string | null }>;
  /** The item's custody events in log order, each chained to the previous by `prev`. */
  events: BundleEvent[];
}

export interface BundleRecord {
  type: string;
  id: string;
  label: string;
  /** The record's fields as the API shows them to the exporter (encrypted fields decrypted only where allowed). */
  data: Record<string, unknown>;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  generator: { name: 'letapis'; version: string };
  case: { id: string; title: string; status: string };
  /** Who exported and why (the export is itself a custody event, recorded after this checkpoint). */
  export: { by: string | null; reason: string | null; recipient: string | null };
  log: {
    origin: string;
    /** The log's note verifier key: `name+keyid+base64`. */
    publicKey: string;
    /** Verifier keys of the witnesses the log is configured with (cosignature/v1). */
    witnessKeys: string[];
    /** How many of `witnessKeys` must cosign for a checkpoint to count as witnessed. */
    witnessQuorum: number;
  };
  checkpoint: {
    /** The whole signed note: checkpoint body, blank line, signature and cosignature lines. */
    note: string;
    size: number;
    rootHash: string;
    /** RFC 3161 tokens over SHA-256 of the checkpoint body (base64 DER). */
    timestamps: Array<{ tsa: string; token: string; genTime: string }>;
  };
  /** Account ids that appear in events, with their user names at export time (not covered by proofs). */
  actors: Record<string, string>;
  records: BundleRecord[];
  items: BundleItem[];
  files: BundleFile[];
  /** Material in the case left out of the bundle, and why (consent scope, recipient, permission). */
  withheld: Array<{ type: string; id: string; reason: string }>;
  /**
   * SHA-256 of the documents rendered from the rest of the manifest (`report.html`, `report.pdf`,
   * `VERIFY.txt`); added after rendering, so the renderers never see it.
   */
  documents?: Record<string, string>;
}
