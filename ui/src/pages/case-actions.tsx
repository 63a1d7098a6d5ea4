import { useState } from 'preact/hooks';
import {
  addInterventionBodySchema, consentBodySchema, needsBodySchema, reasonBodySchema, reassignBodySchema, releaseDateBodySchema,
  responsibilityBodySchema, sentenceBodySchema, transitionBodySchema,
} from '../../../domain/schemas/commands';
import { isAllowedTransition } from '../../../domain/transitions';
import { areaSchema, measureSchema, phaseSchema } from '../../../domain/schemas/vocabulary';
import { useApp } from '../app-context';
import { Button, CheckboxGroup, Notice, SelectField, TextArea, TextField } from '../components/ui';
import { isoToStockholmDate, stockholmDateToIso } from '../format';
import { AREAS, MEASURES, PHASES, label } from '../labels';
import { sentenceLengthText, sentenceLengthToIso } from '../sentence-length';
import type { CaseView, Intervention } from '../types';
import { useCommand, type Command } from '../use-command';

/*
 * The coordinator's commands on a case, one small form each. Every form checks its body with
 * the API's own schema (domain/schemas/commands.ts) before sending, and shows the API's refusal next
 * to the field it names, or above the button for a refusal of the whole command (409).
 */

export interface CaseActionProps {
  view: CaseView;
  /** Sends a command; the answer (the new case view) replaces the page's. */
  send(method: 'POST' | 'PUT', path: string, body: unknown, done: string): Promise<void>;
}

const RELEASE_TIME = '08:00';

function Failure({ cmd }: { cmd: Command }) {
  return cmd.error ? <Notice kind="error">{cmd.error}</Notice> : null;
}

export function TransitionForm({ view, send }: CaseActionProps) {
  const cmd = useCommand();
  const targets = phaseSchema.options.filter((p) => isAllowedTransition(view.phase, p));
  const [to, setTo] = useState('');
  const [measure, setMeasure] = useState('');
  const [reason, setReason] = useState('');
  if (targets.length === 0) return <p>Ärendet är avslutat; fasen kan inte ändras.</p>;
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { to: to || undefined, ...(to === 'utslussning' && measure ? { measure } : {}), ...(reason.trim() ? { reason } : {}) };
    const ok = await cmd.run(transitionBodySchema, body, (b) => send('POST', '/transitions', b, `Fasen är ändrad till ${label(PHASES, b.to).toLowerCase()}.`));
    if (ok) {
      setTo('');
      setReason('');
      setMeasure('');
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Failure cmd={cmd} />
      <SelectField
        id="fas-till"
        label="Ny fas"
        hint={`Nu: ${label(PHASES, view.phase)}. Bara de övergångar som vägen tillåter visas.`}
        value={to}
        onValue={setTo}
        placeholder="Välj fas"
        options={targets.map((p) => [p, PHASES[p]] as const)}
        error={cmd.fieldError('to')}
      />
      {to === 'utslussning' ? (
        <SelectField id="fas-atgard" label="Utslussningsåtgärd" value={measure} onValue={setMeasure} placeholder="Välj åtgärd" options={measureSchema.options.map((m) => [m, MEASURES[m]] as const)} error={cmd.fieldError('measure')} />
      ) : null}
      <TextField id="fas-skal" label="Skäl" hint="Krävs för att avsluta ärendet." value={reason} onValue={setReason} optional={to !== 'avslutad'} error={cmd.fieldError('reason')} />
      <Button type="submit" busy={cmd.busy}>
        Ändra fas
      </Button>
    </form>
  );
}

