import { Alert, Anchor, Badge, Button, Card, CloseButton, Code, Group, List, Progress, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { downloadUrl, useCaseExports, useExport, useJob, useLinkedEvidenceOf, useLinkToRecord, useReferring, useStartExport } from '../../api/cases';
import { useLinkedEvidence, useRecord, useRecords, useRecordType, useSaveRecord, type LinkedEvidenceItem, type StoredRecord } from '../../api/records';
import { useRecordOptions } from '../../api/search';
import { localLabel, termLabel, useVocabulary } from '../../api/vocabularies';
import { UnlinkButton } from '../../components/evidence/UnlinkButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useRecordLabeler } from '../../components/records/useRecordLabel';
import { useFormat } from '../../i18n/format';
import { checklist, proofOf, withId } from './logic';

/** An evidence item's kind in the reader's language (the categories of src/adapters/media/detect-type.ts). */
function useCategoryLabel(): (category: string | null) => string {
  const { t } = useTranslation();
  return (c) => {
    switch (c) {
      case 'image':
        return t('cases.category.image');
      case 'video':
        return t('cases.category.video');
      case 'audio':
        return t('cases.category.audio');
      case 'pdf':
        return t('cases.category.pdf');
      case 'text':
        return t('cases.category.text');
      case 'document':
        return t('cases.category.document');
      case 'archive':
        return t('cases.category.archive');
      case 'web-capture':
        return t('cases.category.webCapture');
      default:
        return t('cases.category.other');
    }
  };
}

/** What an evidence item is called here: its kind, its type, and the start of its SHA-256. */
function useEvidenceName(): (e: LinkedEvidenceItem) => string {
  const kind = useCategoryLabel();
  return (e) => [kind(e.category), e.mime, e.sha256.slice(0, 12)].filter(Boolean).join(' · ');
}

/** A searchable picker over the search API (acts, evidence): choosing an option calls onPick. */
function SearchPicker({ type, label, exclude, onPick, disabled }: { type: string; label: string; exclude: string[]; onPick: (id: string) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const options = useRecordOptions([type], q);
  const data = (options.data?.items ?? []).filter((h) => h.type === type && !exclude.includes(h.id)).map((h) => ({ value: h.id, label: h.label }));
  return (
    <Select
      label={label}
      placeholder={t('cases.picker.placeholder')}
      searchable
      clearable
      value={null}
      searchValue={q}
      onSearchChange={setQ}
      data={data}
      filter={({ options: o }) => o}
      nothingFoundMessage={q.trim().length < 2 ? t('cases.picker.typeMore') : options.isFetching ? t('app.loading') : t('cases.picker.none')}
      onChange={(v) => {
        if (v) {
          onPick(v);
          setQ('');
        }
      }}
      disabled={disabled}
      maw={480}
    />
  );
}

export function CaseWorkspacePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const theCase = useRecord('cases', id);
  const casesMeta = useRecordType('cases').data;
  if (theCase.isLoading) return <Text>{t('app.loading')}</Text>;
  if (theCase.isError || !theCase.data) return <ErrorNotice error={theCase.error} />;
  const c = theCase.data;
  const status = casesMeta?.fields.find((f) => f.name === 'status');
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{String(c.title ?? '')}</Title>
        <Group gap="sm">
          {c.status ? <Badge variant="light">{localLabel(status?.valueLabels?.[String(c.status)], i18n.language) ?? String(c.status)}</Badge> : null}
          <Anchor component={Link} to={`/records/cases/${c.id}`}>
            {t('cases.recordPage')}
          </Anchor>
        </Group>
      </div>
      <CaseActs theCase={c} />
      <CaseEvidence theCase={c} />
      <ElementsOfCrimes theCase={c} />
      <CaseExportPanel caseId={c.id} />
    </Stack>
  );
}

