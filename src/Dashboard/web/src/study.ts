import { download, request, studyPath, type ParameterConfig, type StudyDetail, type StudyEventView, type StudyPoints, type TrialRow } from './api';
import { el, fmt, option, throttle, time } from './dom';
import { live } from './live';
import { Plots } from './plots';
import { TrialTable } from './table';

const tabs: [string, string][] = [
  ['trials', 'Trials & history'], ['config', 'Configuration'], ['parallel', 'Parallel coordinates'], ['slice', 'Slice'],
  ['contour', 'Contour'], ['importance', 'Importance'], ['pareto', 'Pareto front'], ['curves', 'Intermediate values'], ['timeline', 'Timeline'],
];

export function renderStudy(app: HTMLElement, owner: string, studyId: string, tab: string, onError: (e: unknown) => void): () => void {
  const base = studyPath(owner, studyId);
  const name = `owners/${owner}/studies/${studyId}`;
  const header = el('div', { class: 'study-head' });
  const content = el('div', { class: 'tab-content' });
  const nav = el('nav', { class: 'tabs' }, ...tabs.map(([id, label]) =>
    el('a', { href: `#/study/${encodeURIComponent(owner)}/${encodeURIComponent(studyId)}/${id}`, class: id === tab ? 'active' : '', 'data-tab': id }, label)));
  app.append(header, nav, content);

  let detail: StudyDetail | null = null;
  let points: StudyPoints | null = null;
  let table: TrialTable | null = null;
  let plots: Plots | null = null;

  const renderHeader = () => {
    if (!detail) return;
    const s = detail.summary;
    const stateSelect = el('select', { id: 'set-state' }, ...['ACTIVE', 'INACTIVE', 'COMPLETED'].map(x => option(x, x, x === s.state)));
    const setState = el('button', { id: 'set-state-button' }, 'Set state');
    setState.addEventListener('click', async () => {
      try { const updated = await request<StudyDetail['summary']>(`${base}/state`, { method: 'POST', body: JSON.stringify({ state: stateSelect.value }) }); detail!.summary = updated; renderHeader(); }
      catch (e) { onError(e); }
    });
    const remove = el('button', { id: 'delete-study', class: 'danger' }, 'Delete…');
    remove.addEventListener('click', () => confirmDelete(s.trialCounts.TOTAL));
    const csv = el('button', { id: 'download-csv' }, 'CSV');
    csv.addEventListener('click', () => download(`${base}/export.csv`, `${owner}-${studyId}-trials.csv`).catch(onError));
    const json = el('button', { id: 'download-json' }, 'JSON');
    json.addEventListener('click', () => download(`${base}/export.json`, `${owner}-${studyId}-trials.json`).catch(onError));
    const c = s.trialCounts;
    header.replaceChildren(
      el('h1', {}, el('a', { href: '#/' }, 'Studies'), ' / ', el('span', { id: 'study-name' }, `${owner} / ${studyId}`)),
      el('div', { class: 'facts' },
        el('span', { class: 'state ' + s.state, id: 'study-state' }, s.state), s.stateReason ? el('span', { class: 'muted' }, s.stateReason) : null,
        el('span', {}, `algorithm ${s.algorithm}`),
        el('span', { id: 'trial-counts' }, `${c.TOTAL} trials: ${c.SUCCEEDED} succeeded, ${c.INFEASIBLE} infeasible, ${c.ACTIVE + c.STOPPING} running, ${c.REQUESTED} requested`),
        el('span', {}, 'best ' + (Object.entries(s.best).map(([k, v]) => `${k}=${fmt(v)}`).join(', ') || '–')),
        s.state === 'ACTIVE' ? el('span', { id: 'trials-per-second' }, `${fmt(s.trialsPerSecond)} trials/s`) : null,
        el('span', { class: 'muted' }, 'created ' + time(s.createTime))),
      el('div', { class: 'actions' }, stateSelect, setState, csv, json, remove));
  };

  const confirmDelete = (trialCount: number) => {
    const dialog = el('dialog', { id: 'confirm-delete' },
      el('p', {}, `Delete ${owner}/${studyId} and its ${trialCount} trials? This cannot be undone.`));
    const yes = el('button', { id: 'confirm-delete-yes', class: 'danger' }, 'Delete');
    const no = el('button', { id: 'confirm-delete-no' }, 'Cancel');
    dialog.append(el('div', { class: 'actions' }, no, yes));
    document.body.append(dialog);
    dialog.showModal();
    no.addEventListener('click', () => { dialog.close(); dialog.remove(); });
    yes.addEventListener('click', async () => {
      try { await request(`${base}/`, { method: 'DELETE' }); dialog.close(); dialog.remove(); location.hash = '#/'; }
      catch (e) { dialog.close(); dialog.remove(); onError(e); }
    });
  };

  const renderConfig = () => {
    if (!detail) return;
    const cfg = detail.config;
    const tree = el('ul', { class: 'tree', id: 'search-space' }, ...cfg.parameters.map(p => parameterNode(p)));
    const metrics = el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, ...['metric', 'goal', 'safety threshold', 'min safe fraction'].map(h => el('th', {}, h)))),
      el('tbody', {}, ...cfg.metrics.map(m => el('tr', {}, el('td', {}, m.name), el('td', {}, m.goal), el('td', {}, fmt(m.safetyThreshold)), el('td', {}, fmt(m.desiredMinSafeTrialsFraction))))));
    const facts = el('dl', { class: 'facts-list' },
      ...([['algorithm', cfg.algorithm], ['observation noise', cfg.observationNoise], ['stopping rule', `${cfg.stopping.rule} (min steps ${cfg.stopping.minSteps}, min completed ${cfg.stopping.minCompletedTrials})`],
        ['budget', cfg.maxTrials === null ? 'none' : `${cfg.maxTrials} trials`], ['seed', cfg.seed === null ? 'none' : String(cfg.seed)], ['trial lease', cfg.trialLease ?? 'none']] as [string, string][])
        .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    const metadata = el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, el('th', {}, 'namespace'), el('th', {}, 'key'), el('th', {}, 'value'))),
      el('tbody', {}, ...detail.metadata.map(m => el('tr', {}, el('td', {}, m.namespace), el('td', {}, m.key), el('td', {}, m.value)))));
    content.replaceChildren(el('h2', {}, 'Search space'), tree, el('h2', {}, 'Metrics'), metrics, el('h2', {}, 'Options'), facts, el('h2', {}, 'Metadata'), metadata);
  };

  const loadDetail = async () => { detail = await request<StudyDetail>(`${base}/`); renderHeader(); };
  const refreshHeader = throttle(() => { loadDetail().catch(onError); }, 1000);

  const start = async () => {
    try {
      await loadDetail();
      if (tab === 'config') { renderConfig(); return; }
      plots = new Plots(content, detail!, base, onError);
      if (tab === 'trials') {
        const history = el('div', { class: 'plot', id: 'plot-history' });
        const tableHost = el('div', { id: 'trial-table' });
        content.replaceChildren(plots.historyControls(), history, tableHost);
        table = new TrialTable(tableHost, detail!, base, onError);
        points = await request<StudyPoints>(`${base}/points`);
        plots.history(history, points);
      } else {
        points = await request<StudyPoints>(`${base}/points`);
        await plots.show(tab, points);
      }
    } catch (e) { onError(e); }
  };
  void start();

  const redraw = throttle(() => { if (points && plots) plots.refresh(points); }, 300);
  const stop = live((e: StudyEventView) => {
    if (e.study !== name) return;
    if (e.kind === 'STUDY_DELETED') { location.hash = '#/'; return; }
    refreshHeader();
    if (e.trial && points && detail) { applyTrial(points, e.trial, detail); redraw(); }
    table?.changed();
  }, name);
  return () => { stop(); plots?.dispose(); };
}

