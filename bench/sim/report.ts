import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

/** One experiment's output: Markdown for the terminal and for docs/scale.md, and its charts. */
export interface Section {
  /** Names the block in docs/scale.md: between `<!-- sim:id -->` and `<!-- /sim:id -->`. */
  readonly id: string
  /** Tables and notes, ending with the command that made them. */
  readonly markdown: string
  readonly charts: ReadonlyArray<{ readonly file: string, readonly svg: string }>
}

/**
 * Replaces each section's block in the document (the prose around the
 * blocks is written by hand) and writes its charts beside it, linked from
 * the block. A block the document lacks is an error: the sections belong
 * where the prose discusses them.
 */
export function writeSections (docPath: string, sections: readonly Section[]): void {
  let doc = readFileSync(docPath, 'utf8')
  const chartDir = join(dirname(docPath), 'scale')
  mkdirSync(chartDir, { recursive: true })
  for (const section of sections) {
    const open = `<!-- sim:${section.id} -->`
    const close = `<!-- /sim:${section.id} -->`
    const start = doc.indexOf(open)
    const end = doc.indexOf(close)
    if (start < 0 || end < start) throw new Error(`${docPath} has no block ${open} … ${close}`)
    const images: string[] = []
    for (const chart of section.charts) {
      const path = join(chartDir, chart.file)
      writeFileSync(path, chart.svg)
      images.push(`![${chart.file}](${relative(dirname(docPath), path)})`)
    }
    const body = [section.markdown.trim(), ...images].join('\n\n')
    doc = `${doc.slice(0, start + open.length)}\n${body}\n${doc.slice(end)}`
  }
  writeFileSync(docPath, doc)
}

/** The command line that reproduces a section. */
export function commandLine (args: readonly string[]): string {
  return `\`npm run sim -- ${args.join(' ')}\``
}

/** A number rounded for a table: `digits` decimals, or an en dash for nothing. */
export function fixed (v: number | undefined, digits = 2): string {
  return v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits)
}
