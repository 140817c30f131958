import { request, type StudyPage } from './api';
import { el, fmt, option, throttle, time } from './dom';
import { live } from './live';

const states = ['', 'ACTIVE', 'INACTIVE', 'COMPLETED'];

export function renderStudies(app: HTMLElement, onError: (e: unknown) => void): () => void {
  const params = new URLSearchParams(sessionStorage.getItem('studies-filter') ?? '');
  const owner = el('select', { id: 'filter-owner' }, option('', 'all owners'));
  const state = el('select', { id: 'filter-state' }, ...states.map(s => option(s, s || 'any state', params.get('state') === s)));
  const algorithm = el('input', { id: 'filter-algorithm', placeholder: 'algorithm', value: params.get('algorithm') ?? '' });
  const search = el('input', { id: 'filter-search', placeholder: 'search study id', value: params.get('search') ?? '' });
  const body = el('tbody');
  const count = el('span', { id: 'studies-count' });
  const table = el('table', { class: 'grid', id: 'studies' },
    el('thead', {}, el('tr', {}, ...['study', 'owner', 'state', 'algorithm', 'trials (req/act/stop/ok/inf)', 'best', 'trials/s', 'created'].map(h => el('th', {}, h)))),
    body);
  app.append(el('h1', {}, 'Studies'), el('div', { class: 'filters' }, owner, state, algorithm, search, count), table);

  let page = 1;
  const load = async () => {
    const q = new URLSearchParams();
    if (owner.value) q.set('owner', owner.value);
    if (state.value) q.set('state', state.value);
    if (algorithm.value) q.set('algorithm', algorithm.value);
    if (search.value) q.set('search', search.value);
    sessionStorage.setItem('studies-filter', q.toString());
    q.set('page', String(page));
    try {
      const result = await request<StudyPage>('/api/studies?' + q.toString());
      const selected = owner.value || params.get('owner') || '';
      owner.replaceChildren(option('', 'all owners'), ...result.owners.map(o => option(o, o, o === selected)));
      count.textContent = `${result.total} studies`;
      body.replaceChildren(...result.studies.map(s => {
        const c = s.trialCounts;
        const link = el('a', { href: `#/study/${encodeURIComponent(s.owner)}/${encodeURIComponent(s.studyId)}` }, s.studyId);
        return el('tr', { 'data-study': s.name },
          el('td', {}, link), el('td', {}, s.owner), el('td', { class: 'state ' + s.state }, s.state), el('td', {}, s.algorithm),
          el('td', {}, `${c.TOTAL} (${c.REQUESTED}/${c.ACTIVE}/${c.STOPPING}/${c.SUCCEEDED}/${c.INFEASIBLE})`),
          el('td', {}, Object.entries(s.best).map(([k, v]) => `${k}=${fmt(v)}`).join(', ')),
          el('td', { class: 'rate' }, s.state === 'ACTIVE' ? fmt(s.trialsPerSecond) : ''),
          el('td', {}, time(s.createTime)));
      }));
    } catch (e) { onError(e); }
  };
  const reload = throttle(load, 1000);
  for (const input of [owner, state]) input.addEventListener('change', () => { page = 1; void load(); });
  for (const input of [algorithm, search]) input.addEventListener('input', () => { page = 1; reload(); });
  void load();
  const stop = live(e => { if (e.kind.startsWith('STUDY_') || e.kind === 'TRIAL_COMPLETED' || e.kind === 'TRIAL_CREATED') reload(); });
  const timer = window.setInterval(reload, 5000);  // trials/s decays without events
  return () => { stop(); clearInterval(timer); };
}
