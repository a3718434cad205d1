/** auditRecord / tokenIdentity: what one audit line holds for a finished request (api.md 1.7). */
import type express from 'express';
import { auditRecord, tokenIdentity } from '../../../server/src/http/audit';

const AN = 'an_0123456789abcdef';
const SS = 'ss_0123456789abcdef';
const when = new Date('2026-11-27T10:00:00.000Z');

function req(url: string, routePath?: string, baseUrl = ''): express.Request {
  const path = url.split('?')[0]!;
  return {
    method: 'GET',
    originalUrl: url,
    path,
    baseUrl,
    route: routePath ? { path: routePath } : undefined,
  } as never;
}
const res = (locals: Record<string, unknown>, statusCode = 200) => ({ statusCode, locals }) as never;

describe('auditRecord', () => {
  test('route template, status, duration and the route’s ids', () => {
    const r = auditRecord(
      req(`/api/v1/sessions/${SS}/turns?x=1`, '/:id/turns', '/api/v1/sessions'),
      res({ logIds: { sessionId: SS, turnId: 'T3', intent: 'location', models: ['cxr-anatomy@1'] } }, 201),
      when,
      12.5,
    );
    expect(r).toEqual({
      time: '2026-11-27T10:00:00.000Z',
      method: 'GET',
      route: '/api/v1/sessions/:id/turns',
      status: 201,
      durationMs: 12.5,
      analysisId: null,
      sessionId: SS,
      turnId: 'T3',
      anchorId: null,
      intent: 'location',
      pixelDataSha256: null,
      models: ['cxr-anatomy@1'],
      tokenId: null,
      tokenName: null,
    });
  });

  test('ids that do not match their format are dropped', () => {
    const r = auditRecord(
      req('/api/v1/x'),
      res({
        logIds: { sessionId: 'SENTINEL^PATIENT', turnId: 'T1; drop', intent: 'Bad Intent', pixelDataSha256: 'xyz' },
      }),
      when,
      1,
    );
    expect([r.sessionId, r.turnId, r.intent, r.pixelDataSha256]).toEqual([null, null, null, null]);
    expect(r.route).toBe('/api/*');
  });

  test('analysis and session ids come from the path when the route set none', () => {
    expect(auditRecord(req(`/api/v1/analyses/${AN}/masks/heart.png`), res({}), when, 1).analysisId).toBe(AN);
    expect(auditRecord(req(`/api/v1/sessions/${SS}`), res({}), when, 1).sessionId).toBe(SS);
    expect(auditRecord(req(`/api/v1/analyses/an_short`), res({}), when, 1).analysisId).toBeNull();
  });

  test('model versions: the route’s list, else the server’s, each checked', () => {
    const versions = () => ['cxr-lesion@2', 'not a model', 'cxr-anatomy@1'];
    expect(auditRecord(req('/api/v1/status'), res({}), when, 1, versions).models).toEqual([
      'cxr-lesion@2',
      'cxr-anatomy@1',
    ]);
    expect(auditRecord(req('/api/v1/status'), res({ logIds: { models: [] } }), when, 1, versions).models).toEqual([]);
  });
});

describe('tokenIdentity', () => {
  test.each([
    [undefined, { tokenId: null, tokenName: null }],
    [
      { name: 'alice', tokenId: '0123456789ab' },
      { tokenId: '0123456789ab', tokenName: 'alice' },
    ],
    [
      { name: 42, tokenId: '0123456789ab' },
      { tokenId: '0123456789ab', tokenName: null },
    ],
    [
      { name: 'alice', tokenId: 'not-hex-id!!' },
      { tokenId: null, tokenName: null },
    ],
    [{ name: 'alice' }, { tokenId: null, tokenName: null }],
  ])('%p → %p', (auth, want) => {
    expect(tokenIdentity(auth)).toEqual(want);
  });
});
