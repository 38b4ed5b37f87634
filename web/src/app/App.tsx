import { useEffect, useState } from 'react';
import type { i18n as I18n } from 'i18next';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError, onVaultSealed } from '../api/client';
import { createAppRouter } from './router';
import { theme } from './theme';

/**
 * The providers every page relies on, created once: i18next (made by main.tsx with the language of
 * the browser until an account's own choice is known), TanStack Query (server state), Mantine (components, theme), and
 * the router (routes in router.tsx).
 */
export function App({ i18n }: { i18n: I18n }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // a refusal (4xx) or a sealed vault does not get better by asking again
          queries: { retry: (count, e) => !(e instanceof ApiError && e.status < 600) && count < 2, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
  );
  const [router] = useState(createAppRouter);

  // any answer saying the vault is sealed leads to the unseal screen
  useEffect(
    () =>
      onVaultSealed(() => {
        if (router.state.location.pathname !== '/unseal') void router.navigate('/unseal', { state: { sealedBy: router.state.location.pathname } });
      }),
    [router],
  );

  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <MantineProvider theme={theme}>
          <RouterProvider router={router} />
        </MantineProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
