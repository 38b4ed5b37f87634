import type { CSSProperties } from 'react';

/** Error and hint texts dark enough to read (WCAG AA contrast) on the records' pages. */
export const READABLE = { '--mantine-color-error': 'var(--mantine-color-red-9)', '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' } as CSSProperties;
