// One request to the upstream when the CLI starts, so that a gateway in front of nothing says so
// at once instead of answering every request with 502 and leaving the reader to guess why.

/** Where the docs explain how to get a Qdrant to point the gateway at. */
export const GET_A_QDRANT_URL =
  'https://github.com/qdrant-kit/qdrant-kit/blob/main/apps/docs/guide/get-a-qdrant.md';

/** What one request to the upstream's `/` found. */
export type UpstreamProbe =
  | { readonly reachable: true; readonly status: number; readonly qdrantVersion?: string }
  | { readonly reachable: false; readonly reason: string };

/** Options of {@link probeUpstream}. */
export interface ProbeOptions {
  /** How long to wait for response headers (default 3000 ms). */
  readonly timeoutMs?: number;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** The most specific code or message in an error's cause chain (fetch wraps the socket error). */
function reasonOf(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  let message = '';
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return REASONS[code] ?? code;
    if (current.name === 'TimeoutError') return 'no answer in time';
    if (current instanceof AggregateError && current.errors.length > 0) {
      return reasonOf(current.errors[0]);
    }
    message = current.message;
    current = current.cause;
  }
  return message || 'unknown error';
}

/**
 * Sends one `GET /` to the upstream (a Qdrant node answers it without a key) and reports whether
 * anything answered. Never throws; sends no key.
 */
export async function probeUpstream(
  upstreamUrl: string,
  options: ProbeOptions = {},
): Promise<UpstreamProbe> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const fetchImpl = options.fetch ?? fetch;
  try {
    const response = await fetchImpl(`${upstreamUrl}/`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    let qdrantVersion: string | undefined;
    try {
      const body = (await response.json()) as { title?: unknown; version?: unknown };
      if (typeof body.title === 'string' && /qdrant/i.test(body.title)) {
        qdrantVersion = typeof body.version === 'string' ? body.version : '';
      }
    } catch {
      // Not JSON: something answers, but not a Qdrant root.
    }
    return qdrantVersion === undefined
      ? { reachable: true, status: response.status }
      : { reachable: true, status: response.status, qdrantVersion };
  } catch (error) {
    const reason = reasonOf(error);
    return {
      reachable: false,
      reason: reason === 'no answer in time' ? `no answer within ${timeoutMs} ms` : reason,
    };
  }
}

/** The lines the CLI prints for a probe result, each ending in a newline. */
export function describeUpstreamProbe(upstreamUrl: string, probe: UpstreamProbe): string {
  if (probe.reachable) {
    const what =
      probe.qdrantVersion !== undefined
        ? `Qdrant ${probe.qdrantVersion}`.trim()
        : `HTTP ${probe.status}, not a Qdrant root`;
    return `upstream ${upstreamUrl} answers (${what})\n`;
  }
  return [
    `upstream ${upstreamUrl} cannot be reached (${probe.reason}):`,
    '  every request, /healthz included, will answer 502 until it can. To get a Qdrant:',
    '    docker run -p 6333:6333 qdrant/qdrant     (a local one, at http://localhost:6333)',
    '    or set QDRANT_UPSTREAM_URL to a cluster, e.g. a Qdrant Cloud free cluster',
    `  How to: ${GET_A_QDRANT_URL}`,
    '',
  ].join('\n');
}

/** Probes the upstream once and writes what it found (the CLI's start-up banner). */
export async function reportUpstream(
  upstreamUrl: string,
  write: (text: string) => void,
  options?: ProbeOptions,
): Promise<void> {
  write(describeUpstreamProbe(upstreamUrl, await probeUpstream(upstreamUrl, options)));
}
