/**
 * Text widths for headless vega. Without a canvas, vega estimates every character as 0.8 em wide,
 * which makes long titles reserve far too much space in the SVGs rendered in Node. The report
 * renders with DejaVu Sans (see render.ts), so widths come from that font's advance widths
 * (hmtx table of DejaVuSans.ttf and DejaVuSans-Bold.ttf, in 1/1000 em), for printable ASCII and
 * the symbols the report's labels use; other characters count as an average glyph.
 */

/** Advance widths of ASCII 32..126, regular weight, in 1/1000 em. */
const REGULAR_ASCII = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
  575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
  611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
  278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/** Advance widths of ASCII 32..126, bold, in 1/1000 em. */
const BOLD_ASCII = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
  696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
  683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
  724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
  343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/** Non-ASCII symbols used in labels (Greek, sub- and superscripts, math), regular weight. */
const REGULAR_EXTRA: Record<string, number> = { 'α': 659, 'β': 638, 'γ': 592, 'λ': 592, 'σ': 634, 'μ': 636, 'ρ': 635, '∑': 674, '√': 637, '⟨': 390, '⟩': 390, '₀': 401, '₁': 401, '₂': 401, '₃': 401, '₄': 401, '₅': 401, '₆': 401, '₇': 401, '₈': 401, '₉': 401, 'ₜ': 295, 'ᵢ': 179, 'ⱼ': 175, 'ᵀ': 385, '²': 401, '³': 401, '×': 838, '±': 838, '−': 838, '–': 500, '—': 1000, '…': 1000, '·': 318, '▽': 769, '✕': 838, '↑': 838, '→': 838, '∗': 838, '‖': 500, '̂': 0 };

/** The same symbols, bold. */
const BOLD_EXTRA: Record<string, number> = { 'α': 687, 'β': 716, 'γ': 681, 'λ': 633, 'σ': 779, 'μ': 736, 'ρ': 716, '∑': 718, '√': 667, '⟨': 457, '⟩': 457, '₀': 438, '₁': 438, '₂': 438, '₃': 438, '₄': 438, '₅': 438, '₆': 438, '₇': 438, '₈': 438, '₉': 438, 'ₜ': 388, 'ᵢ': 219, 'ⱼ': 219, 'ᵀ': 430, '²': 438, '³': 438, '×': 838, '±': 838, '−': 838, '–': 500, '—': 1000, '…': 1000, '·': 380, '▽': 769, '✕': 838, '↑': 838, '→': 838, '∗': 838, '‖': 500, '̂': 0 };

/** Width of characters not in the tables, in 1/1000 em (about an average lowercase letter). */
const FALLBACK_REGULAR = 620;
const FALLBACK_BOLD = 700;

/** Whether a CSS/vega font weight is bold (600 or more, or 'bold'/'bolder'). */
function isBoldWeight(weight: unknown): boolean {
  if (typeof weight === 'number') return weight >= 600;
  if (typeof weight === 'string') return weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
  return false;
}

/** Width in pixels of `text` set in DejaVu Sans at `fontSizePx`. */
export function dejaVuTextWidth(text: string, fontSizePx: number, isBold = false): number {
  const ascii = isBold ? BOLD_ASCII : REGULAR_ASCII;
  const extra = isBold ? BOLD_EXTRA : REGULAR_EXTRA;
  const fallback = isBold ? FALLBACK_BOLD : FALLBACK_REGULAR;
  let units = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? ascii[code - 32]! : (extra[character] ?? fallback);
  }
  return (units * fontSizePx) / 1000;
}

/**
 * A replacement for vega's `textMetrics.width(item, text)`: measures one line of a text mark
 * item (its `fontSize`, default 11 px, and `fontWeight`). The line is measured as given.
 */
export function vegaTextWidth(item: { fontSize?: number | null; fontWeight?: unknown; text?: unknown }, text?: unknown): number {
  const fontSize = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const line = String(text ?? (Array.isArray(item.text) ? item.text[0] : item.text) ?? '').trim();
  return dejaVuTextWidth(line, fontSize, isBoldWeight(item.fontWeight));
}
