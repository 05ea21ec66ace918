#!/usr/bin/env python3
"""Load driver for bench/mesh-abuse.sh: a well-behaved client and the abusive ones.

  mesh_abuse.py good HOST PORT SECONDS MAX_REQUESTS
      sequential GET /file over one keep-alive connection, then a new connection per 50th
      request (so a full port shows as failed connects); prints 'GOOD n p50_ms p99_ms errors'
  mesh_abuse.py abuse HOST TCP_PORT UDP_PORT SECONDS IDLE SLOW HALF UDP_FLOWS
      IDLE connections that send nothing, SLOW slowloris connections sending one byte of an
      endless request header every 2 s, HALF connections that send half a request and shut
      their write side (a half-open client: a SYN-only flood needs raw sockets), and UDP_FLOWS
      datagrams each from a new source port; all for at most SECONDS, then everything is closed.
      Prints 'ABUSE idle_open= slow_open= half_open= connect_failed= udp_sent='.
Only loopback addresses are accepted.
"""
import socket
import sys
import time


def loopback(host):
    if not host.startswith("127."):
        sys.exit("mesh_abuse: only 127.0.0.0/8 targets")


def good(host, port, seconds, max_requests):
    req = f"GET /file HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    lat, errors, sock = [], 0, None
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline and n < max_requests:
        n += 1
        try:
            if sock is None or n % 50 == 0:
                if sock:
                    sock.close()
                sock = socket.create_connection((host, port), timeout=5)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            t0 = time.perf_counter()
            sock.sendall(req)
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                buf += chunk
            head, body = buf.split(b"\r\n\r\n", 1)
            length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
            while len(body) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                body += chunk
            lat.append((time.perf_counter() - t0) * 1000)
        except (OSError, ConnectionError, IndexError, ValueError):
            errors += 1
            if sock:
                sock.close()
            sock = None
            time.sleep(0.01)
    if sock:
        sock.close()
    lat.sort()
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")
    print(f"GOOD {len(lat)} {pct(0.50):.3f} {pct(0.99):.3f} {errors}")


def abuse(host, tcp_port, udp_port, seconds, idle, slow, half, udp_flows):
    end = time.monotonic() + seconds
    opened = {"idle": [], "slow": [], "half": []}
    failed = 0
    for kind, count in (("idle", idle), ("slow", slow), ("half", half)):
        for _ in range(count):
            if time.monotonic() > end:
                break
            try:
                s = socket.create_connection((host, tcp_port), timeout=2)
                s.setblocking(False)
                if kind == "half":
                    s.send(b"GET /file HTTP/1.1\r\nHo")
                    s.shutdown(socket.SHUT_WR)
                elif kind == "slow":
                    s.send(b"GET /file HTTP/1.1\r\n")
                opened[kind].append(s)
            except OSError:
                failed += 1
    print(f"ABUSE connected idle={len(opened['idle'])} slow={len(opened['slow'])} "
          f"half={len(opened['half'])} connect_failed={failed}", flush=True)
    # UDP flood of new flows, paced over the first half of the run, plus the slowloris trickle.
    sent = 0
    flood_end = time.monotonic() + seconds / 2
    next_trickle = time.monotonic()
    while time.monotonic() < end:
        now = time.monotonic()
        if sent < udp_flows and now < flood_end:
            for _ in range(min(200, udp_flows - sent)):
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                try:
                    u.sendto(b"x" * 64, (host, udp_port))
                    sent += 1
                except OSError:
                    pass
                finally:
                    u.close()
        if now >= next_trickle:
            for s in opened["slow"]:
                try:
                    s.send(b"X")
                except OSError:
                    pass
            next_trickle = now + 2
        time.sleep(0.02)
    alive = {}
    for kind, socks in opened.items():
        live = 0
        for s in socks:
            try:
                if s.recv(1) == b"":
                    pass  # closed by the proxy
                else:
                    live += 1
            except BlockingIOError:
                live += 1
            except OSError:
                pass
            s.close()
        alive[kind] = live
    print(f"ABUSE end still_open idle={alive['idle']} slow={alive['slow']} half={alive['half']} "
          f"udp_sent={sent}", flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    loopback(sys.argv[2])
    if mode == "good":
        good(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
    elif mode == "abuse":
        abuse(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), *map(int, sys.argv[6:10]))
    else:
        sys.exit("usage: see the docstring")
