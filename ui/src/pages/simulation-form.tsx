import { useMemo, useState } from 'preact/hooks';
import { Button, ErrorSummary, SelectField, TextArea, TextField, type Option } from '../components/ui';
import { CUSTOM_POLICY, FIELD_MESSAGES, MAX_RELEASES, MAX_SEED, parseCount, type SimulationField } from '../simulation-errors';
import type { PolicySummary, SimulationRequest } from '../types';

const LABELS: Record<SimulationField, string> = {
  policy: 'Policy',
  compare: 'Jämför med',
  releases: 'Antal frigivningar under året',
  seed: 'Slumpfrö',
  custom: 'Egen policy (JSON)',
};
const LEAD_TIME_OPTIONS: Option[] = [['given', 'Antagna (simulatorns egna)'], ['measured', 'Uppmätta ur ärendena']];
const IDS: Record<SimulationField, string> = { policy: 'sim-policy', compare: 'sim-jamfor', releases: 'sim-frigivningar', seed: 'sim-fro', custom: 'sim-egen' };

/** What to simulate: a published policy, optionally a second, how many releases and the seed. */
export function SimulationForm({ policies, busy, refused, onRun }: {
  policies: readonly PolicySummary[];
  busy: boolean;
  /** Fields the API refused (400), in Swedish. */
  refused: Partial<Record<SimulationField, string>>;
  onRun(request: SimulationRequest): void;
}) {
  const [policy, setPolicy] = useState('default');
  const [compare, setCompare] = useState('');
  const [releases, setReleases] = useState('6731');
  const [seed, setSeed] = useState('42');
  const [custom, setCustom] = useState('');
  const [leadTimes, setLeadTimes] = useState<'given' | 'measured'>('given');
  const [errors, setErrors] = useState<Partial<Record<SimulationField, string>>>({});

  const options: Option[] = policies.map((p) => [p.policyId, `${p.policyId} (version ${p.version})${p.description ? ` – ${p.description}` : ''}`]);
  // A draft tried before anyone publishes it: published, every coordinator could open cases under it.
  const compareOptions: Option[] = [...options, [CUSTOM_POLICY, 'Egen policy, inte publicerad (klistra in JSON)']];
  const shown = useMemo(() => ({ ...refused, ...errors }), [refused, errors]);
  // A new list only when the errors change: the summary takes focus each time it gets one.
  const summary = useMemo(
    () => (Object.keys(shown) as SimulationField[]).map((f) => ({ fieldId: IDS[f], field: LABELS[f], message: shown[f] ?? '' })),
    [shown],
  );
  const error = (f: SimulationField) => shown[f];

  const submit = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const n = parseCount(releases, 1, MAX_RELEASES);
    const s = parseCount(seed, 0, MAX_SEED);
    const found: Partial<Record<SimulationField, string>> = {};
    if (!policy) found.policy = FIELD_MESSAGES.policy;
    if (compare && compare === policy) found.compare = 'Välj en annan policy än den första att jämföra med, eller ingen.';
    if (n === null) found.releases = FIELD_MESSAGES.releases;
    if (s === null) found.seed = FIELD_MESSAGES.seed;
    let body: unknown;
    if (compare === CUSTOM_POLICY) {
      try {
        body = JSON.parse(custom);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
      } catch {
        found.custom = 'Klistra in en policy som ett JSON-objekt, till exempel en publicerad policys body.';
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0 || n === null || s === null) return;
    const second = compare === CUSTOM_POLICY ? { compare: body as SimulationRequest['compare'] } : compare ? { compare } : {};
    onRun({ policy, ...second, releases: n, seed: s, ...(leadTimes === 'measured' ? { leadTimes } : {}) });
  };

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="rubrik-simulera" noValidate>
      <h2 id="rubrik-simulera">Vad ska simuleras?</h2>
      <ErrorSummary errors={summary} title="Simuleringen kunde inte startas. Rätta följande:" />
      <div class="columns">
        <SelectField id={IDS.policy} label={LABELS.policy} hint="Policyn som reglerna följer under året." value={policy} onValue={setPolicy} options={options} error={error('policy')} />
        <SelectField
          id={IDS.compare}
          label={LABELS.compare}
          hint="En andra policy körs med samma klienter och samma svar från myndigheterna."
          optional
          value={compare}
          onValue={setCompare}
          options={compareOptions}
          placeholder="Ingen jämförelse"
          error={error('compare')}
        />
        {compare === CUSTOM_POLICY ? (
          <TextArea
            id={IDS.custom}
            label={LABELS.custom}
            hint="Samma form som en publicerad policy (krav, påminnelser, eskalering, uppföljningar). Den körs bara i simuleringen och sparas inte."
            rows={10}
            value={custom}
            onValue={setCustom}
            error={error('custom')}
          />
        ) : null}
        <TextField
          id={IDS.releases}
          label={LABELS.releases}
          hint="Standard 6 731, som frigivningarna från anstalt 2013. Högst 20 000."
          inputMode="numeric"
          class="input-medium"
          value={releases}
          onValue={setReleases}
          error={error('releases')}
        />
        <TextField
          id={IDS.seed}
          label={LABELS.seed}
          hint="Samma frö ger samma klienter och samma svar, så att en körning kan göras om."
          inputMode="numeric"
          class="input-medium"
          value={seed}
          onValue={setSeed}
          error={error('seed')}
        />
        <SelectField
          id="sim-handlaggningstider"
          label="Handläggningstider"
          hint="Uppmätta: så lång tid myndigheterna faktiskt har tagit i ärendena, per myndighetstyp och område, där de är tillräckligt många."
          value={leadTimes}
          onValue={(v) => setLeadTimes(v === 'measured' ? 'measured' : 'given')}
          options={LEAD_TIME_OPTIONS}
        />
      </div>
      <Button type="submit" busy={busy}>
        Kör simuleringen
      </Button>
    </form>
  );
}
