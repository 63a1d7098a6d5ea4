import type { ComponentChildren } from 'preact';
import { ChainTimeline } from '../components/chain-timeline';
import { LikelyLate } from '../components/likely-late';
import { OPEN_INTERVENTION_STATUSES } from '../../../domain/open-statuses';
import { api } from '../api';
import { useApp } from '../app-context';
import { municipalityText } from '../client-text';
import { Badge, Button, Loading, Notice, Page, Time } from '../components/ui';
import {
  AREAS, CANCEL_REASONS, EVENT_TYPES, FOLLOW_UP_STATUSES, GAP_KINDS, INTERVENTION_STATUSES, MEASURES, PHASES, RISK_LEVELS,
  label,
} from '../labels';
import { actorText, eventSummary, forecastText } from '../event-text';
import { Link } from '../router';
import { sentenceLengthText } from '../sentence-length';
import type { AccessLogEntry, CaseView, EventView, Intervention } from '../types';
import { useApi, useApiList } from '../use-api';
import { AccessLogTable } from '../components/access-log-table';
import { ClientRights } from './client-rights';
import {
  AddInterventionForm, ConsentForm, InterventionActions, NeedsForm, ReleaseDateForm, ResponsibilityForm, SentenceForm, TransitionForm, type CaseActionProps,
} from './case-actions';

interface Point {
  at: string;
  title: string;
  detail?: string;
  state: 'done' | 'open' | 'overdue' | 'missed' | 'milestone' | 'now' | 'muted';
}

const STATE_TEXT: Partial<Record<Point['state'], string>> = { done: 'Klar', overdue: 'Försenad', missed: 'Missad' };

