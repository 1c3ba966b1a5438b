// Synthetic Prometheus scrapes of a given number of series (sample lines), shaped like a busy
// service's /metrics: request-latency histograms (client_golang's default buckets) and request
// counters labelled by method, route and status, plus labelled gauges. Valid for Go's expfmt parser.

const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'] as const;
/** Lines per histogram label group: the buckets, `_sum` and `_count`. */
const HISTOGRAM_LINES = BUCKETS.length + 2;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
const STATUSES = ['200', '201', '404', '500'] as const;

function route(i: number): string {
  return `/api/v1/svc${i % 97}/resource${Math.floor(i / 97)}`;
}

/**
 * About `series` sample lines (60 % histogram lines, 30 % counters, 10 % gauges); `round` moves the
 * numbers on (counters and buckets grow, gauges wander) so successive scrapes differ.
 */
export function syntheticScrape(series: number, round = 0): string {
  const groups = Math.max(1, Math.round((series * 0.6) / HISTOGRAM_LINES));
  const counters = Math.max(1, Math.round(series * 0.3));
  const gauges = Math.max(1, series - groups * HISTOGRAM_LINES - counters);
  const out: string[] = [];
  out.push('# HELP http_request_duration_seconds Duration of HTTP requests.', '# TYPE http_request_duration_seconds histogram');
  for (let g = 0; g < groups; g++) {
    const labels = `method="${METHODS[g % METHODS.length]}",route="${route(g)}"`;
    const total = 1000 + g * 7 + round * (10 + (g % 13));
    let cumulative = 0;
    for (let b = 0; b < BUCKETS.length; b++) {
      cumulative = b === BUCKETS.length - 1 ? total : Math.min(total, cumulative + Math.floor(total / (2 + ((b + g) % 5))));
      out.push(`http_request_duration_seconds_bucket{${labels},le="${BUCKETS[b]}"} ${cumulative}`);
    }
    out.push(`http_request_duration_seconds_sum{${labels}} ${(total * 0.0731).toFixed(6)}`, `http_request_duration_seconds_count{${labels}} ${total}`);
  }
  out.push('# HELP http_requests_total Total HTTP requests.', '# TYPE http_requests_total counter');
  for (let c = 0; c < counters; c++) {
    const status = STATUSES[c % STATUSES.length];
    out.push(`http_requests_total{method="${METHODS[Math.floor(c / 4) % METHODS.length]}",route="${route(Math.floor(c / 16))}",status="${status}"} ${c * 3 + round * (1 + (c % 5))}`);
  }
  out.push('# HELP worker_queue_depth Jobs waiting per queue and worker.', '# TYPE worker_queue_depth gauge');
  for (let q = 0; q < gauges; q++) {
    out.push(`worker_queue_depth{queue="q${q % 50}",worker="w${Math.floor(q / 50)}"} ${((q * 31 + round * 17) % 200) / 4}`);
  }
  return `${out.join('\n')}\n`;
}
