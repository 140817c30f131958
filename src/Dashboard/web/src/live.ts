import { subscribe, type StudyEventView } from './api';

// One event feed per page; the header shows whether it is connected.
export function live(onEvent: (e: StudyEventView) => void, study?: string): () => void {
  const badge = document.getElementById('live');
  return subscribe(onEvent, connected => {
    if (badge) { badge.textContent = connected ? '● live' : '○ offline'; badge.className = connected ? 'live on' : 'live'; badge.dataset.connected = String(connected); }
  }, study);
}
