// Small DOM helpers: the page is plain TypeScript, no framework.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

export function fmt(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(4) : value.toPrecision(6).replace(/\.?0+$/, '');
}

export function time(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { hour12: false }) : '';
}

export function throttle(fn: () => void, ms: number): () => void {
  let timer: number | null = null, last = 0;
  return () => {
    const now = performance.now();
    if (timer !== null) return;
    const wait = Math.max(0, last + ms - now);
    timer = window.setTimeout(() => { timer = null; last = performance.now(); fn(); }, wait);
  };
}

export function option(value: string, label = value, selected = false): HTMLOptionElement {
  const o = el('option', { value }, label);
  o.selected = selected;
  return o;
}