export function ReleaseDateForm({ view, send }: CaseActionProps) {
  const cmd = useCommand();
  // An estimate is not offered as Kriminalvården's date: the coordinator types that one in.
  const [date, setDate] = useState(view.releaseDateSource === 'estimate' ? '' : isoToStockholmDate(view.expectedReleaseAt));
  const [reason, setReason] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { expectedReleaseAt: date ? (stockholmDateToIso(date, RELEASE_TIME) ?? date) : undefined, reason };
    const ok = await cmd.run(releaseDateBodySchema, body, (b) => send('PUT', '/release-date', b, 'Frigivningsdatumet är ändrat; tidsfristerna har flyttats med.'));
    if (ok) setReason('');
  };
  return (
    <form onSubmit={submit} noValidate>
      <Failure cmd={cmd} />
      <TextField id="frigivning-datum" label="Planerad frigivning" hint={view.releaseDateSource === 'estimate'
        ? 'Kriminalvårdens datum ersätter uppskattningen ur strafftiden. Alla tidsfrister som hänger på frigivningen flyttas med.'
        : 'Alla tidsfrister som hänger på frigivningen flyttas med.'} type="date" value={date} onValue={setDate} class="input-medium" error={cmd.fieldError('expectedReleaseAt')} />
      <TextField id="frigivning-skal" label="Skäl till ändringen" value={reason} onValue={setReason} error={cmd.fieldError('reason')} />
      <Button type="submit" busy={cmd.busy}>
        Spara frigivningsdatum
      </Button>
    </form>
  );
}

/** A date-only value stays as it is; an instant shows as its Swedish date. */
const asDateInput = (v: string | undefined) => (!v ? '' : /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : isoToStockholmDate(v));

export function SentenceForm({ view, send }: CaseActionProps) {
  const cmd = useCommand();
  const [length, setLength] = useState(view.sentence ? sentenceLengthText(view.sentence.length) : '');
  const [start, setStart] = useState(asDateInput(view.sentence?.startsAt));
  const [judgment, setJudgment] = useState(asDateInput(view.sentence?.judgmentAt));
  const [reason, setReason] = useState('');
  const official = view.expectedReleaseAt !== null && view.releaseDateSource !== 'estimate';
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      length: length.trim() ? sentenceLengthToIso(length) : undefined,
      // From 08.00, as a release date is, so the estimate falls at that hour.
      startsAt: start ? (stockholmDateToIso(start, RELEASE_TIME) ?? start) : undefined,
      judgmentAt: judgment || undefined,
      ...(reason.trim() ? { reason } : {}),
    };
    const done = official
      ? 'Strafftiden är sparad; Kriminalvårdens frigivningsdatum gäller som förut.'
      : 'Strafftiden är sparad; den beräknade frigivningen gäller och tidsfristerna har flyttats med.';
    const ok = await cmd.run(sentenceBodySchema, body, (b) => send('PUT', '/sentence', b, done));
    if (ok) setReason('');
  };
  return (
    <form onSubmit={submit} noValidate>
      <Failure cmd={cmd} />
      <TextField id="straff-langd" label="Strafftid" hint="Till exempel 2 år 6 månader." value={length} onValue={setLength} class="input-medium" error={cmd.fieldError('length')} />
      <TextField id="straff-start" label="Verkställigheten påbörjad" type="date" value={start} onValue={setStart} class="input-medium" error={cmd.fieldError('startsAt')} />
      <TextField id="straff-laga-kraft" label="Domen vann laga kraft" type="date" value={judgment} onValue={setJudgment} class="input-medium" error={cmd.fieldError('judgmentAt')} />
      <TextField id="straff-skal" label="Skäl" value={reason} onValue={setReason} optional error={cmd.fieldError('reason')} />
      <Button type="submit" busy={cmd.busy}>
        Spara strafftid
      </Button>
    </form>
  );
}

export function NeedsForm({ view, send }: CaseActionProps) {
  const cmd = useCommand();
  const [needs, setNeeds] = useState<string[]>(view.needs);
  const submit = async (e: Event) => {
    e.preventDefault();
    await cmd.run(needsBodySchema, { needs }, (b) => send('PUT', '/needs', b, 'Behoven är sparade och planen uppdaterad.'));
  };
  return (
    <form onSubmit={submit} noValidate>
      <Failure cmd={cmd} />
      <CheckboxGroup id="behov" label="Behov" hint="Planen följer: insatser som policyn kräver för ett behov läggs till eller avbryts." values={needs} onValues={setNeeds} optional columns options={areaSchema.options.map((a) => [a, AREAS[a]] as const)} error={cmd.fieldError('needs')} />
      <Button type="submit" busy={cmd.busy}>
        Spara behov
      </Button>
    </form>
  );
}

