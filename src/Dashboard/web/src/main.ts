import './style.css';
import { ApiError, setApiKey } from './api';
import { el } from './dom';
import { renderStudies } from './studies';
import { renderStudy } from './study';

// Hash routes: #/ (studies) and #/study/{owner}/{studyId}[/{tab}].
let cleanup: (() => void) | null = null;

function route(): void {
  cleanup?.();
  cleanup = null;
  const app = document.getElementById('app')!;
  app.replaceChildren();
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const onError = (e: unknown) => showError(app, e);
  if (parts[0] === 'study' && parts.length >= 3) {
    cleanup = renderStudy(app, parts[1], parts[2], parts[3] ?? 'trials', onError);
  } else {
    cleanup = renderStudies(app, onError);
  }
}

function showError(app: HTMLElement, e: unknown): void {
  if (e instanceof ApiError && e.status === 401) {
    const input = el('input', { type: 'password', id: 'api-key', placeholder: 'API key', autocomplete: 'off' });
    const form = el('form', { class: 'key-form' }, el('p', {}, 'This dashboard needs an API key (the same keys as the gRPC front door).'), input, el('button', { type: 'submit' }, 'Use key'));
    form.addEventListener('submit', ev => { ev.preventDefault(); setApiKey(input.value); route(); });
    app.replaceChildren(form);
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  const box = el('div', { class: 'error', role: 'alert' }, message);
  app.prepend(box);
  setTimeout(() => box.remove(), 8000);
}

window.addEventListener('hashchange', route);
route();
