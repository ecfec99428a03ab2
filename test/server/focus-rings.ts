/// <reference lib="dom" />
import type { Page } from 'playwright-core';

/**
 * axe-core does not judge focus indicators, so this walks the page with Tab as a keyboard user
 * does and reads, at every stop, the ring chromium draws (:focus-visible) and the colour right
 * outside it (WCAG 1.4.11 asks 3:1 between the two).
 */
export interface FocusStop {
  element: string;
  outline: { style: string; width: number; color: string };
  behind: string;
  contrast: number;
}

const MAX_STOPS = 120;

export async function focusStops(page: Page): Promise<FocusStop[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const stops: FocusStop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < MAX_STOPS; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(readStop);
    if (!stop || seen.has(stop.key)) break;
    seen.add(stop.key);
    stops.push({ element: stop.element, outline: stop.outline, behind: stop.behind, contrast: contrastRatio(stop.outline.color, stop.behind) });
  }
  return stops;
}

/** In the page: the focused element's ring, and the first opaque background just outside it. */
function readStop(): { key: string; element: string; outline: FocusStop['outline']; behind: string } | null {
  const el = document.activeElement as HTMLElement | null;
  if (!el || el === document.body) return null;
  if (!el.dataset.focusStop) el.dataset.focusStop = String(document.querySelectorAll('[data-focus-stop]').length);
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth) || 0;
  const offset = parseFloat(style.outlineOffset) || 0;
  const rect = el.getBoundingClientRect();
  const y = rect.top + rect.height / 2;
  const left = rect.left - offset - width - 1;
  const x = left >= 0 ? left : rect.right + offset + width + 1;
  const under = document.elementsFromPoint(x, y).filter((e) => e !== el && !el.contains(e));
  const opaque = under.map((e) => getComputedStyle(e).backgroundColor).find((c) => !/rgba\(.*, 0\)$|transparent/.test(c));
  const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent || el.getAttribute('aria-label') || (el as HTMLInputElement).name || '').trim().slice(0, 30)}"`;
  return { key: el.dataset.focusStop, element: name, outline: { style: style.outlineStyle, width, color: style.outlineColor }, behind: opaque ?? getComputedStyle(document.documentElement).backgroundColor };
}

/** WCAG's contrast ratio of two computed CSS colours (rgb()/rgba(), the alpha over white). */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(rgb(a)), luminance(rgb(b))].sort((x, y) => y - x);
  return Math.round(((la + 0.05) / (lb + 0.05)) * 100) / 100;
}

function rgb(css: string): [number, number, number] {
  const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(css);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  const alpha = m[4] === undefined ? 1 : Number(m[4]);
  return [m[1], m[2], m[3]].map((v) => Number(v) * alpha + 255 * (1 - alpha)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const [R, G, B] = [r, g, b].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * R + 0.7152 * G + 0.0722 * B;
}
