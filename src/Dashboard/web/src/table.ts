import { ApiError, request, type StudyDetail, type TrialDetail, type TrialPage, type TrialRow } from './api';
import { el, fmt, option, throttle, time } from './dom';

// The trial table: filtering, sorting and paging happen on the server (GET .../trials), so 100,000 trials page as fast as 100.
export class TrialTable {
  private sort = 'id';
  private order: 'asc' | 'desc' = 'asc';
  private page = 1;
  private pageSize = 50;
  private total = 0;
  // Requests in flight may answer out of order (a sort clicked twice quickly): only the latest one's answer is shown.
  private latest = 0;
  private readonly body = el('tbody');
  private readonly head = el('tr');
  private readonly info = el('span', { id: 'page-info' });
  private readonly state = el('select', { id: 'trial-state' }, option('', 'any state'), ...['REQUESTED', 'ACTIVE', 'STOPPING', 'SUCCEEDED', 'INFEASIBLE'].map(s => option(s)));
  private readonly client = el('input', { id: 'trial-client', placeholder: 'client id' });
  private readonly rangeField = el('select', { id: 'range-field' });
  private readonly rangeMin = el('input', { id: 'range-min', placeholder: 'min', size: '8' });
  private readonly rangeMax = el('input', { id: 'range-max', placeholder: 'max', size: '8' });
  private readonly error = el('span', { class: 'field-error', id: 'table-error' });
  private readonly columns: { key: string; label: string; cell: (t: TrialRow) => string }[];
  readonly changed: () => void;

  constructor(host: HTMLElement, private readonly detail: StudyDetail, private readonly base: string, private readonly onError: (e: unknown) => void) {
    const params = flatten(detail.config.parameters);
    const metrics = detail.config.metrics.map(m => m.name);
    this.columns = [
      { key: 'id', label: 'id', cell: t => String(t.id) },
      { key: 'state', label: 'state', cell: t => t.state + (t.stopped ? ' (stopped)' : '') + (t.unsafe ? ' (unsafe)' : '') },
      { key: 'client', label: 'client', cell: t => t.clientId ?? '' },
      ...params.map(p => ({ key: 'param:' + p.name, label: p.name, cell: (t: TrialRow) => { const v = t.parameters[p.name]; return typeof v === 'number' ? fmt(v) : (v ?? ''); } })),
      ...metrics.map(m => ({ key: 'metric:' + m, label: m, cell: (t: TrialRow) => fmt(t.metrics[m]) })),
      { key: 'start', label: 'start', cell: t => time(t.startTime) },
      { key: 'duration', label: 'duration (s)', cell: t => t.startTime && t.endTime ? fmt((Date.parse(t.endTime) - Date.parse(t.startTime)) / 1000) : '' },
    ];
    this.rangeField.append(option('', 'parameter / metric range'),
      ...params.filter(p => p.type !== 'CATEGORICAL').map(p => option('param:' + p.name, p.name)), ...metrics.map(m => option('metric:' + m, m)));
    const size = el('select', { id: 'page-size' }, ...[20, 50, 100, 500].map(n => option(String(n), `${n} / page`, n === this.pageSize)));
    const prev = el('button', { id: 'page-prev' }, '‹ prev');
    const next = el('button', { id: 'page-next' }, 'next ›');
    const apply = el('button', { id: 'apply-filters' }, 'Filter');
    prev.addEventListener('click', () => { if (this.page > 1) { this.page--; void this.load(); } });
    next.addEventListener('click', () => { if (this.page * this.pageSize < this.total) { this.page++; void this.load(); } });
    size.addEventListener('change', () => { this.pageSize = Number(size.value); this.page = 1; void this.load(); });
    apply.addEventListener('click', () => { this.page = 1; void this.load(); });
    this.state.addEventListener('change', () => { this.page = 1; void this.load(); });
    for (const c of this.columns) {
      const th = el('th', { 'data-sort': c.key, class: 'sortable' }, c.label);
      th.addEventListener('click', () => {
        if (this.sort === c.key) this.order = this.order === 'asc' ? 'desc' : 'asc'; else { this.sort = c.key; this.order = 'asc'; }
        this.page = 1; void this.load();
      });
      this.head.append(th);
    }
    host.append(
      el('div', { class: 'filters' }, this.state, this.client, this.rangeField, this.rangeMin, this.rangeMax, apply, this.error),
      el('table', { class: 'grid trials', id: 'trials' }, el('thead', {}, this.head), this.body),
      el('div', { class: 'pager' }, prev, this.info, next, size));
    this.changed = throttle(() => { void this.load(); }, 500);
    void this.load();
  }

