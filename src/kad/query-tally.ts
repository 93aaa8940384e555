import type { QueryEvent } from '@libp2p/kad-dht'

/**
 * What one kad-dht operation cost, counted from its query events: every
 * request kad-dht sends (one new stream each) is a SEND_QUERY event, every
 * answer a PEER_RESPONSE and every failed request a QUERY_ERROR.
 */
export interface QueryCost {
  /** Requests sent (FIND_NODE, GET_VALUE, PUT_VALUE, including corrections). */
  readonly messages: number
  /** Distinct peers sent at least one request. */
  readonly queried: number
  /** Requests answered. */
  readonly responses: number
  /** Requests that failed (dial errors, timeouts, refused records). */
  readonly errors: number
}

/** Counts the query events of one operation as they pass. */
export class QueryTally {
  private messages = 0
  private responses = 0
  private errors = 0
  private readonly peers = new Set<string>()

  observe (event: QueryEvent): void {
    switch (event.name) {
      case 'SEND_QUERY':
        this.messages++
        this.peers.add(event.to.toString())
        break
      case 'PEER_RESPONSE':
        this.responses++
        break
      case 'QUERY_ERROR':
        this.errors++
        break
      default:
    }
  }

  get cost (): QueryCost {
    return { messages: this.messages, queried: this.peers.size, responses: this.responses, errors: this.errors }
  }
}
