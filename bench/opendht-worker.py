#!/usr/bin/python3
"""One OpenDHT measurement for bench/opendht.ts (npm run bench:opendht).

Starts N OpenDHT nodes in this process on loopback UDP (one DhtRunner each,
with its own threads; every node bootstraps to the first), waits until the
network has formed, runs the workload chordkv runs (bench/workload.ts: the
same keys and values from the same seed, put key i through node i mod N,
get it through node (i + ceil(N/2)) mod N, one operation at a time), and
measures RSS and idle CPU. Prints one JSON line on stdout.

Needs Debian's python3-opendht (2.4), which only /usr/bin/python3 imports.

  /usr/bin/python3 bench/opendht-worker.py --n 10 --keys 200 --seed 1
"""
import argparse
import ctypes
import gc
import hashlib
import json
import math
import re
import signal
import socket
import sys
import threading
import time

import opendht

# OpenDHT's bucket size (and the number of nodes a value is stored on).
BUCKET = 8
OP_TIMEOUT_S = 30


def workload(seed, count):
    """Key i and value i exactly as bench/workload.ts derives them."""
    def digest(s):
        return hashlib.sha256(s.encode()).digest()
    return [(digest(f'{seed}:key:{i}')[:16],
             (digest(f'{seed}:value:{i}:a') + digest(f'{seed}:value:{i}:b') + digest(f'{seed}:value:{i}:c'))[:80])
            for i in range(count)]


def info_hash(key):
    """The 160-bit OpenDHT key of a key: SHA-1 of its bytes, as InfoHash::get hashes."""
    return opendht.InfoHash(hashlib.sha1(key).hexdigest().encode())


