import assert from 'node:assert/strict'
import { test } from 'node:test'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { BootstrapDialer, resolveEntries, resolveEntry, type DialerComponents, type HostResolver } from '../src/bootstrap.js'

/** A resolver over a fixed table of names, recording what it was asked. */
function fakeResolver (table: Record<string, readonly string[]>): { resolve: HostResolver, asked: string[] } {
  const asked: string[] = []
  const resolve: HostResolver = async (host, family) => {
    asked.push(`${host}/${family}`)
    const all = table[host]
    if (all === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
    return all.filter(a => family === 0 || (family === 6) === a.includes(':'))
  }
  return { resolve, asked }
}

const PEER = '12D3KooWJ4AP21bkZBcVxdmfoyYiTwSrE2nhVJ9ZvrkSm6chTzLb'
const text = (list: ReadonlyArray<{ addr: Multiaddr, name?: string }>): string[] => list.map(a => `${a.addr.toString()}${a.name === undefined ? '' : ` from ${a.name}`}`)

test('a /dns4 name stands for every IPv4 address it has, each an entry of its own with the port; /dns6 and /dns alike', async () => {
  const { resolve, asked } = fakeResolver({ 'tasks.peer': ['10.0.1.3', '10.0.1.5', '10.0.1.4', 'fd00::7'] })
  assert.deepEqual(text(await resolveEntry(multiaddr('/dns4/tasks.peer/tcp/4001'), resolve)), [
    '/ip4/10.0.1.3/tcp/4001 from /dns4/tasks.peer/tcp/4001',
    '/ip4/10.0.1.5/tcp/4001 from /dns4/tasks.peer/tcp/4001',
    '/ip4/10.0.1.4/tcp/4001 from /dns4/tasks.peer/tcp/4001'
  ])
  assert.deepEqual(text(await resolveEntry(multiaddr('/dns6/tasks.peer/tcp/4001'), resolve)), ['/ip6/fd00::7/tcp/4001 from /dns6/tasks.peer/tcp/4001'])
  assert.equal((await resolveEntry(multiaddr('/dns/tasks.peer/tcp/9'), resolve)).length, 4)
  assert.deepEqual(asked, ['tasks.peer/4', 'tasks.peer/6', 'tasks.peer/0'])
})

test('an entry that names its peer, an IP address, and a name that does not resolve are dialled as given', async () => {
  const { resolve, asked } = fakeResolver({ 'chordkv-1': ['10.0.0.2', '10.0.0.3'] })
  const entries = [`/dns4/chordkv-1/tcp/4001/p2p/${PEER}`, '/ip4/127.0.0.1/tcp/4001', '/dns4/nowhere/tcp/4001']
  assert.deepEqual(text(await resolveEntries(entries.map(e => multiaddr(e)), resolve)), [
    `/dns4/chordkv-1/tcp/4001/p2p/${PEER}`,
    '/ip4/127.0.0.1/tcp/4001',
    '/dns4/nowhere/tcp/4001 from /dns4/nowhere/tcp/4001'
  ])
  assert.deepEqual(asked, ['nowhere/4'])
})

test('the entries keep their order, each name\'s addresses in its place, an address listed twice once', async () => {
  const { resolve } = fakeResolver({ a: ['10.0.0.1', '10.0.0.1', '10.0.0.2'], b: ['10.0.0.3'] })
  const found = await resolveEntries(['/dns4/a/tcp/1', '/ip4/10.9.9.9/tcp/2', '/dns4/b/tcp/3'].map(e => multiaddr(e)), resolve)
  assert.deepEqual(found.map(a => a.addr.toString()), ['/ip4/10.0.0.1/tcp/1', '/ip4/10.0.0.2/tcp/1', '/ip4/10.9.9.9/tcp/2', '/ip4/10.0.0.3/tcp/3'])
})

test('one of a name\'s addresses that a listener of this peer has is this peer\'s own, also when the peer announces a name', async () => {
  const self = peerIdFromString(PEER)
  const components = {
    peerId: self,
    addressManager: {
      getAddresses: () => [multiaddr(`/dns4/peer-1/tcp/4001/p2p/${PEER}`)],
      getAnnounceAddrs: () => [multiaddr('/dns4/peer-1/tcp/4001')],
      getListenAddrs: () => [multiaddr('/ip4/0.0.0.0/tcp/4001')]
    },
    // A wildcard listener's addresses, one per interface.
    transportManager: { getAddrs: () => [multiaddr('/ip4/127.0.0.1/tcp/4001'), multiaddr('/ip4/10.0.1.3/tcp/4001')] }
  } as unknown as DialerComponents
  const { resolve } = fakeResolver({ 'tasks.peer': ['10.0.1.3', '10.0.1.4'] })
  const dialer = new BootstrapDialer(components, 1000, resolve)
  const addrs = await dialer.addresses([multiaddr('/dns4/tasks.peer/tcp/4001')])
  assert.deepEqual(addrs.map(a => dialer.isOwnAddress(a.addr)), [true, false])
  assert.equal(dialer.isOwnAddress(multiaddr('/ip4/10.0.1.3/tcp/4002')), false, 'another port on the same host is another peer')
  assert.equal(await dialer.dial(addrs[0]?.addr as Multiaddr), 'self')
})
