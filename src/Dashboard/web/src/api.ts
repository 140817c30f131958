// The dashboard's one data path: the JSON API under /api (see /api/openapi/dashboard.json).

export type TrialState = 'REQUESTED' | 'ACTIVE' | 'STOPPING' | 'SUCCEEDED' | 'INFEASIBLE';

export interface StudySummary {
  name: string; owner: string; studyId: string; state: string; stateReason: string | null; algorithm: string;
  createTime: string; trialCounts: Record<string, number>; best: Record<string, number>; trialsPerSecond: number;
}
export interface StudyPage { total: number; page: number; pageSize: number; owners: string[]; studies: StudySummary[] }
export interface ParameterValue { number?: number | null; text?: string | null }
export interface ParameterConfig {
  name: string; type: string; min: number; max: number; feasibleValues: number[]; categories: string[]; scale: string;
  default: ParameterValue | null; children: { parentValues: ParameterValue[]; parameter: ParameterConfig }[];
}
export interface MetricConfig { name: string; goal: string; safetyThreshold: number | null; desiredMinSafeTrialsFraction: number | null }
export interface StudyConfig {
  parameters: ParameterConfig[]; metrics: MetricConfig[]; algorithm: string; observationNoise: string;
  stopping: { rule: string; minSteps: number; minCompletedTrials: number }; maxTrials: number | null; seed: number | null; trialLease: string | null;
}
export interface MetadataItem { namespace: string; key: string; value: string }
export interface StudyDetail { summary: StudySummary; config: StudyConfig; metadata: MetadataItem[] }
export interface TrialRow {
  id: number; state: TrialState; clientId: string | null; parameters: Record<string, number | string>; metrics: Record<string, number>;
  startTime: string | null; endTime: string | null; stopped: boolean; unsafe: boolean;
}
export interface TrialPage { total: number; page: number; pageSize: number; trials: TrialRow[] }
export interface Measurement { metrics: Record<string, number>; steps: number; elapsedSeconds: number }
export interface TrialDetail {
  row: TrialRow; name: string; finalMeasurement: Measurement | null; measurements: Measurement[]; infeasibleReason: string | null;
  stoppingReason: string | null; createTime: string; metadata: MetadataItem[];
}
export interface StudyPoints {
  ids: number[]; states: number[]; stateNames: string[]; clients: number[]; clientNames: string[]; start: (number | null)[]; end: (number | null)[];
  parameters: Record<string, (number | null)[]>; categories: Record<string, string[]>; metrics: Record<string, (number | null)[]>;
  stopped: boolean[]; unsafe: boolean[]; optimal: number[];
}
export interface LearningCurves { metric: string; total: number; curves: { id: number; stopped: boolean; steps: number[]; values: number[] }[] }
export interface Importances { method: string; objective: string; trialCount: number; parameters: { parameter: string; importance: number; varianceExplained: number; trialCount: number }[] }
export interface StudyEventView { kind: string; study: string; time: string; studyState: string | null; trial: TrialRow | null }

const keyStorage = 'vizier-api-key';

export class ApiError extends Error {
  constructor(public status: number, message: string, public field: string | null) { super(message); }
}

export function apiKey(): string | null { return sessionStorage.getItem(keyStorage); }
export function setApiKey(key: string | null): void { if (key) sessionStorage.setItem(keyStorage, key); else sessionStorage.removeItem(keyStorage); }

function headers(): HeadersInit {
  const key = apiKey();
  return key ? { 'x-vizier-api-key': key } : {};
}

export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { ...init, headers: { ...headers(), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`, field: string | null = null;
    try { const body = await response.json(); message = body.error ?? message; field = body.field ?? null; } catch { /* not JSON */ }
    throw new ApiError(response.status, message, field);
  }
  return response.status === 204 ? (undefined as T) : (await response.json()) as T;
}

export function studyPath(owner: string, studyId: string): string {
  return `/api/studies/${encodeURIComponent(owner)}/${encodeURIComponent(studyId)}`;
}

export async function download(path: string, fileName: string): Promise<void> {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) throw new ApiError(response.status, `${response.status} ${response.statusText}`, null);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url; a.download = fileName; document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Server-Sent Events read with fetch (not EventSource) so that the API key travels in the header. Reconnects.
export function subscribe(onEvent: (e: StudyEventView) => void, onStatus: (connected: boolean) => void, study?: string): () => void {
  let stopped = false;
  let controller = new AbortController();
  const run = async () => {
    while (!stopped) {
      try {
        controller = new AbortController();
        const url = '/api/events' + (study ? `?study=${encodeURIComponent(study)}` : '');
        const response = await fetch(url, { headers: headers(), signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(String(response.status));
        onStatus(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end); buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
            if (data) onEvent(JSON.parse(data) as StudyEventView);
          }
        }
      } catch { /* reconnect below */ }
      onStatus(false);
      if (!stopped) await new Promise(r => setTimeout(r, 1000));
    }
  };
  void run();
  return () => { stopped = true; controller.abort(); };
}
