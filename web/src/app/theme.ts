import { createTheme } from '@mantine/core';

/**
 * One theme for the whole UI. The primary shade is dark enough for white text (WCAG AA contrast,
 * checked by the axe-core test); fonts are the system's (nothing downloaded).
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
});
