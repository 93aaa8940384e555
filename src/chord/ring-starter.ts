import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { BootstrapDialer, peerIdIn, UnresolvedEntries, type DialerComponents } from '../bootstrap.js'
import { START } from '../defaults.js'
import { explainDialFailure } from '../swarm-key.js'
import { joinOrFound, type KnownPeer } from './join-or-found.js'
import { RememberedMembers } from './remembered-members.js'
import type { ChordNode } from './node.js'
import type { PeerDirectory } from '../network/peer-directory.js'
import type { Clock } from '../node/clock.js'
import type { MemberStore } from '../node/member-book.js'
import type { ChordTransport } from '../protocol/ports.js'
import type { NodeRef } from '../ring/node-ref.js'
import type { Logger } from '@libp2p/interface'

export interface RingStarterComponents {
  /** The libp2p components bootstrap entries are dialled with. */
  readonly libp2p: DialerComponents
  readonly node: ChordNode
  readonly directory: PeerDirectory
  readonly transport: Pick<ChordTransport, 'getState'>
  readonly clock: Clock
  readonly log: Logger
  /** Whether the peer is still running (it may be stopped while starting). */
  running (): boolean
  /** The peer became a ring member: it joined through `via`, or founded a ring (`why`). */
  joined (how: { via?: string, why?: string }): void
  /** A join round failed; another follows after `retryInMs`. */
  joinFailed (error: Error, retryInMs: number): void
}

export interface RingStarterInit {
  /** Multiaddrs of ring members to join through. @default none */
  readonly bootstrap: readonly Multiaddr[]
  /** How long to try the known peers before founding a ring (ms). @default 15 s */
  readonly foundAfterMs: number
  /** First and longest wait between join rounds (ms). @default 1 s, 30 s */
  readonly joinRetryMs: { readonly initial: number, readonly max: number }
  /** Remembered members are written at most this often (ms). @default 10 s */
  readonly memberSaveIntervalMs: number
  readonly dialTimeoutMs: number
  /** Where remembered members persist between runs. @default in memory only */
  readonly memberStore?: MemberStore | undefined
}

type BootstrapEntry = KnownPeer & { readonly addr: Multiaddr }
type Remembered = KnownPeer & { readonly peer: string, readonly addrs: Multiaddr[] }
type Known = BootstrapEntry | Remembered

/**
 * How a chord peer comes into a ring and finds it again after a restart:
 * it dials its bootstrap entries (a name looked up anew every round) and
 * the members it remembers from earlier runs, joins a member's ring or
 * founds one when none is a member in time (join-or-found.ts), and puts
 * whatever it knew on the passive list, so a peer on another ring is found
 * by probing and the rings merge. While a member it remembers its
 * neighbours (remembered-members.ts).
 */
export class RingStarter {
  /** Ring members seen recently, remembered across restarts. */
  readonly members: RememberedMembers
  private readonly components: RingStarterComponents
  private readonly init: RingStarterInit
  private readonly dialer: BootstrapDialer
  /** Bootstrap entries without a peer ID not reached at start: dialled again in the background. */
  private readonly unresolved: UnresolvedEntries

  constructor (components: RingStarterComponents, init: RingStarterInit) {
    this.components = components
    this.init = init
    const { clock, log, node, directory } = components
    const onError = (what: string) => (err: unknown) => { log('%s failed: %s', what, (err as Error).message) }
    this.members = new RememberedMembers(init.memberStore, { capacity: START.rememberedMembers, saveIntervalMs: init.memberSaveIntervalMs }, clock, onError('saving remembered members'))
    this.dialer = new BootstrapDialer(components.libp2p, init.dialTimeoutMs)
    this.unresolved = new UnresolvedEntries(async addr => this.dialer.dial(addr), (peer, addr) => { node.merger.knowPeers([directory.learn(peer, [addr])]) },
      clock, { initialMs: init.joinRetryMs.initial, maxMs: init.joinRetryMs.max }, onError('dialling bootstrap entries'))
  }