def proc_status(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise KeyError(field)


def rss_mib():
    gc.collect()
    return proc_status('VmRSS') / 1024


def percentile(values, p):
    """Nearest rank, as percentile() in bench/stats.ts."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def latencies(values):
    return {'p50': percentile(values, 50), 'p95': percentile(values, 95), 'p99': percentile(values, 99), 'ok': len(values)}


def known_nodes(node):
    return len(re.findall(r'^\s*Node ', node.getRoutingTablesLog(socket.AF_INET), re.M))


def idle(nodes, ms):
    """Process CPU (all threads) over `ms` of idleness as % of one core, and requests each node sent per second."""
    for node in nodes:
        node.getNodeMessageStats()  # reads and resets the node's counts of requests sent
    t0, c0 = time.perf_counter(), time.process_time()
    time.sleep(ms / 1000)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    sent = sum(sum(node.getNodeMessageStats()) for node in nodes)
    return cpu / elapsed * 100, sent / len(nodes) / elapsed


class Waiter:
    """What a callback on a node's thread hands back: the time it ran (so the wake-up is not timed) and its result."""

    def __init__(self):
        self.event = threading.Event()
        self.at = None
        self.result = None

    def set(self, result):
        self.at = time.perf_counter()
        self.result = result
        self.event.set()

    def wait(self, what):
        if not self.event.wait(OP_TIMEOUT_S):
            raise TimeoutError(f'{what} did not finish within {OP_TIMEOUT_S} s')
        return self.result


def put(node, key, value):
    """Time (ms) from the call until the put is done, and whether it succeeded."""
    done = Waiter()
    started = time.perf_counter()
    node.put(key, opendht.Value(value), done_cb=lambda ok, nodes: done.set(ok))
    ok = done.wait('put')
    return (done.at - started) * 1000, ok


def get(node, key, value):
    """Time (ms) from the call until the value arrives (the search is then stopped) or, when it never does, until the search ends; and whether it arrived."""
    found, done = Waiter(), Waiter()

    def on_value(v):
        if v.data != value:
            return True
        found.set(True)
        return False  # stops the search

    started = time.perf_counter()
    node.get(key, get_cb=on_value, done_cb=lambda ok, nodes: done.set(ok))
    done.wait('get')
    return ((found.at if found.at is not None else done.at) - started) * 1000, found.at is not None


def start_network(n, timeout_s):
    """N nodes on loopback, each bootstrapped to the first.

    Returns the nodes and two times (ms after the start): when every node
    served, that is a probe value put through the first node was got through
    every node, and when the network formed: every node's routing table lists
    at least min(N-1, 8) nodes.
    """
    t0 = time.perf_counter()
    deadline = time.monotonic() + timeout_s

    def waiting(what):
        if time.monotonic() > deadline:
            raise TimeoutError(f'{what} within {timeout_s} s')
        time.sleep(0.02)

    nodes = []
    for _ in range(n):
        node = opendht.DhtRunner()
        node.run(port=0, ipv4='127.0.0.1')
        nodes.append(node)
    port = str(nodes[0].getBound().getPort())
    for node in nodes[1:]:
        node.bootstrap('127.0.0.1', port)

    probe = (info_hash(b'probe'), b'probe')
    stored = False
    unserved = nodes
    while True:
        stored = stored or put(nodes[0], *probe)[1]
        if stored:
            unserved = [node for node in unserved if not get(node, *probe)[1]]
        if not unserved:
            break
        waiting(f'{len(unserved)} nodes did not serve the probe value')
    serving_ms = (time.perf_counter() - t0) * 1000
    while min(known_nodes(node) for node in nodes) < min(n - 1, BUCKET):
        waiting('the routing tables did not fill')
    return nodes, serving_ms, (time.perf_counter() - t0) * 1000


def measure(n, seed, keys, idle_ms, settle_ms):
    rss_before = rss_mib()
    nodes, serving_ms, form_ms = start_network(n, 180)
    print(f'opendht N={n}: every node served after {serving_ms / 1000:.1f} s, formed in {form_ms / 1000:.1f} s', file=sys.stderr)
    time.sleep(settle_ms / 1000)
    idle_cpu_formed, _ = idle(nodes, idle_ms)

    work = [(info_hash(key), value) for key, value in workload(seed, keys)]
    put_ms = []
    for i, (key, value) in enumerate(work):
        try:
            ms, ok = put(nodes[i % n], key, value)
        except TimeoutError as err:
            print(f'put {i}: {err}', file=sys.stderr)
            continue
        if ok:
            put_ms.append(ms)
        else:
            print(f'put {i} failed', file=sys.stderr)
    get_ms, get_correct = [], 0
    for i, (key, value) in enumerate(work):
        try:
            ms, found = get(nodes[(i + math.ceil(n / 2)) % n], key, value)
        except TimeoutError as err:
            print(f'get {i}: {err}', file=sys.stderr)
            continue
        get_ms.append(ms)
        get_correct += found
    print(f'opendht N={n}: operations done', file=sys.stderr)

    time.sleep(settle_ms / 1000)
    rss_after = rss_mib()
    idle_cpu, idle_requests = idle(nodes, idle_ms)
    threads = proc_status('Threads')
    for node in nodes:
        node.join()
    return {
        'system': 'opendht',
        'n': n,
        'keys': keys,
        'servingMs': serving_ms,
        'formMs': form_ms,
        'put': latencies(put_ms),
        'get': latencies(get_ms),
        'getCorrect': get_correct,
        'rssPerPeerMiB': (rss_after - rss_before) / n,
        'rssTotalMiB': rss_after,
        'idleCpuFormedPct': idle_cpu_formed,
        'idleCpuPct': idle_cpu,
        'idleRequestsPerPeerPerS': idle_requests,
        'processes': 1,
        'threads': threads,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--n', type=int, required=True)
    parser.add_argument('--seed', default='chordkv')
    parser.add_argument('--keys', type=int, default=200)
    parser.add_argument('--idle-ms', type=int, default=10000)
    parser.add_argument('--settle-ms', type=int, default=2000)
    args = parser.parse_args()
    # Die with the coordinator, however it ends (PR_SET_PDEATHSIG = 1).
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    report = measure(args.n, args.seed, args.keys, args.idle_ms, args.settle_ms)
    print(json.dumps(report), flush=True)


if __name__ == '__main__':
    main()
