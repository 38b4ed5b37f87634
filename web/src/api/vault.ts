import { useQuery } from '@tanstack/react-query';
import { api } from './client';

/** The vault: GET /api/v1/vault/status (signed in), POST /api/v1/vault/unseal (public). See vault.routes.ts. */
export interface VaultStatus {
  mode: 'dev' | 'sealed';
  sealed: boolean;
  method: 'dev' | 'passphrase' | 'shares' | null;
  threshold: number | null;
  received: number;
}

export function useVaultStatus(enabled: boolean) {
  return useQuery({ queryKey: ['vault-status'], queryFn: () => api<VaultStatus>('GET', '/api/v1/vault/status'), enabled, staleTime: 30_000 });
}

export const unseal = (body: { share: string } | { passphrase: string }) => api<VaultStatus>('POST', '/api/v1/vault/unseal', body);