  private query(): URLSearchParams {
    const q = new URLSearchParams({ page: String(this.page), pageSize: String(this.pageSize), sort: this.sort, order: this.order });
    if (this.state.value) q.set('state', this.state.value);
    if (this.client.value) q.set('client', this.client.value);
    if (this.rangeField.value && (this.rangeMin.value || this.rangeMax.value)) {
      const [kind, ...rest] = this.rangeField.value.split(':');
      q.append(kind, `${rest.join(':')}:${this.rangeMin.value}:${this.rangeMax.value}`);
    }
    return q;
  }

  async load(): Promise<void> {
    const mine = ++this.latest;
    try {
      const result = await request<TrialPage>(`${this.base}/trials?${this.query()}`);
      if (mine !== this.latest) return;
      this.error.textContent = '';
      this.total = result.total;
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      this.info.textContent = `page ${result.page} of ${pages} · ${result.total} trials`;
      this.info.dataset.total = String(result.total);
      for (const th of this.head.children) {
        const key = (th as HTMLElement).dataset.sort;
        (th as HTMLElement).className = 'sortable' + (key === this.sort ? ' ' + this.order : '');
      }
      this.body.replaceChildren(...result.trials.map(t => {
        const tr = el('tr', { 'data-trial': String(t.id), class: 'state-' + t.state }, ...this.columns.map(c => el('td', {}, c.cell(t))));
        tr.addEventListener('click', () => { void this.open(t.id); });
        return tr;
      }));
    } catch (e) {
      if (mine !== this.latest) return;
      if (e instanceof ApiError && e.status === 400) this.error.textContent = e.message; else this.onError(e);
    }
  }

  private async open(id: number): Promise<void> {
    try {
      const t = await request<TrialDetail>(`${this.base}/trials/${id}`);
      const rows = (pairs: [string, string][]) => el('table', { class: 'grid' }, el('tbody', {}, ...pairs.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))));
      const metrics = this.detail.config.metrics.map(m => m.name);
      const dialog = el('dialog', { id: 'trial-detail' },
        el('h2', {}, `Trial ${t.row.id} · ${t.row.state}`),
        rows([['name', t.name], ['client', t.row.clientId ?? ''], ['created', time(t.createTime)], ['started', time(t.row.startTime)], ['ended', time(t.row.endTime)],
          ['infeasible reason', t.infeasibleReason ?? ''], ['stopping reason', t.stoppingReason ?? '']]),
        el('h3', {}, 'Parameters'), rows(Object.entries(t.row.parameters).map(([k, v]) => [k, typeof v === 'number' ? fmt(v) : v])),
        el('h3', {}, 'Final measurement'), rows(Object.entries(t.finalMeasurement?.metrics ?? {}).map(([k, v]) => [k, fmt(v)])),
        el('h3', {}, `Intermediate measurements (${t.measurements.length})`),
        el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, el('th', {}, 'steps'), el('th', {}, 'elapsed s'), ...metrics.map(m => el('th', {}, m)))),
          el('tbody', {}, ...t.measurements.map(m => el('tr', {}, el('td', {}, String(m.steps)), el('td', {}, fmt(m.elapsedSeconds)), ...metrics.map(n => el('td', {}, fmt(m.metrics[n]))))))),
        el('h3', {}, 'Metadata'), rows(t.metadata.map(m => [`${m.namespace}/${m.key}`, m.value])));
      const close = el('button', { id: 'trial-detail-close' }, 'Close');
      close.addEventListener('click', () => { dialog.close(); dialog.remove(); });
      dialog.prepend(close);
      document.body.append(dialog);
      dialog.showModal();
    } catch (e) { this.onError(e); }
  }
}

export function flatten(params: StudyDetail['config']['parameters']): StudyDetail['config']['parameters'] {
  return params.flatMap(p => [p, ...flatten(p.children.map(c => c.parameter))]);
}
