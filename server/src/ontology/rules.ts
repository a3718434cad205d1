/**
 * Checklist item rules (api.md 13.3 `rule`): `<evidence> <op> <value>` clauses joined by `and`,
 * e.g. "diameterMm > 30", "band in [middle, outer]". A rule states when the item's sign counts
 * as present; the status rule of api.md 10.9 (expect, cxrAssessable) then applies. Evidence that
 * is missing makes the rule undecidable (null → indeterminate).
 */

export type RuleOp = '>' | '>=' | '<' | '<=' | '==' | '!=' | 'in';
export interface RuleClause {
  name: string;
  op: RuleOp;
  value: number | string | string[];
}
export type EvidenceValues = Readonly<Record<string, number | string | boolean | null | undefined>>;

const CLAUSE = /^([a-z][A-Za-z0-9]*)\s*(>=|<=|==|!=|>|<|in)\s*(.+)$/;

/** Parses a rule; throws with the rule text when it does not follow the grammar. */
export function parseRule(rule: string): RuleClause[] {
  return rule.split(/\s+and\s+/).map((part) => {
    const m = CLAUSE.exec(part.trim());
    if (!m) throw new Error(`checklist rule "${rule}": cannot parse "${part}"`);
    const [, name, op, raw] = m as unknown as [string, string, RuleOp, string];
    if (op === 'in') {
      const list = /^\[(.*)\]$/.exec(raw.trim());
      if (!list) throw new Error(`checklist rule "${rule}": "in" needs a [list]`);
      return {
        name,
        op,
        value: list[1]!
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    }
    const num = Number(raw);
    return { name, op, value: raw.trim() !== '' && Number.isFinite(num) ? num : raw.trim() };
  });
}

/** true / false when every clause can be decided from `evidence`, else null. */
export function evaluateRule(rule: string, evidence: EvidenceValues): boolean | null {
  let result = true;
  for (const c of parseRule(rule)) {
    const v = evidence[c.name];
    if (v === undefined || v === null) return null;
    const ok = evalClause(c, v);
    if (ok === null) return null;
    result &&= ok;
  }
  return result;
}

function evalClause(c: RuleClause, v: number | string | boolean): boolean | null {
  if (c.op === 'in') return (c.value as string[]).includes(String(v));
  if (c.op === '==' || c.op === '!=') {
    const eq = typeof c.value === 'number' ? Number(v) === c.value : String(v) === c.value;
    return c.op === '==' ? eq : !eq;
  }
  if (typeof v !== 'number' || typeof c.value !== 'number') return null;
  switch (c.op) {
    case '>':
      return v > c.value;
    case '>=':
      return v >= c.value;
    case '<':
      return v < c.value;
    default:
      return v <= c.value;
  }
}
