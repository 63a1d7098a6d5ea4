import { useState } from 'preact/hooks';
import { noteBodySchema, reasonBodySchema } from '../../../domain/schemas/commands';
import { OPEN_FOLLOW_UP_STATUSES, OPEN_INTERVENTION_STATUSES } from '../../../domain/open-statuses';
import { api } from '../api';
import { useApp } from '../app-context';
import { Badge, Button, Loading, Notice, Page, SelectField, TextArea, Time } from '../components/ui';
import { LikelyLate } from '../components/likely-late';
import { clientFacts } from '../client-text';
import { AREAS, ESTIMATE_NOTE, TASK_STATUSES, label } from '../labels';
import { Link } from '../router';
import type { Task } from '../types';
import { useApiList } from '../use-api';
import { useCommand } from '../use-command';

type Filter = 'open' | 'overdue' | 'done' | 'all';
const FILTERS: Record<Filter, string> = { open: 'Att göra', overdue: 'Försenade', done: 'Klara', all: 'Alla' };
const OPEN: readonly string[] = [...OPEN_INTERVENTION_STATUSES, ...OPEN_FOLLOW_UP_STATUSES];

/** Whom to ask about the case: the coordinating agency and how to reach it (never a person's own number). */
function Coordinator({ agencyId }: { agencyId: string }) {
  const { agencies, agencyName } = useApp();
  const contact = agencies.find((a) => a.agencyId === agencyId)?.contact;
  return (
    <>
      {agencyName(agencyId)}
      {contact?.phone ? (
        <span class="block">
          Telefon <a href={`tel:${contact.phone.replace(/[^+0-9]/g, '')}`}>{contact.phone}</a>
        </span>
      ) : null}
      {contact?.email ? (
        <span class="block">
          E-post <a href={`mailto:${contact.email}`}>{contact.email}</a>
        </span>
      ) : null}
      {!contact?.phone && !contact?.email ? <span class="muted block">Ingen kontaktuppgift i myndighetskatalogen</span> : null}
    </>
  );
}

