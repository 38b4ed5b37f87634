/**
 * The custody ledger's pure core: RFC 8785 canonical JSON, the RFC 9162 Merkle tree and its
 * proofs, and C2SP signed notes / checkpoints / cosignatures. See ../shared/SECURITY.md
 * "Custody ledger".
 */
export * from './canonical-json.js';
export * from './merkle.js';
export * from './note.js';
