"""A lean HTTP/1.1 load generator over raw asyncio sockets, run as its own process.

Closed loop (`--concurrency N`): N keep-alive connections each send the next request as soon as
the previous answer arrives, measuring sustained throughput. Open loop (`--rate R`): requests
start on a fixed schedule whatever the server does, measuring latency at that load. Prints one
JSON object: count, errors, seconds, per_second, p50_ms, p99_ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from bot.bench.requests import REQUEST_KINDS


class Connection:
    """One keep-alive connection sending prepared requests."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> int:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(raw)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def closed_loop(
    host: str, port: int, make: Callable[[int], bytes], *, concurrency: int, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    counter = 0
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors, counter
        connection = Connection(host, port)
        while time.perf_counter() < stop:
            counter += 1
            raw = make(counter)
            started = time.perf_counter()
            try:
                ok = await connection.send(raw) == 200
            except (OSError, asyncio.IncompleteReadError):
                ok, connection = False, Connection(host, port)
            latencies.append(time.perf_counter() - started)
            errors += 0 if ok else 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors


async def open_loop(
    host: str, port: int, make: Callable[[int], bytes], *, rate: float, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    idle: list[Connection] = []

    async def one(n: int, due: float) -> None:
        nonlocal errors
        connection = idle.pop() if idle else Connection(host, port)
        try:
            ok = await connection.send(make(n)) == 200
            idle.append(connection)
        except (OSError, asyncio.IncompleteReadError):
            ok = False
        # Latency counts from when the request was due, so a lagging client cannot hide queueing.
        latencies.append(time.perf_counter() - due)
        errors += 0 if ok else 1

    start = time.perf_counter()
    tasks = []
    total = int(rate * seconds)
    for n in range(total):
        due = start + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n, due)))
    await asyncio.gather(*tasks)
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--kind", choices=sorted(REQUEST_KINDS), default="web")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--option", action="append", default=[], help="KEY=VALUE for the kind")
    args = parser.parse_args()
    parts = urlsplit(args.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    options = dict(o.split("=", 1) for o in args.option)
    make = REQUEST_KINDS[args.kind](host, options)
    started = time.perf_counter()
    if args.rate:
        latencies, errors = asyncio.run(
            open_loop(host, port, make, rate=args.rate, seconds=args.seconds)
        )
    else:
        latencies, errors = asyncio.run(
            closed_loop(host, port, make, concurrency=args.concurrency or 32, seconds=args.seconds)
        )
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "count": len(latencies),
                "errors": errors,
                "seconds": round(elapsed, 2),
                "per_second": round(len(latencies) / elapsed, 1),
                "p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else 0,
                "p99_ms": round(_percentile(latencies, 0.99) * 1000, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
