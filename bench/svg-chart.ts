/**
 * Grouped bar charts as hand-written SVG: one panel per metric, one group
 * of bars per network size, one bar per series. Log scale when the values
 * span more than two orders of magnitude (chord and kad latencies do).
 */

export interface Panel {
  readonly title: string
  readonly unit: string
  /** Values by series name, in the order of `groups`. */
  readonly series: ReadonlyMap<string, ReadonlyArray<number | undefined>>
}

export interface ChartOptions {
  readonly title: string
  /** Group labels (x axis), e.g. "N = 10". */
  readonly groups: readonly string[]
  readonly panels: readonly Panel[]
  readonly colours: Readonly<Record<string, string>>
  /** Keep a linear scale however far the values spread (a distribution). */
  readonly linear?: boolean
}

const PANEL_W = 420
const PANEL_H = 240
const MARGIN = { top: 34, right: 16, bottom: 36, left: 56 }
const COLUMNS = 2

/** Text made safe for SVG. */
export function escape (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A value with as many digits as its size deserves. */
export function formatValue (v: number): string {
  if (v >= 100) return v.toFixed(0)
  if (v >= 10) return v.toFixed(1)
  if (v >= 1) return v.toFixed(2)
  return v.toPrecision(2)
}

function panelSvg (panel: Panel, groups: readonly string[], colours: Readonly<Record<string, string>>, x0: number, y0: number, linear = false): string {
  const w = PANEL_W - MARGIN.left - MARGIN.right
  const h = PANEL_H - MARGIN.top - MARGIN.bottom
  const names = [...panel.series.keys()]
  const values = [...panel.series.values()].flat().filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0)
  const max = Math.max(...values, 1e-9)
  const min = Math.min(...values, max)
  const log = !linear && max / min > 100
  const lo = log ? 10 ** Math.floor(Math.log10(min)) : 0
  const hi = log ? 10 ** Math.ceil(Math.log10(max)) : max * 1.15
  const y = (v: number): number => {
    const f = log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : v / hi
    return MARGIN.top + h - f * h
  }
  const out: string[] = [`<g transform="translate(${x0},${y0})">`]
  out.push(`<text x="${PANEL_W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${escape(panel.title)} (${escape(panel.unit)}${log ? ', log scale' : ''})</text>`)
  // axis ticks
  const ticks: number[] = []
  if (log) for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t)
  else for (let i = 0; i <= 4; i++) ticks.push(hi * i / 4)
  for (const t of ticks) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/>`)
    out.push(`<text x="${MARGIN.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="10">${formatValue(t)}</text>`)
  }
  out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${MARGIN.top + h}" y2="${MARGIN.top + h}" stroke="#333"/>`)
  const groupW = w / groups.length
  const barW = Math.min(36, (groupW * 0.8) / names.length)
  groups.forEach((group, g) => {
    const gx = MARGIN.left + g * groupW + (groupW - barW * names.length) / 2
    names.forEach((name, s) => {
      const v = panel.series.get(name)?.[g]
      if (v === undefined || !Number.isFinite(v)) return
      const top = y(v)
      const x = gx + s * barW
      out.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(MARGIN.top + h - top).toFixed(1)}" fill="${colours[name] ?? '#888'}"><title>${escape(`${name}, ${group}: ${formatValue(v)} ${panel.unit}`)}</title></rect>`)
      out.push(`<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle" font-size="9">${formatValue(v)}</text>`)
    })
    out.push(`<text x="${(MARGIN.left + g * groupW + groupW / 2).toFixed(1)}" y="${MARGIN.top + h + 16}" text-anchor="middle" font-size="11">${escape(group)}</text>`)
  })
  out.push('</g>')
  return out.join('\n')
}

/** The whole chart: a title, a legend and the panels in two columns. */
export function barChart (options: ChartOptions): string {
  const rows = Math.ceil(options.panels.length / COLUMNS)
  const width = PANEL_W * COLUMNS
  const height = 56 + rows * PANEL_H
  const names = [...new Set(options.panels.flatMap(p => [...p.series.keys()]))]
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(options.title)}</text>`
  ]
  names.forEach((name, i) => {
    const x = 20 + i * 150
    out.push(`<rect x="${x}" y="34" width="12" height="12" fill="${options.colours[name] ?? '#888'}"/><text x="${x + 16}" y="44" font-size="12">${escape(name)}</text>`)
  })
  options.panels.forEach((panel, i) => {
    out.push(panelSvg(panel, options.groups, options.colours, (i % COLUMNS) * PANEL_W, 56 + Math.floor(i / COLUMNS) * PANEL_H, options.linear))
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}
