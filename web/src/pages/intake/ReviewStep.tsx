import { Alert, Badge, Button, Checkbox, Group, List, NativeSelect, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { termLabel, type RecordOption, type Term } from '../../api/intake';
import { PersonName } from '../../components/protect/PersonName';
import { TermSelect } from './fields';
import { proposedActs, type IntakeState } from './model';
import { IncidentFields, MethodsField } from './TopicSteps';
import type { Errors, Patch } from './IntakePage';

/**
 * The acts the interview describes, proposed for the documenter to check: one per incident, the
 * witness as victim, the described perpetrators' involvements; adjusted here, saved in one go.
 */
export function ReviewStep(props: {
  state: IntakeState;
  patch: Patch;
  errors: Errors;
  witness: { id: string; pseudonym: string };
  vocab: { actTypes?: Term[]; methods?: Term[]; degrees?: Term[] };
  places: RecordOption[] | undefined;
  events: RecordOption[] | undefined;
  units: RecordOption[] | undefined;
  hasRecording: boolean;
  saving: boolean;
  onSave: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { state, patch, errors } = props;
  const acts = proposedActs(state);
  const updatePerp = (key: string, degree: string | null) => patch((s) => ({ ...s, perpetrators: s.perpetrators.map((p) => (p.key === key ? { ...p, degree } : p)) }));
  return (
    <Stack>
      <Text>{t('intake.review.help')}</Text>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('intake.review.event')}
          </Title>
          <Radio.Group label={t('intake.review.eventChoice')} value={state.event.mode} onChange={(v) => patch((s) => ({ ...s, event: { ...s.event, mode: v as 'new' | 'existing' } }))}>
            <Group mt="xs">
              <Radio value="new" label={t('intake.review.eventNew')} />
              <Radio value="existing" label={t('intake.review.eventExisting')} disabled={!props.events?.length} />
            </Group>
          </Radio.Group>
          {state.event.mode === 'new' ? (
            <TextInput
              label={t('intake.review.eventTitle')}
              required
              value={state.event.title}
              onChange={(e) => {
                const title = e.currentTarget.value;
                patch((s) => ({ ...s, event: { ...s.event, title } }));
              }}
              error={errors['event.title']}
            />
          ) : (
            <NativeSelect
              label={t('intake.review.eventPick')}
              required
              data={[{ value: '', label: t('intake.choose') }, ...(props.events ?? []).map((e) => ({ value: e.id, label: e.label }))]}
              value={state.event.id ?? ''}
              onChange={(e) => {
                const id = e.currentTarget.value || null;
                patch((s) => ({ ...s, event: { ...s.event, id } }));
              }}
              error={errors['event.id']}
            />
          )}
        </Stack>
      </Paper>

      {state.incidents.map((inc, i) => {
        const proposal = acts.find((a) => a.incident.key === inc.key);
        return (
          <Paper key={inc.key} withBorder p="md" data-testid="proposed-act">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={3} size="h4">
                  {t('intake.review.act', { number: i + 1 })}
                </Title>
                {!inc.include && <Badge color="gray">{t('intake.review.leftOut')}</Badge>}
              </Group>
              <Checkbox
                label={t('intake.review.include', { number: i + 1 })}
                checked={inc.include}
                onChange={(e) => {
                  const include = e.currentTarget.checked;
                  patch((s) => ({ ...s, incidents: s.incidents.map((x) => (x.key === inc.key ? { ...x, include } : x)) }));
                }}
              />
              {inc.include && (
                <>
                  <Text>
                    {t('intake.review.victim')} <PersonName id={props.witness.id} pseudonym={props.witness.pseudonym} />
                  </Text>
                  <IncidentFields incident={inc} index={i} patch={patch} errors={errors} actTypes={props.vocab.actTypes} places={props.places} />
                  <MethodsField incident={inc} index={i} patch={patch} methods={props.vocab.methods} actTypes={props.vocab.actTypes} />
                  <Text fw={600}>{t('intake.review.involvements')}</Text>
                  {proposal && proposal.perpetrators.length > 0 ? (
                    <List spacing="sm">
                      {proposal.perpetrators.map((p) => {
                        const unit = props.units?.find((u) => u.id === p.unit)?.label;
                        const name = p.kind === 'unit' ? (unit ?? '') : p.label;
                        return (
                          <List.Item key={p.key}>
                            <Stack gap={4}>
                              <Text>
                                {name}
                                {p.kind === 'person' && unit ? ` (${unit})` : ''}
                              </Text>
                              {p.appearance && (
                                <Text size="sm" c="gray.7">
                                  {p.appearance}
                                </Text>
                              )}
                              <TermSelect label={t('intake.review.degreeOf', { name, act: i + 1 })} terms={props.vocab.degrees} value={p.degree} onChange={(v) => updatePerp(p.key, v)} error={errors[`${p.key}.degree`]} required />
                            </Stack>
                          </List.Item>
                        );
                      })}
                    </List>
                  ) : (
                    <Text c="gray.7">{t('intake.review.noInvolvements')}</Text>
                  )}
                </>
              )}
            </Stack>
          </Paper>
        );
      })}
      <Text size="sm">{props.hasRecording ? t('intake.review.recordingLinked') : t('intake.review.noRecording')}</Text>
      <Text size="sm">{t('intake.review.summary', { count: acts.length, types: acts.map((a) => props.vocab.actTypes?.find((x) => x.code === a.incident.type)).filter(Boolean).map((x) => termLabel(x!, i18n.language)).join(', ') || '—' })}</Text>
      {errors['form'] && (
        <Alert color="red" variant="light" role="alert">
          {errors['form']}
        </Alert>
      )}
      <Group>
        <Button onClick={props.onSave} loading={props.saving}>
          {t('intake.review.save')}
        </Button>
      </Group>
    </Stack>
  );
}