export function ConsentForm({ view, send }: CaseActionProps) {
  const { agencies } = useApp();
  const cmd = useCommand();
  const [ids, setIds] = useState<string[]>(view.consent?.agencyIds ?? []);
  const submit = async (e: Event) => {
    e.preventDefault();
    await cmd.run(consentBodySchema, { agencyIds: ids }, (b) => send('PUT', '/consent', b, 'Samtycket är sparat.'));
  };
  return (
    <form onSubmit={submit} noValidate>
      <Failure cmd={cmd} />
      <CheckboxGroup
        id="samtycke"
        label="Klienten samtycker till att dessa får uppgifter"
        hint="Tas ett samtycke tillbaka avbryts myndighetens öppna uppgifter och den ser inte längre ärendet."
        values={ids}
        onValues={setIds}
        optional
        columns
        options={[...agencies].sort((a, b) => a.name.localeCompare(b.name, 'sv')).map((a) => [a.agencyId, a.name] as const)}
        error={cmd.fieldError('agencyIds')}
      />
      <Button type="submit" busy={cmd.busy}>
        Spara samtycke
      </Button>
    </form>
  );
}

export function ResponsibilityForm({ view, send }: CaseActionProps) {
  const { agencies } = useApp();
  const cmd = useCommand();
  const [holder, setHolder] = useState(view.responsibility.holderAgencyId ?? '');
  const [successor, setSuccessor] = useState(view.responsibility.successorAgencyId ?? '');
  const options = [...agencies].sort((a, b) => a.name.localeCompare(b.name, 'sv')).map((a) => [a.agencyId, a.name] as const);
  const submit = async (e: Event) => {
    e.preventDefault();
    await cmd.run(responsibilityBodySchema, { holderAgencyId: holder || null, successorAgencyId: successor || null }, (b) =>
      send('PUT', '/responsibility', b, 'Helhetsansvaret är sparat.'),
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Failure cmd={cmd} />
      <SelectField id="ansvar-innehavare" label="Har helhetsansvaret nu" value={holder} onValue={setHolder} optional placeholder="Ingen" options={options} error={cmd.fieldError('holderAgencyId')} />
      <SelectField
        id="ansvar-eftertradare"
        label="Tar över efter frigivning"
        value={successor}
        onValue={setSuccessor}
        optional
        placeholder="Inte utsedd än"
        options={options}
        error={cmd.fieldError('successorAgencyId')}
      />
      <Button type="submit" busy={cmd.busy}>
        Spara helhetsansvar
      </Button>
    </form>
  );
}

export function AddInterventionForm({ send }: CaseActionProps) {
  const { agencies } = useApp();
  const cmd = useCommand();
  const [area, setArea] = useState('');
  const [title, setTitle] = useState('');
  const [agencyId, setAgencyId] = useState('');
  const [required, setRequired] = useState<string[]>(['ja']);
  const [due, setDue] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      area: area || undefined,
      title,
      ...(agencyId ? { agencyId } : {}),
      requiredBeforeRelease: required.includes('ja'),
      ...(due ? { dueAt: stockholmDateToIso(due, '16:00') ?? due } : {}),
    };
    const ok = await cmd.run(addInterventionBodySchema, body, (b) => send('POST', '/interventions', b, `Insatsen ”${b.title}” är tillagd i planen.`));
    if (ok) {
      setArea('');
      setTitle('');
      setAgencyId('');
      setDue('');
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Failure cmd={cmd} />
      <SelectField id="ny-insats-omrade" label="Behovsområde" value={area} onValue={setArea} placeholder="Välj område" options={areaSchema.options.map((a) => [a, AREAS[a]] as const)} error={cmd.fieldError('area')} />
      <TextField id="ny-insats-titel" label="Insats" hint="Vad ska vara gjort, t.ex. ”Bostad ordnad”." value={title} onValue={setTitle} error={cmd.fieldError('title')} />
      <SelectField
        id="ny-insats-myndighet"
        label="Ansvarig myndighet"
        hint="Utan myndighet är insatsen ett glapp tills någon tilldelas."
        value={agencyId}
        onValue={setAgencyId}
        optional
        placeholder="Ingen än"
        options={[...agencies].sort((a, b) => a.name.localeCompare(b.name, 'sv')).map((a) => [a.agencyId, a.name] as const)}
        error={cmd.fieldError('agencyId')}
      />
      <TextField id="ny-insats-senast" label="Klar senast" hint="Räknas till kl. 16.00 svensk tid." type="date" value={due} onValue={setDue} optional class="input-medium" error={cmd.fieldError('dueAt')} />
      <CheckboxGroup id="ny-insats-kravs" label="Före frigivning" values={required} onValues={setRequired} optional options={[['ja', 'Måste vara klar före frigivningen']]} error={cmd.fieldError('requiredBeforeRelease')} />
      <Button type="submit" busy={cmd.busy}>
        Lägg till insats
      </Button>
    </form>
  );
}

