import { escape, formatValue } from './svg-chart.js'

/**
 * Line charts as hand-written SVG, for a quantity against a parameter (path
 * length against log2 N, timeouts against the fraction failed): one line per
 * series, with optional bars from a low to a high value at each point (a
 * percentile range) and dashed reference curves (what the paper predicts).
 */

export interface LinePoint {
  readonly x: number
  readonly y: number
  /** The bar's ends, e.g. the 1st and 99th percentiles. */
  readonly low?: number | undefined
  readonly high?: number | undefined
}

export interface LineSeries {
  readonly name: string
  readonly colour: string
  readonly points: readonly LinePoint[]
  /** Drawn dashed and without markers: a reference, not a measurement. */
  readonly reference?: boolean
}

export interface LineChartOptions {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly series: readonly LineSeries[]
  /** Tick labels for x values; the value itself by default. */
  readonly xTick?: (x: number) => string
}

const WIDTH = 640
const HEIGHT = 400
const MARGIN = { top: 60, right: 24, bottom: 48, left: 60 }

/** The whole chart: title, legend, axes with ticks, and the series. */
export function lineChart (options: LineChartOptions): string {
  const points = options.series.flatMap(s => s.points)
  const xs = [...new Set(points.map(p => p.x))].sort((a, b) => a - b)
  const xMin = xs[0] ?? 0
  const xMax = xs.at(-1) ?? 1
  const step = niceStep(Math.max(...points.map(p => p.high ?? p.y), 1e-9))
  const yMax = step * Math.ceil(Math.max(...points.map(p => p.high ?? p.y), 1e-9) / step)
  const w = WIDTH - MARGIN.left - MARGIN.right
  const h = HEIGHT - MARGIN.top - MARGIN.bottom
  const xAt = (x: number): number => MARGIN.left + (xMax === xMin ? w / 2 : ((x - xMin) / (xMax - xMin)) * w)
  const py = (y: number): number => MARGIN.top + h - (y / yMax) * h
  const tick = options.xTick ?? ((x: number) => (Number.isInteger(x) ? String(x) : formatValue(x)))
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(options.title)}</text>`
  ]
  options.series.forEach((s, i) => {
    const x = MARGIN.left + (i % 3) * 190
    const y = 32 + Math.floor(i / 3) * 14
    out.push(`<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${s.colour}" stroke-width="2"${s.reference === true ? ' stroke-dasharray="5,4"' : ''}/><text x="${x + 22}" y="${y + 4}" font-size="11">${escape(s.name)}</text>`)
  })
  for (let v = 0; v <= yMax + step / 2; v += step) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${py(v).toFixed(1)}" y2="${py(v).toFixed(1)}" stroke="#ddd"/>`)
    out.push(`<text x="${MARGIN.left - 6}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end" font-size="10">${formatValue(v)}</text>`)
  }
  for (const x of xs) out.push(`<text x="${xAt(x).toFixed(1)}" y="${MARGIN.top + h + 16}" text-anchor="middle" font-size="10">${escape(tick(x))}</text>`)
  out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + w}" y1="${MARGIN.top + h}" y2="${MARGIN.top + h}" stroke="#333"/>`)
  out.push(`<text x="${MARGIN.left + w / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="12">${escape(options.xLabel)}</text>`)
  out.push(`<text transform="translate(16,${MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escape(options.yLabel)}</text>`)
  const measured = options.series.filter(s => s.reference !== true)
  for (const s of options.series) {
    // Measured series sit a few pixels apart, so their bars do not hide each other.
    const shift = s.reference === true ? 0 : (measured.indexOf(s) - (measured.length - 1) / 2) * 5
    const px = (x: number): number => xAt(x) + shift
    const path = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')
    out.push(`<path d="${path}" fill="none" stroke="${s.colour}" stroke-width="2"${s.reference === true ? ' stroke-dasharray="5,4"' : ''}/>`)
    if (s.reference === true) continue
    for (const p of s.points) {
      if (p.low !== undefined && p.high !== undefined) {
        out.push(`<line x1="${px(p.x).toFixed(1)}" x2="${px(p.x).toFixed(1)}" y1="${py(p.low).toFixed(1)}" y2="${py(p.high).toFixed(1)}" stroke="${s.colour}" stroke-width="1"/>`)
        for (const end of [p.low, p.high]) out.push(`<line x1="${(px(p.x) - 4).toFixed(1)}" x2="${(px(p.x) + 4).toFixed(1)}" y1="${py(end).toFixed(1)}" y2="${py(end).toFixed(1)}" stroke="${s.colour}"/>`)
      }
      out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.colour}"><title>${escape(`${s.name}: ${formatValue(p.y)} at ${tick(p.x)}`)}</title></circle>`)
    }
  }
  out.push('</svg>')
  return out.join('\n') + '\n'
}

/** A step of 1, 2 or 5 times a power of ten that splits [0, max] into at most six. */
function niceStep (max: number): number {
  const rough = max / 6
  const power = 10 ** Math.floor(Math.log10(rough))
  return ([1, 2, 5, 10].find(m => m * power >= rough) ?? 10) * power
}
