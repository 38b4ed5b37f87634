import { useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { mergeSpans, textPieces, type Suggestions, type TextSpan } from '../../api/redaction';

/** The little of the DOM's selection this reads. */
type Boundary = { node: Node; offset: number };

/** A place of the selection as an offset in the text: pieces carry their start in data-start. */
function offsetOf(b: Boundary, container: HTMLElement, length: number): number | null {
  if (!container.contains(b.node)) return null;
  if (b.node.nodeType === Node.TEXT_NODE) {
    const el = (b.node.parentElement as HTMLElement | null)?.closest<HTMLElement>('[data-start]');
    return el ? Number(el.dataset.start) + b.offset : null;
  }
  const el = b.node as HTMLElement;
  if (el === container) {
    const child = container.children[b.offset] as HTMLElement | undefined;
    return child ? Number(child.dataset.start) : length;
  }
  const piece = el.closest<HTMLElement>('[data-start]');
  if (!piece) return null;
  return b.offset === 0 ? Number(piece.dataset.start) : Number(piece.dataset.end);
}

const excerpt = (text: string, s: TextSpan) => {
  const e = text.slice(s.start, s.end).replace(/\s+/g, ' ');
  return e.length > 60 ? `${e.slice(0, 57)}…` : e;
};

/**
 * Chooses spans of a text to hide: selected with the pointer and added, or proposed by the server
 * (where the people linked to the record are named) and accepted or rejected one by one. A
 * suggestion shows only the words of the text it points at and the person's pseudonym the server
 * sent, never a name from anywhere else.
 */
export function TextRedactor(props: { suggestions: Suggestions; pending: boolean; submitLabel: string; onSubmit: (spans: TextSpan[]) => void }) {
  const { t } = useTranslation();
  const { text, spans: proposals } = props.suggestions;
  const box = useRef<HTMLDivElement>(null);
  const [chosen, setChosen] = useState<TextSpan[]>([]);
  const [decided, setDecided] = useState<Record<number, 'accepted' | 'rejected'>>({});
  const [noSelection, setNoSelection] = useState(false);
  const open = proposals.map((p, i) => ({ ...p, index: i })).filter((p) => !decided[p.index]);
  const merged = useMemo(() => mergeSpans(chosen), [chosen]);
  const pieces = useMemo(() => textPieces(text.length, merged, open), [text.length, merged, open]);

  const addSelection = () => {
    const sel = window.getSelection();
    const range = sel && sel.rangeCount > 0 ? sel.getRangeAt(0) : null;
    const c = box.current;
    if (!range || !c || range.collapsed) return setNoSelection(true);
    const a = offsetOf({ node: range.startContainer, offset: range.startOffset }, c, text.length);
    const b = offsetOf({ node: range.endContainer, offset: range.endOffset }, c, text.length);
    if (a === null || b === null || b <= a) return setNoSelection(true);
    setNoSelection(false);
    setChosen((cs) => [...cs, { start: a, end: b }]);
    sel?.removeAllRanges();
  };
  const accept = (i: number) => {
    setDecided((d) => ({ ...d, [i]: 'accepted' }));
    setChosen((cs) => [...cs, { start: proposals[i]!.start, end: proposals[i]!.end }]);
  };
  const acceptAll = () => {
    setDecided((d) => ({ ...d, ...Object.fromEntries(open.map((p) => [p.index, 'accepted'])) }));
    setChosen((cs) => [...cs, ...open.map((p) => ({ start: p.start, end: p.end }))]);
  };

  return (
    <Stack gap="sm">
      <Text size="sm">{t('redaction.text.help')}</Text>
      <Group gap="xs">
        <Badge color="dark" variant="filled">{t('redaction.text.legendChosen')}</Badge>
        <Badge color="yellow.3" c="black" variant="filled">{t('redaction.text.legendProposed')}</Badge>
      </Group>
      <Paper withBorder p="sm" style={{ maxHeight: 420, overflow: 'auto' }}>
        <div ref={box} data-testid="redaction-text" style={{ whiteSpace: 'pre-wrap', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 14, lineHeight: 1.6 }}>
          {pieces.map((p) => (
            <span
              key={p.start}
              data-start={p.start}
              data-end={p.end}
              data-chosen={p.chosen || undefined}
              data-proposed={p.proposal !== null || undefined}
              style={p.chosen ? { background: '#212529', color: '#fff' } : p.proposal !== null ? { background: '#ffe066', outline: '1px solid #e67700' } : undefined}
            >
              {text.slice(p.start, p.end)}
            </span>
          ))}
        </div>
      </Paper>
      <Group gap="sm">
        {/* pressing the button must not take the selection away before it is read */}
        <Button variant="default" onMouseDown={(e) => e.preventDefault()} onClick={addSelection}>
          {t('redaction.text.hideSelection')}
        </Button>
        {noSelection && <Text size="sm" c="red.8" role="alert">{t('redaction.text.noSelection')}</Text>}
      </Group>

      <Title order={3} size="h5">
        {t('redaction.text.suggestions')}
      </Title>
      <Text size="sm">{props.suggestions.identities ? t('redaction.text.withIdentities') : t('redaction.text.pseudonymsOnly')}</Text>
      {proposals.length === 0 ? (
        <Text size="sm">{t('redaction.text.noSuggestions', { persons: props.suggestions.persons })}</Text>
      ) : open.length === 0 ? (
        <Text size="sm">{t('redaction.text.allDecided')}</Text>
      ) : (
        <>
          <Table withTableBorder striped data-testid="suggestions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('redaction.text.where')}</Table.Th>
                <Table.Th scope="col">{t('redaction.text.person')}</Table.Th>
                <Table.Th scope="col">{t('redaction.text.found')}</Table.Th>
                <Table.Th scope="col">{t('redaction.text.decide')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {open.map((p) => (
                <Table.Tr key={p.index}>
                  <Table.Td>«{excerpt(text, p)}»</Table.Td>
                  <Table.Td>{p.pseudonym}</Table.Td>
                  <Table.Td>{p.matched === 'pseudonym' ? t('redaction.text.matched.pseudonym') : p.matched === 'name' ? t('redaction.text.matched.name') : t('redaction.text.matched.contact')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" onClick={() => accept(p.index)} aria-label={t('redaction.text.acceptAt', { at: p.start })}>
                        {t('redaction.text.accept')}
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setDecided((d) => ({ ...d, [p.index]: 'rejected' }))} aria-label={t('redaction.text.rejectAt', { at: p.start })}>
                        {t('redaction.text.reject')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Button variant="light" onClick={acceptAll} style={{ alignSelf: 'flex-start' }}>
            {t('redaction.text.acceptAll')}
          </Button>
        </>
      )}

      <Title order={3} size="h5">
        {t('redaction.text.chosen')}
      </Title>
      {merged.length === 0 ? (
        <Text size="sm">{t('redaction.text.noneChosen')}</Text>
      ) : (
        <Stack component="ul" gap={4} data-testid="chosen-spans" style={{ paddingLeft: 20 }}>
          {merged.map((s) => (
            <li key={s.start}>
              <Group gap="xs">
                <Text size="sm">«{excerpt(text, s)}»</Text>
                <Button size="compact-xs" variant="subtle" onClick={() => setChosen((cs) => cs.filter((c) => c.end <= s.start || c.start >= s.end))} aria-label={t('redaction.text.removeAt', { at: s.start })}>
                  {t('redaction.remove')}
                </Button>
              </Group>
            </li>
          ))}
        </Stack>
      )}
      {merged.length > 0 && <Alert variant="light">{t('redaction.text.mark')}</Alert>}
      <Button onClick={() => props.onSubmit(merged)} disabled={merged.length === 0} loading={props.pending} style={{ alignSelf: 'flex-start' }}>
        {props.submitLabel}
      </Button>
    </Stack>
  );
}