  /** Reads the members an earlier run remembered. */
  async load (): Promise<void> {
    await this.members.load()
  }

  /** Stops the background work and writes the remembered members. */
  async stop (): Promise<void> {
    this.members.stop()
    this.unresolved.stop()
    await this.members.save()
  }

  /**
   * Joins the ring through the peers this peer knows, or founds one when
   * none is a member in time; then passes whatever it knew to the ring
   * merger and starts remembering members.
   */
  async start (): Promise<void> {
    const { node, directory, log } = this.components
    const self = node.self
    const remembered: Remembered[] = this.members.list().filter(m => m.peer !== self.peer)
      .map(m => ({ label: m.peer, peer: m.peer, addrs: m.addrs.flatMap(a => { try { return [multiaddr(a)] } catch { return [] } }) }))
    /** The bootstrap entries as last looked up: a name stands for every address it has now. */
    let fromBootstrap: BootstrapEntry[] = []
    const known = async (): Promise<Known[]> => {
      fromBootstrap = (await this.dialer.addresses(this.init.bootstrap)).map(({ addr, name }) => ({ label: addr.toString(), addr, peer: peerIdIn(addr), name }))
      return [...fromBootstrap, ...remembered]
    }
    const reached = await joinOrFound<Known>(known, {
      self,
      clock: this.components.clock,
      reach: async k => ('addr' in k ? this.reachBootstrap(k.addr) : directory.learn(k.peer, k.addrs)),
      getState: async n => this.components.transport.getState(n),
      join: async via => {
        const successor = await node.join(via)
        this.becameMember()
        log('joined the ring through %s; successor %s', via.peer, successor.peer)
        this.components.joined({ via: via.peer })
      },
      found: (why, allAnswered) => {
        // A peer that was in a ring, or whose known peers were out of reach, cannot vouch that a key it lacks is absent.
        node.create(allAnswered && remembered.length === 0)
        this.becameMember()
        log('founded a new ring: %s', why)
        this.components.joined({ why })
      },
      running: () => this.components.running(),
      waiting: (problems, retryInMs) => {
        const error = new Error(`could not join through any known peer (${problems.join('; ')})`)
        log('%s; retrying in %d ms', error.message, retryInMs)
        this.components.joinFailed(error, retryInMs)
      }
    }, { foundAfterMs: this.init.foundAfterMs, retry: { initialMs: this.init.joinRetryMs.initial, maxMs: this.init.joinRetryMs.max } })
    if (!this.components.running()) return
    const { merger } = node
    merger.knowPeers([...reached.values()])
    merger.knowPeers(remembered.filter(k => !reached.has(k.label)).map(k => directory.learn(k.peer, k.addrs)))
    const unresolved: Multiaddr[] = []
    for (const k of fromBootstrap.filter(k => !reached.has(k.label) && !this.dialer.isOwnAddress(k.addr))) {
      const peer = peerIdIn(k.addr)
      if (peer === undefined) unresolved.push(k.addr)
      else merger.knowPeers([directory.learn(peer, [k.addr])])
    }
    this.unresolved.start(unresolved)
  }

  /** Remembers the current neighbours as ring members. */
  noteMembers (): void {
    const { state } = this.components.node
    if (!state.joined) return
    this.members.note([...state.successors, ...(state.predecessor === undefined ? [] : [state.predecessor])], n => this.components.directory.addressesOf(n).map(a => a.toString()))
  }

  /** Dials a bootstrap entry and names the member behind it. */
  private async reachBootstrap (addr: Multiaddr): Promise<NodeRef | 'self'> {
    let peer
    try {
      peer = await this.dialer.dial(addr)
    } catch (err) {
      throw await explainDialFailure(err as Error, addr)
    }
    return peer === 'self' ? 'self' : this.components.directory.learn(peer, [addr])
  }

  private becameMember (): void {
    this.members.start()
    this.noteMembers()
  }
}
