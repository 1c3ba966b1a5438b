// The series a bench store holds: a few dozen names, some with labels, as a server sends them.

import type { Labels } from '../../src/shared/views';

export function seriesShapes(count: number): Array<{ name: string; labels: Labels; kind: 'gauge' | 'counter' }> {
  const out: Array<{ name: string; labels: Labels; kind: 'gauge' | 'counter' }> = [];
  const methods = ['GET', 'POST', 'PUT', 'DELETE'];
  for (let i = 0; out.length < count; i++) {
    const family = i % 5;
    if (family === 0) out.push({ name: `process.metric_${i}`, labels: [], kind: 'gauge' });
    else if (family === 1) out.push({ name: 'http_requests_total', labels: [['method', methods[i % 4] ?? 'GET'], ['path', `/api/resource/${i}`]], kind: 'counter' });
    else if (family === 2) out.push({ name: 'endpoint.p95', labels: [['method', methods[i % 4] ?? 'GET'], ['path', `/api/resource/${i}`]], kind: 'gauge' });
    else if (family === 3) out.push({ name: 'websockets.subscribers', labels: [['topic', `topic-${i}`]], kind: 'gauge' });
    else out.push({ name: `memory.region_${i}`, labels: [], kind: 'gauge' });
  }
  return out;
}

