// An `otlp` source's settings: where Pulse listens. `url` (default http://localhost:4318) and `port`
// say the address; an address beyond loopback needs `allowNonLoopback: true` from user settings.

export const OTLP_DEFAULT_URL = 'http://localhost:4318';

/** The entry with `url` filled in from the default and `port`, and `allowNonLoopback` kept only where allowed. */
export function otlpEntry(entry: Record<string, unknown>, where: string, scope: 'user' | 'workspace', problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...entry };
  let url = entry.url === undefined ? OTLP_DEFAULT_URL : entry.url;
  if (typeof url === 'string') {
    try {
      const parsed = new URL(url);
      if (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '') problems.push(`${where}: an otlp source listens at an address only; the path of "url" is ignored (exports go to /v1/metrics)`);
      if (entry.port !== undefined) {
        const port = entry.port;
        if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65_535) parsed.port = String(port);
        else problems.push(`${where}: "port" must be a whole number from 0 to 65535; using the URL's`);
      }
      if (parsed.port === '') parsed.port = '4318';
      url = `${parsed.protocol}//${parsed.host}`;
    } catch {
      // checkUrl reports it.
    }
  }
  out.url = url;
  if (entry.allowNonLoopback !== undefined && entry.allowNonLoopback !== false) {
    if (entry.allowNonLoopback !== true) problems.push(`${where}: "allowNonLoopback" must be true or false; listening on loopback only`);
    else if (scope === 'workspace') problems.push(`${where}: "allowNonLoopback" is honoured only in user settings; listening on loopback only`);
    if (entry.allowNonLoopback !== true || scope === 'workspace') delete out.allowNonLoopback;
  }
  return out;
}
