import { useEffect, useRef, useState } from 'preact/hooks';
import type { PinnedPolicy } from '../../../domain/schemas/policy';
import { areaSchema, measureSchema } from '../../../domain/schemas/vocabulary';
import { api, ApiError } from '../api';
import { useApp } from '../app-context';
import { Button, CheckboxGroup, ErrorSummary, Notice, Page, RadioGroup, SelectField, TextArea, TextField } from '../components/ui';
import { stockholmDatePlus, stockholmDateToIso } from '../format';
import { AREAS, MEASURES, PHASES, RISK_LEVELS } from '../labels';
import { fieldOf, validateOpenCase, type FieldProblem } from '../open-case-rules';
import { navigate } from '../router';
import type { PolicySummary } from '../types';
import { useApi } from '../use-api';
import { municipalityName } from '../../../domain/municipalities';
import { sentenceLengthToIso } from '../sentence-length';

/** Body paths (problem+json `errors[].path`) and the form field that shows each. */
const FIELDS: Record<string, string> = {
  'client.name': 'arende-namn',
  'client.municipality': 'arende-kommun',
  'client.personalIdentityNumber': 'arende-personnummer',
  phase: 'arende-fas',
  measure: 'arende-atgard',
  admittedAt: 'arende-inskriven',
  expectedReleaseAt: 'arende-frigivning',
  sentence: 'arende-strafftid',
  'sentence.length': 'arende-strafftid',
  'sentence.startsAt': 'arende-verkstallighet',
  'sentence.judgmentAt': 'arende-laga-kraft',
  riskLevel: 'arende-risk',
  needs: 'arende-behov',
  'consent.agencyIds': 'arende-samtycke',
  consent: 'arende-samtycke',
  'responsibility.holderAgencyId': 'arende-ansvarig',
  'responsibility.successorAgencyId': 'arende-eftertradare',
  clientView: 'arende-klientens-syn',
  policyId: 'arende-policy',
};

/** Each field's label, for the error summary, which is read away from the fields. */
const LABELS: Record<string, string> = {
  'arende-namn': 'Namn',
  'arende-kommun': 'Folkbokföringskommun',
  'arende-personnummer': 'Personnummer eller samordningsnummer',
  'arende-klientens-syn': 'Klientens egen syn och önskemål',
  'arende-fas': 'Fas',
  'arende-atgard': 'Utslussningsåtgärd',
  'arende-inskriven': 'Inskriven',
  'arende-frigivning': 'Planerad frigivning',
  'arende-risk': 'Risknivå',
  'arende-behov': 'Behov',
  'arende-samtycke': 'Samtycke',
  'arende-ansvarig': 'Har helhetsansvaret nu',
  'arende-eftertradare': 'Tar över helhetsansvaret efter frigivning',
  'arende-policy': 'Policy',
};

/** Release is counted from 08.00 Swedish time on the chosen day; admission from the start of the day. */
const RELEASE_TIME = '08:00';

const dateOrRaw = (value: string, time: string) => (value.trim() ? (stockholmDateToIso(value, time) ?? value) : undefined);

