import { z } from 'zod';

const num = z.number().finite();
export const pointSchema = z.tuple([num, num]);

export const geometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('point'), point: pointSchema }),
  z.object({ type: z.literal('ellipse'), center: pointSchema, radii: z.tuple([num, num]), rotationDeg: num.default(0) }),
  z.object({ type: z.literal('polygon'), points: z.array(pointSchema) }),
]);

export const createSessionSchema = z.object({
  analysisId: z.string(),
  language: z.enum(['zh', 'en']).optional(),
});

export const createAnchorSchema = z.object({
  geometry: geometrySchema,
  label: z.string().max(64).optional(),
  clientRef: z.string().max(128).optional(),
});

export const turnRequestSchema = z.object({
  text: z.string(),
  language: z.enum(['zh', 'en']).optional(),
  focus: z.union([
    z.object({ anchorId: z.string() }).strict(),
    z.object({ point: pointSchema }).strict(),
  ]).optional(),
});

/** Turns a zod failure into the first offending field name, for error details. */
export function firstIssueField(err: z.ZodError): string {
  const issue = err.issues[0];
  return issue ? issue.path.join('.') || 'body' : 'body';
}