/** From admission through the plan's deadlines and release to the follow-ups, in time order, with today marked. */
function timeline(c: CaseView, agencyName: (id: string | null) => string): Point[] {
  const points: Point[] = [{ at: c.admittedAt, title: 'Inskriven', detail: label(PHASES, c.phase === 'hakte' ? 'hakte' : 'anstalt'), state: 'milestone' }];
  if (c.plan?.adoptedAt) points.push({ at: c.plan.adoptedAt, title: 'Verkställighetsplan fastställd', state: 'done' });
  for (const m of c.meetings ?? []) points.push({ at: m.at, title: 'Samordningsmöte', detail: m.agencyIds.map(agencyName).join(', '), state: 'done' });
  for (const i of c.interventions) {
    const at = i.completedAt ?? i.dueAt;
    if (!at) continue;
    const done = i.status === 'completed';
    const closed = !OPEN_INTERVENTION_STATUSES.includes(i.status);
    points.push({
      at,
      title: `${done ? 'Klar' : 'Senast klar'}: ${i.title}`,
      detail: `${agencyName(i.agencyId)} · ${label(INTERVENTION_STATUSES, i.status)}`,
      state: done ? 'done' : i.overdue ? 'overdue' : closed ? 'muted' : 'open',
    });
  }
  if (c.releasedAt) points.push({ at: c.releasedAt, title: 'Frigiven', state: 'milestone' });
  else if (c.expectedReleaseAt) {
    const estimated = c.releaseDateSource === 'estimate';
    points.push({ at: c.expectedReleaseAt, title: estimated ? 'Beräknad frigivning (uppskattning)' : 'Planerad frigivning', state: 'milestone' });
  }
  if (c.probationEndsAt) points.push({ at: c.probationEndsAt, title: 'Prövotiden slutar', state: 'milestone' });
  c.followUps.forEach((f, n) =>
    points.push({
      at: f.completedAt ?? f.dueAt,
      title: `Uppföljning ${n + 1} efter frigivning`,
      detail: `${agencyName(f.agencyId)} · ${label(FOLLOW_UP_STATUSES, f.status)}`,
      state: f.status === 'completed' ? 'done' : f.status === 'missed' ? 'missed' : f.status === 'cancelled' ? 'muted' : 'open',
    }),
  );
  if (c.closedAt) points.push({ at: c.closedAt, title: 'Ärendet avslutat', detail: c.closeReason ?? undefined, state: 'milestone' });
  points.push({ at: new Date().toISOString(), title: 'Idag', state: 'now' });
  return points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function Timeline({ view }: { view: CaseView }) {
  const { agencyName } = useApp();
  return (
    <ol class="timeline">
      {timeline(view, agencyName).map((p, n) => (
        <li key={n} class={`tl tl-${p.state}`}>
          <span class="tl-date">
            <Time iso={p.at} />
          </span>
          <span class="tl-body">
            <strong>{p.title}</strong>
            {STATE_TEXT[p.state] ? (
              <>
                {' '}
                <Badge kind={p.state === 'done' ? 'ok' : 'danger'}>{STATE_TEXT[p.state]}</Badge>
              </>
            ) : null}
            {p.detail ? <span class="muted block">{p.detail}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** The estimate from the sentence beside Kriminalvården's date, and the probation end once released. */
function ReleaseEstimateFacts({ view: c }: { view: CaseView }) {
  const e = c.releaseEstimate;
  return (
    <>
      {e && !c.releasedAt ? (
        <>
          <dt>{e.conditionalRelease ? 'Beräknad villkorlig frigivning' : 'Beräknad frigivning (strafftidens slut)'}</dt>
          <dd>
            <Time iso={e.estimatedReleaseAt} /> (uppskattning)
          </dd>
          {e.probationEndsAt ? (
            <>
              <dt>Prövotid slutar</dt>
              <dd>
                <Time iso={e.probationEndsAt} /> (uppskattning)
              </dd>
            </>
          ) : null}
        </>
      ) : null}
      {c.probationEndsAt ? (
        <>
          <dt>Prövotid slutar</dt>
          <dd>
            <Time iso={c.probationEndsAt} /> (beräknad från frigivningen)
          </dd>
        </>
      ) : null}
      {c.sentence ? (
        <>
          <dt>Strafftid</dt>
          <dd>
            {sentenceLengthText(c.sentence.length)}
            <span class="muted block">
              Verkställigheten påbörjad <Time iso={c.sentence.startsAt} />, domen laga kraft <Time iso={c.sentence.judgmentAt} />
            </span>
          </dd>
        </>
      ) : null}
    </>
  );
}

function statusBadge(i: Intervention) {
  if (i.overdue) return <Badge kind="danger">Försenad</Badge>;
  if (i.status === 'completed') return <Badge kind="ok">Klar</Badge>;
  if (i.status === 'unassigned') return <Badge kind="danger">Saknar ansvarig</Badge>;
  if (i.status === 'declined' || i.status === 'waived' || i.status === 'cancelled') return <Badge kind="neutral">{label(INTERVENTION_STATUSES, i.status)}</Badge>;
  return <Badge kind="info">{label(INTERVENTION_STATUSES, i.status)}</Badge>;
}

function PlanTable({ view, send, canEdit }: { view: CaseView; send: CaseActionProps['send']; canEdit: boolean }) {
  const { agencyName } = useApp();
  if (view.interventions.length === 0) return <p>Planen har inga insatser än.</p>;
  return (
    <div class="table-wrap">
      <table class="plan">
        <caption>Insatser i planen ({view.interventions.length})</caption>
        <thead>
          <tr>
            <th scope="col">Insats</th>
            <th scope="col">Ansvarig myndighet</th>
            <th scope="col">Status</th>
            <th scope="col">Klar senast</th>
            <th scope="col">Före frigivning</th>
            {canEdit ? <th scope="col">Åtgärder</th> : null}
          </tr>
        </thead>
        <tbody>
          {view.interventions.map((i) => (
            <tr key={i.interventionId} class={i.overdue ? 'row-overdue' : undefined}>
              <th scope="row">
                {i.title}
                <span class="muted block">{label(AREAS, i.area)}</span>
              </th>
              <td>{i.agencyId ? agencyName(i.agencyId) : <Badge kind="danger">Ingen</Badge>}</td>
              <td>
                {statusBadge(i)}
                {i.overdue ? <span class="block">{label(INTERVENTION_STATUSES, i.status)}</span> : null}
                {!i.overdue && i.likelyLate ? <>{' '}<LikelyLate mark={i.likelyLate} /></> : null}
                {i.completedAt ? (
                  <span class="muted block">
                    <Time iso={i.completedAt} withTime />
                  </span>
                ) : null}
                {i.reason ? <span class="muted block">Skäl: {i.status === 'cancelled' ? (CANCEL_REASONS[i.reason] ?? i.reason) : i.reason}</span> : null}
                {i.note ? <span class="muted block">Anteckning: {i.note}</span> : null}
              </td>
              <td>
                <Time iso={i.dueAt} relative={OPEN_INTERVENTION_STATUSES.includes(i.status)} />
              </td>
              <td>{i.requiredBeforeRelease ? 'Ja' : 'Nej'}</td>
              {canEdit ? <td>{OPEN_INTERVENTION_STATUSES.includes(i.status) ? <InterventionActions intervention={i} send={send} /> : null}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id} class="panel">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Disclosure({ summary, children }: { summary: string; children: ComponentChildren }) {
  return (
    <details class="disclosure">
      <summary>{summary}</summary>
      <div class="disclosure-body">{children}</div>
    </details>
  );
}

export function CasePage({ caseId }: { caseId: string }) {
  const { session, agencyName, announce } = useApp();
  const path = `/v1/cases/${encodeURIComponent(caseId)}`;
  const view = useApi<CaseView>(path);
  const seesEvents = session.role !== 'agency';
  const events = useApiList<EventView>(seesEvents ? `${path}/events` : null);
  // Only the coordinating agency's coordinators and supervisors read who has looked at the client.
  const seesAccessLog = seesEvents && !!view.data && view.data.coordinatorAgencyId === session.agencyId;
  const accessLog = useApi<{ items: AccessLogEntry[] }>(seesAccessLog ? `${path}/access-log` : null);

  if (view.error && !view.data) {
    return (
      <Page title="Ärende">
        <Notice kind="error">{view.error.message}</Notice>
        <p>
          <Link href="/arenden">Till ärendelistan</Link>
        </p>
      </Page>
    );
  }
  const c = view.data;
  if (!c) return <Loading what="Hämtar ärendet" />;

  const canEdit = session.role === 'coordinator' && c.phase !== 'avslutad';
  const send: CaseActionProps['send'] = async (method, sub, body, done) => {
    const next = await api<CaseView>(method, `${path}${sub}`, { body });
    view.set(next);
    announce(done);
    void events.reload();
  };
  const refresh = async () => {
    await Promise.all([view.reload(), events.reload()]);
    announce('Ärendet är uppdaterat.');
  };
  const trail = { all: events.data?.items ?? [], agencyName };
  const likelyLate = c.interventions.filter((i) => i.likelyLate && !i.overdue);
  const interventionTitle = (id?: string) => (id ? c.interventions.find((i) => i.interventionId === id)?.title : undefined);

  return (
    <Page
      title={c.client.name || 'Ärende'}
      actions={
        <Button type="button" kind="secondary" onClick={() => void refresh()}>
          Uppdatera
        </Button>
      }
    >
      <p class="lead">
        <Badge kind="info">{label(PHASES, c.phase)}</Badge> {c.measure ? `${label(MEASURES, c.measure)} · ` : ''}
        {c.riskLevel ? `Risknivå ${label(RISK_LEVELS, c.riskLevel).toLowerCase()} · ` : ''}Kommun {municipalityText(c.client.municipality)}
        {c.client.personalIdentityNumber ? ` · ${c.client.personalIdentityNumber}` : ''}
      </p>

      {c.gaps.length > 0 ? (
        <section aria-labelledby="rubrik-glapp" class="panel panel-danger">
          <h2 id="rubrik-glapp">Öppna glapp ({c.gaps.length})</h2>
          <ul>
            {c.gaps.map((g, n) => (
              <li key={n}>
                <strong>{label(GAP_KINDS, g.kind)}</strong>
                {interventionTitle(g.interventionId) ? `: ${interventionTitle(g.interventionId)}` : ''} – sedan <Time iso={g.since} withTime />
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <Notice kind="success">Inga öppna glapp i planen just nu.</Notice>
      )}

      {likelyLate.length > 0 ? (
        <section aria-labelledby="rubrik-prognos" class="panel panel-warning">
          <h2 id="rubrik-prognos">Risk för sena insatser ({likelyLate.length})</h2>
          <p>Prognosen bygger på hur lång tid myndigheten brukar ta. Det är inget larm ännu: insatsen kan fortfarande hinna bli klar.</p>
          <ul>
            {likelyLate.map((i) => (
              <li key={i.interventionId}>
                <strong>{i.title}</strong> ({i.agencyId ? agencyName(i.agencyId) : 'ingen ansvarig'}, klar senast <Time iso={i.dueAt} />): {forecastText(i.likelyLate!)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div class="columns">
        <Section id="rubrik-oversikt" title="Översikt">
          <dl class="facts">
            <dt>Fas</dt>
            <dd>
              {label(PHASES, c.phase)}
              {c.measure ? ` (${label(MEASURES, c.measure).toLowerCase()})` : ''}
            </dd>
            <dt>Inskriven</dt>
            <dd>
              <Time iso={c.admittedAt} />
            </dd>
            <dt>{c.releasedAt ? 'Frigiven' : 'Planerad frigivning'}</dt>
            <dd>
              <Time iso={c.releasedAt ?? c.expectedReleaseAt} withTime relative={!c.releasedAt} />
              {!c.releasedAt && c.releaseDateSource ? (
                <span class="muted block">
                  {c.releaseDateSource === 'estimate' ? 'Uppskattning ur strafftiden; Kriminalvårdens datum saknas än' : 'Kriminalvårdens datum'}
                </span>
              ) : null}
            </dd>
            <ReleaseEstimateFacts view={c} />
            <dt>Behov</dt>
            <dd>{c.needs.length ? c.needs.map((a) => label(AREAS, a)).join(', ') : 'Inga angivna'}</dd>
            <dt>Samordnas av</dt>
            <dd>{agencyName(c.coordinatorAgencyId)}</dd>
            <dt>Policy</dt>
            <dd>
              {c.policy.policyId}, version {c.policy.version}
            </dd>
            {c.clientView ? (
              <>
                <dt>Klientens syn</dt>
                <dd>{c.clientView}</dd>
              </>
            ) : null}
          </dl>
        </Section>
        <Section id="rubrik-tidslinje" title="Tidslinje">
          <Timeline view={c} />
        </Section>
      </div>

      <Section id="rubrik-plan" title="Plan">
        <PlanTable view={c} send={send} canEdit={canEdit} />
        {canEdit ? (
          <Disclosure summary="Lägg till insats">
            <AddInterventionForm view={c} send={send} />
          </Disclosure>
        ) : null}
      </Section>

      {c.chains.length > 0 ? (
        <Section id="rubrik-kedjor" title="Insatser i ordning">
          <ChainTimeline view={c} />
        </Section>
      ) : null}

      {c.followUps.length > 0 ? (
        <Section id="rubrik-uppfoljning" title="Uppföljning efter frigivning">
          <div class="table-wrap">
            <table>
              <caption>Uppföljningar ({c.followUps.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Senast</th>
                  <th scope="col">Myndighet</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {c.followUps.map((f) => (
                  <tr key={f.followUpId}>
                    <td>
                      <Time iso={f.dueAt} withTime />
                    </td>
                    <td>{agencyName(f.agencyId)}</td>
                    <td>{f.status === 'missed' ? <Badge kind="danger">Missad</Badge> : label(FOLLOW_UP_STATUSES, f.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ) : null}

      <div class="columns">
        {c.consent ? (
        <Section id="rubrik-samtycke" title="Samtycke">
          {c.consent.agencyIds.length ? (
            <ul>
              {c.consent.agencyIds.map((a) => (
                <li key={a}>{agencyName(a)}</li>
              ))}
            </ul>
          ) : (
            <p>Klienten har inte samtyckt till att någon myndighet får uppgifter.</p>
          )}
          {canEdit ? (
            <Disclosure summary="Ändra samtycke">
              <ConsentForm view={c} send={send} />
            </Disclosure>
          ) : null}
        </Section>
        ) : null}
        <Section id="rubrik-ansvar" title="Helhetsansvar">
          <dl class="facts">
            <dt>Har ansvaret nu</dt>
            <dd>{agencyName(c.responsibility.holderAgencyId)}</dd>
            <dt>Tar över efter frigivning</dt>
            <dd>{c.responsibility.successorAgencyId ? agencyName(c.responsibility.successorAgencyId) : <Badge kind="warning">Inte utsedd</Badge>}</dd>
          </dl>
          {canEdit ? (
            <Disclosure summary="Ändra helhetsansvar">
              <ResponsibilityForm view={c} send={send} />
            </Disclosure>
          ) : null}
        </Section>
      </div>

      {canEdit ? (
        <Section id="rubrik-atgarder" title="Fas, frigivning och behov">
          <Disclosure summary="Ändra fas">
            <TransitionForm view={c} send={send} />
          </Disclosure>
          <Disclosure summary="Ändra frigivningsdatum">
            <ReleaseDateForm view={c} send={send} />
          </Disclosure>
          {c.phase !== 'frigiven' ? (
            <Disclosure summary={c.sentence ? 'Ändra strafftid' : 'Ange strafftid'}>
              <SentenceForm view={c} send={send} />
            </Disclosure>
          ) : null}
          <Disclosure summary="Ändra behov">
            <NeedsForm view={c} send={send} />
          </Disclosure>
        </Section>
      ) : null}

      {seesEvents ? (
        <Section id="rubrik-handelser" title="Händelser">
          {events.error ? <Notice kind="error">{events.error.message}</Notice> : null}
          {events.data ? (
            <div class="table-wrap">
              <table class="events">
                <caption>Ärendets historik, senaste först ({events.data.items.length} händelser)</caption>
                <thead>
                  <tr>
                    <th scope="col">Tid</th>
                    <th scope="col">Händelse</th>
                    <th scope="col">Vem</th>
                    <th scope="col">Detaljer</th>
                  </tr>
                </thead>
                <tbody>
                  {[...events.data.items].reverse().map((e) => (
                    <tr key={e.version}>
                      <td>
                        <Time iso={e.occurredAt} precise />
                      </td>
                      <td>{EVENT_TYPES[e.type] ?? e.type}</td>
                      <td>{actorText(e, trail)}</td>
                      <td>{eventSummary(e, trail)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Loading what="Hämtar händelser" />
          )}
        </Section>
      ) : null}

      {seesAccessLog && session.role === 'coordinator' ? <ClientRights caseId={c.caseId} name={c.client.name} /> : null}

      {seesAccessLog ? (
        <Section id="rubrik-atkomstlogg" title="Vem har läst uppgifterna">
          {accessLog.error ? <Notice kind="error">{accessLog.error.message}</Notice> : null}
          {accessLog.data ? (
            <AccessLogTable
              entries={accessLog.data.items}
              caption={`Loggutdrag för klienten, senaste först (${accessLog.data.items.length} läsningar). Klienten har rätt att få detta utdrag.`}
            />
          ) : (
            <Loading what="Hämtar loggutdraget" />
          )}
        </Section>
      ) : null}
    </Page>
  );
}
