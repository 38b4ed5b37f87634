import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A state in white on a colour dark enough for WCAG AA, never shortened (Mantine's Badge cut
 * "Dead" to "D…" in a table cell). Extra props (data-testid, data-state) go to the element.
 */
export function Pill({ colour, children, ...rest }: { colour: string; children: ReactNode } & Record<`data-${string}`, string>) {
  return (
    <Text span size="xs" fw={700} c="white" bg={colour} px={8} py={2} style={{ borderRadius: 999, whiteSpace: 'nowrap', display: 'inline-block' }} {...rest}>
      {children}
    </Text>
  );
}
