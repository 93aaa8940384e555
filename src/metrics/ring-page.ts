/**
 * The ring page served at `/` beside `/metrics`: plain HTML, CSS and a
 * script drawing inline SVG, no build step. It polls `/api/ring` (a walk of
 * the ring from this peer) and draws every member on a circle at its ring
 * identifier, each arc coloured by the member that owns it, with key counts;
 * the selected member's fingers and successor list are drawn too. A failed
 * poll is shown, and the last picture stays, greyed.
 */
export const RING_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chordkv ring</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f7f8fa; }
  header { display: flex; gap: 1.5em; align-items: baseline; padding: .8em 1.2em; background: #1d2430; color: #fff; }
  header h1 { font-size: 1.1em; margin: 0; }
  #updated { margin-left: auto; opacity: .7; }
  #error { margin: .8em 1.2em; padding: .6em .9em; background: #fde8e8; border: 1px solid #e0a0a0; color: #8a1c1c; border-radius: 4px; }
  main { display: flex; flex-wrap: wrap; gap: 1em; padding: 1em 1.2em; }
  svg { width: min(92vw, 620px); height: auto; background: #fff; border: 1px solid #dde1e7; border-radius: 6px; }
  main.stale svg, main.stale aside { opacity: .45; }
  aside { flex: 1; min-width: 300px; background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: .8em 1em; }
  aside h2 { font-size: 1em; margin: 0 0 .5em; word-break: break-all; }
  aside table { border-collapse: collapse; width: 100%; }
  aside td { padding: .15em .4em; vertical-align: top; word-break: break-all; }
  aside td:first-child { color: #5b6573; white-space: nowrap; word-break: normal; }
  ol { margin: .2em 0; padding-left: 1.6em; font-family: ui-monospace, monospace; font-size: .92em; }
  li.mismatch { color: #b3261e; }
  #warnings { margin: 0 1.2em 1em; color: #8a5a00; }
  .member { cursor: pointer; pointer-events: bounding-box; }
  .member circle { stroke: #1d2430; stroke-width: 1.5; }
  .member.selected circle { stroke-width: 4; }
  .member text { font-size: 11px; fill: #1d2430; }
  .arc { fill: none; stroke-width: 16; }
  .finger { stroke: #3b6fd8; stroke-width: 1.2; opacity: .8; }
  .successor-link { stroke: #1e8e3e; stroke-width: 3; fill: none; }
</style>
</head>
<body>
<header><h1>chordkv ring</h1><span id="summary">loading…</span><span id="updated"></span></header>
<div id="error" role="alert" hidden></div>
<main id="main">
  <svg id="ring" viewBox="-310 -260 620 520" role="img" aria-label="ring members on the identifier circle"></svg>
  <aside id="details"><p>Select a member.</p></aside>
</main>
<ul id="warnings"></ul>
<script>
'use strict'
const SVG = 'http://www.w3.org/2000/svg'
const RADIUS = 190
const POLL_MS = 2000
const SPACE = 2n ** 256n
let selected = null
let lastView = null

/** Where an identifier (64 hex digits) lies on the circle, as a fraction of a turn from the top, clockwise. */
function turn (hex) {
  return Number((BigInt('0x' + hex) * 1000000n) / SPACE) / 1e6
}
function point (t, r) {
  const a = 2 * Math.PI * t
  return [r * Math.sin(a), -r * Math.cos(a)]
}
function el (name, attrs, parent) {
  const node = document.createElementNS(SVG, name)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
  if (parent) parent.appendChild(node)
  return node
}
function short (peer) { return '…' + peer.slice(-8) }
function hue (i, n) { return Math.round(360 * i / Math.max(n, 1)) }

/** An SVG arc clockwise from turn \`from\` to turn \`to\` at radius \`r\` (a whole turn when they are equal). */
function arcPath (from, to, r = RADIUS) {
  let span = to - from
  if (span <= 0) span += 1
  if (span >= 0.99999) span = 0.99999
  const [x0, y0] = point(from, r)
  const [x1, y1] = point(from + span, r)
  return 'M ' + x0 + ' ' + y0 + ' A ' + r + ' ' + r + ' 0 ' + (span > 0.5 ? 1 : 0) + ' 1 ' + x1 + ' ' + y1
}

function draw (view) {
  const svg = document.getElementById('ring')
  svg.replaceChildren()
  el('circle', { cx: 0, cy: 0, r: RADIUS, fill: 'none', stroke: '#dde1e7', 'stroke-width': 16 }, svg)
  const members = view.members
  const byPeer = new Map(members.map(m => [m.peerId, m]))
  if (selected === null || !byPeer.has(selected)) selected = view.from
  members.forEach((m, i) => {
    const before = members[(i - 1 + members.length) % members.length]
    const d = arcPath(turn(before.ringId), turn(m.ringId))
    const arc = el('path', { d, class: 'arc', stroke: 'hsl(' + hue(i, members.length) + ' 65% 62%)' }, svg)
    el('title', {}, arc).textContent = short(m.peerId) + ' owns ' + (m.share === null ? '?' : (m.share * 100).toFixed(1) + '%') + ' of the ring'
  })
  const sel = byPeer.get(selected)
  if (sel) {
    const [sx, sy] = point(turn(sel.ringId), RADIUS)
    for (const f of sel.fingers) {
      const [fx, fy] = point(turn(f.ringId), RADIUS)
      el('line', { x1: sx, y1: sy, x2: fx, y2: fy, class: 'finger', 'data-peer': f.peerId }, svg)
    }
    let from = turn(sel.ringId)
    for (const s of sel.successors) {
      el('path', { d: arcPath(from, turn(s.ringId), RADIUS - 24), class: 'successor-link', 'data-peer': s.peerId }, svg)
      from = turn(s.ringId)
    }
  }
  members.forEach((m, i) => {
    const t = turn(m.ringId)
    const [x, y] = point(t, RADIUS)
    const g = el('g', { class: 'member' + (m.peerId === selected ? ' selected' : ''), 'data-peer': m.peerId, tabindex: 0 }, svg)
    el('circle', { cx: x, cy: y, r: 8, fill: 'hsl(' + hue(i, members.length) + ' 65% 45%)' }, g)
    const [lx, ly] = point(t, RADIUS + 34)
    const label = el('text', { x: lx, y: ly, 'text-anchor': lx < -5 ? 'end' : lx > 5 ? 'start' : 'middle', 'dominant-baseline': 'middle' }, g)
    label.textContent = short(m.peerId)
    const keys = el('text', { x: lx, y: ly + 13, 'text-anchor': lx < -5 ? 'end' : lx > 5 ? 'start' : 'middle', 'dominant-baseline': 'middle' }, g)
    keys.textContent = m.keysOwned + ' / ' + m.keysReplicated + ' keys'
    el('title', {}, g).textContent = m.peerId
    g.addEventListener('click', () => { selected = m.peerId; render(lastView) })
    g.addEventListener('keydown', e => { if (e.key === 'Enter') { selected = m.peerId; render(lastView) } })
  })
  el('text', { x: 0, y: -6, 'text-anchor': 'middle', 'font-size': 28, fill: '#1d2430', id: 'member-count' }, svg).textContent = String(members.length)
  el('text', { x: 0, y: 18, 'text-anchor': 'middle', 'font-size': 12, fill: '#5b6573' }, svg).textContent = members.length === 1 ? 'member' : 'members'
}

function row (table, label, value) {
  const tr = table.insertRow()
  tr.insertCell().textContent = label
  tr.insertCell().textContent = value
}

function list (parent, title, className, nodes, expected) {
  const h = document.createElement('h3')
  h.style.fontSize = '.95em'
  h.style.margin = '.8em 0 .2em'
  h.textContent = title
  parent.appendChild(h)
  const ol = document.createElement('ol')
  ol.className = className
  nodes.forEach((n, i) => {
    const li = document.createElement('li')
    li.textContent = short(n.peerId) + '  ' + n.ringId.slice(0, 12) + '…'
    if (expected && expected[i] !== n.peerId) li.className = 'mismatch'
    ol.appendChild(li)
  })
  if (nodes.length === 0) ol.appendChild(document.createElement('li')).textContent = '(none)'
  parent.appendChild(ol)
}

function details (view) {
  const aside = document.getElementById('details')
  aside.replaceChildren()
  const m = view.members.find(x => x.peerId === selected)
  if (!m) return
  const h = document.createElement('h2')
  h.textContent = m.peerId
  aside.appendChild(h)
  const table = document.createElement('table')
  row(table, 'ring id', m.ringId)
  row(table, 'address', m.addrs.join(' '))
  row(table, 'version', m.version)
  row(table, 'state', m.state)
  row(table, 'owns', m.share === null ? '?' : (m.share * 100).toFixed(2) + '% of the ring')
  row(table, 'keys', m.keysOwned + ' owned, ' + m.keysReplicated + ' replicated, ' + m.tombstones + ' tombstones')
  row(table, 'predecessor', m.predecessor ? short(m.predecessor.peerId) : '(none)')
  aside.appendChild(table)
  const i = view.members.indexOf(m)
  const following = view.members.slice(i + 1).concat(view.members.slice(0, i)).map(x => x.peerId)
  list(aside, 'Successor list (' + m.successorList.matching + '/' + m.successorList.expected + ' match the ring)', 'successors', m.successors, following)
  list(aside, 'Fingers', 'fingers', m.fingers, null)
}

function render (view) {
  if (!view) return
  lastView = view
  draw(view)
  details(view)
  document.getElementById('summary').textContent = view.members.length + (view.members.length === 1 ? ' member' : ' members') +
    ' · walked from ' + short(view.from) + ' in ' + view.elapsedMs + ' ms · ' + (view.closed ? 'the walk closed' : 'the walk did NOT come back')
  const warnings = document.getElementById('warnings')
  warnings.replaceChildren(...view.warnings.map(w => { const li = document.createElement('li'); li.textContent = w; return li }))
}

function showError (message) {
  const box = document.getElementById('error')
  box.hidden = message === null
  box.textContent = message === null ? '' : message
  document.getElementById('main').classList.toggle('stale', message !== null)
}

async function poll () {
  try {
    const res = await fetch('api/ring', { cache: 'no-store' })
    const body = await res.json()
    if (!res.ok) throw new Error(body.error ? body.error.code + ': ' + body.error.message : 'HTTP ' + res.status)
    render(body)
    showError(null)
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString()
  } catch (err) {
    showError('Cannot walk the ring: ' + (err && err.message ? err.message : String(err)) + (lastView ? ' (showing the last walk)' : ''))
  } finally {
    setTimeout(poll, POLL_MS)
  }
}
poll()
</script>
</body>
</html>
`
