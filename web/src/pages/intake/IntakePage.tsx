import { Alert, Anchor, Button, Code, Group, List, Loader, Progress, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, NetworkError } from '../../api/client';
import { createConsent, createPerson, createRecord, linkEvidence, uploadRecording, useRecordOptions, useVocabulary, type UploadHandle } from '../../api/intake';
import { usePersonPermissions } from '../../api/persons';
import { useCompartments } from '../../api/session';
import { useSignedIn } from '../../app/guards';
import { PersonName } from '../../components/protect/PersonName';
import { ConsentStep } from './ConsentStep';
import './intake.css';
import { basisNote, buildTranscript, initialState, parseApproxDate, proposedActs, reviewProblems, topicsCovered, type FuzzyDate, type IntakeState, type TopicText } from './model';
import { noRecording, RecordingStep, type RecordingState } from './RecordingStep';
import { ReviewStep } from './ReviewStep';
import { IncidentsStep, InjuriesStep, InterviewStep, MethodsStep, NarrativeStep, PerpetratorsStep, RoutineStep } from './TopicSteps';

export type Patch = (f: (s: IntakeState) => IntakeState) => void;
export type Errors = Record<string, string>;

const STEPS = ['consent', 'interview', 'before', 'incidents', 'perpetrators', 'said', 'routine', 'methods', 'injuries', 'witnesses', 'recording', 'review'] as const;
type Step = (typeof STEPS)[number];

const CREATE_ROLES = new Set(['coordinator', 'documenter', 'analyst', 'lawyer']);

interface Saved {
  event?: string;
  persons: Record<string, string>;
  acts: Record<string, string>;
  involvements: Record<string, string>;
  testimony?: string;
  links: Record<string, string>;
}

/**
 * The guided interview (Istanbul Protocol topics). Consent first: nothing reaches the server
 * before the witness's consent is recorded (with their person, by pseudonym). The rest stays in
 * this page's memory only — never in the browser's storage — until the documenter saves the
 * testimony with the acts proposed from it, which is one action at the end. The testimony record
 * has no draft status, so there are no server-side drafts.
 */