export function OpenCasePage() {
  const { session, agencies, announce } = useApp();
  const [name, setName] = useState('');
  const [municipality, setMunicipality] = useState('');
  const [pin, setPin] = useState('');
  const [phase, setPhase] = useState('anstalt');
  const [measure, setMeasure] = useState('');
  const [admitted, setAdmitted] = useState(stockholmDatePlus(0));
  const [release, setRelease] = useState('');
  const [sentenceLength, setSentenceLength] = useState('');
  const [sentenceStart, setSentenceStart] = useState('');
  const [judgment, setJudgment] = useState('');
  const [risk, setRisk] = useState('');
  const [needs, setNeeds] = useState<string[]>([]);
  const [consent, setConsent] = useState<string[]>([]);
  const [holder, setHolder] = useState(session.agencyId ?? '');
  const [successor, setSuccessor] = useState('');
  const [clientView, setClientView] = useState('');
  const [policyId, setPolicyId] = useState('default');
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const policies = useRef(new Map<string, PinnedPolicy | null>());
  const registered = useApi<{ items: PolicySummary[] }>('/v1/policies');
  const choices = registered.data?.items ?? [];
  useEffect(() => {
    // A chosen policy that is not (or no longer) registered gives way to the default, or the first.
    if (choices.length && !choices.some((p) => p.policyId === policyId)) setPolicyId(choices.find((p) => p.policyId === 'default')?.policyId ?? choices[0]!.policyId);
  }, [registered.data]);

  const policyFor = async (id: string): Promise<PinnedPolicy | null> => {
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id)) return null;
    if (!policies.current.has(id)) {
      try {
        policies.current.set(id, await api<PinnedPolicy>('GET', `/v1/policies/${encodeURIComponent(id)}`));
      } catch {
        return null; // unknown (or unreachable): the API says which when the form is sent
      }
    }
    return policies.current.get(id) ?? null;
  };

  const hasSentence = !!(sentenceLength.trim() || sentenceStart.trim() || judgment.trim());
  // The start at 08.00 like a release date, so the estimate falls at the same hour; the judgment
  // counts only by its date.
  const sentenceBody = () => ({
    ...(sentenceLength.trim() ? { length: sentenceLengthToIso(sentenceLength) } : {}),
    ...(sentenceStart.trim() ? { startsAt: dateOrRaw(sentenceStart, RELEASE_TIME) } : {}),
    ...(judgment.trim() ? { judgmentAt: judgment.trim() } : {}),
  });

  const body = () => ({
    client: { name, municipality: municipality.trim(), ...(pin.trim() ? { personalIdentityNumber: pin.trim() } : {}) },
    phase,
    ...(phase === 'utslussning' && measure ? { measure } : {}),
    admittedAt: dateOrRaw(admitted, '00:00'),
    ...(release.trim() ? { expectedReleaseAt: dateOrRaw(release, RELEASE_TIME) } : {}),
    ...(hasSentence ? { sentence: sentenceBody() } : {}),
    ...(risk ? { riskLevel: risk } : {}),
    needs,
    consent: { agencyIds: consent },
    responsibility: { ...(holder ? { holderAgencyId: holder } : {}), ...(successor ? { successorAgencyId: successor } : {}) },
    ...(clientView.trim() ? { clientView } : {}),
    policyId: policyId.trim(),
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    setBusy(true);
    try {
      const b = body();
      const actor = { sub: session.sub, role: session.role, agencyId: session.agencyId, name: session.name };
      const found = validateOpenCase(b, { actor, directory: agencies, policy: await policyFor(b.policyId) });
      setProblems(found);
      if (found.length > 0) return;
      const opened = await api<{ caseId: string }>('POST', '/v1/cases', { body: b });
      announce(`Ärendet för ${name.trim()} är öppnat och planen fylld enligt policyn.`);
      navigate(`/arenden/${encodeURIComponent(opened.caseId)}`);
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors.length > 0) setProblems(err.fieldErrors);
      else setFailure(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  // One message per field (the first), and every problem in the summary.
  const fieldErrors: Record<string, string> = {};
  const summary = problems.map((p) => {
    const key = fieldOf(p.path, Object.keys(FIELDS));
    const fieldId = key ? (FIELDS[key] ?? null) : null;
    if (fieldId && !fieldErrors[fieldId]) fieldErrors[fieldId] = p.message;
    return { fieldId, field: fieldId ? LABELS[fieldId] : undefined, message: p.message };
  });
  const err = (id: string) => fieldErrors[id];
  const agencyOptions = [...agencies].sort((a, b) => a.name.localeCompare(b.name, 'sv')).map((a) => [a.agencyId, a.name] as const);

  return (
    <Page title="Öppna nytt ärende">
      <p class="lead">Planen fylls direkt med de insatser policyn kräver, var och en hos den myndighet som tjänar klientens kommun och som klienten samtycker till.</p>
      {failure ? <Notice kind="error">{failure}</Notice> : null}
      <ErrorSummary errors={summary} title="Ärendet kunde inte öppnas. Rätta följande:" />
      <form onSubmit={submit} noValidate class="stack">
        <section aria-labelledby="rubrik-klient" class="panel">
          <h2 id="rubrik-klient">Klient</h2>
          <TextField id="arende-namn" label="Namn" value={name} onValue={setName} autoComplete="off" error={err('arende-namn')} />
          <TextField
            id="arende-kommun"
            label="Folkbokföringskommun (kommunkod)"
            hint={municipalityName(municipality.trim()) ? `${municipality.trim()} är ${municipalityName(municipality.trim())}.` : 'Fyra siffror, till exempel 1480 för Göteborg.'}
            value={municipality}
            onValue={setMunicipality}
            inputMode="numeric"
            maxLength={4}
            class="input-short"
            error={err('arende-kommun')}
          />
          <TextField
            id="arende-personnummer"
            label="Personnummer eller samordningsnummer"
            hint="12 siffror, ÅÅÅÅMMDD-NNNN. Visas sedan bara med födelsedatum."
            value={pin}
            onValue={setPin}
            optional
            autoComplete="off"
            inputMode="numeric"
            class="input-medium"
            error={err('arende-personnummer')}
          />
          <TextArea id="arende-klientens-syn" label="Klientens egen syn och önskemål" value={clientView} onValue={setClientView} optional maxLength={4000} error={err('arende-klientens-syn')} />
        </section>

        <section aria-labelledby="rubrik-verkstallighet" class="panel">
          <h2 id="rubrik-verkstallighet">Verkställighet</h2>
          <SelectField
            id="arende-fas"
            label="Fas"
            value={phase}
            onValue={setPhase}
            options={(['hakte', 'anstalt', 'utslussning', 'frigiven'] as const).map((p) => [p, PHASES[p]] as const)}
            error={err('arende-fas')}
          />
          {phase === 'utslussning' ? (
            <SelectField id="arende-atgard" label="Utslussningsåtgärd" value={measure} onValue={setMeasure} placeholder="Välj åtgärd" options={measureSchema.options.map((m) => [m, MEASURES[m]] as const)} error={err('arende-atgard')} />
          ) : null}
          <TextField id="arende-inskriven" label="Inskriven (början av nuvarande frihetsberövande)" type="date" value={admitted} onValue={setAdmitted} class="input-medium" error={err('arende-inskriven')} />
          <TextField
            id="arende-frigivning"
            label="Planerad frigivning"
            hint="Kriminalvårdens beräkning gäller. Krävs utom i häkte, om inte strafftiden anges nedan. Räknas från kl. 08.00 svensk tid."
            type="date"
            value={release}
            onValue={setRelease}
            optional={phase === 'hakte' || hasSentence}
            class="input-medium"
            error={err('arende-frigivning')}
          />
          <fieldset class="field subgroup" aria-describedby="strafftid-hjalp">
            <legend>Strafftid (om Kriminalvårdens datum saknas)</legend>
            <p id="strafftid-hjalp" class="hint">
              Utan planerat frigivningsdatum beräknas villkorlig frigivning och prövotid ur strafftiden, enligt reglerna som gällde när domen vann laga kraft. Beräkningen är en uppskattning: Kriminalvårdens datum ersätter den när det anges.
            </p>
            <TextField id="arende-strafftid" label="Strafftid" hint="Till exempel 2 år 6 månader." value={sentenceLength} onValue={setSentenceLength} optional={!hasSentence} class="input-medium" error={err('arende-strafftid')} />
            <TextField id="arende-verkstallighet" label="Verkställigheten påbörjad" type="date" value={sentenceStart} onValue={setSentenceStart} optional={!hasSentence} class="input-medium" error={err('arende-verkstallighet')} />
            <TextField id="arende-laga-kraft" label="Domen vann laga kraft" type="date" value={judgment} onValue={setJudgment} optional={!hasSentence} class="input-medium" error={err('arende-laga-kraft')} />
          </fieldset>
          <RadioGroup id="arende-risk" label="Risknivå" value={risk} onValue={setRisk} options={(['low', 'medium', 'high'] as const).map((r) => [r, RISK_LEVELS[r]] as const)} error={err('arende-risk')} />
        </section>

        <section aria-labelledby="rubrik-behov" class="panel">
          <h2 id="rubrik-behov">Behov och samtycke</h2>
          <CheckboxGroup id="arende-behov" label="Behov" hint="Styr vilka insatser policyn kräver." values={needs} onValues={setNeeds} optional columns options={areaSchema.options.map((a) => [a, AREAS[a]] as const)} error={err('arende-behov')} />
          <CheckboxGroup
            id="arende-samtycke"
            label="Klienten samtycker till att dessa får uppgifter"
            hint="En myndighet utan samtycke får inga uppgifter och ser inget av ärendet."
            values={consent}
            onValues={setConsent}
            optional
            columns
            options={agencyOptions}
            error={err('arende-samtycke')}
          />
        </section>

        <section aria-labelledby="rubrik-ansvar" class="panel">
          <h2 id="rubrik-ansvar">Helhetsansvar</h2>
          <SelectField id="arende-ansvarig" label="Har helhetsansvaret nu" value={holder} onValue={setHolder} options={agencyOptions} error={err('arende-ansvarig')} />
          <SelectField
            id="arende-eftertradare"
            label="Tar över helhetsansvaret efter frigivning"
            hint="Måste utses före frigivningen."
            value={successor}
            onValue={setSuccessor}
            optional
            placeholder="Inte utsedd än"
            options={agencyOptions}
            error={err('arende-eftertradare')}
          />
          {registered.error ? <Notice kind="error">Policyerna kunde inte hämtas: {registered.error.message}</Notice> : null}
          <RadioGroup
            id="arende-policy"
            label="Policy"
            hint="Reglerna för vilka insatser som krävs och deras tidsfrister. Ärendet följer policyns nuvarande version."
            value={policyId}
            onValue={setPolicyId}
            options={(choices.length ? choices : [{ policyId: 'default', version: 0 }]).map(
              (p) => [p.policyId, p.version ? `${p.policyId} (version ${p.version})` : p.policyId, p.description ?? 'Ingen beskrivning.'] as const,
            )}
            error={err('arende-policy')}
          />
        </section>
        <div class="form-actions">
          <Button type="submit" busy={busy}>
            Öppna ärendet
          </Button>
        </div>
      </form>
    </Page>
  );
}
