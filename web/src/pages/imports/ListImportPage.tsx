import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Radio, Select, Stack, Stepper, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  DELIMITER_NAMES,
  DELIMITERS,
  ENCODINGS,
  columnKey,
  guessMapping,
  mappableFields,
  usePreviewList,
  useRequestListImport,
  type DelimiterName,
  type Encoding,
  type ImportMode,
  type ListImportReport,
  type ListPreview,
} from '../../api/imports';
import { useRecordTypes, type RecordTypeMeta } from '../../api/records';
import { useFormat } from '../../i18n/format';
import { useProblemText } from './reasons';
import { DESCRIPTION, JobState, NotAllowed, Problem, UploadStep, useJobReport, useWritableCompartments } from './common';

const NOT_IMPORTED = '';

type Lang = 'en' | 'be' | 'ru';
const inLang = (l: { en: string; be: string; ru: string }, lang: string) => l[(['en', 'be', 'ru'].includes(lang.slice(0, 2)) ? lang.slice(0, 2) : 'en') as Lang];

type T = (key: string) => string;
/** The delimiters' names, literal keys (the catalog check finds them). */
function delimiterLabel(t: T, d: DelimiterName): string {
  switch (d) {
    case 'comma': return t('imports.delimiters.comma');
    case 'semicolon': return t('imports.delimiters.semicolon');
    case 'tab': return t('imports.delimiters.tab');
    case 'pipe': return t('imports.delimiters.pipe');
  }
}
/** The parts of an identity, literal keys. */
function identityLabel(t: T, part: string): string {
  const labels: Record<string, () => string> = {
    fullName: () => t('imports.identity.fullName'),
    givenName: () => t('imports.identity.givenName'),
    familyName: () => t('imports.identity.familyName'),
    patronymic: () => t('imports.identity.patronymic'),
    birthName: () => t('imports.identity.birthName'),
    otherNames: () => t('imports.identity.otherNames'),
    birthDate: () => t('imports.identity.birthDate'),
    birthPlace: () => t('imports.identity.birthPlace'),
    addresses: () => t('imports.identity.addresses'),
    phone: () => t('imports.identity.phone'),
    email: () => t('imports.identity.email'),
    telegram: () => t('imports.identity.telegram'),
    signal: () => t('imports.identity.signal'),
    whatsapp: () => t('imports.identity.whatsapp'),
    viber: () => t('imports.identity.viber'),
    passport: () => t('imports.identity.passport'),
    'id-card': () => t('imports.identity.idCard'),
    'residence-permit': () => t('imports.identity.residencePermit'),
  };
  return labels[part]?.() ?? part;
}

/**
 * Importing a list (CSV, XLSX) of records in five steps: the file (uploaded as an evidence item
 * with the resumable protocol, or an item already uploaded), how it reads (preview; encoding,
 * delimiter, sheet changeable), the mapping of columns to a record type's fields, the check (a dry
 * run job and its problems) and the import (all rows or nothing, or only the valid rows). Nothing is
 * kept in the browser's storage.
 */
