import { BaseDatastore } from 'datastore-core'
import { Key, type KeyQuery, type Pair, type Query } from 'interface-datastore'
import { NotFoundError } from 'interface-store'
import { Level } from 'level'

/**
 * A libp2p datastore in LevelDB, so a kad-mode peer started with
 * `--storage leveldb` keeps what libp2p keeps there — the DHT records it
 * holds and its peer store (from which kad-dht refills the routing table on
 * restart) — across restarts. Keys are the datastore keys as text.
 */
export class LevelDatastore extends BaseDatastore {
  private readonly db: Level<string, Uint8Array>

  private constructor (db: Level<string, Uint8Array>) {
    super()
    this.db = db
  }

  /** Opens (creating if needed) the datastore in `dir`. */
  static async open (dir: string): Promise<LevelDatastore> {
    const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    return new LevelDatastore(db)
  }

  override async put (key: Key, value: Uint8Array): Promise<Key> {
    await this.db.put(key.toString(), value)
    return key
  }

  override async get (key: Key): Promise<Uint8Array> {
    const value = await this.db.get(key.toString())
    if (value === undefined) throw new NotFoundError(`no value under ${key.toString()}`)
    return value
  }

  override async has (key: Key): Promise<boolean> {
    return (await this.db.get(key.toString())) !== undefined
  }

  override async delete (key: Key): Promise<void> {
    await this.db.del(key.toString())
  }

  override async * _all (q: Query): AsyncGenerator<Pair> {
    for await (const [key, value] of this.db.iterator(rangeOf(q.prefix))) yield { key: new Key(key, false), value }
  }

  override async * _allKeys (q: KeyQuery): AsyncGenerator<Key> {
    for await (const key of this.db.keys(rangeOf(q.prefix))) yield new Key(key, false)
  }

  async close (): Promise<void> {
    await this.db.close()
  }
}

/** The LevelDB range holding every key that starts with `prefix` (the base class filters again). */
function rangeOf (prefix: string | undefined): { gte?: string, lt?: string } {
  return prefix === undefined || prefix === '' ? {} : { gte: prefix, lt: `${prefix}\uffff` }
}
