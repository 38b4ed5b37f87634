import { Button, Checkbox, Fieldset, Group, MultiSelect, NativeSelect, Paper, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { termLabel, type RecordOption, type Term } from '../../api/intake';
import { LANGUAGE_NAMES, LOCALES } from '../../i18n';
import { ApproxDateInput, TermSelect } from './fields';
import { newIncident, newPerpetrator, type Incident, type IntakeState } from './model';
import type { Errors, Patch } from './IntakePage';

interface StepProps {
  state: IntakeState;
  patch: Patch;
  errors: Errors;
}

/** The interview itself: title, who interviewed, when, how, in which language. */
export function InterviewStep({ state, patch, errors }: StepProps) {
  const { t } = useTranslation();
  const iv = state.interview;
  const set = (part: Partial<IntakeState['interview']>) => patch((s) => ({ ...s, interview: { ...s.interview, ...part } }));
  return (
    <Stack>
      <TextInput label={t('intake.interview.title')} description={t('intake.interview.titleHelp')} value={iv.title} onChange={(e) => set({ title: e.currentTarget.value })} error={errors['interview.title']} />
      <TextInput label={t('intake.interview.interviewer')} value={iv.interviewer} onChange={(e) => set({ interviewer: e.currentTarget.value })} error={errors['interview.interviewer']} />
      <ApproxDateInput label={t('intake.interview.date')} value={iv.date} approx={false} onChange={(v) => set({ date: v })} error={errors['interview.date']} />
      <NativeSelect
        label={t('intake.interview.mode')}
        data={[
          { value: 'in-person', label: t('intake.interview.modes.inPerson') },
          { value: 'remote', label: t('intake.interview.modes.remote') },
          { value: 'written', label: t('intake.interview.modes.written') },
        ]}
        value={iv.mode ?? 'in-person'}
        onChange={(e) => set({ mode: e.currentTarget.value })}
      />
      <NativeSelect
        label={t('intake.interview.language')}
        data={[
          { value: '', label: t('intake.choose') },
          // each language named in itself, as the language switcher names them
          ...LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
          { value: 'other', label: t('intake.interview.languages.other') },
        ]}
        value={iv.language ?? ''}
        onChange={(e) => set({ language: e.currentTarget.value || null })}
      />
    </Stack>
  );
}

/** One narrative topic: guidance and a text area. */
export function NarrativeStep(props: { help: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <Stack>
      <Text>{props.help}</Text>
      <Textarea label={props.label} autosize minRows={6} maxRows={20} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)} />
    </Stack>
  );
}

/** How an incident is named in lists: its number and type. */
export function incidentName(t: (k: 'intake.incidents.numbered', o: { number: number }) => string, i: number, inc: Incident, types: Term[] | undefined, lng: string): string {
  const type = types?.find((x) => x.code === inc.type);
  return `${t('intake.incidents.numbered', { number: i + 1 })}${type ? ` — ${termLabel(type, lng)}` : ''}`;
}

const updateIncident = (patch: Patch, key: string, part: Partial<Incident>) =>
  patch((s) => ({ ...s, incidents: s.incidents.map((x) => (x.key === key ? { ...x, ...part } : x)) }));

/** The fields of one incident (also shown again, as the proposed act, at review). */
export function IncidentFields(props: { incident: Incident; index: number; patch: Patch; errors: Errors; actTypes: Term[] | undefined; places: RecordOption[] | undefined; withPlaceNote?: boolean }) {
  const { t } = useTranslation();
  const { incident: inc, patch, errors } = props;
  const n = props.index + 1;
  return (
    <Stack gap="sm">
      <TermSelect label={t('intake.incidents.type', { number: n })} terms={props.actTypes} value={inc.type} onChange={(v) => updateIncident(patch, inc.key, { type: v })} error={errors[`${inc.key}.type`]} required />
      <ApproxDateInput label={t('intake.incidents.start', { number: n })} value={inc.start} approx={inc.startApprox} onChange={(v, a) => updateIncident(patch, inc.key, { start: v, startApprox: a })} error={errors[`${inc.key}.start`]} />
      <ApproxDateInput label={t('intake.incidents.end', { number: n })} value={inc.end} approx={inc.endApprox} onChange={(v, a) => updateIncident(patch, inc.key, { end: v, endApprox: a })} error={errors[`${inc.key}.end`]} />
      <NativeSelect
        label={t('intake.incidents.place', { number: n })}
        description={props.places && props.places.length === 0 ? t('intake.incidents.noPlaces') : undefined}
        data={[{ value: '', label: t('intake.incidents.placeNotListed') }, ...(props.places ?? []).map((p) => ({ value: p.id, label: p.label }))]}
        value={inc.place ?? ''}
        onChange={(e) => updateIncident(patch, inc.key, { place: e.currentTarget.value || null })}
        error={errors[`${inc.key}.place`]}
      />
      {props.withPlaceNote && (
        <TextInput label={t('intake.incidents.placeNote', { number: n })} value={inc.placeNote} onChange={(e) => updateIncident(patch, inc.key, { placeNote: e.currentTarget.value })} />
      )}
    </Stack>
  );
}