export function ListImportPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const lang = i18n.language;
  const writableOrNull = useWritableCompartments();
  const writable = writableOrNull ?? [];
  const types = useRecordTypes();

  const [active, setActive] = useState(0);
  // step 1
  const [compartment, setCompartment] = useState<string | null>(null);
  const chosenCompartment = compartment ?? (writable.length === 1 ? writable[0]!.id : null);
  const [itemId, setItemId] = useState<string | null>(null);
  // step 2
  const previewCall = usePreviewList();
  const [preview, setPreview] = useState<ListPreview | null>(null);
  const [encoding, setEncoding] = useState<Encoding | null>(null);
  const [delimiter, setDelimiter] = useState<DelimiterName | null>(null);
  const [sheet, setSheet] = useState<string | null>(null);
  // step 3
  const [type, setType] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [fixed, setFixed] = useState<Record<string, string>>({});
  // steps 4 and 5
  const request = useRequestListImport();
  const [checkJob, setCheckJob] = useState<string | null>(null);
  const [importJob, setImportJob] = useState<string | null>(null);
  const [mode, setMode] = useState<ImportMode>('all-or-nothing');
  const check = useJobReport<ListImportReport>(checkJob);
  const run = useJobReport<ListImportReport>(importJob);

  const meta: RecordTypeMeta | undefined = types.data?.find((x) => x.name === type);
  const targets = useMemo(() => (meta ? mappableFields(meta.fields) : []), [meta]);
  const targetLabel = (name: string) => {
    const tg = targets.find((x) => x.name === name);
    if (!tg) return name;
    return tg.part ? `${inLang(tg.field.label, lang)}: ${identityLabel(t, tg.part)}` : inLang(tg.field.label, lang);
  };
  const valueLabel = (field: string, value: string) => {
    const l = meta?.fields.find((x) => x.name === field)?.valueLabels?.[value];
    return l ? inLang(l, lang) : value;
  };
  const say = useProblemText(targetLabel, valueLabel);
  const readOptions = () => ({ ...(encoding ? { encoding } : {}), ...(delimiter ? { delimiter } : {}), ...(sheet ? { sheet } : {}) });

  const doPreview = (id: string, opts = readOptions()) => {
    previewCall.mutate(
      { itemId: id, ...opts },
      {
        onSuccess: (p) => {
          setPreview(p);
          setActive(1);
        },
      },
    );
  };

  // a new type: columns matched again by name
  useEffect(() => {
    if (meta && preview) setMapping(guessMapping(preview.header, meta.fields));
    setFixed({});
  }, [meta, preview]);

  // a check speaks of one mapping and one reading of the file: any change asks for a new one
  useEffect(() => {
    setCheckJob(null);
    setImportJob(null);
  }, [mapping, fixed, preview, type]);

  const onItem = (id: string) => {
    setItemId(id);
    doPreview(id, {});
  };

  const startJob = (dryRun: boolean) => {
    if (!itemId || !type || !chosenCompartment) return;
    const fixedSet = Object.fromEntries(Object.entries(fixed).filter(([, v]) => v.trim() !== ''));
    request.mutate(
      { itemId, type, compartment: chosenCompartment, mapping, ...(Object.keys(fixedSet).length ? { fixed: fixedSet } : {}), mode, dryRun, ...readOptions() },
      { onSuccess: (r) => (dryRun ? setCheckJob(r.jobId) : setImportJob(r.jobId)) },
    );
  };

  const mapped = Object.values(mapping).filter(Boolean);
  const unmappedFields = targets.filter((x) => !x.part && !mapped.includes(x.name) && ['text', 'int', 'number', 'bool', 'enum', 'vocab', 'vocabList', 'fuzzyDate', 'date', 'datetime'].includes(x.field.kind));

  if (writableOrNull && writable.length === 0) return <NotAllowed title={t('imports.title')} message={t('imports.notAllowed')} />;

  const ReportCounts = ({ r }: { r: ListImportReport }) => (
    <Group gap="lg" data-testid="report-counts">
      <Text>{t('imports.report.rows', { count: r.rows })}</Text>
      <Text>{t('imports.report.valid', { count: r.valid })}</Text>
      <Text fw={r.invalid ? 700 : undefined}>{t('imports.report.invalid', { count: r.invalid })}</Text>
      {r.alreadyImported > 0 && <Text>{t('imports.report.already', { count: r.alreadyImported })}</Text>}
      {!r.dryRun && <Text fw={700} data-testid="written">{t('imports.report.written', { count: r.written })}</Text>}
    </Group>
  );

  const Problems = ({ r }: { r: ListImportReport }) =>
    r.problems.length === 0 ? null : (
      <Stack gap="xs">
        <Title order={3} size="h5" id="problems-title">
          {t('imports.report.problems', { count: r.problemsTotal })}
        </Title>
        <Table.ScrollContainer minWidth={600}>
          <Table striped withTableBorder aria-labelledby="problems-title" data-testid="problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.report.row')}</Table.Th>
                <Table.Th>{t('imports.report.column')}</Table.Th>
                <Table.Th>{t('imports.report.field')}</Table.Th>
                <Table.Th>{t('imports.report.reason')}</Table.Th>
                <Table.Th>{t('imports.report.suggestions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.problems.map((p, i) => (
                <Table.Tr key={i} data-testid="problem">
                  <Table.Td>{f.number(p.row)}</Table.Td>
                  <Table.Td>{p.column ?? '—'}</Table.Td>
                  <Table.Td>{p.field ? targetLabel(p.field) : '—'}</Table.Td>
                  <Table.Td data-testid="problem-reason">{say.reason(p)}</Table.Td>
                  <Table.Td data-testid="suggestions">{(p.suggestions ?? []).map((s) => `${s.label} (${s.code})`).join(', ') || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {r.problemsTotal > r.problems.length && <Text size="sm">{t('imports.report.moreProblems', { count: r.problemsTotal - r.problems.length })}</Text>}
      </Stack>
    );

  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{t('imports.title')}</Title>
      <Text>{t('imports.intro')}</Text>
      <Stepper
        active={active}
        onStepClick={setActive}
        allowNextStepsSelect={false}
        size="sm"
        wrap
        // Mantine's default grey is below WCAG AA contrast
        styles={{ stepDescription: { color: 'var(--mantine-color-gray-7)' } }}
      >
        <Stepper.Step allowStepSelect label={t('imports.steps.file')} description={t('imports.steps.fileHelp')}>
          <Stack gap="sm" component="section" aria-labelledby="file-title">
            <Title order={2} size="h3" id="file-title">{t('imports.steps.file')}</Title>
            <UploadStep
              writable={writable}
              compartment={chosenCompartment}
              onCompartment={setCompartment}
              accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              drop={t('imports.file.drop')}
              kept={t('imports.file.keptAsEvidence')}
              inputTestId="list-file-input"
              busy={previewCall.isPending}
              itemId={itemId}
              onItem={onItem}
            >
              {active === 0 && <Problem error={previewCall.error} />}
            </UploadStep>
          </Stack>
        </Stepper.Step>

        <Stepper.Step allowStepSelect={preview !== null} label={t('imports.steps.read')} description={t('imports.steps.readHelp')}>
          {preview && itemId && (
            <Stack gap="sm" component="section" aria-labelledby="read-title">
              <Title order={2} size="h3" id="read-title">{t('imports.steps.read')}</Title>
              <Group gap="md" data-testid="detected">
                <Badge variant="light" color="dark">{t('imports.read.format', { format: preview.form.format.toUpperCase() })}</Badge>
                {preview.form.encoding && <Badge variant="light" color="dark" data-testid="detected-encoding">{t('imports.read.encoding', { encoding: preview.form.encoding })}</Badge>}
                {preview.form.delimiter && <Badge variant="light" color="dark">{t('imports.read.delimiter', { delimiter: delimiterLabel(t, DELIMITER_NAMES[preview.form.delimiter] ?? 'comma') })}</Badge>}
                {preview.form.sheet && <Badge variant="light" color="dark">{t('imports.read.sheet', { sheet: preview.form.sheet })}</Badge>}
              </Group>
              <Group align="end">
                {preview.form.format === 'csv' && (
                  <>
                    <Select label={t('imports.read.encodingLabel')} data={[{ value: '', label: t('imports.read.detected') }, ...ENCODINGS.map((e) => ({ value: e, label: e }))]} value={encoding ?? ''} onChange={(v) => setEncoding((v || null) as Encoding | null)} allowDeselect={false} />
                    <Select label={t('imports.read.delimiterLabel')} data={[{ value: '', label: t('imports.read.detected') }, ...DELIMITERS.map((d) => ({ value: d, label: delimiterLabel(t, d) }))]} value={delimiter ?? ''} onChange={(v) => setDelimiter((v || null) as DelimiterName | null)} allowDeselect={false} />
                  </>
                )}
                {preview.form.format === 'xlsx' && (
                  <Select label={t('imports.read.sheetLabel')} data={preview.form.sheets} value={sheet ?? preview.form.sheet} onChange={setSheet} allowDeselect={false} />
                )}
                <Button variant="default" onClick={() => doPreview(itemId)} loading={previewCall.isPending}>{t('imports.read.again')}</Button>
              </Group>
              <Problem error={previewCall.error} />
              <Text size="sm">{t('imports.read.shown', { count: preview.rows.length })}</Text>
              <Table.ScrollContainer minWidth={500}>
                <Table striped withTableBorder withColumnBorders data-testid="preview" aria-labelledby="read-title">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('imports.report.row')}</Table.Th>
                      {preview.header.map((h, i) => <Table.Th key={i}>{h || `#${i + 1}`}</Table.Th>)}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {preview.rows.map((r) => (
                      <Table.Tr key={r.row}>
                        <Table.Td>{r.row}</Table.Td>
                        {preview.header.map((_, i) => <Table.Td key={i}>{r.cells[i] ?? ''}</Table.Td>)}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Group>
                <Button onClick={() => setActive(2)}>{t('imports.next')}</Button>
              </Group>
            </Stack>
          )}
        </Stepper.Step>

        <Stepper.Step allowStepSelect={preview !== null} label={t('imports.steps.map')} description={t('imports.steps.mapHelp')}>
          {preview && (
            <Stack gap="sm" component="section" aria-labelledby="map-title">
              <Title order={2} size="h3" id="map-title">{t('imports.steps.map')}</Title>
              <Select
                label={t('imports.map.type')}
                data={(types.data ?? []).map((x) => ({ value: x.name, label: inLang(x.pluralLabel, lang) }))}
                value={type}
                onChange={setType}
                searchable
                required
              />
              {meta && (
                <>
                  <Text size="sm">{t('imports.map.help')}</Text>
                  <Table withTableBorder data-testid="mapping">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('imports.map.column')}</Table.Th>
                        <Table.Th>{t('imports.map.example')}</Table.Th>
                        <Table.Th>{t('imports.map.field')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {preview.header.map((h, i) => {
                        const key = columnKey(preview.header, i);
                        return (
                          <Table.Tr key={i}>
                            <Table.Td>{h || `#${i + 1}`}</Table.Td>
                            <Table.Td>{preview.rows[0]?.cells[i] ?? ''}</Table.Td>
                            <Table.Td>
                              <Select
                                label={t('imports.map.fieldFor', { column: h || `#${i + 1}` })}
                                styles={{ label: { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' } }}
                                data={[{ value: NOT_IMPORTED, label: t('imports.map.notImported') }, ...targets.map((x) => ({ value: x.name, label: targetLabel(x.name) }))]}
                                value={mapping[key] ?? NOT_IMPORTED}
                                onChange={(v) =>
                                  setMapping((m) => {
                                    const next = { ...m };
                                    if (v) next[key] = v;
                                    else delete next[key];
                                    return next;
                                  })
                                }
                                searchable
                                allowDeselect={false}
                              />
                            </Table.Td>
                          </Table.Tr>
                        );
                      })}
                    </Table.Tbody>
                  </Table>
                  {unmappedFields.length > 0 && (
                    <Stack gap="xs">
                      <Title order={3} size="h5">{t('imports.map.fixed')}</Title>
                      <Text size="sm">{t('imports.map.fixedHelp')}</Text>
                      <Group>
                        {unmappedFields.slice(0, 30).map((x) => (
                          <TextInput key={x.name} label={targetLabel(x.name)} value={fixed[x.name] ?? ''} onChange={(e) => { const v = e.currentTarget.value; setFixed((o) => ({ ...o, [x.name]: v })); }} w={240} />
                        ))}
                      </Group>
                    </Stack>
                  )}
                  <Group>
                    <Button onClick={() => setActive(3)} disabled={mapped.length === 0}>{t('imports.next')}</Button>
                  </Group>
                </>
              )}
            </Stack>
          )}
        </Stepper.Step>

        <Stepper.Step allowStepSelect={preview !== null && mapped.length > 0} label={t('imports.steps.check')} description={t('imports.steps.checkHelp')}>
          <Stack gap="sm" component="section" aria-labelledby="check-title">
            <Title order={2} size="h3" id="check-title">{t('imports.steps.check')}</Title>
            <Text size="sm">{t('imports.check.help')}</Text>
            <Group>
              <Button onClick={() => startJob(true)} loading={request.isPending || check.running} disabled={!type || mapped.length === 0}>
                {check.report ? t('imports.check.again') : t('imports.check.start')}
              </Button>
            </Group>
            {active === 3 && <Problem error={request.error} />}
            <JobState job={check} label={t('imports.check.progress')} />
            {check.report && !check.running && (
              <Stack gap="sm" data-testid="check-report">
                <ReportCounts r={check.report} />
                {check.report.invalid === 0 ? <Alert color="green">{t('imports.check.allValid')}</Alert> : <Alert color="yellow">{t('imports.check.fix')}</Alert>}
                <Problems r={check.report} />
                <Group>
                  <Button variant="default" onClick={() => setActive(2)}>{t('imports.check.backToMapping')}</Button>
                  <Button onClick={() => setActive(4)} disabled={check.report.valid === 0}>{t('imports.next')}</Button>
                </Group>
              </Stack>
            )}
          </Stack>
        </Stepper.Step>

        <Stepper.Step allowStepSelect={!!check.report && check.report.valid > 0} label={t('imports.steps.import')} description={t('imports.steps.importHelp')}>
          <Stack gap="sm" component="section" aria-labelledby="import-title">
            <Title order={2} size="h3" id="import-title">{t('imports.steps.import')}</Title>
            <Radio.Group label={t('imports.run.mode')} value={mode} onChange={(v) => setMode(v as ImportMode)}>
              <Stack gap="xs" mt="xs">
                <Radio value="all-or-nothing" label={t('imports.run.allOrNothing')} description={t('imports.run.allOrNothingHelp')} styles={DESCRIPTION} />
                <Radio value="valid-only" label={t('imports.run.validOnly')} description={t('imports.run.validOnlyHelp')} styles={DESCRIPTION} />
              </Stack>
            </Radio.Group>
            <Group>
              <Button onClick={() => startJob(false)} loading={request.isPending || run.running} disabled={!type || (!!run.report && run.report.written > 0)}>
                {t('imports.run.start')}
              </Button>
            </Group>
            {active === 4 && <Problem error={request.error} />}
            <JobState job={run} label={t('imports.run.progress')} />
            {run.report && !run.running && (
              <Stack gap="sm" data-testid="import-report">
                <ReportCounts r={run.report} />
                {run.report.notWritten && (
                  <Alert color="yellow" role="alert" data-testid="not-written">
                    {run.report.notWrittenCode === 'rows-have-problems'
                      ? t('imports.run.notWrittenProblems', { count: run.report.invalid })
                      : run.report.notWrittenCode === 'row-not-written' && run.report.notWrittenParams
                        ? t('imports.run.notWrittenRow', { row: run.report.notWrittenParams.row })
                        : t('imports.run.notWritten', { reason: run.report.notWritten })}
                  </Alert>
                )}
                {run.report.written > 0 && <Alert color="green">{t('imports.run.done', { count: run.report.written })}</Alert>}
                <Problems r={run.report} />
                {meta && (
                  <Text>
                    <Anchor component={Link} to={`/records/${meta.name}`} data-testid="records-link">
                      {t('imports.run.openList', { type: inLang(meta.pluralLabel, lang) })}
                    </Anchor>
                  </Text>
                )}
              </Stack>
            )}
          </Stack>
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}
