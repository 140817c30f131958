import * as echarts from 'echarts/core';
import { BarChart, CustomChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, ParallelComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { request, type Importances, type LearningCurves, type StudyDetail, type StudyPoints } from './api';
import { el, fmt, option } from './dom';
import { flatten } from './table';

echarts.use([BarChart, CustomChart, HeatmapChart, LineChart, ParallelChart, ScatterChart, DataZoomComponent, GridComponent, LegendComponent,
  ParallelComponent, TitleComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

// Large-data settings: above this many points ECharts draws scatter series in its large mode (one path, no per-point hover).
const LARGE = 2000;

type Chart = echarts.ECharts;

export class Plots {
  private charts: Chart[] = [];
  private logScale = false;
  private objective: string;
  private current: ((p: StudyPoints) => void) | null = null;

  constructor(private readonly host: HTMLElement, private readonly detail: StudyDetail, private readonly base: string, private readonly onError: (e: unknown) => void) {
    this.objective = detail.config.metrics.find(m => m.safetyThreshold === null)?.name ?? detail.config.metrics[0]?.name ?? '';
    window.addEventListener('resize', this.resize);
  }

  private readonly resize = () => { for (const c of this.charts) c.resize(); };

  dispose(): void {
    window.removeEventListener('resize', this.resize);
    for (const c of this.charts) c.dispose();
    this.charts = [];
  }

  refresh(points: StudyPoints): void { this.current?.(points); }

  private chart(node: HTMLElement): Chart {
    const existing = echarts.getInstanceByDom(node);
    if (existing) return existing;
    const c = echarts.init(node, undefined, { renderer: 'canvas' });
    this.charts.push(c);
    return c;
  }

  private get goal(): string { return this.detail.config.metrics.find(m => m.name === this.objective)?.goal ?? 'MAXIMIZE'; }
  private get parameters() { return flatten(this.detail.config.parameters); }
  private get objectives() { return this.detail.config.metrics.filter(m => m.safetyThreshold === null); }

  historyControls(): HTMLElement {
    const select = el('select', { id: 'history-objective' }, ...this.objectives.map(m => option(m.name, m.name, m.name === this.objective)));
    const log = el('input', { type: 'checkbox', id: 'history-log' });
    select.addEventListener('change', () => { this.objective = select.value; this.current?.(this.lastPoints!); });
    log.addEventListener('change', () => { this.logScale = log.checked; this.current?.(this.lastPoints!); });
    return el('div', { class: 'filters' }, el('span', {}, 'Optimization history of '), select, el('label', {}, log, ' log scale'), el('span', { id: 'history-caption', class: 'muted' }));
  }

  private lastPoints: StudyPoints | null = null;

  history(node: HTMLElement, points: StudyPoints): void {
    const draw = (p: StudyPoints) => {
      this.lastPoints = p;
      const values = p.metrics[this.objective] ?? [];
      const feasible: [number, number][] = [], best: [number, number][] = [];
      const maximize = this.goal === 'MAXIMIZE';
      let bestSoFar: number | null = null, positive = true;
      const succeeded = p.stateNames.indexOf('SUCCEEDED');
      for (let i = 0; i < p.ids.length; i++) {
        const v = values[i];
        if (v === null || v === undefined || p.states[i] !== succeeded) continue;
        feasible.push([p.ids[i], v]);
        if (v <= 0) positive = false;
        if (!p.unsafe[i] && (bestSoFar === null || (maximize ? v > bestSoFar : v < bestSoFar))) bestSoFar = v;
        best.push([p.ids[i], bestSoFar ?? v]);
      }
      const log = this.logScale && positive;
      const caption = document.getElementById('history-caption');
      if (caption) caption.textContent = ` ${feasible.length} completed trials, best ${fmt(bestSoFar)}${this.logScale && !positive ? ' (log scale needs positive values)' : ''}`;
      node.dataset.pointCount = String(feasible.length);
      node.dataset.lastTrial = String(feasible.length ? feasible[feasible.length - 1][0] : 0);
      this.chart(node).setOption({
        animation: false,
        tooltip: { trigger: feasible.length > LARGE ? 'axis' : 'item' },
        legend: { top: 0, data: [this.objective, 'best so far'] },
        grid: { left: 70, right: 30, top: 40, bottom: 60 },
        xAxis: { type: 'value', name: 'trial id', nameLocation: 'middle', nameGap: 25, min: 'dataMin', max: 'dataMax' },
        yAxis: { type: log ? 'log' : 'value', name: this.objective, scale: true },
        dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
        series: [
          { name: this.objective, type: 'scatter', data: feasible, symbolSize: feasible.length > LARGE ? 2 : 5, large: feasible.length > LARGE, largeThreshold: LARGE },
          { name: 'best so far', type: 'line', step: 'end', data: best, showSymbol: false, sampling: 'lttb', lineStyle: { width: 2 } },
        ],
      }, { notMerge: true });
    };
    this.current = draw;
    draw(points);
  }

  async show(tab: string, points: StudyPoints): Promise<void> {
    const node = el('div', { class: 'plot', id: 'plot-' + tab });
    const controls = el('div', { class: 'filters' });
    const notes = el('div', { class: 'notes', id: 'notes-' + tab });
    this.host.replaceChildren(controls, node, notes);
    this.lastPoints = points;
    switch (tab) {
      case 'parallel': this.current = p => this.parallel(node, p); break;
      case 'slice': this.current = this.slice(controls, node); break;
      case 'contour': this.current = this.contour(controls, node); break;
      case 'importance': this.current = null; await this.importance(node, notes).catch(this.onError); break;
      case 'pareto': this.current = p => this.pareto(node, notes, p); break;
      case 'curves': this.current = null; await this.curves(node, notes).catch(this.onError); break;
      case 'timeline': this.current = p => this.timeline(node, p); break;
      default: this.current = null;
    }
    this.current?.(points);
  }

  private numeric(p: StudyPoints, name: string): (number | null)[] { return p.parameters[name] ?? []; }

  private parallel(node: HTMLElement, p: StudyPoints): void {
    const params = this.parameters;
    const values = p.metrics[this.objective] ?? [];
    const dims = [...params.map(x => x.name), this.objective];
    const data: (number | string)[][] = [];
    for (let i = 0; i < p.ids.length; i++) {
      if (values[i] === null || values[i] === undefined) continue;
      data.push([...params.map(x => { const v = p.parameters[x.name][i]; return v === null ? '-' : v; }), values[i] as number]);
    }
    const ys = data.map(d => d[d.length - 1] as number);
    node.dataset.pointCount = String(data.length);
    this.chart(node).setOption({
      animation: false,
      parallelAxis: dims.map((d, k) => {
        const cfg = params[k];
        if (cfg && cfg.type === 'CATEGORICAL') return { dim: k, name: d, type: 'category', data: cfg.categories.map((_, j) => j), axisLabel: { formatter: (v: number) => cfg.categories[v] } };
        return { dim: k, name: d, type: cfg?.scale === 'LOG' ? 'log' : 'value', scale: true };
      }),
      parallel: { left: 60, right: 80, top: 40, bottom: 30 },
      visualMap: { min: Math.min(...ys), max: Math.max(...ys), dimension: dims.length - 1, inRange: { color: ['#3b4cc0', '#dddddd', '#b40426'] }, right: 0, top: 'middle', calculable: true },
      series: [{ type: 'parallel', data, lineStyle: { width: 0.6, opacity: 0.35 }, progressive: 2000, smooth: false }],
    }, { notMerge: true });
  }

  private slice(controls: HTMLElement, node: HTMLElement): (p: StudyPoints) => void {
    const select = el('select', { id: 'slice-parameter' }, ...this.parameters.map(x => option(x.name)));
    controls.append(el('span', {}, 'Slice of '), select);
    const draw = (p: StudyPoints) => {
      const name = select.value, cfg = this.parameters.find(x => x.name === name)!;
      const xs = this.numeric(p, name), ys = p.metrics[this.objective] ?? [];
      const data: [number, number, number][] = [];
      for (let i = 0; i < p.ids.length; i++) if (xs[i] !== null && ys[i] !== null && ys[i] !== undefined) data.push([xs[i] as number, ys[i] as number, p.ids[i]]);
      node.dataset.pointCount = String(data.length);
      this.chart(node).setOption({
        animation: false, tooltip: { trigger: 'item', formatter: (x: { value: number[] }) => `trial ${x.value[2]}: ${name}=${fmt(x.value[0])}, ${this.objective}=${fmt(x.value[1])}` },
        grid: { left: 70, right: 80, top: 30, bottom: 50 },
        xAxis: cfg.type === 'CATEGORICAL' ? { type: 'category', name, data: cfg.categories } : { type: cfg.scale === 'LOG' ? 'log' : 'value', name, scale: true },
        yAxis: { type: 'value', name: this.objective, scale: true },
        visualMap: { dimension: 2, min: p.ids[0] ?? 0, max: p.ids[p.ids.length - 1] ?? 1, text: ['newer', 'older'], right: 0, top: 'middle', inRange: { color: ['#c6dbef', '#08306b'] } },
        series: [{ type: 'scatter', data, symbolSize: data.length > LARGE ? 3 : 6, large: data.length > LARGE, largeThreshold: LARGE }],
      }, { notMerge: true });
    };
    select.addEventListener('change', () => draw(this.lastPoints!));
    return draw;
  }

  private contour(controls: HTMLElement, node: HTMLElement): (p: StudyPoints) => void {
    const params = this.parameters;
    const xs = el('select', { id: 'contour-x' }, ...params.map((x, k) => option(x.name, x.name, k === 0)));
    const ys = el('select', { id: 'contour-y' }, ...params.map((x, k) => option(x.name, x.name, k === Math.min(1, params.length - 1))));
    controls.append(el('span', {}, 'Contour of '), xs, el('span', {}, ' × '), ys, el('span', { class: 'muted' }, ' mean objective on a 20 × 20 grid of the two parameters (log parameters binned in log space), trials as dots'));
    const bins = 20;
    const draw = (p: StudyPoints) => {
      const a = params.find(x => x.name === xs.value)!, b = params.find(x => x.name === ys.value)!;
      const va = this.numeric(p, a.name), vb = this.numeric(p, b.name), vy = p.metrics[this.objective] ?? [];
      const axis = (cfg: typeof a) => {
        if (cfg.type === 'CATEGORICAL') return { n: cfg.categories.length, bin: (v: number) => v, label: (k: number) => cfg.categories[k] };
        const lo = cfg.type === 'DISCRETE' ? cfg.feasibleValues[0] : cfg.min, hi = cfg.type === 'DISCRETE' ? cfg.feasibleValues[cfg.feasibleValues.length - 1] : cfg.max;
        const log = cfg.scale === 'LOG' && lo > 0;
        const t = (v: number) => log ? Math.log(v) : v;
        const span = (t(hi) - t(lo)) || 1;
        return { n: bins, bin: (v: number) => Math.min(bins - 1, Math.max(0, Math.floor((t(v) - t(lo)) / span * bins))), label: (k: number) => fmt(log ? Math.exp(t(lo) + (k + 0.5) * span / bins) : lo + (k + 0.5) * span / bins) };
      };
      const ax = axis(a), by = axis(b);
      const sum = new Float64Array(ax.n * by.n), count = new Uint32Array(ax.n * by.n);
      let used = 0;
      for (let i = 0; i < p.ids.length; i++) {
        const x = va[i], y = vb[i], z = vy[i];
        if (x === null || y === null || z === null || z === undefined) continue;
        const k = ax.bin(x) * by.n + by.bin(y); sum[k] += z; count[k]++; used++;
      }
      const cells: [number, number, number][] = [];
      let min = Infinity, max = -Infinity;
      for (let i = 0; i < ax.n; i++) for (let j = 0; j < by.n; j++) {
        const k = i * by.n + j;
        if (count[k]) { const m = sum[k] / count[k]; cells.push([i, j, m]); min = Math.min(min, m); max = Math.max(max, m); }
      }
      node.dataset.pointCount = String(used);
      this.chart(node).setOption({
        animation: false, tooltip: { formatter: (x: { value: number[] }) => `${a.name}≈${ax.label(x.value[0])}, ${b.name}≈${by.label(x.value[1])}: mean ${fmt(x.value[2])}` },
        grid: { left: 90, right: 90, top: 30, bottom: 60 },
        xAxis: { type: 'category', name: a.name, data: Array.from({ length: ax.n }, (_, k) => ax.label(k)) },
        yAxis: { type: 'category', name: b.name, data: Array.from({ length: by.n }, (_, k) => by.label(k)) },
        visualMap: { min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 1, calculable: true, right: 0, top: 'middle', inRange: { color: ['#3b4cc0', '#f7f7f7', '#b40426'] } },
        series: [{ type: 'heatmap', data: cells, progressive: 0 }],
      }, { notMerge: true });
    };
    xs.addEventListener('change', () => draw(this.lastPoints!));
    ys.addEventListener('change', () => draw(this.lastPoints!));
    return draw;
  }

  private async importance(node: HTMLElement, notes: HTMLElement): Promise<void> {
    const result = await request<Importances>(`${this.base}/importance?objective=${encodeURIComponent(this.objective)}`);
    notes.replaceChildren(el('p', { id: 'importance-method' }, `Method: ${result.method}`), el('p', { class: 'muted' }, `${result.trialCount} succeeded trials, objective ${result.objective}.`));
    const rows = [...result.parameters].reverse();
    node.dataset.pointCount = String(rows.length);
    this.chart(node).setOption({
      animation: false, tooltip: {}, grid: { left: 140, right: 40, top: 20, bottom: 40 },
      xAxis: { type: 'value', name: 'share of explained variance', max: 1 },
      yAxis: { type: 'category', data: rows.map(r => r.parameter) },
      series: [{ type: 'bar', data: rows.map(r => Number(r.importance.toFixed(4))), label: { show: true, position: 'right', formatter: (x: { value: number }) => fmt(x.value) } }],
    }, { notMerge: true });
  }

  private pareto(node: HTMLElement, notes: HTMLElement, p: StudyPoints): void {
    const objectives = this.objectives.map(m => m.name);
    if (objectives.length < 2) {
      notes.replaceChildren(el('p', {}, 'The Pareto front needs two or three objectives; this study has one. The best trials: ' + p.optimal.join(', ')));
      node.style.display = 'none';
      return;
    }
    const pairs: [string, string][] = objectives.length === 2 ? [[objectives[0], objectives[1]]] : [[objectives[0], objectives[1]], [objectives[0], objectives[2]], [objectives[1], objectives[2]]];
    const optimal = new Set(p.optimal);
    const succeeded = p.stateNames.indexOf('SUCCEEDED'), infeasible = p.stateNames.indexOf('INFEASIBLE');
    const grids = pairs.map((_, k) => ({ left: `${5 + k * (95 / pairs.length)}%`, width: `${95 / pairs.length - 7}%`, top: 40, bottom: 50 }));
    const series: object[] = [];
    pairs.forEach(([x, y], k) => {
      const front: number[][] = [], rest: number[][] = [], bad: number[][] = [], unsafe: number[][] = [];
      for (let i = 0; i < p.ids.length; i++) {
        const vx = p.metrics[x][i], vy = p.metrics[y][i];
        if (vx === null || vy === null || vx === undefined || vy === undefined) continue;
        const point = [vx, vy, p.ids[i]];
        if (p.states[i] === infeasible) bad.push(point); else if (p.unsafe[i]) unsafe.push(point);
        else if (optimal.has(p.ids[i])) front.push(point); else if (p.states[i] === succeeded) rest.push(point);
      }
      front.sort((a, b) => a[0] - b[0]);
      const common = { xAxisIndex: k, yAxisIndex: k, type: 'scatter' };
      series.push({ ...common, name: 'dominated', data: rest, symbolSize: 4, itemStyle: { color: '#9ab' }, large: rest.length > LARGE });
      series.push({ ...common, name: 'infeasible', data: bad, symbol: 'triangle', symbolSize: 6, itemStyle: { color: '#999' } });
      series.push({ ...common, name: 'unsafe', data: unsafe, symbol: 'diamond', symbolSize: 7, itemStyle: { color: '#e69f00' } });
      series.push({ ...common, name: 'Pareto front', data: front, symbolSize: 9, itemStyle: { color: '#d62728' }, z: 5 });
      if (objectives.length === 2) series.push({ xAxisIndex: k, yAxisIndex: k, type: 'line', name: 'Pareto front', data: front, step: 'end', showSymbol: false, lineStyle: { color: '#d62728' } });
    });
    node.dataset.frontSize = String(optimal.size);
    this.chart(node).setOption({
      animation: false, legend: { top: 0, data: ['Pareto front', 'dominated', 'unsafe', 'infeasible'] },
      tooltip: { trigger: 'item', formatter: (x: { value: number[]; seriesName: string }) => `trial ${x.value[2]} (${x.seriesName}): ${fmt(x.value[0])}, ${fmt(x.value[1])}` },
      grid: grids,
      xAxis: pairs.map(([x], k) => ({ gridIndex: k, type: 'value', name: x, nameLocation: 'middle', nameGap: 25, scale: true })),
      yAxis: pairs.map(([, y], k) => ({ gridIndex: k, type: 'value', name: y, scale: true })),
      series,
    }, { notMerge: true });
    const goals = this.objectives.map(m => `${m.name} (${m.goal.toLowerCase()})`).join(', ');
    notes.replaceChildren(el('p', { id: 'pareto-summary' }, `Pareto front of ${goals}: ${optimal.size} trials`),
      el('p', { id: 'pareto-ids', class: 'muted' }, 'front trial ids: ' + [...optimal].sort((a, b) => a - b).join(', ')));
  }

  private async curves(node: HTMLElement, notes: HTMLElement): Promise<void> {
    const result = await request<LearningCurves>(`${this.base}/curves?limit=300&metric=${encodeURIComponent(this.objective)}`);
    const stopped = result.curves.filter(c => c.stopped).length;
    notes.replaceChildren(el('p', { id: 'curves-summary' }, `${result.curves.length} of ${result.total} trials with intermediate values of ${result.metric}; ${stopped} stopped early (red, dashed).`));
    node.dataset.pointCount = String(result.curves.length);
    this.chart(node).setOption({
      animation: false, tooltip: { trigger: 'item', formatter: (x: { seriesName: string; value: number[] }) => `${x.seriesName}: step ${x.value[0]}, ${fmt(x.value[1])}` },
      grid: { left: 70, right: 30, top: 30, bottom: 50 },
      xAxis: { type: 'value', name: 'steps', nameLocation: 'middle', nameGap: 25 }, yAxis: { type: 'value', name: result.metric, scale: true },
      series: result.curves.map(c => ({
        name: `trial ${c.id}${c.stopped ? ' (stopped)' : ''}`, type: 'line', showSymbol: false, data: c.steps.map((s, k) => [s, c.values[k]]),
        lineStyle: c.stopped ? { color: '#d62728', type: 'dashed', width: 1.5 } : { color: '#4477aa', width: 1, opacity: 0.5 },
        endLabel: c.stopped ? { show: false } : undefined,
        markPoint: c.stopped && c.steps.length ? { symbol: 'pin', symbolSize: 18, data: [{ coord: [c.steps[c.steps.length - 1], c.values[c.values.length - 1]] }], itemStyle: { color: '#d62728' } } : undefined,
      })),
    }, { notMerge: true });
  }

  private timeline(node: HTMLElement, p: StudyPoints): void {
    const rows: number[][] = [];
    const now = (Date.now() - new Date(this.detail.summary.createTime).getTime()) / 1000;
    const succeeded = p.stateNames.indexOf('SUCCEEDED'), infeasible = p.stateNames.indexOf('INFEASIBLE');
    for (let i = 0; i < p.ids.length; i++) {
      const s = p.start[i];
      if (s === null || p.clients[i] < 0) continue;
      rows.push([p.clients[i], s, p.end[i] ?? now, p.states[i], p.ids[i]]);
    }
    const colors: Record<number, string> = { [succeeded]: '#4477aa', [infeasible]: '#999999' };
    node.style.height = `${Math.max(300, 28 * p.clientNames.length + 80)}px`;
    node.dataset.pointCount = String(rows.length);
    const chart = this.chart(node);
    chart.resize();
    chart.setOption({
      animation: false,
      tooltip: { formatter: (x: { value: number[] }) => `trial ${x.value[4]} on ${p.clientNames[x.value[0]]}: ${fmt(x.value[1])} s – ${fmt(x.value[2])} s (${p.stateNames[x.value[3]]})` },
      grid: { left: 160, right: 30, top: 20, bottom: 60 },
      xAxis: { type: 'value', name: 'seconds since the study was created', nameLocation: 'middle', nameGap: 25, scale: true },
      yAxis: { type: 'category', data: p.clientNames },
      dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 18, bottom: 8 }],
      series: [{
        type: 'custom', data: rows, progressive: 5000, encode: { x: [1, 2], y: 0 },
        renderItem: (_params: unknown, api: { value: (k: number) => number; coord: (v: number[]) => number[]; size: (v: number[]) => number[] }) => {
          const start = api.coord([api.value(1), api.value(0)]), end = api.coord([api.value(2), api.value(0)]);
          const height = api.size([0, 1])[1] * 0.6;
          return { type: 'rect', shape: { x: start[0], y: start[1] - height / 2, width: Math.max(1, end[0] - start[0]), height }, style: { fill: colors[api.value(3)] ?? '#ee7733' } };
        },
      }],
    }, { notMerge: true });
  }
}
