/**
 * Prior-comparison constants (issue 17). The matching and presence values were set on the tuning
 * pairs of scripts/prior-eval.ts (`--split tune`: JSRT films disjoint from the 40 held-out pairs),
 * never on the held-out split; docs/prior.md gives the figures.
 */
export const PRIOR = {
  /** A prior finding matches a current lesion when the registered centres are within this many mm … */
  matchMinMm: 10,
  /** … or within this fraction of the larger of the two diameters. */
  matchSizeFactor: 1.0,
  /**
   * Measurement error of one refined mean diameter (1 SD): an absolute floor (≈ 2 px at 0.35 mm/px,
   * the outline's edge placement) plus a part proportional to size (outline variation with
   * contrast). The change between two films has SD √2 × this; a change counts as real beyond 1.96 SD.
   */
  sizeSdMm: 0.8,
  sizeSdFraction: 0.05,
  /**
   * An unmatched current lesion was "probably present before but not detected" when the prior's
   * lesion probability near the registered place reaches `presentProbability` and the prior shows some
   * blob there, or the prior shows a blob at least `presentContrastFraction` as contrasted as now.
   */
  presentProbability: 0.3,
  /** … with at least this relative blob contrast there; or this much contrast alone. */
  presentMinContrastFraction: 0.2,
  presentContrastFraction: 0.6,
  /** The probability is searched within this fraction of the lesion radius of the registered place. */
  presentSearchRadius: 0.6,
  /** "Stable for over 2 years" needs this interval (days). */
  stableDays: 730,
} as const;
