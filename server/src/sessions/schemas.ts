import { z } from 'zod';
import { cleanLabel } from '../safeText';

/**
 * Every number in a request is finite and bounded (issue 11.12: huge radii became "Infinity cm").
 * Pixel coordinates and radii: within ±COORD_MAX, well beyond the largest image side the server
 * accepts; the image's own size is checked next (SessionService.validateGeometry).
 */
const COORD_MAX = 65536;
const coord = z.number().finite().min(-COORD_MAX).max(COORD_MAX);
const radius = z.number().finite().positive().max(COORD_MAX);
const pointSchema = z.tuple([coord, coord]);
/** User text that ends up in reports and the SR: bidi, control and markup characters removed. */
const label = (max: number) => z.string().max(max).transform(cleanLabel);

const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('point'), point: pointSchema }),
  z.object({
    type: z.literal('ellipse'),
    center: pointSchema,
    radii: z.tuple([radius, radius]),
    rotationDeg: z.number().finite().min(-360).max(360).default(0),
  }),
  z.object({ type: z.literal('polygon'), points: z.array(pointSchema) }),
]);

export const createSessionSchema = z.object({
  analysisId: z.string(),
  language: z.enum(['zh', 'en']).optional(),
});

/** PUT /sessions/:id/prior (api.md 8.4). */
export const setPriorSchema = z.object({ analysisId: z.string().min(1).max(64) });

export const createAnchorSchema = z.object({
  geometry: geometrySchema,
  label: label(64).optional(),
  clientRef: label(128).optional(),
});

export const turnRequestSchema = z.object({
  text: z.string(),
  language: z.enum(['zh', 'en']).optional(),
  focus: z.union([z.object({ anchorId: z.string() }).strict(), z.object({ point: pointSchema }).strict()]).optional(),
});

/** Turns a zod failure into the first offending field name, for error details. */
export function firstIssueField(err: z.ZodError): string {
  const issue = err.issues[0];
  return issue ? issue.path.join('.') || 'body' : 'body';
}
