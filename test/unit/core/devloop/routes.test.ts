import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeContenders, findRouteRegistrations, languageOf, rankMatches } from '../../../../src/core/devloop/routes';
import type { RouteMatch } from '../../../../src/core/devloop/routes';

const demo = (file: string) => readFileSync(join(import.meta.dirname, '../../../fixtures/demo-workspace', file), 'utf8');
const best = (matches: readonly RouteMatch[]) => matches[0];

describe('findRouteRegistrations', () => {
  it('finds Express app and router registrations, preferring the method', () => {
    const text = demo('server.ts');
    const get = findRouteRegistrations(text, '/api/orders', 'GET');
    assert.equal(best(get)?.pattern, 'router');
    assert.match(best(get)?.preview ?? '', /^router\.get\("\/api\/orders"/);
    const post = findRouteRegistrations(text, '/api/orders', 'POST');
    assert.equal(best(post)?.pattern, 'express');
    assert.match(best(post)?.preview ?? '', /^app\.post\('\/api\/orders'/);
    assert.equal(best(post)?.line, 29);
    assert.equal(best(post)?.column, 9);
    assert.ok((get[0]?.score ?? 0) > (get[1]?.score ?? 0));
  });

  it('finds the Bun.serve routes keys of the demo workspace, params included', () => {
    const text = demo('routes/bun.ts');
    const list = findRouteRegistrations(text, '/api/users', 'GET');
    assert.equal(list.length, 1);
    assert.equal(best(list)?.pattern, 'bun-routes');
    assert.equal(best(list)?.line, 9);
    const one = findRouteRegistrations(text, '/api/users/42', 'GET');
    assert.equal(one.length, 1);
    assert.match(best(one)?.preview ?? '', /"\/api\/users\/:id"/);
  });

  it('finds Go HandleFunc in the demo workspace', () => {
    const matches = findRouteRegistrations(demo('go/main.go'), '/api/orders', 'GET', { language: 'go' });
    assert.equal(best(matches)?.pattern, 'go-handlefunc');
    assert.equal(best(matches)?.line, 18);
  });

  it('recognises template literals, .route(), Handle, method-prefixed keys and patterns', () => {
    const text = [
      'router.put(`/api/items/:id`, update);',
      "app.route('/api/books').get(list).post(create);",
      'mux.Handle("/metrics", promhttp.Handler())',
      'mux.HandleFunc("DELETE /api/items/{id}", remove)',
      'const routes = { "GET /api/ping": () => new Response("pong") };',
    ].join('\n');
    const put = best(findRouteRegistrations(text, '/api/items/7', 'PUT'));
    assert.deepEqual([put?.pattern, put?.line], ['router', 0]);
    const books = findRouteRegistrations(text, '/api/books', 'POST');
    assert.deepEqual([best(books)?.pattern, best(books)?.line], ['express', 1]);
    assert.equal(best(findRouteRegistrations(text, '/metrics', 'GET', { language: 'go' }))?.pattern, 'go-handlefunc');
    const del = findRouteRegistrations(text, '/api/items/7', 'DELETE', { language: 'go' });
    assert.deepEqual([best(del)?.pattern, best(del)?.line], ['go-handlefunc', 3]);
    assert.equal(best(findRouteRegistrations(text, '/api/ping', 'GET'))?.pattern, 'bun-routes');
    const ping = best(findRouteRegistrations(text, '/api/ping', 'GET'))?.score ?? 0;
    assert.ok((best(findRouteRegistrations(text, '/api/ping', 'POST'))?.score ?? 100) <= ping - 30, 'method in the key disagrees');
  });

  it('reads gin, chi, gorilla and fastify styles', () => {
    const go = 'r.GET("/api/a", a)\nr.Method("POST", "/api/b", b)\nr.HandleFunc("/api/c", c).Methods("PUT")';
    assert.equal(best(findRouteRegistrations(go, '/api/a', 'GET', { language: 'go' }))?.pattern, 'router');
    const chiPost = best(findRouteRegistrations(go, '/api/b', 'POST', { language: 'go' }))?.score ?? 0;
    assert.ok(chiPost > (best(findRouteRegistrations(go, '/api/b', 'GET', { language: 'go' }))?.score ?? 100));
    const put = best(findRouteRegistrations(go, '/api/c', 'PUT', { language: 'go' }))?.score ?? 0;
    assert.ok(put > (best(findRouteRegistrations(go, '/api/c', 'GET', { language: 'go' }))?.score ?? 100));
    const fastify = "fastify.route({\n  method: 'DELETE',\n  url: '/api/d',\n  handler,\n});";
    const del = best(findRouteRegistrations(fastify, '/api/d', 'DELETE'));
    assert.equal(del?.pattern, 'router');
    assert.ok((del?.score ?? 0) > (best(findRouteRegistrations(fastify, '/api/d', 'GET'))?.score ?? 100));
  });

  it('reads per-method objects in Bun routes', () => {
    const text = 'Bun.serve({ routes: {\n  "/api/posts": {\n    GET: () => list(),\n    POST: async (req) => create(req),\n  },\n} });';
    const get = best(findRouteRegistrations(text, '/api/posts', 'GET'));
    const del = best(findRouteRegistrations(text, '/api/posts', 'DELETE'));
    assert.ok(get && del && get.score > del.score);
  });

  it('matches path parameters both ways and prefers the literal spelling', () => {
    const text = "app.get('/api/users/:id', one);\napp.get('/api/users/me', me);\nr.Get(\"/api/users/{id}/posts\", posts)";
    assert.equal(best(findRouteRegistrations(text, '/api/users/me', 'GET'))?.line, 1);
    assert.equal(best(findRouteRegistrations(text, '/api/users/123', 'GET'))?.line, 0);
    assert.equal(best(findRouteRegistrations(text, '/api/users/:userId', 'GET'))?.line, 0);
    assert.equal(best(findRouteRegistrations(text, '/api/users/{id}/posts', 'GET'))?.line, 2);
    assert.equal(findRouteRegistrations(text, '/api/users', 'GET').length, 0);
    assert.equal(findRouteRegistrations(text, '/api/users/1/2', 'GET').length, 0);
  });

  it('only counts registrations for the root path', () => {
    const text = "const tokens = { \"/\": 44 };\nswitch (c) { case '/': break; }\napp.get('/', home);";
    assert.deepEqual(findRouteRegistrations(text, '/', 'GET').map((m) => m.line), [2]);
  });

  it('compares interpolated template literals only by whole segments', () => {
    const text = "app.get(`${base}/users`, list);\napp.get(`/api/${version}/orders`, orders);\nconst x = `/api/v${n}/items`;";
    assert.equal(findRouteRegistrations(text, '/api/users', 'GET')[0]?.line, 0);
    assert.equal(findRouteRegistrations(text, '/api/v2/orders', 'GET')[0]?.line, 1);
    assert.deepEqual(findRouteRegistrations(text, '/api/v2/items', 'GET'), []);
  });

  it('ignores query strings, origins and trailing slashes', () => {
    const text = "app.get('/api/search', search);";
    assert.equal(findRouteRegistrations(text, 'http://localhost:3000/api/search/?q=ada', 'GET').length, 1);
  });

  it('is safe with regex characters in the path', () => {
    const text = "app.get('/api/v1x0/files(+)', a);\napp.get('/api/v1.0/files(+)', b);\napp.get('/a*b', c);";
    const m = findRouteRegistrations(text, '/api/v1.0/files(+)', 'GET');
    assert.deepEqual(m.map((x) => x.line), [1]);
    assert.doesNotThrow(() => findRouteRegistrations(text, '/[(*+?', 'GET'));
    assert.deepEqual(findRouteRegistrations(text, '/a*b', 'GET').map((x) => x.line), [2]);
  });

  it('skips comments but not code after them', () => {
    const text = [
      "// app.get('/api/users', old)",
      "/* router.get('/api/users', older) */",
      "app.get('/api/users', current); // don't use '/api/users' here",
    ].join('\n');
    const m = findRouteRegistrations(text, '/api/users', 'GET');
    assert.deepEqual(m.map((x) => [x.line, x.column]), [[2, 8]]);
    const py = "# @app.get('/api/users')\n@app.get('/api/users')\ndef users(): ...";
    assert.deepEqual(findRouteRegistrations(py, '/api/users', 'GET', { language: 'py' }).map((x) => x.line), [1]);
    const docstring = 'def users():\n    """\n    Called as fetch(\'/api/users\')\n    """';
    assert.deepEqual(findRouteRegistrations(docstring, '/api/users', 'GET', { language: 'py' }), []);
  });

  it('treats requests and plain mentions as weak matches', () => {
    const text = "await request(app).get('/api/users');\nconst url = '/api/users';\nif (url.pathname === '/api/users' && req.method === 'GET') {}";
    const m = findRouteRegistrations(text, '/api/users', 'GET');
    assert.ok(m.every((x) => x.pattern === 'string-literal' && x.score < 60));
    assert.equal(best(m)?.line, 2, 'a comparison against the pathname ranks above a mention');
  });

  it('finds routers mounted under a prefix, below exact ones', () => {
    const text = "router.get('/users/:id', one);";
    const m = findRouteRegistrations(text, '/api/users/5', 'GET');
    assert.equal(m.length, 1);
    assert.ok((m[0]?.score ?? 100) < 75);
    assert.equal(findRouteRegistrations("const x = '/users';", '/api/users', 'GET').length, 0, 'plain literals must match whole');
  });

  it('reads Flask methods and Python decorators', () => {
    const py = "@app.route('/api/items', methods=['POST'])\ndef create(): ...\n@bp.route('/api/items')\ndef list(): ...";
    const post = findRouteRegistrations(py, '/api/items', 'POST', { language: 'py' });
    assert.equal(best(post)?.line, 0);
    const get = findRouteRegistrations(py, '/api/items', 'GET', { language: 'py' });
    assert.equal(best(get)?.line, 2);
  });
});

describe('rankMatches', () => {
  it('ranks across files, test files lower, and tells when several are close', () => {
    const reg = findRouteRegistrations("app.get('/api/users', h);", '/api/users', 'GET');
    const ranked = rankMatches([
      { file: 'b', path: 'test/server.test.ts', matches: reg },
      { file: 'a', path: 'src/server.ts', matches: reg },
      { file: 'c', path: 'src/routes.ts', matches: findRouteRegistrations("const u = '/api/users';", '/api/users') },
    ]);
    assert.deepEqual(ranked.map((r) => r.file), ['a', 'b', 'c']);
    assert.equal(closeContenders(ranked).length, 1);
    const tie = rankMatches([
      { file: 'x', path: 'x.ts', matches: reg },
      { file: 'y', path: 'y.go', matches: reg },
    ]);
    assert.equal(closeContenders(tie).length, 2);
    assert.deepEqual(closeContenders([]), []);
  });

  it('picks the comment syntax from the file name', () => {
    assert.equal(languageOf('go/main.go'), 'go');
    assert.equal(languageOf('app.py'), 'py');
    assert.equal(languageOf('server.mjs'), 'js');
  });
});
