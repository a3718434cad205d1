/**
 * Text a user typed (anchor labels, client refs) goes into JSON, the text report and the DICOM SR.
 * Issue 11, item 12: bidi overrides made a label read differently from what it is ("Trojan Source"),
 * and markup and control characters went verbatim into reports. These characters have no place in a
 * label, and none of our own strings contain them, so they are removed on the way in (request
 * schemas) and again on the way out (reports, SR) for anything stored before.
 */

/** Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069), LRM/RLM (U+200E/F), ALM (U+061C). */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/**
 * Zero-width and other invisible format characters (ZWSP, ZWNJ, ZWJ, word joiner, invisible operators,
 * BOM, soft hyphen).
 */
const INVISIBLE = /[\u200B-\u200D\u2060-\u2064\uFEFF\u00AD]/g;
/** C0 and C1 controls (newlines and tabs included: a label is one line). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;
/** Markup brackets, and the backslash: DICOM's value delimiter (a `\` in an LO value splits it in two). */
const MARKUP = /[<>\\]/g;

/** Strips bidi and invisible characters only: safe on whole multi-line documents. */
export const stripBidi = (s: string): string => s.replace(BIDI, '').replace(INVISIBLE, '');

/** A one-line label: no bidi, invisible, control or markup characters, whitespace collapsed, NFC. */
export function cleanLabel(s: string): string {
  return stripBidi(s.normalize('NFC')).replace(CONTROLS, ' ').replace(MARKUP, '').replace(/\s+/g, ' ').trim();
}

/** A DICOM LO value from our own text: no bidi or control characters, no backslash; other characters kept. */
export function loValue(s: string): string {
  return stripBidi(s).replace(CONTROLS, ' ').replace(/\\/g, '/').replace(/ {2,}/g, ' ').trim();
}
