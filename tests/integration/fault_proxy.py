#!/usr/bin/env python3
"""A loopback HTTP/1.1 proxy that breaks requests at random, for the sync's
network-fault test (tests/integration/sync_faults.sh; docs/reliability.md).

    fault_proxy.py UPSTREAM_PORT STATS_FILE [--seed N] [--fault-rate P] [--faults A,B,...]

Listens on 127.0.0.1 (a free port, printed as "listening on 127.0.0.1:PORT")
and forwards each request to 127.0.0.1:UPSTREAM_PORT on a connection of its
own. With probability P (default 0.5) a request meets one fault:

  delay      held 50-600 ms before it is forwarded (two devices syncing at
             once then reach the server in another order than they sent)
  drop       the client's connection is reset before anything is forwarded
  truncate   half the request goes to the server, then both sides are reset
  lose       the server gets and answers the whole request; the client's
             connection is reset before the answer (the server applied it)
  cut        half the answer reaches the client, then its connection closes
  duplicate  the request is sent to the server twice; the client gets the
             second answer (a replay must change nothing)

The counts of requests and of each fault go to STATS_FILE as JSON after every
request. --faults limits the faults drawn to those named. Stops on SIGTERM.
"""
import asyncio
import json
import os
import random
import signal
import socket
import struct
import sys

FAULTS = ["delay", "drop", "truncate", "lose", "cut", "duplicate"]


async def read_message(reader):
    """One HTTP/1.1 message (headers + Content-Length body) as bytes, or
    None at a clean end of stream."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = await reader.read(65536)
        if not chunk:
            return None if not head else head
        head += chunk
    header_end = head.index(b"\r\n\r\n") + 4
    length = 0
    for line in head[:header_end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        if name.strip().lower() == b"transfer-encoding":
            raise ValueError("chunked messages are not supported by this proxy")
    body = head[header_end:]
    while len(body) < length:
        chunk = await reader.read(length - len(body))
        if not chunk:
            break
        body += chunk
    return head[:header_end] + body


def reset(writer):
    """Closes with RST, not FIN: what a dropped connection looks like."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.close()


class Proxy:
    def __init__(self, upstream_port, stats_file, rng, rate, faults):
        self.faults = faults
        self.upstream_port = upstream_port
        self.stats_file = stats_file
        self.rng = rng
        self.rate = rate
        self.stats = {"requests": 0, "faulty": 0, **{f: 0 for f in FAULTS}}

    def save(self):
        with open(self.stats_file + ".tmp", "w") as f:
            json.dump(self.stats, f)
        os.replace(self.stats_file + ".tmp", self.stats_file)

    async def upstream(self, request, partial=False):
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            if partial:
                writer.write(request[: len(request) // 2])
                await writer.drain()
                reset(writer)
                return None
            writer.write(request)
            await writer.drain()
            return await read_message(reader)
        finally:
            if not writer.is_closing():
                writer.close()

    async def handle(self, reader, writer):
        try:
            while True:
                request = await read_message(reader)
                if request is None:
                    break
                self.stats["requests"] += 1
                fault = self.rng.choice(self.faults) if self.rng.random() < self.rate else None
                if fault:
                    self.stats["faulty"] += 1
                    self.stats[fault] += 1
                self.save()
                if fault == "drop":
                    reset(writer)
                    return
                if fault == "truncate":
                    await self.upstream(request, partial=True)
                    reset(writer)
                    return
                if fault == "delay":
                    await asyncio.sleep(self.rng.uniform(0.05, 0.6))
                answer = await self.upstream(request)
                if fault == "duplicate":
                    answer = await self.upstream(request)
                if answer is None:
                    reset(writer)
                    return
                if fault == "lose":
                    reset(writer)
                    return
                if fault == "cut":
                    writer.write(answer[: len(answer) // 2])
                    await writer.drain()
                    writer.close()
                    return
                writer.write(answer)
                await writer.drain()
        except (ConnectionError, ValueError, asyncio.IncompleteReadError):
            reset(writer)
        finally:
            if not writer.is_closing():
                writer.close()


async def main():
    upstream_port, stats_file = int(sys.argv[1]), sys.argv[2]
    seed, rate, faults = None, 0.5, FAULTS
    args = sys.argv[3:]
    while args:
        flag, value, args = args[0], args[1], args[2:]
        if flag == "--seed":
            seed = int(value)
        elif flag == "--fault-rate":
            rate = float(value)
        elif flag == "--faults":
            faults = value.split(",")
            if not faults or any(f not in FAULTS for f in faults):
                sys.exit(f"fault_proxy: --faults takes some of {','.join(FAULTS)}")
        else:
            sys.exit(f"fault_proxy: unknown flag {flag}")
    rng = random.Random(seed)
    proxy = Proxy(upstream_port, stats_file, rng, rate, faults)
    proxy.save()
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{port} (seed {seed})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