/** Per intervention: give it to another agency, waive it, or record that the client declined. */
export function InterventionActions({ intervention: i, send }: { intervention: Intervention; send: CaseActionProps['send'] }) {
  const { agencies } = useApp();
  const reassign = useCommand();
  const waive = useCommand();
  const decline = useCommand();
  const [agencyId, setAgencyId] = useState('');
  const [waiveReason, setWaiveReason] = useState('');
  const [declineReason, setDeclineReason] = useState('');
  const base = `/interventions/${encodeURIComponent(i.interventionId)}`;
  const id = (s: string) => `insats-${i.interventionId}-${s}`;
  return (
    <details class="row-actions">
      <summary>
        Ändra<span class="visually-hidden"> insatsen {i.title}</span>
      </summary>
      <div class="row-actions-body">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void reassign.run(reassignBodySchema, { agencyId: agencyId || undefined }, (b) => send('POST', `${base}/reassign`, b, `”${i.title}” har fått ny ansvarig myndighet.`));
          }}
        >
          <Failure cmd={reassign} />
          <SelectField
            id={id('myndighet')}
            label="Ny ansvarig myndighet"
            value={agencyId}
            onValue={setAgencyId}
            placeholder="Välj myndighet"
            options={agencies.filter((a) => a.agencyId !== i.agencyId).map((a) => [a.agencyId, a.name] as const)}
            error={reassign.fieldError('agencyId')}
          />
          <Button type="submit" kind="secondary" busy={reassign.busy}>
            Byt myndighet
          </Button>
        </form>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void waive.run(reasonBodySchema, { reason: waiveReason }, (b) => send('POST', `${base}/waive`, b, `”${i.title}” är markerad som inte behövd.`));
          }}
        >
          <Failure cmd={waive} />
          <TextField id={id('behovs-inte')} label="Behövs inte, skäl" value={waiveReason} onValue={setWaiveReason} error={waive.fieldError('reason')} />
          <Button type="submit" kind="secondary" busy={waive.busy}>
            Markera som inte behövd
          </Button>
        </form>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void decline.run(reasonBodySchema, { reason: declineReason }, (b) => send('POST', `${base}/decline`, b, `Klientens nej till ”${i.title}” är antecknat.`));
          }}
        >
          <Failure cmd={decline} />
          <TextArea id={id('avbojd')} label="Klienten avböjer, skäl" value={declineReason} onValue={setDeclineReason} rows={2} error={decline.fieldError('reason')} />
          <Button type="submit" kind="secondary" busy={decline.busy}>
            Anteckna att klienten avböjer
          </Button>
        </form>
      </div>
    </details>
  );
}