/** Dates, times and places: what happened when and where, one incident each. */
export function IncidentsStep(props: StepProps & { actTypes: Term[] | undefined; places: RecordOption[] | undefined }) {
  const { t } = useTranslation();
  const { state, patch } = props;
  return (
    <Stack>
      <Text>{t('intake.incidents.help')}</Text>
      {state.incidents.map((inc, i) => (
        <Paper key={inc.key} withBorder p="md">
          <Stack gap="sm">
            <Text fw={600} component="h3">
              {t('intake.incidents.numbered', { number: i + 1 })}
            </Text>
            <IncidentFields incident={inc} index={i} patch={patch} errors={props.errors} actTypes={props.actTypes} places={props.places} withPlaceNote />
            {state.incidents.length > 1 && (
              <Group>
                <Button size="xs" variant="subtle" color="red" onClick={() => patch((s) => ({ ...s, incidents: s.incidents.filter((x) => x.key !== inc.key), perpetrators: s.perpetrators.map((p) => ({ ...p, incidents: p.incidents.filter((k) => k !== inc.key) })) }))}>
                  {t('intake.incidents.remove', { number: i + 1 })}
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
      ))}
      <Group>
        <Button variant="light" onClick={() => patch((s) => ({ ...s, incidents: [...s.incidents, newIncident()] }))}>
          {t('intake.incidents.add')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Who was involved and how they looked: one card per person or unit described. */
export function PerpetratorsStep(props: StepProps & { degrees: Term[] | undefined; bases: Term[] | undefined; units: RecordOption[] | undefined; actTypes: Term[] | undefined }) {
  const { t, i18n } = useTranslation();
  const { state, patch, errors } = props;
  const update = (key: string, part: Partial<IntakeState['perpetrators'][number]>) => patch((s) => ({ ...s, perpetrators: s.perpetrators.map((p) => (p.key === key ? { ...p, ...part } : p)) }));
  return (
    <Stack>
      <Text>{t('intake.perpetrators.help')}</Text>
      {state.perpetrators.length === 0 && <Text c="gray.7">{t('intake.perpetrators.none')}</Text>}
      {state.perpetrators.map((p, i) => (
        <Paper key={p.key} withBorder p="md">
          <Fieldset legend={t('intake.perpetrators.numbered', { number: i + 1 })} variant="unstyled">
            <Stack gap="sm">
              <Radio.Group label={t('intake.perpetrators.kind', { number: i + 1 })} value={p.kind} onChange={(v) => update(p.key, { kind: v as 'person' | 'unit' })}>
                <Group mt="xs">
                  <Radio value="person" label={t('intake.perpetrators.kindPerson')} />
                  <Radio value="unit" label={t('intake.perpetrators.kindUnit')} />
                </Group>
              </Radio.Group>
              {p.kind === 'person' ? (
                <TextInput
                  label={t('intake.perpetrators.label', { number: i + 1 })}
                  description={t('intake.perpetrators.labelHelp')}
                  value={p.label}
                  onChange={(e) => update(p.key, { label: e.currentTarget.value })}
                  error={errors[`${p.key}.label`]}
                />
              ) : null}
              <Textarea
                label={t('intake.perpetrators.appearance', { number: i + 1 })}
                description={t('intake.perpetrators.appearanceHelp')}
                autosize
                minRows={2}
                value={p.appearance}
                onChange={(e) => update(p.key, { appearance: e.currentTarget.value })}
              />
              <NativeSelect
                label={t('intake.perpetrators.unit', { number: i + 1 })}
                required={p.kind === 'unit'}
                data={[{ value: '', label: t('intake.perpetrators.unitUnknown') }, ...(props.units ?? []).map((u) => ({ value: u.id, label: u.label }))]}
                value={p.unit ?? ''}
                onChange={(e) => update(p.key, { unit: e.currentTarget.value || null })}
                error={errors[`${p.key}.unit`]}
              />
              <TermSelect label={t('intake.perpetrators.degree', { number: i + 1 })} terms={props.degrees} value={p.degree} onChange={(v) => update(p.key, { degree: v })} error={errors[`${p.key}.degree`]} required />
              <TermSelect label={t('intake.perpetrators.basis', { number: i + 1 })} terms={props.bases} value={p.basis} onChange={(v) => update(p.key, { basis: v })} />
              <Checkbox.Group label={t('intake.perpetrators.incidents', { number: i + 1 })} value={p.incidents} onChange={(v) => update(p.key, { incidents: v })}>
                <Stack gap={4} mt="xs">
                  {state.incidents.map((inc, j) => (
                    <Checkbox key={inc.key} value={inc.key} label={incidentName(t, j, inc, props.actTypes, i18n.language)} />
                  ))}
                </Stack>
              </Checkbox.Group>
              <Group>
                <Button size="xs" variant="subtle" color="red" onClick={() => patch((s) => ({ ...s, perpetrators: s.perpetrators.filter((x) => x.key !== p.key) }))}>
                  {t('intake.perpetrators.remove', { number: i + 1 })}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        </Paper>
      ))}
      <Group>
        <Button variant="light" onClick={() => patch((s) => ({ ...s, perpetrators: [...s.perpetrators, newPerpetrator(s.incidents.map((x) => x.key))] }))}>
          {t('intake.perpetrators.add')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The detention routine, topic by topic. */
export function RoutineStep({ state, patch }: StepProps) {
  const { t } = useTranslation();
  const r = state.routine;
  const set = (part: Partial<IntakeState['routine']>) => patch((s) => ({ ...s, routine: { ...s.routine, ...part } }));
  return (
    <Stack>
      <Text>{t('intake.routine.help')}</Text>
      <Textarea label={t('intake.routine.transport')} autosize minRows={2} value={r.transport} onChange={(e) => set({ transport: e.currentTarget.value })} />
      <Textarea label={t('intake.routine.facility')} autosize minRows={2} value={r.facility} onChange={(e) => set({ facility: e.currentTarget.value })} />
      <Textarea label={t('intake.routine.cell')} autosize minRows={2} value={r.cell} onChange={(e) => set({ cell: e.currentTarget.value })} />
      <Textarea label={t('intake.routine.food')} autosize minRows={2} value={r.food} onChange={(e) => set({ food: e.currentTarget.value })} />
      <Textarea label={t('intake.routine.sleep')} autosize minRows={2} value={r.sleep} onChange={(e) => set({ sleep: e.currentTarget.value })} />
      <Textarea label={t('intake.routine.access')} autosize minRows={2} value={r.access} onChange={(e) => set({ access: e.currentTarget.value })} />
    </Stack>
  );
}

/** Methods of ill-treatment per incident (a searchable list), and the account in the witness's words. */
export function MethodsField(props: { incident: Incident; index: number; patch: Patch; methods: Term[] | undefined; actTypes: Term[] | undefined }) {
  const { t, i18n } = useTranslation();
  const inc = props.incident;
  return (
    <MultiSelect
      label={t('intake.methods.forIncident', { name: incidentName(t, props.index, inc, props.actTypes, i18n.language) })}
      description={t('intake.methods.pickHelp')}
      searchable
      selectFirstOptionOnChange
      nothingFoundMessage={t('intake.methods.nothingFound')}
      data={(props.methods ?? []).map((m) => ({ value: m.code, label: termLabel(m, i18n.language) }))}
      value={inc.methods}
      onChange={(v) => updateIncident(props.patch, inc.key, { methods: v })}
    />
  );
}

export function MethodsStep(props: StepProps & { methods: Term[] | undefined; actTypes: Term[] | undefined }) {
  const { t } = useTranslation();
  const { state, patch } = props;
  return (
    <Stack>
      <Text>{t('intake.methods.help')}</Text>
      {state.incidents.map((inc, i) => (
        <MethodsField key={inc.key} incident={inc} index={i} patch={patch} methods={props.methods} actTypes={props.actTypes} />
      ))}
      <Textarea label={t('intake.methods.account')} autosize minRows={5} value={state.methodsNote} onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, methodsNote: v })); }} />
    </Stack>
  );
}

export function InjuriesStep({ state, patch }: StepProps) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Text>{t('intake.injuries.help')}</Text>
      <Textarea label={t('intake.injuries.injuries')} autosize minRows={4} value={state.injuries} onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, injuries: v })); }} />
      <Textarea label={t('intake.injuries.medical')} autosize minRows={3} value={state.medical} onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, medical: v })); }} />
    </Stack>
  );
}
