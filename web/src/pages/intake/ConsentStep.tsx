import { Alert, Button, Checkbox, Fieldset, Group, NativeSelect, Paper, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { termLabel, type Term } from '../../api/intake';
import type { Compartment } from '../../api/session';
import { ApproxDateInput } from './fields';
import { newKey, type IntakeState } from './model';
import type { Errors, Patch } from './IntakePage';

/**
 * Step 1: who the witness is (a pseudonym; the real name only into the encrypted identity) and what
 * they agree to, per scope and recipient. Nothing is sent before "Record consent".
 */
export function ConsentStep(props: {
  state: IntakeState;
  patch: Patch;
  errors: Errors;
  scopes: Term[] | undefined;
  compartments: Compartment[];
  recorded: boolean;
  busy: boolean;
  onRecord: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { state, patch, errors, recorded } = props;
  const w = state.witness;
  const c = state.consent;
  return (
    <Stack>
      <Text>{t('intake.consent.intro')}</Text>
      {recorded && (
        <Alert color="green" variant="light" role="status">
          {t('intake.consent.recorded')}
        </Alert>
      )}
      {props.compartments.length > 1 && (
        <NativeSelect
          label={t('intake.consent.compartment')}
          required
          disabled={recorded}
          data={[{ value: '', label: t('intake.choose') }, ...props.compartments.map((x) => ({ value: x.id, label: x.name }))]}
          value={state.compartment ?? ''}
          onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, compartment: v || null })); }}
          error={errors['compartment']}
        />
      )}
      <Fieldset legend={t('intake.consent.witness')} disabled={recorded}>
        <Stack>
          <TextInput
            label={t('intake.consent.pseudonym')}
            description={t('intake.consent.pseudonymHelp')}
            required
            value={w.pseudonym}
            onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, witness: { ...s.witness, pseudonym: v } })); }}
            error={errors['witness.pseudonym']}
          />
          <Text size="sm" c="gray.7">
            {t('intake.consent.identityHelp')}
          </Text>
          <TextInput
            label={t('intake.consent.fullName')}
            autoComplete="off"
            value={w.fullName}
            onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, witness: { ...s.witness, fullName: v } })); }}
            error={errors['witness.fullName']}
          />
          <ApproxDateInput
            label={t('intake.consent.birthDate')}
            value={w.birthDate}
            approx={false}
            disabled={recorded}
            onChange={(v) => patch((s) => ({ ...s, witness: { ...s.witness, birthDate: v } }))}
            error={errors['witness.birthDate']}
          />
          <TextInput
            label={t('intake.consent.phone')}
            autoComplete="off"
            value={w.phone}
            onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, witness: { ...s.witness, phone: v } })); }}
            error={errors['witness.phone']}
          />
          <NativeSelect
            label={t('intake.consent.sex')}
            data={[
              { value: '', label: t('intake.choose') },
              { value: 'female', label: t('intake.sex.female') },
              { value: 'male', label: t('intake.sex.male') },
              { value: 'other', label: t('intake.sex.other') },
              { value: 'unknown', label: t('intake.sex.unknown') },
            ]}
            value={w.sex ?? ''}
            onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, witness: { ...s.witness, sex: v || null } })); }}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend={t('intake.consent.agreements')} disabled={recorded}>
        <Stack>
          <Text size="sm">{t('intake.consent.agreementsHelp')}</Text>
          {c.rows.map((row, i) => (
            <Paper key={row.key} withBorder p="sm">
              <Stack gap="xs">
                <TextInput
                  label={t('intake.consent.recipient', { number: i + 1 })}
                  description={t('intake.consent.recipientHelp')}
                  value={row.recipient}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    patch((s) => ({ ...s, consent: { ...s.consent, rows: s.consent.rows.map((r) => (r.key === row.key ? { ...r, recipient: v } : r)) } }));
                  }}
                  error={errors[`${row.key}.recipient`]}
                />
                <Checkbox.Group
                  label={t('intake.consent.scopes', { number: i + 1 })}
                  value={row.scopes}
                  onChange={(v) => patch((s) => ({ ...s, consent: { ...s.consent, rows: s.consent.rows.map((r) => (r.key === row.key ? { ...r, scopes: v } : r)) } }))}
                  error={errors[`${row.key}.scopes`]}
                >
                  <Group gap="md" mt="xs">
                    {(props.scopes ?? []).map((term) => (
                      <Checkbox key={term.code} value={term.code} label={termLabel(term, i18n.language)} />
                    ))}
                  </Group>
                </Checkbox.Group>
                {c.rows.length > 1 && (
                  <Group>
                    <Button size="xs" variant="subtle" color="red" onClick={() => patch((s) => ({ ...s, consent: { ...s.consent, rows: s.consent.rows.filter((r) => r.key !== row.key) } }))}>
                      {t('intake.consent.removeRecipient', { number: i + 1 })}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Paper>
          ))}
          <Group>
            <Button variant="light" onClick={() => patch((s) => ({ ...s, consent: { ...s.consent, rows: [...s.consent.rows, { key: newKey('consent'), recipient: '', scopes: [] }] } }))}>
              {t('intake.consent.addRecipient')}
            </Button>
          </Group>
          <NativeSelect
            label={t('intake.consent.method')}
            data={[
              { value: 'written', label: t('intake.consent.methods.written') },
              { value: 'oral-recorded', label: t('intake.consent.methods.oralRecorded') },
              { value: 'oral', label: t('intake.consent.methods.oral') },
              { value: 'electronic', label: t('intake.consent.methods.electronic') },
            ]}
            value={c.method ?? 'oral-recorded'}
            onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, consent: { ...s.consent, method: v } })); }}
          />
          <TextInput
            label={t('intake.consent.obtainedBy')}
            value={c.obtainedBy}
            onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, consent: { ...s.consent, obtainedBy: v } })); }}
            error={errors['consent.obtainedBy']}
          />
          <TextInput
            type="datetime-local"
            label={t('intake.consent.obtainedAt')}
            required
            value={c.obtainedAt}
            onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, consent: { ...s.consent, obtainedAt: v } })); }}
            error={errors['consent.obtainedAt']}
          />
          <Textarea
            label={t('intake.consent.notes')}
            autosize
            minRows={2}
            value={c.notes}
            onChange={(e) => { const v = e.currentTarget.value; patch((s) => ({ ...s, consent: { ...s.consent, notes: v } })); }}
          />
        </Stack>
      </Fieldset>
      {errors['consent.none'] && (
        <Alert color="red" variant="light" role="alert">
          {errors['consent.none']}
        </Alert>
      )}
      {errors['form'] && (
        <Alert color="red" variant="light" role="alert">
          {errors['form']}
        </Alert>
      )}
      {!recorded && (
        <Group>
          <Button onClick={props.onRecord} loading={props.busy}>
            {t('intake.consent.record')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