function CaseActs({ theCase }: { theCase: StoredRecord }) {
  const { t } = useTranslation();
  const actsMeta = useRecordType('acts').data;
  const labelOf = useRecordLabeler(actsMeta);
  const ids = Array.isArray(theCase.acts) ? (theCase.acts as string[]) : [];
  const acts = useRecords('acts', ids);
  const save = useSaveRecord('cases');
  const may = theCase.permissions.update;
  const change = (actId: string, add: boolean) => save.mutate({ id: theCase.id, version: theCase.version, body: { acts: withId(theCase.acts, actId, add) } });
  return (
    <Card withBorder component="section" aria-labelledby="case-acts">
      <Title order={2} id="case-acts" size="h3">
        {t('cases.acts.title')}
      </Title>
      {ids.length === 0 ? (
        <Text c="gray.7">{t('cases.acts.none')}</Text>
      ) : (
        <List data-testid="case-acts">
          {ids.map((actId) => {
            const a = acts.find((x) => x.id === actId);
            const name = a ? labelOf(a) : t('app.loading');
            return (
              <List.Item key={actId}>
                <Group gap="xs">
                  <Anchor component={Link} to={`/records/acts/${actId}`}>
                    {name}
                  </Anchor>
                  {may ? <CloseButton size="sm" aria-label={t('cases.acts.remove', { name })} onClick={() => change(actId, false)} disabled={save.isPending} /> : null}
                </Group>
              </List.Item>
            );
          })}
        </List>
      )}
      {may ? <SearchPicker type="acts" label={t('cases.acts.add')} exclude={ids} onPick={(actId) => change(actId, true)} disabled={save.isPending} /> : null}
      {save.isError ? <ErrorNotice error={save.error} /> : null}
    </Card>
  );
}

function CaseEvidence({ theCase }: { theCase: StoredRecord }) {
  const { t } = useTranslation();
  const f = useFormat();
  const items = useLinkedEvidence('cases', theCase.id);
  const evidenceName = useEvidenceName();
  const link = useLinkToRecord();
  const may = theCase.permissions.update;
  const linked = [...new Set((items.data ?? []).map((e) => e.id))];
  return (
    <Card withBorder component="section" aria-labelledby="case-evidence">
      <Title order={2} id="case-evidence" size="h3">
        {t('cases.evidence.title')}
      </Title>
      {items.isLoading ? <Text>{t('app.loading')}</Text> : null}
      {items.isError ? <ErrorNotice error={items.error} /> : null}
      {items.data && items.data.length === 0 ? <Text c="gray.7">{t('cases.evidence.none')}</Text> : null}
      {items.data && items.data.length > 0 ? (
        <List data-testid="case-evidence">
          {items.data.map((e) => (
            <List.Item key={e.linkId}>
              <Anchor component={Link} to={`/evidence/${e.id}`}>
                {evidenceName(e)}
              </Anchor>{' '}
              <Text span c="gray.7" size="sm">
                {t('cases.evidence.linkedAt', { date: f.dateTime(e.linkedAt) })}
              </Text>{' '}
              {may ? <UnlinkButton itemId={e.id} linkId={e.linkId} targetType="cases" targetId={theCase.id} label={evidenceName(e)} /> : null}
            </List.Item>
          ))}
        </List>
      ) : null}
      {may ? (
        <>
          <SearchPicker type="evidence" label={t('cases.evidence.add')} exclude={linked} onPick={(itemId) => link.mutate({ itemId, targetType: 'cases', targetId: theCase.id })} disabled={link.isPending} />
          <Text size="sm" c="gray.7">
            {t('cases.evidence.custodyNote')}
          </Text>
        </>
      ) : null}
      {link.isError ? <ErrorNotice error={link.error} /> : null}
    </Card>
  );
}