function TaskCard({ task: t, canAct, onDone }: { task: Task; canAct: boolean; onDone(message: string): Promise<void> }) {
  const cmd = useCommand();
  const [mode, setMode] = useState<'none' | 'complete' | 'decline'>('none');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const base = `/v1/cases/${encodeURIComponent(t.caseId)}`;
  const path =
    t.kind === 'follow_up'
      ? `${base}/follow-ups/${encodeURIComponent(t.followUpId ?? '')}`
      : `${base}/interventions/${encodeURIComponent(t.interventionId ?? '')}`;
  const open = OPEN.includes(t.status);
  const id = (s: string) => `uppgift-${t.taskId}-${s}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const headingId = id('rubrik');

  const accept = () => cmd.run(noteBodySchema, {}, async (b) => {
    await api('POST', `${path}/accept`, { body: b });
    await onDone(`Du har accepterat ”${t.title}” för ${t.clientName}.`);
  });
  const complete = (e: Event) => {
    e.preventDefault();
    void cmd.run(noteBodySchema, note.trim() ? { note } : {}, async (b) => {
      await api('POST', `${path}/complete`, { body: b });
      await onDone(`”${t.title}” för ${t.clientName} är klar.`);
    });
  };
  const decline = (e: Event) => {
    e.preventDefault();
    void cmd.run(reasonBodySchema, { reason }, async (b) => {
      await api('POST', `${path}/decline`, { body: b });
      await onDone(`Klientens nej till ”${t.title}” är antecknat.`);
    });
  };

  return (
    <li class={`task${t.overdue ? ' task-overdue' : ''}`}>
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>
          {t.title} {t.overdue ? <Badge kind="danger">Försenad</Badge> : null}
        </h3>
        <dl class="facts facts-inline">
          <dt>Klient</dt>
          <dd>
            {t.clientName || 'Namn saknas'}
            <span class="muted block">{clientFacts({ birthDate: t.clientBirthDate, municipality: t.municipality })}</span>
          </dd>
          <dt>Ärende</dt>
          <dd>
            <Link href={`/arenden/${encodeURIComponent(t.caseId)}`}>
              Visa det du får se av ärendet<span class="visually-hidden"> för {t.clientName || 'klienten'}</span>
            </Link>
          </dd>
          <dt>Samordnas av</dt>
          <dd>
            <Coordinator agencyId={t.coordinatorAgencyId} />
          </dd>
          <dt>{t.kind === 'follow_up' ? 'Typ' : 'Område'}</dt>
          <dd>{t.kind === 'follow_up' ? 'Uppföljning efter frigivning' : label(AREAS, t.area)}</dd>
          <dt>Klar senast</dt>
          <dd>
            <Time iso={t.dueAt} withTime relative={open} />
          </dd>
          <dt>Planerad frigivning</dt>
          <dd>
            <Time iso={t.expectedReleaseAt} />
            {t.releaseDateSource === 'estimate' ? <span class="muted block">{ESTIMATE_NOTE}</span> : null}
          </dd>
          <dt>Status</dt>
          <dd>{label(TASK_STATUSES, t.status)}</dd>
          {t.likelyLate && !t.overdue ? (
            <>
              <dt>Prognos</dt>
              <dd><LikelyLate mark={t.likelyLate} /></dd>
            </>
          ) : null}
        </dl>
        {cmd.error ? <Notice kind="error">{cmd.error}</Notice> : null}
        {canAct && open ? (
          <div class="task-actions">
            {mode === 'none' ? (
              <div class="button-row">
                {t.kind === 'intervention' && t.status === 'planned' ? (
                  <Button type="button" kind="secondary" busy={cmd.busy} onClick={() => void accept()}>
                    Acceptera<span class="visually-hidden"> {t.title}</span>
                  </Button>
                ) : null}
                <Button type="button" busy={cmd.busy} onClick={() => setMode('complete')}>
                  {t.kind === 'follow_up' ? 'Markera genomförd' : 'Slutför'}
                  <span class="visually-hidden"> {t.title}</span>
                </Button>
                {t.kind === 'intervention' ? (
                  <Button type="button" kind="secondary" busy={cmd.busy} onClick={() => setMode('decline')}>
                    Klienten avböjer<span class="visually-hidden"> {t.title}</span>
                  </Button>
                ) : null}
              </div>
            ) : null}
            {mode === 'complete' ? (
              <form onSubmit={complete} noValidate class="inline-form">
                <TextArea id={id('anteckning')} label="Anteckning" value={note} onValue={setNote} optional rows={2} error={cmd.fieldError('note')} />
                <div class="button-row">
                  <Button type="submit" busy={cmd.busy}>
                    Bekräfta att det är klart
                  </Button>
                  <Button type="button" kind="link" onClick={() => setMode('none')}>
                    Avbryt
                  </Button>
                </div>
              </form>
            ) : null}
            {mode === 'decline' ? (
              <form onSubmit={decline} noValidate class="inline-form">
                <TextArea id={id('skal')} label="Skäl till att klienten avböjer" hint="Avböjt är inget glapp, men syns i planen." value={reason} onValue={setReason} rows={2} error={cmd.fieldError('reason')} />
                <div class="button-row">
                  <Button type="submit" busy={cmd.busy}>
                    Anteckna avböjd
                  </Button>
                  <Button type="button" kind="link" onClick={() => setMode('none')}>
                    Avbryt
                  </Button>
                </div>
              </form>
            ) : null}
          </div>
        ) : null}
      </article>
    </li>
  );
}

/** An agency's inbox: its own tasks only, overdue first, with accept, complete and decline. */
export function TasksPage() {
  const { session, agencyName, announce } = useApp();
  const [filter, setFilter] = useState<Filter>('open');
  const list = useApiList<Task>(`/v1/tasks?status=${filter}`);
  const canAct = session.role === 'agency';
  const items = list.data?.items ?? [];
  const overdue = items.filter((t) => t.overdue);
  const rest = items.filter((t) => !t.overdue);

  const onDone = async (message: string) => {
    await list.reload();
    announce(message);
    document.querySelector<HTMLElement>('h1')?.focus();
  };

  const group = (id: string, title: string, tasks: Task[]) =>
    tasks.length > 0 ? (
      <section aria-labelledby={id}>
        <h2 id={id}>
          {title} ({tasks.length})
        </h2>
        <ul class="tasks">
          {tasks.map((t) => (
            <TaskCard key={t.taskId} task={t} canAct={canAct} onDone={onDone} />
          ))}
        </ul>
      </section>
    ) : null;

  return (
    <Page title={`Uppgifter för ${agencyName(session.agencyId)}`}>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Visa uppgifter">
        <SelectField id="uppgifter-visa" label="Visa" filter value={filter} onValue={(v) => setFilter(v as Filter)} options={Object.entries(FILTERS)} />
        <Button type="button" kind="secondary" onClick={() => void list.reload().then(() => announce('Uppgifterna är uppdaterade.'))}>
          Uppdatera
        </Button>
      </form>
      {list.error ? <Notice kind="error">{list.error.message}</Notice> : null}
      {list.loading && !list.data ? <Loading what="Hämtar uppgifter" /> : null}
      {list.data && items.length === 0 ? <p>Inga uppgifter att visa.</p> : null}
      {group('rubrik-forsenade', 'Försenade', overdue)}
      {group('rubrik-ovriga', filter === 'done' ? 'Klara' : overdue.length ? 'Övriga' : FILTERS[filter], rest)}
    </Page>
  );
}
