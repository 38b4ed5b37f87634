import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/** The vault: GET /api/v1/vault/status (signed in), POST /api/v1/vault/unseal (public). See vault.routes.ts. */
export interface VaultStatus {
  mode: 'dev' | 'sealed';
  sealed: boolean;
  method: 'dev' | 'passphrase' | 'shares' | null;
  threshold: number | null;
  received: number;
  /** Fields the vault pages read (the unseal screen does not need them). */
  initialized?: boolean;
  /** The key set's version (a new one with every new passphrase or set of shares). */
  sealVersion?: number | null;
  /** The master key version in use (a new one with every rotation). */
  masterVersion?: number | null;
  /** How many shares there are (n of "k of n"). */
  shares?: number | null;
  reason?: string;
}

export function useVaultStatus(enabled: boolean) {
  return useQuery({ queryKey: ['vault-status'], queryFn: () => api<VaultStatus>('GET', '/api/v1/vault/status'), enabled, staleTime: 30_000 });
}

export const unseal = (body: { share: string } | { passphrase: string }) => api<VaultStatus>('POST', '/api/v1/vault/unseal', body);

/** Seals the vault now (administrators): every key leaves the server's memory until custodians unseal it. */
export function useSealVault() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<VaultStatus>('POST', '/api/v1/vault/seal'),
    onSuccess: (status) => qc.setQueryData(['vault-status'], status),
  });
}