function ElementsOfCrimes({ theCase }: { theCase: StoredRecord }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const quals = useReferring('qualifications', 'case', [theCase.id]);
  const qualIds = (quals.data ?? []).map((q) => q.id);
  const elements = useReferring('qualification-elements', 'qualification', qualIds);
  const evidence = useLinkedEvidenceOf('qualification-elements', (elements.data ?? []).map((e) => e.id));
  const caseEvidence = useLinkedEvidence('cases', theCase.id);
  const crimes = useVocabulary('crimes');
  const frameworks = useVocabulary('legal-frameworks');
  const proofs = (elements.data ?? []).map((e) => proofOf(e, new Set((evidence.byId.get(e.id) ?? []).map((x) => x.id)).size));
  const counts = checklist(proofs);
  return (
    <Card withBorder component="section" aria-labelledby="case-elements">
      <Title order={2} id="case-elements" size="h3">
        {t('cases.elements.title')}
      </Title>
      {quals.isLoading ? <Text>{t('app.loading')}</Text> : null}
      {quals.isError ? <ErrorNotice error={quals.error} /> : null}
      {elements.isError ? <ErrorNotice error={elements.error} /> : null}
      {quals.data && quals.data.length === 0 ? <Text c="gray.7">{t('cases.qualifications.none')}</Text> : null}
      {counts.total > 0 ? (
        <Text data-testid="elements-summary" fw={500}>
          {t('cases.elements.summary', { count: counts.total, supported: counts.supported, lacking: counts.lacking })}
        </Text>
      ) : null}
      <Stack gap="md" mt="sm">
        {(quals.data ?? []).map((q) => (
          <Card key={q.id} withBorder component="article" aria-label={termLabel(crimes.data, String(q.crime), lang)} data-testid="qualification">
            <Title order={3} size="h4">
              {termLabel(crimes.data, String(q.crime), lang)}
            </Title>
            <Text size="sm" c="gray.7">
              {t('cases.qualifications.framework', { framework: termLabel(frameworks.data, String(q.framework), lang) })}
            </Text>
            <List listStyleType="none" spacing="sm" mt="xs">
              {(elements.data ?? [])
                .filter((e) => e.qualification === q.id)
                .map((e) => (
                  <ElementRow key={e.id} element={e} evidence={evidence.byId.get(e.id) ?? []} caseActs={Array.isArray(theCase.acts) ? (theCase.acts as string[]) : []} caseEvidence={caseEvidence.data ?? []} />
                ))}
            </List>
            {(elements.data ?? []).every((e) => e.qualification !== q.id) && !elements.isLoading ? <Text c="gray.7">{t('cases.elements.none')}</Text> : null}
            {theCase.permissions.update ? <AddElement qualification={q} /> : null}
          </Card>
        ))}
      </Stack>
      {theCase.permissions.update ? <AddQualification theCase={theCase} /> : null}
    </Card>
  );
}

function ElementRow({ element, evidence, caseActs, caseEvidence }: { element: StoredRecord; evidence: LinkedEvidenceItem[]; caseActs: string[]; caseEvidence: LinkedEvidenceItem[] }) {
  const { t, i18n } = useTranslation();
  const vocab = useVocabulary('crime-elements');
  const actsMeta = useRecordType('acts').data;
  const labelOf = useRecordLabeler(actsMeta);
  const save = useSaveRecord('qualification-elements');
  const link = useLinkToRecord();
  const evidenceName = useEvidenceName();
  const linkedIds = [...new Set(evidence.map((e) => e.id))];
  const proof = proofOf(element, linkedIds.length);
  const actIds = [...new Set([...caseActs, ...proof.acts])];
  const acts = useRecords('acts', actIds);
  const name = termLabel(vocab.data, String(element.element), i18n.language);
  const may = element.permissions.update;
  const actName = (id: string) => {
    const a = acts.find((x) => x.id === id);
    return a ? labelOf(a) : t('app.loading');
  };
  const setAct = (id: string, add: boolean) => save.mutate({ id: element.id, version: element.version, body: { acts: withId(element.acts, id, add) } });
  const assessmentField = useRecordType('qualification-elements').data?.fields.find((f) => f.name === 'assessment');
  const assessments = Object.entries(assessmentField?.valueLabels ?? {}).map(([value, l]) => ({ value, label: localLabel(l, i18n.language) ?? value }));
  const evidenceChoices = [...new Map(caseEvidence.filter((e) => !linkedIds.includes(e.id)).map((e) => [e.id, e])).values()];
  return (
    <List.Item data-testid="element" aria-label={name}>
      <Group gap="sm" align="center">
        <Text fw={600}>{name}</Text>
        {proof.lacksProof ? (
          <Badge color="#b71c1c" variant="filled">
            {t('cases.elements.lacksProof')}
          </Badge>
        ) : (
          <Badge color="#1b5e20" variant="filled">
            {t('cases.elements.supported', { count: proof.acts.length + proof.other + proof.evidence })}
          </Badge>
        )}
      </Group>
      {proof.acts.length + evidence.length > 0 ? (
        <List size="sm" withPadding>
          {proof.acts.map((id) => (
            <List.Item key={`a-${id}`}>
              <Group gap="xs">
                <Text span size="sm">
                  {t('cases.elements.act', { name: actName(id) })}
                </Text>
                {may ? <CloseButton size="sm" aria-label={t('cases.elements.unmapAct', { name: actName(id) })} onClick={() => setAct(id, false)} disabled={save.isPending} /> : null}
              </Group>
            </List.Item>
          ))}
          {evidence.map((e) => (
            <List.Item key={`e-${e.linkId}`}>
              <Group gap="xs">
                <Anchor component={Link} to={`/evidence/${e.id}`} size="sm">
                  {t('cases.elements.evidence', { name: evidenceName(e) })}
                </Anchor>
                {may ? <UnlinkButton itemId={e.id} linkId={e.linkId} targetType="qualification-elements" targetId={element.id} label={evidenceName(e)} /> : null}
              </Group>
            </List.Item>
          ))}
        </List>
      ) : null}
      {proof.other > 0 ? (
        <Text size="sm" c="gray.7">
          {t('cases.elements.other', { count: proof.other })}
        </Text>
      ) : null}
      {may ? (
        <Group gap="sm" align="end" mt={4}>
          <Select
            label={t('cases.elements.mapActShort')}
            aria-label={t('cases.elements.mapAct', { element: name })}
            placeholder={caseActs.length ? t('cases.elements.choose') : t('cases.elements.noCaseActs')}
            data={caseActs.filter((id) => !proof.acts.includes(id)).map((id) => ({ value: id, label: actName(id) }))}
            value={null}
            onChange={(v) => v && setAct(v, true)}
            disabled={save.isPending || caseActs.length === 0}
            size="sm"
            w={280}
          />
          <Select
            label={t('cases.elements.mapEvidenceShort')}
            aria-label={t('cases.elements.mapEvidence', { element: name })}
            placeholder={caseEvidence.length ? t('cases.elements.choose') : t('cases.elements.noCaseEvidence')}
            data={evidenceChoices.map((e) => ({ value: e.id, label: evidenceName(e) }))}
            value={null}
            onChange={(v) => v && link.mutate({ itemId: v, targetType: 'qualification-elements', targetId: element.id })}
            disabled={link.isPending || caseEvidence.length === 0}
            size="sm"
            w={280}
          />
          {assessmentField ? (
            <Select
              label={localLabel(assessmentField.label, i18n.language)}
              aria-label={t('cases.elements.assessment', { element: name })}
              data={assessments}
              value={typeof element.assessment === 'string' ? element.assessment : null}
              onChange={(v) => save.mutate({ id: element.id, version: element.version, body: { assessment: v } })}
              disabled={save.isPending}
              size="sm"
              w={220}
            />
          ) : null}
        </Group>
      ) : null}
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      {link.isError ? <ErrorNotice error={link.error} /> : null}
    </List.Item>
  );
}