export function IntakePage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const lng = i18n.language;
  const me = session.user.displayName ?? session.user.username;
  const [state, setState] = useState<IntakeState>(() => initialState(me));
  const [step, setStep] = useState<Step>('consent');
  const [errors, setErrors] = useState<Errors>({});
  const [recorded, setRecorded] = useState<{ witness: string; consents: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [recording, setRecording] = useState<RecordingState>(noRecording);
  const uploadRef = useRef<UploadHandle | null>(null);
  const [saved, setSaved] = useState<Saved>({ persons: {}, acts: {}, involvements: {}, links: {} });
  const [done, setDone] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const compartments = useCompartments();
  const witnessPermissions = usePersonPermissions(recorded?.witness ?? null);
  const canReveal = witnessPermissions.data?.revealIdentity ?? false;
  const writable = useMemo(() => (compartments.data ?? []).filter((c) => c.myRole && CREATE_ROLES.has(c.myRole)), [compartments.data]);
  const scopes = useVocabulary('consent-scopes');
  const actTypes = useVocabulary('act-types');
  const methods = useVocabulary('methods');
  const degrees = useVocabulary('involvement-degrees');
  const bases = useVocabulary('identification-bases');
  const places = useRecordOptions('places', lng);
  const units = useRecordOptions('units', lng);
  const events = useRecordOptions('events', lng);

  const patch: Patch = useCallback((f) => setState(f), []);
  const compartment = state.compartment ?? (writable.length === 1 ? writable[0]!.id : null);
  const inCompartment = <T extends { compartment: string }>(list: T[] | undefined) => list?.filter((x) => x.compartment === compartment);

  // a new step: its heading takes the focus, so keyboard and screen-reader users start at its top
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step, done]);
  useEffect(() => () => uploadRef.current?.abort(), []);

  const stepLabel = (s: Step): string =>
    ({
      consent: t('intake.steps.consent'),
      interview: t('intake.steps.interview'),
      before: t('intake.steps.before'),
      incidents: t('intake.steps.incidents'),
      perpetrators: t('intake.steps.perpetrators'),
      said: t('intake.steps.said'),
      routine: t('intake.steps.routine'),
      methods: t('intake.steps.methods'),
      injuries: t('intake.steps.injuries'),
      witnesses: t('intake.steps.witnesses'),
      recording: t('intake.steps.recording'),
      review: t('intake.steps.review'),
    })[s];

  const problemText = (e: unknown) =>
    e instanceof NetworkError ? t('intake.errors.network') : e instanceof ApiError ? (e.status === 403 ? t('intake.errors.forbidden') : t('intake.errors.server', { status: e.status })) : t('intake.errors.unexpected');

  /** Field errors from a problem+json answer, mapped onto the form's fields. */
  const fieldErrors = (e: unknown, map: (field: string) => string | null): Errors | null => {
    if (!(e instanceof ApiError) || !e.problem.errors?.length) return null;
    const out: Errors = {};
    for (const x of e.problem.errors) {
      const key = map(x.field) ?? 'form';
      out[key] = out[key] ? `${out[key]} ${x.message}` : x.message;
    }
    return out;
  };

  // ---- step 1: the witness and their consent ----
  const witnessOnly = useRef<string | null>(null);
  const consentsMade = useRef(new Map<string, string>());
  const recordConsent = async () => {
    const problems: Errors = {};
    if (!compartment) problems['compartment'] = t('intake.errors.required');
    if (!state.witness.pseudonym.trim()) problems['witness.pseudonym'] = t('intake.errors.required');
    const birth = parseApproxDate(state.witness.birthDate);
    if (birth === 'invalid') problems['witness.birthDate'] = t('intake.date.invalid');
    if (!state.consent.obtainedAt || Number.isNaN(new Date(state.consent.obtainedAt).getTime())) problems['consent.obtainedAt'] = t('intake.errors.required');
    const rows = state.consent.rows.filter((r) => r.scopes.length > 0);
    if (rows.length === 0) problems['consent.none'] = t('intake.consent.noneGiven');
    for (const r of state.consent.rows) if (r.recipient.trim() && r.scopes.length === 0) problems[`${r.key}.scopes`] = t('intake.consent.scopesRequired');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const w = state.witness;
      const identity = {
        ...(w.fullName.trim() ? { fullName: w.fullName.trim() } : {}),
        ...(birth && birth !== 'invalid' ? { birthDate: birth } : {}),
        ...(w.phone.trim() ? { contacts: [{ kind: 'phone' as const, value: w.phone.trim() }] } : {}),
      };
      let witness = recorded?.witness ?? witnessOnly.current ?? undefined;
      if (!witness) {
        try {
          witness = (
            await createPerson({ compartment: compartment!, pseudonym: w.pseudonym.trim(), roles: ['witness', 'victim'], ...(w.sex ? { sex: w.sex } : {}), ...(Object.keys(identity).length ? { identity } : {}) })
          ).id;
          witnessOnly.current = witness;
        } catch (e) {
          const fe = fieldErrors(e, (f) => (f === 'pseudonym' ? 'witness.pseudonym' : f.startsWith('identity.birthDate') ? 'witness.birthDate' : f.startsWith('identity.contacts') ? 'witness.phone' : f.startsWith('identity') ? 'witness.fullName' : null));
          setErrors(fe ?? { form: problemText(e) });
          return;
        }
      }
      const consents: string[] = [];
      const obtainedAt = new Date(state.consent.obtainedAt).toISOString();
      for (const r of rows) {
        const made = consentsMade.current.get(r.key);
        if (made) {
          consents.push(made);
          continue;
        }
        try {
          const c = await createConsent({
            compartment: compartment!,
            person: witness,
            scopes: r.scopes,
            recipient: r.recipient.trim() || null,
            obtainedAt,
            obtainedBy: state.consent.obtainedBy.trim() || null,
            method: state.consent.method,
            notes: state.consent.notes.trim() || null,
          });
          consents.push(c.id);
          consentsMade.current.set(r.key, c.id);
        } catch (e) {
          // the person (and any entry already recorded) exists now: trying again goes on from there
          const fe = fieldErrors(e, (f) => (f === 'recipient' || f === 'scopes' ? `${r.key}.${f}` : f === 'obtainedAt' || f === 'obtainedBy' ? `consent.${f}` : null));
          setErrors(fe ?? { form: problemText(e) });
          return;
        }
      }
      setRecorded({ witness, consents });
      setState((s) => ({ ...s, compartment: compartment, event: { ...s.event, title: s.event.title || s.interview.title } }));
      setStep('interview');
    } finally {
      setBusy(false);
    }
  };

  // ---- the recording: sent as soon as it is chosen ----
  const onFile = (file: File | null) => {
    uploadRef.current?.abort();
    if (!file || !recorded) {
      setRecording(noRecording);
      return;
    }
    setRecording({ ...noRecording, file, total: file.size, uploading: true });
    uploadRef.current = uploadRecording(file, {
      compartment: compartment!,
      csrfToken: session.csrfToken,
      sourcePerson: recorded.witness,
      note: t('intake.recording.note'),
      onProgress: (sent, total) => setRecording((r) => ({ ...r, sent, total })),
      onDone: (item) => setRecording((r) => ({ ...r, item, uploading: false, sent: r.total })),
      onError: (e) => setRecording((r) => ({ ...r, uploading: false, error: String(e) })),
    });
  };

  // ---- the end: testimony, acts, persons, involvements, links ----
  const topicParts = (): TopicText[] => {
    const type = (code: string | null) => actTypes.data?.find((x) => x.code === code);
    const incidents = state.incidents
      .map((inc, i) => {
        const place = places.data?.find((p) => p.id === inc.place)?.label;
        const bits = [type(inc.type) ? (lng === 'be' ? type(inc.type)!.labels.be : lng === 'ru' ? type(inc.type)!.labels.ru : type(inc.type)!.labels.en) : '', inc.start, inc.end && `– ${inc.end}`, place, inc.placeNote].filter(Boolean);
        return bits.length ? `${i + 1}. ${bits.join(', ')}` : '';
      })
      .filter(Boolean)
      .join('\n');
    const perps = state.perpetrators.map((p, i) => `${i + 1}. ${[p.label, p.appearance].filter((x) => x.trim()).join(': ')}`).filter((x) => x.length > 3).join('\n');
    const r = state.routine;
    return [
      { topic: 'circumstances-before', heading: t('intake.steps.before'), text: state.before },
      { topic: 'dates-and-times', heading: t('intake.steps.incidents'), text: incidents },
      { topic: 'perpetrators-identity', heading: t('intake.steps.perpetrators'), text: perps },
      { topic: 'what-was-said', heading: t('intake.steps.said'), text: state.said },
      { topic: 'transport', heading: t('intake.routine.transport'), text: r.transport },
      { topic: 'places-of-detention', heading: t('intake.routine.facility'), text: r.facility },
      { topic: 'detention-routine', heading: t('intake.routine.cell'), text: r.cell },
      { topic: 'detention-routine', heading: t('intake.routine.food'), text: r.food },
      { topic: 'detention-routine', heading: t('intake.routine.sleep'), text: r.sleep },
      { topic: 'detention-routine', heading: t('intake.routine.access'), text: r.access },
      { topic: 'methods', heading: t('intake.steps.methods'), text: state.methodsNote },
      { topic: 'injuries-symptoms', heading: t('intake.injuries.injuries'), text: state.injuries },
      { topic: 'medical-care', heading: t('intake.injuries.medical'), text: state.medical },
      { topic: 'witnesses', heading: t('intake.steps.witnesses'), text: state.witnesses },
    ];
  };

  const save = async () => {
    if (!recorded || !compartment) return;
    const problems: Errors = {};
    for (const [key, kind] of reviewProblems(state)) problems[key] = kind === 'date' ? t('intake.date.invalid') : t('intake.errors.required');
    for (const p of state.perpetrators) if (p.kind === 'unit' && !p.unit && p.incidents.length) problems[`${p.key}.unit`] = t('intake.errors.required');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    const s: Saved = { ...saved, persons: { ...saved.persons }, acts: { ...saved.acts }, involvements: { ...saved.involvements }, links: { ...saved.links } };
    const date = (text: string, approx: boolean) => parseApproxDate(text, approx) as FuzzyDate | null;
    const acts = proposedActs(state);
    let where: (f: string) => string | null = () => null;
    try {
      const first = acts[0]?.incident;
      if (acts.length && state.event.mode === 'new' && !s.event) {
        where = (f) => (f === 'title' ? 'event.title' : null);
        s.event = (await createRecord('events', { compartment, title: state.event.title.trim(), status: 'alleged', start: first ? date(first.start, first.startApprox) : null, place: first?.place ?? null })).id;
      }
      const eventId = state.event.mode === 'existing' ? state.event.id : (s.event ?? null);
      for (const { incident, perpetrators } of acts) {
        for (const p of perpetrators) {
          if (p.kind !== 'person' || s.persons[p.key]) continue;
          where = (f) => (f === 'pseudonym' ? `${p.key}.label` : null);
          s.persons[p.key] = (await createPerson({ compartment, pseudonym: p.label.trim(), roles: ['alleged-perpetrator'], ...(p.appearance.trim() ? { notes: p.appearance.trim() } : {}) })).id;
        }
        if (!s.acts[incident.key]) {
          where = (f) => (['type', 'start', 'end', 'place', 'methods'].includes(f) ? `${incident.key}.${f}` : f === 'event' ? 'event.id' : null);
          s.acts[incident.key] = (
            await createRecord('acts', {
              compartment,
              event: eventId,
              victim: recorded.witness,
              type: incident.type,
              methods: incident.methods,
              start: date(incident.start, incident.startApprox),
              end: date(incident.end, incident.endApprox),
              place: incident.place,
            })
          ).id;
        }
        for (const p of perpetrators) {
          const k = `${incident.key}/${p.key}`;
          if (s.involvements[k]) continue;
          where = (f) => (f === 'degree' ? `${p.key}.degree` : f === 'unit' || f === 'person' ? `${p.key}.unit` : null);
          s.involvements[k] = (
            await createRecord('involvements', {
              compartment,
              act: s.acts[incident.key],
              ...(p.kind === 'person' ? { person: s.persons[p.key] } : { unit: p.unit }),
              degree: p.degree,
              basis: p.basis,
              basisNote: basisNote(p),
            })
          ).id;
        }
      }
      if (!s.testimony) {
        const parts = topicParts();
        where = (f) => (f === 'date' ? 'interview.date' : f === 'title' || f === 'interviewer' ? `interview.${f}` : null);
        s.testimony = (
          await createRecord('testimonies', {
            compartment,
            title: state.interview.title.trim() || null,
            interviewee: recorded.witness,
            interviewer: state.interview.interviewer.trim() || null,
            date: date(state.interview.date, false),
            mode: state.interview.mode,
            language: state.interview.language,
            consent: recorded.consents[0] ?? null,
            event: eventId,
            topics: topicsCovered(parts),
            transcript: buildTranscript(parts) || null,
            acts: acts.map((a) => s.acts[a.incident.key]!),
          })
        ).id;
      }
      if (recording.item) {
        where = () => null;
        const targets: [string, string][] = [['testimonies', s.testimony], ...acts.map((a) => ['acts', s.acts[a.incident.key]!] as [string, string])];
        for (const [type, id] of targets) {
          if (s.links[id]) continue;
          s.links[id] = (await linkEvidence(recording.item.id, type, id, t('intake.recording.note'))).id;
        }
      }
      setSaved(s);
      setDone(true);
    } catch (e) {
      setSaved(s); // what was made stays made: saving again goes on from there
      setErrors(fieldErrors(e, where) ?? { form: problemText(e) });
    } finally {
      setBusy(false);
    }
  };

  const index = STEPS.indexOf(step);
  const go = (to: Step) => {
    setErrors({});
    // the new event is named after the interview unless the documenter names it
    if (to === 'review') setState((s) => (s.event.title.trim() ? s : { ...s, event: { ...s.event, title: s.interview.title } }));
    setStep(to);
  };

  if (compartments.isPending) return <Loader aria-label={t('app.loading')} />;
  if (compartments.data && writable.length === 0)
    return (
      <Stack maw={800}>
        <Title order={1}>{t('intake.title')}</Title>
        <Alert color="orange" variant="light">
          {t('intake.noCompartment')}
        </Alert>
      </Stack>
    );

  if (done && recorded)
    return (
      <Stack maw={800}>
        <Title order={1} ref={headingRef} tabIndex={-1}>
          {t('intake.done.title')}
        </Title>
        <Alert color="green" variant="light" role="status">
          {t('intake.done.saved', { count: Object.keys(saved.acts).length })}
        </Alert>
        <List>
          <List.Item>
            {t('intake.done.witness')} <PersonName id={recorded.witness} pseudonym={state.witness.pseudonym} canReveal={canReveal} />
          </List.Item>
          <List.Item>
            {t('intake.done.testimony')} <Code data-testid="testimony-id">{saved.testimony}</Code>
          </List.Item>
          <List.Item>{t('intake.done.consents', { count: recorded.consents.length })}</List.Item>
          <List.Item>{t('intake.done.involvements', { count: Object.keys(saved.involvements).length })}</List.Item>
          {recording.item && <List.Item>{t('intake.done.recording')}</List.Item>}
        </List>
        <Group>
          <Button
            onClick={() => {
              setState(initialState(me));
              setRecorded(null);
              witnessOnly.current = null;
              consentsMade.current.clear();
              setRecording(noRecording);
              setSaved({ persons: {}, acts: {}, involvements: {}, links: {} });
              setDone(false);
              setStep('consent');
            }}
          >
            {t('intake.done.another')}
          </Button>
          <Anchor component={Link} to={`/records/testimonies/${saved.testimony}`}>
            {t('intake.done.openTestimony')}
          </Anchor>
          {Object.values(saved.acts).map((id, i) => (
            <Anchor key={id} component={Link} to={`/records/acts/${id}`}>
              {t('intake.done.openAct', { number: i + 1 })}
            </Anchor>
          ))}
        </Group>
      </Stack>
    );

  const witness = recorded ? { id: recorded.witness, pseudonym: state.witness.pseudonym } : null;
  return (
    <Stack maw={960} gap="lg" className="intake-page">
      <Title order={1}>{t('intake.title')}</Title>
      <Stack gap={4}>
        <Text size="sm" id="intake-progress-label">
          {t('intake.progress', { step: index + 1, total: STEPS.length, name: stepLabel(step) })}
        </Text>
        <Progress.Root>
          <Progress.Section value={((index + 1) / STEPS.length) * 100} aria-labelledby="intake-progress-label" />
        </Progress.Root>
      </Stack>
      <Group align="flex-start" wrap="nowrap" gap="xl">
        <nav aria-label={t('intake.stepsNav')} style={{ minWidth: 220 }}>
          <ol className="intake-steps" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {STEPS.map((s, i) => (
              <li key={s}>
                <UnstyledButton
                  onClick={() => go(s)}
                  disabled={!recorded && s !== 'consent'}
                  aria-current={s === step ? 'step' : undefined}
                  style={{ padding: '4px 8px', fontWeight: s === step ? 700 : 400, opacity: !recorded && s !== 'consent' ? 0.6 : 1, borderLeft: s === step ? '3px solid var(--mantine-color-blue-6)' : '3px solid transparent' }}
                >
                  {i + 1}. {stepLabel(s)}
                </UnstyledButton>
              </li>
            ))}
          </ol>
        </nav>
        <section aria-labelledby="intake-step-title" style={{ flex: 1, minWidth: 0 }}>
          <Stack>
            <Title order={2} id="intake-step-title" ref={headingRef} tabIndex={-1}>
              {stepLabel(step)}
            </Title>
            {witness && step !== 'consent' && (
              <Text size="sm" c="gray.7">
                {t('intake.witnessIs')} <PersonName id={witness.id} pseudonym={witness.pseudonym} canReveal={canReveal} />
              </Text>
            )}
            {step === 'consent' && (
              <ConsentStep state={state} patch={patch} errors={errors} scopes={scopes.data} compartments={writable} recorded={!!recorded} busy={busy} onRecord={() => void recordConsent()} />
            )}
            {step === 'interview' && <InterviewStep state={state} patch={patch} errors={errors} />}
            {step === 'before' && <NarrativeStep help={t('intake.before.help')} label={t('intake.before.label')} value={state.before} onChange={(v) => patch((s) => ({ ...s, before: v }))} />}
            {step === 'incidents' && <IncidentsStep state={state} patch={patch} errors={errors} actTypes={actTypes.data} places={inCompartment(places.data)} />}
            {step === 'perpetrators' && <PerpetratorsStep state={state} patch={patch} errors={errors} degrees={degrees.data} bases={bases.data} units={units.data} actTypes={actTypes.data} />}
            {step === 'said' && <NarrativeStep help={t('intake.said.help')} label={t('intake.said.label')} value={state.said} onChange={(v) => patch((s) => ({ ...s, said: v }))} />}
            {step === 'routine' && <RoutineStep state={state} patch={patch} errors={errors} />}
            {step === 'methods' && <MethodsStep state={state} patch={patch} errors={errors} methods={methods.data} actTypes={actTypes.data} />}
            {step === 'injuries' && <InjuriesStep state={state} patch={patch} errors={errors} />}
            {step === 'witnesses' && <NarrativeStep help={t('intake.witnesses.help')} label={t('intake.witnesses.label')} value={state.witnesses} onChange={(v) => patch((s) => ({ ...s, witnesses: v }))} />}
            {step === 'recording' && <RecordingStep recording={recording} onFile={onFile} onCancel={() => onFile(null)} />}
            {step === 'review' && witness && (
              <ReviewStep
                state={state}
                patch={patch}
                errors={errors}
                witness={witness}
                vocab={{ actTypes: actTypes.data, methods: methods.data, degrees: degrees.data }}
                places={inCompartment(places.data)}
                events={inCompartment(events.data)}
                units={units.data}
                hasRecording={!!recording.item}
                saving={busy}
                onSave={() => void save()}
              />
            )}
            {step !== 'consent' && step !== 'review' && Object.keys(errors).length > 0 && errors['form'] && (
              <Alert color="red" variant="light" role="alert">
                {errors['form']}
              </Alert>
            )}
            <Group justify="space-between" mt="md">
              {index > 0 ? (
                <Button variant="default" onClick={() => go(STEPS[index - 1]!)}>
                  {t('intake.back')}
                </Button>
              ) : (
                <span />
              )}
              {index < STEPS.length - 1 && recorded && (
                <Button onClick={() => go(STEPS[index + 1]!)} disabled={step === 'recording' && recording.uploading}>
                  {t('intake.next')}
                </Button>
              )}
            </Group>
          </Stack>
        </section>
      </Group>
    </Stack>
  );
}
