import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Group, Select, Stack, Stepper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePreviewArchive, useRequestArchiveImport, type ArchiveKind, type WhereProblem } from '../../api/imports';
import { DESCRIPTION, JobState, NotAllowed, Problem, UploadStep, WhereProblems, useJobReport, useWritableCompartments } from './common';

/** What every archive importer's report has: whether it was a dry run, and what was not taken. */
export interface ArchiveReport {
  dryRun: boolean;
  problems: WhereProblem[];
  problemsTotal: number;
}

/** The texts of one importer's wizard (from the catalogs). */
export interface ArchiveTexts {
  title: string;
  intro: string;
  /** Drop zone text. */
  drop: string;
  /** Why the ZIP is kept as evidence. */
  kept: string;
  /** Its preview step's name and one-line help. */
  preview: string;
  previewHelp: string;
}

/**
 * An importer of a ZIP uploaded as evidence (a Telegram export, a folder with metadata) in four
 * steps: the ZIP (with how to make it), what it holds (the preview) and the compartment to import
 * into, a dry run and its report, then the import with its progress and report. Each importer gives
 * its texts, how to show its preview and its report's counts, and where to go afterwards.
 */
export function ArchiveImportWizard<P, R extends ArchiveReport>({
  kind,
  texts,
  howTo,
  renderPreview,
  renderCounts,
  renderDone,
}: {
  kind: ArchiveKind;
  texts: ArchiveTexts;
  howTo: ReactNode;
  renderPreview: (p: P) => ReactNode;
  renderCounts: (r: R) => ReactNode;
  /** Links to what the import made (records, search), in the compartment imported into. */
  renderDone: (r: R, compartment: string, preview: P | null) => ReactNode;
}) {
  const { t } = useTranslation();
  const writableOrNull = useWritableCompartments();
  const writable = writableOrNull ?? [];
  const [active, setActive] = useState(0);
  const [upTo, setUpTo] = useState<string | null>(null);
  const uploadCompartment = upTo ?? (writable.length === 1 ? writable[0]!.id : null);
  const [itemId, setItemId] = useState<string | null>(null);
  const previewCall = usePreviewArchive<P>(kind);
  const [preview, setPreview] = useState<P | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const targetCompartment = target ?? uploadCompartment;
  const request = useRequestArchiveImport(kind);
  const [checkJob, setCheckJob] = useState<string | null>(null);
  const [importJob, setImportJob] = useState<string | null>(null);
  const check = useJobReport<R>(checkJob);
  const run = useJobReport<R>(importJob);

  // a dry run speaks of one archive and one compartment: another asks for a new one
  useEffect(() => {
    setCheckJob(null);
    setImportJob(null);
  }, [itemId, targetCompartment]);

  if (writableOrNull && writable.length === 0) return <NotAllowed title={texts.title} message={t('imports.archive.notAllowed')} />;

  const onItem = (id: string) => {
    setItemId(id);
    setPreview(null);
    previewCall.mutate(
      { itemId: id },
      {
        onSuccess: (p) => {
          setPreview(p);
          setActive(1);
        },
      },
    );
  };

  const start = (dryRun: boolean) => {
    if (!itemId || !targetCompartment) return;
    request.mutate({ itemId, compartment: targetCompartment, dryRun }, { onSuccess: (r) => (dryRun ? setCheckJob(r.jobId) : setImportJob(r.jobId)) });
  };

  const Report = ({ r, testId }: { r: R; testId: string }) => (
    <Stack gap="sm" data-testid={testId}>
      {r.dryRun && <Alert color="blue" variant="light">{t('imports.archive.dryRunNote')}</Alert>}
      <div data-testid="report-counts">{renderCounts(r)}</div>
      <WhereProblems problems={r.problems} total={r.problemsTotal} />
    </Stack>
  );

  return (
    <Stack gap="md" maw={1100}>
      <Title order={1}>{texts.title}</Title>
      <Text>{texts.intro}</Text>
      <Stepper active={active} onStepClick={setActive} allowNextStepsSelect={false} size="sm" wrap styles={{ stepDescription: DESCRIPTION.description }}>
        <Stepper.Step allowStepSelect label={t('imports.archive.steps.file')} description={t('imports.archive.steps.fileHelp')}>
          <Stack gap="sm" component="section" aria-labelledby="file-title">
            <Title order={2} size="h3" id="file-title">{t('imports.archive.steps.file')}</Title>
            {howTo}
            <UploadStep
              writable={writable}
              compartment={uploadCompartment}
              onCompartment={setUpTo}
              accept=".zip,application/zip"
              drop={texts.drop}
              kept={texts.kept}
              inputTestId={`${kind}-file-input`}
              busy={previewCall.isPending}
              itemId={itemId}
              onItem={onItem}
            >
              {active === 0 && <Problem error={previewCall.error} />}
            </UploadStep>
          </Stack>
        </Stepper.Step>

        <Stepper.Step allowStepSelect={preview !== null} label={texts.preview} description={texts.previewHelp}>
          {preview && (
            <Stack gap="sm" component="section" aria-labelledby="preview-title">
              <Title order={2} size="h3" id="preview-title">{texts.preview}</Title>
              <div data-testid="archive-preview">{renderPreview(preview)}</div>
              <Select
                label={t('imports.archive.target')}
                description={t('imports.archive.targetHelp')}
                styles={DESCRIPTION}
                data={writable.map((c) => ({ value: c.id, label: c.name }))}
                value={targetCompartment}
                onChange={setTarget}
                allowDeselect={false}
                maw={420}
              />
              <Group>
                <Button onClick={() => setActive(2)} disabled={!targetCompartment}>{t('imports.next')}</Button>
              </Group>
            </Stack>
          )}
        </Stepper.Step>

        <Stepper.Step allowStepSelect={preview !== null && !!targetCompartment} label={t('imports.steps.check')} description={t('imports.steps.checkHelp')}>
          <Stack gap="sm" component="section" aria-labelledby="check-title">
            <Title order={2} size="h3" id="check-title">{t('imports.steps.check')}</Title>
            <Text size="sm">{t('imports.archive.checkHelp')}</Text>
            <Group>
              <Button onClick={() => start(true)} loading={(request.isPending && request.variables?.dryRun === true) || check.running} disabled={!itemId || !targetCompartment}>
                {check.report ? t('imports.check.again') : t('imports.archive.checkStart')}
              </Button>
            </Group>
            {active === 2 && <Problem error={request.error} />}
            <JobState job={check} label={t('imports.archive.checkProgress')} />
            {check.report && !check.running && (
              <>
                <Report r={check.report} testId="check-report" />
                <Group>
                  <Button onClick={() => setActive(3)}>{t('imports.next')}</Button>
                </Group>
              </>
            )}
          </Stack>
        </Stepper.Step>

        <Stepper.Step allowStepSelect={!!check.report} label={t('imports.steps.import')} description={t('imports.archive.steps.importHelp')}>
          <Stack gap="sm" component="section" aria-labelledby="import-title">
            <Title order={2} size="h3" id="import-title">{t('imports.steps.import')}</Title>
            <Text size="sm">{t('imports.archive.importHelp')}</Text>
            <Group>
              <Button onClick={() => start(false)} loading={(request.isPending && request.variables?.dryRun === false) || run.running} disabled={!itemId || !targetCompartment}>
                {run.report ? t('imports.archive.importAgain') : t('imports.run.start')}
              </Button>
            </Group>
            {active === 3 && <Problem error={request.error} />}
            <JobState job={run} label={t('imports.run.progress')} />
            {run.report && !run.running && targetCompartment && (
              <>
                <Report r={run.report} testId="import-report" />
                {renderDone(run.report, targetCompartment, preview)}
              </>
            )}
          </Stack>
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}