function parameterNode(p: ParameterConfig): HTMLLIElement {
  const range = p.type === 'CATEGORICAL' ? `{${p.categories.join(', ')}}`
    : p.type === 'DISCRETE' ? `{${p.feasibleValues.map(fmt).join(', ')}}` : `[${fmt(p.min)}, ${fmt(p.max)}]`;
  const scale = p.type === 'CATEGORICAL' ? '' : ` ${p.scale.toLowerCase()} scale`;
  const node = el('li', { 'data-parameter': p.name }, el('b', {}, p.name), ` ${p.type} ${range}${scale}`,
    p.default ? el('span', { class: 'muted' }, ` default ${p.default.text ?? fmt(p.default.number)}`) : null);
  if (p.children.length) {
    node.append(el('ul', {}, ...p.children.map(c => {
      const when = el('li', { class: 'when' }, `when ${p.name} ∈ {${c.parentValues.map(v => v.text ?? fmt(v.number)).join(', ')}}:`);
      when.append(el('ul', {}, parameterNode(c.parameter)));
      return when;
    })));
  }
  return node;
}

// Folds a trial from the event feed into the plot columns (ids stay sorted; new trials almost always come last).
function applyTrial(points: StudyPoints, row: TrialRow, detail: StudyDetail): void {
  let i = points.ids.length;
  if (i === 0 || points.ids[i - 1] < row.id) {
    points.ids.push(row.id); points.states.push(0); points.clients.push(-1); points.start.push(null); points.end.push(null);
    points.stopped.push(false); points.unsafe.push(false);
    for (const c of Object.values(points.parameters)) c.push(null);
    for (const c of Object.values(points.metrics)) c.push(null);
  } else {
    let lo = 0, hi = i - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (points.ids[mid] < row.id) lo = mid + 1; else hi = mid; }
    if (points.ids[lo] !== row.id) return;  // an old trial this page never saw: it appears on reload
    i = lo;
  }
  const created = new Date(detail.summary.createTime).getTime();
  points.states[i] = points.stateNames.indexOf(row.state);
  if (row.clientId) {
    let k = points.clientNames.indexOf(row.clientId);
    if (k < 0) { points.clientNames.push(row.clientId); k = points.clientNames.length - 1; }
    points.clients[i] = k;
  }
  points.start[i] = row.startTime ? (new Date(row.startTime).getTime() - created) / 1000 : null;
  points.end[i] = row.endTime ? (new Date(row.endTime).getTime() - created) / 1000 : null;
  points.stopped[i] = row.stopped; points.unsafe[i] = row.unsafe;
  for (const [n, v] of Object.entries(row.parameters)) {
    const column = points.parameters[n];
    if (column) column[i] = typeof v === 'string' ? (points.categories[n]?.indexOf(v) ?? null) : v;
  }
  for (const [n, v] of Object.entries(row.metrics)) { const column = points.metrics[n]; if (column) column[i] = v; }
}
