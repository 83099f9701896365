"""Measures `evidence serve` against python3's http.server (with byte ranges) serving the same video in plaintext:
64 KiB range reads at 5 % and 95 % (median of 21 each), sustained range throughput, and, in headless Chromium, the
time from a seek to 95 % to the first frame shown.

Usage: bench_serve.py EVIDENCE_START_URL ASSET_ID PLAIN_BASE_URL FILE_NAME
Prints a Markdown table.
"""
import http.client
import statistics
import sys
import time
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait


def connect(base):
    parts = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)


def size_of(base, path, headers):
    connection = connect(base)
    connection.request("GET", path, headers={**headers, "Range": "bytes=0-0"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return int(response.getheader("Content-Range").split("/")[1])


def range_reads(base, path, headers, size, fraction, count=21):
    connection = connect(base)
    times = []
    for i in range(count):
        offset = int(size * fraction) + i * 7919 * 64  # a different place each time: no chunk cached
        start = time.perf_counter()
        connection.request("GET", path, headers={**headers, "Range": f"bytes={offset}-{offset + 65535}"})
        response = connection.getresponse()
        body = response.read()
        times.append(time.perf_counter() - start)
        assert response.status == 206 and len(body) == 65536, (response.status, len(body))
    connection.close()
    return statistics.median(times) * 1000


def throughput(base, path, headers, size, limit=256 * 1024 * 1024):
    connection = connect(base)
    end = min(size, limit) - 1
    start = time.perf_counter()
    connection.request("GET", path, headers={**headers, "Range": f"bytes=0-{end}"})
    response = connection.getresponse()
    got = 0
    while True:
        piece = response.read(1 << 20)
        if not piece:
            break
        got += len(piece)
    seconds = time.perf_counter() - start
    connection.close()
    assert got == end + 1, got
    return got / seconds / 1e6


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio",
                 "--disk-cache-size=1", "--window-size=1280,900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


SEEK = """
const done = arguments[arguments.length - 1];
const v = document.getElementById('player');
const go = () => {
  const t0 = performance.now();
  const shown = () => done(performance.now() - t0);
  if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(shown); else v.addEventListener('seeked', shown, {once: true});
  v.currentTime = v.duration * 0.95;
};
if (v.readyState >= 1) go(); else v.addEventListener('loadedmetadata', go, {once: true});
"""


def main():
    start, asset, plain_base, name = sys.argv[1:5]
    evidence_base = start.split("/open/")[0]
    # The one-time link opens the session in the browser; the same cookie (WebDriver can read an HttpOnly one) is
    # used for the range reads.
    driver = browser()
    driver.get(start)
    ev_headers = {"Cookie": f"evidence_session={driver.get_cookie('evidence_session')['value']}"}
    ev_path = f"/assets/{asset}/media"
    plain_path = f"/{name}"
    size = size_of(evidence_base, ev_path, ev_headers)
    rows = []
    for fraction in (0.05, 0.95):
        ev = range_reads(evidence_base, ev_path, ev_headers, size, fraction)
        py = range_reads(plain_base, plain_path, {}, size, fraction)
        rows.append((f"64 KiB range read at {int(fraction * 100)} % (median of 21)", f"{ev:.2f} ms", f"{py:.2f} ms", ev / py))
    ev_rate = throughput(evidence_base, ev_path, ev_headers, size)
    py_rate = throughput(plain_base, plain_path, {}, size)
    rows.append(("sustained range throughput (first 256 MiB)", f"{ev_rate:.0f} MB/s", f"{py_rate:.0f} MB/s", ev_rate / py_rate))
    ev_frame = first_frame(f"{evidence_base}/assets/{asset}", driver)
    py_frame = first_frame(f"{plain_base}/player.html")
    rows.append(("Chromium: seek to 95 % → first frame shown (median of 3)", f"{ev_frame:.0f} ms", f"{py_frame:.0f} ms", ev_frame / py_frame))
    print("| measure | evidence serve (sealed) | python3 http.server + ranges (plaintext) | ratio |")
    print("|---|---|---|---|")
    for measure, ev, py, ratio in rows:
        print(f"| {measure} | {ev} | {py} | {ratio:.2f} |")


def first_frame(page, driver=None, runs=3):
    """Median time from a seek to 95 % to the first frame shown: three fresh loads of the page in one browser."""
    driver = driver or browser()
    results = []
    try:
        driver.set_script_timeout(120)
        for _ in range(runs):
            driver.get(page)
            WebDriverWait(driver, 60).until(lambda d: d.execute_script(
                "const v = document.getElementById('player'); return v && v.readyState >= 2"))
            results.append(driver.execute_async_script(SEEK))
    finally:
        driver.quit()
    return statistics.median(results)


if __name__ == "__main__":
    main()
