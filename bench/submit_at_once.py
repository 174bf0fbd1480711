#!/usr/bin/env python3
"""Many contributors submitting their reports at the same moment, against a running server.

    submit_at_once.py BASE COOKIE CSRF ROUND N ACTIVITY...

Each of N threads submits the report of one activity (a different one each), all released at
once by a barrier; prints one JSON line: the status codes counted, and the latency median, p99
and maximum in milliseconds. Python's standard library only, so that it runs anywhere.
"""
import http.client
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

    def submit(i):
        activity = activities[i]
        body = urllib.parse.urlencode({
            "csrf": csrf, "revision": "0", "step": "submit", "status": "ongoing",
            "done": f"Inskickad samtidigt som {n - 1} andra ({i})",
        })
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        conn.connect()
        barrier.wait()
        start = time.perf_counter()
        try:
            conn.request("POST", f"/rounds/{round_id}/reports/{activity}", body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
            })
            status = conn.getresponse().status
        except OSError as e:
            status = f"error: {e}"
        results[i] = (status, time.perf_counter() - start)
        conn.close()

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
