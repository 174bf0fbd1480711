#!/usr/bin/env python3
"""Many contributors submitting their reports at the same moment, against a running server.

    submit_at_once.py BASE COOKIE CSRF ROUND N ACTIVITY...

Each of N threads submits the report of one activity (a different one each), all released at
once by a barrier; prints one JSON line: the status codes counted, and the latency median, p99
and maximum in milliseconds. Python's standard library only, so that it runs anywhere.
"""
import socket
import json
import sys
import threading
import time
import urllib.parse


def main():
    base, cookie, csrf, round_id, n = sys.argv[1:6]
    activities = sys.argv[6:]
    n = int(n)
    host = urllib.parse.urlparse(base)
    barrier = threading.Barrier(n)
    results = [None] * n

    def request(i):
        body = urllib.parse.urlencode({
            "csrf": csrf, "revision": "0", "step": "submit", "status": "ongoing",
            "done": f"Inskickad samtidigt som {n - 1} andra ({i})",
        }).encode()
        head = (f"POST /rounds/{round_id}/reports/{activities[i]} HTTP/1.1\r\n"
                f"Host: {host.hostname}:{host.port}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nCookie: {cookie}\r\n"
                "Connection: close\r\n\r\n")
        return head.encode() + body

    def submit(i):
        # The request is made and the connection opened before the barrier, and the answer's
        # status line is all that is read: the client's own work stays out of the latency.
        data = request(i)
        sock = socket.create_connection((host.hostname, host.port), timeout=60)
        barrier.wait()
        start = time.perf_counter()
        try:
            sock.sendall(data)
            answer = b""
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
            status = int(answer.split(b" ", 2)[1]) if answer else "error: no answer"
        except OSError as e:
            status = f"error: {e}"
        results[i] = (status, time.perf_counter() - start)
        sock.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = {}
    for status, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    times = sorted(t for _, t in results)
    pick = lambda q: round(times[min(len(times) - 1, int(q * len(times)))] * 1000, 1)
    print(json.dumps({"statuses": statuses, "median_ms": pick(0.5), "p99_ms": pick(0.99),
                      "max_ms": round(times[-1] * 1000, 1)}))


if __name__ == "__main__":
    main()