function VocabSelect({ name, label, value, onChange, error }: { name: string; label: string; value: string | null; onChange: (v: string | null) => void; error?: string }) {
  const { t, i18n } = useTranslation();
  const vocab = useVocabulary(name);
  const data = (vocab.data?.terms ?? []).filter((x) => !x.deprecated).map((x) => ({ value: x.code, label: localLabel(x.labels, i18n.language) ?? x.code }));
  return <Select label={label} data={data} value={value} onChange={onChange} searchable required error={error} placeholder={vocab.isLoading ? t('app.loading') : t('cases.elements.choose')} w={320} />;
}

/** Field problems of a failed create, by field name (problem+json errors[]). */
function problemsOf(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const errs = (error as { problem?: { errors?: { field: string; message: string }[] } } | null)?.problem?.errors ?? [];
  for (const e of errs) out[e.field.split('.')[0] ?? e.field] ??= e.message;
  return out;
}

function AddQualification({ theCase }: { theCase: StoredRecord }) {
  const { t } = useTranslation();
  const [framework, setFramework] = useState<string | null>(null);
  const [crime, setCrime] = useState<string | null>(null);
  const save = useSaveRecord('qualifications');
  const problems = problemsOf(save.error);
  return (
    <form
      onSubmit={(ev) => {
        ev.preventDefault();
        save.mutate(
          { body: { compartment: theCase.compartment, case: theCase.id, framework, crime } },
          {
            onSuccess: () => {
              setFramework(null);
              setCrime(null);
            },
          },
        );
      }}
    >
      <Title order={3} size="h4" mt="md">
        {t('cases.qualifications.add')}
      </Title>
      <Group align="end" gap="sm">
        <VocabSelect name="legal-frameworks" label={t('cases.qualifications.frameworkLabel')} value={framework} onChange={setFramework} error={problems.framework} />
        <VocabSelect name="crimes" label={t('cases.qualifications.crimeLabel')} value={crime} onChange={setCrime} error={problems.crime} />
        <Button type="submit" loading={save.isPending} disabled={!framework || !crime}>
          {t('cases.qualifications.submit')}
        </Button>
      </Group>
      {save.isError && Object.keys(problems).length === 0 ? <ErrorNotice error={save.error} /> : null}
    </form>
  );
}

