#!/usr/bin/env python3
"""Client of rss.sh: opens N TCP connections spread round-robin over the service addresses, makes
one HTTP/1.1 keep-alive GET on each and reads the whole response (so the proxy has connected to
the backend for every one of them), then holds them all open and idle until SIGTERM or --hold
seconds. When every connection has been tried it writes a key=value line to --status:
ok, failed, seconds (to open them all), first_error.

Connections are opened one after the other with blocking sockets: on loopback that takes a few
seconds for 10,000, and it never floods a listener's accept queue.
"""
import argparse
import os
import signal
import socket
import sys
import time


def exchange(addr, port, path, timeout):
    s = socket.create_connection((addr, port), timeout=timeout)
    try:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("closed before the response headers")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0]
        if b" 200 " not in status_line + b" ":
            raise ConnectionError(f"status {status_line.decode(errors='replace')}")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(body) < length:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("closed before the end of the body")
            body += chunk
        return s
    except BaseException:
        s.close()
        raise


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--addrs", required=True, help="file of service IPs, one a line")
    p.add_argument("--port", type=int, default=80)
    p.add_argument("--conns", type=int, required=True)
    p.add_argument("--path", default="/hello")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds per connect and per exchange")
    p.add_argument("--budget", type=float, default=60.0, help="seconds to open them all; the rest fail")
    p.add_argument("--hold", type=float, default=300.0, help="seconds to hold them at most")
    p.add_argument("--status", required=True)
    a = p.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(a.addrs) as f:
        addrs = [line.strip() for line in f if line.strip()]
    held, failed, first_error = [], 0, ""
    start = time.monotonic()
    for i in range(a.conns):
        if time.monotonic() - start > a.budget:
            failed += a.conns - i
            first_error = first_error or f"time budget of {a.budget:.0f}s exhausted after {i} connections"
            break
        addr = addrs[i % len(addrs)]
        try:
            held.append(exchange(addr, a.port, a.path, a.timeout))
        except (OSError, ValueError) as e:
            failed += 1
            first_error = first_error or f"{addr}:{a.port}: {e}"
    seconds = time.monotonic() - start
    tmp = a.status + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"ok={len(held)} failed={failed} seconds={seconds:.2f} first_error={first_error!r}\n")
    os.rename(tmp, a.status)
    time.sleep(a.hold)   # the connections stay open and idle; exit (SIGTERM) closes them


if __name__ == "__main__":
    main()
