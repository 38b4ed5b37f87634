/**
 * RFC 3161 trusted timestamps for the custody ledger's checkpoints: ask a TSA for a token over a
 * checkpoint digest, keep its DER, verify it offline later (see rfc3161.ts).
 */
export {
  buildTimestampRequest,
  requestTimestamp,
  parseTimestampToken,
  verifyTimestampToken,
  tokenFromResponse,
  formatDistinguishedName,
  TimestampError,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  OID_SHA256,
  OID_TST_INFO,
  type TimestampToken,
  type TimestampErrorCode,
  type TimestampVerification,
} from './rfc3161.js';