function AddElement({ qualification }: { qualification: StoredRecord }) {
  const { t } = useTranslation();
  const [element, setElement] = useState<string | null>(null);
  const save = useSaveRecord('qualification-elements');
  const problems = problemsOf(save.error);
  return (
    <form
      onSubmit={(ev) => {
        ev.preventDefault();
        save.mutate({ body: { compartment: qualification.compartment, qualification: qualification.id, element, assessment: 'not-assessed' } }, { onSuccess: () => setElement(null) });
      }}
    >
      <Group align="end" gap="sm" mt="sm">
        <VocabSelect name="crime-elements" label={t('cases.elements.addLabel')} value={element} onChange={setElement} error={problems.element} />
        <Button type="submit" variant="light" loading={save.isPending} disabled={!element}>
          {t('cases.elements.add')}
        </Button>
      </Group>
      {save.isError && Object.keys(problems).length === 0 ? <ErrorNotice error={save.error} /> : null}
    </form>
  );
}

function CaseExportPanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const exports = useCaseExports(caseId);
  const start = useStartExport(caseId);
  const latestId = start.data?.id ?? exports.data?.items[0]?.id;
  const current = useExport(latestId);
  const ex = current.data;
  const job = useJob(ex?.jobId, ex?.state === 'queued');
  // nothing at all for those the API refuses
  if (!exports.data?.allowed) return exports.isError ? <ErrorNotice error={exports.error} /> : null;
  const progress = ex?.state === 'done' ? 100 : (job.data?.progress ?? 0);
  return (
    <Card withBorder component="section" aria-labelledby="case-export">
      <Title order={2} id="case-export" size="h3">
        {t('cases.export.title')}
      </Title>
      <Text size="sm" c="gray.7">
        {t('cases.export.help')}
      </Text>
      <Group mt="sm">
        <Button onClick={() => start.mutate()} loading={start.isPending} disabled={ex?.state === 'queued'}>
          {t('cases.export.start')}
        </Button>
      </Group>
      {start.isError ? <ErrorNotice error={start.error} /> : null}
      {ex ? (
        <Stack gap="xs" mt="sm" data-testid="export-state">
          {ex.state === 'queued' ? (
            <>
              <Text>{job.data?.state === 'running' ? t('cases.export.running') : t('cases.export.queued')}</Text>
              <Progress value={progress} aria-label={t('cases.export.progress')} animated />
              {job.data?.progressMessage ? <Text size="sm">{job.data.progressMessage}</Text> : null}
              {job.data?.state === 'failed' || job.data?.state === 'dead' ? (
                <Alert color="red" role="alert">
                  {t('cases.export.failed', { error: job.data.lastError ?? '' })}
                </Alert>
              ) : null}
            </>
          ) : null}
          {ex.state === 'failed' ? (
            <Alert color="red" role="alert">
              {t('cases.export.failed', { error: ex.error ?? '' })}
            </Alert>
          ) : null}
          {ex.state === 'done' ? (
            <>
              <Text>{t('cases.export.done', { date: f.dateTime(ex.finishedAt ?? ex.createdAt), size: f.number(ex.size ?? 0) })}</Text>
              {ex.summary ? (
                <Text size="sm" data-testid="export-summary">
                  {t('cases.export.summary', { records: ex.summary.records ?? 0, items: ex.summary.items ?? 0, events: ex.summary.events ?? 0 })}
                </Text>
              ) : null}
              {ex.summary?.withheld ? (
                <Alert color="yellow" variant="light">
                  {t('cases.export.withheld', { count: ex.summary.withheld })}
                </Alert>
              ) : null}
              <Text size="sm">
                {t('cases.export.sha256')} <Code style={{ wordBreak: 'break-all' }}>{ex.sha256}</Code>
              </Text>
              <Group>
                <Button component="a" href={downloadUrl(ex.id)} download>
                  {t('cases.export.download')}
                </Button>
              </Group>
            </>
          ) : null}
        </Stack>
      ) : null}
      {current.isError ? <ErrorNotice error={current.error} /> : null}
    </Card>
  );
}
