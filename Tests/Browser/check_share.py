"""Opens a share bundle in headless Chromium (selenium), as a family would: types the passphrase, and reports what
rendered — items, each image decoded, each video's readyState and duration after pressing Play, any message, and
every network request. Writes screenshots (a desktop and a 390 px phone width).

Usage: check_share.py URL PASSPHRASE SCREENSHOT_PREFIX   Prints one JSON object.
"""
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def main():
    url, passphrase, shots = sys.argv[1], sys.argv[2], sys.argv[3]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,1400",
                 "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    result = {}
    try:
        driver.get(url)
        field = driver.find_element(By.ID, "passphrase")
        field.send_keys(passphrase)
        started = time.time()
        driver.find_element(By.CSS_SELECTOR, "#unlock button").click()
        if url.startswith("file://"):
            # From disk the browser may not fetch the bundle's files: the viewer asks for its folder.
            deadline = time.time() + 10
            while driver.find_element(By.ID, "pick").get_attribute("hidden") is not None and time.time() < deadline:
                time.sleep(0.1)
            result["askedForFolder"] = driver.find_element(By.ID, "pick").get_attribute("hidden") is None
            driver.find_element(By.ID, "folder").send_keys(os.path.dirname(url[len("file://"):]))
            deadline = time.time() + 10
            while "Folder chosen" not in driver.find_element(By.ID, "status").text and time.time() < deadline:
                time.sleep(0.1)
            driver.find_element(By.CSS_SELECTOR, "#unlock button").click()
        deadline = time.time() + 60
        while time.time() < deadline:
            status = driver.find_element(By.ID, "status").text
            if driver.find_elements(By.CSS_SELECTOR, "body[data-opened]") or "passphrase does not" in status or "damaged" in status:
                break
            time.sleep(0.1)
        result["unlockSeconds"] = round(time.time() - started, 3)
        result["status"] = driver.find_element(By.ID, "status").text
        items = driver.find_elements(By.CSS_SELECTOR, "[data-item]")
        result["items"] = len(items)
        time.sleep(0.2)
        result["images"] = driver.execute_script(
            "return Array.from(document.querySelectorAll('[data-item] img')).map(i => i.complete && i.naturalWidth > 0)")
        result["broken"] = len(driver.find_elements(By.CSS_SELECTOR, "[data-item] .broken"))
        # Press every Play through the page (a pointer click can land on a video that layout just moved there), and
        # press again any that is still enabled: a loaded machine must not lose a press. Done when every video item
        # holds a video with its metadata, or says it could not open.
        videos = []
        deadline = time.time() + 60
        while time.time() < deadline:
            state = driver.execute_script("""
                document.querySelectorAll('[data-item] button:not([disabled])').forEach((b) => b.click());
                const items = Array.from(document.querySelectorAll('[data-item][data-kind=video]'));
                return {
                    expected: items.length,
                    settled: items.filter((i) => i.querySelector('video') || i.querySelector('.broken')).length,
                    videos: Array.from(document.querySelectorAll('[data-item] video')).map(v => ({state: v.readyState, duration: v.duration})),
                };""")
            videos = state["videos"]
            if state["settled"] == state["expected"] and all(v["state"] >= 1 for v in videos):
                break
            time.sleep(0.2)
        result["videos"] = videos
        result["broken"] = len(driver.find_elements(By.CSS_SELECTOR, "[data-item] .broken"))
        result["text"] = driver.find_element(By.TAG_NAME, "body").text
        driver.execute_script("document.querySelectorAll('video').forEach(v => v.pause())")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1100, min(max(height, 900), 10000))
        driver.save_screenshot(shots + "-desktop.png")
        driver.set_window_size(390, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(390, min(max(height, 900), 10000))
        driver.save_screenshot(shots + "-phone.png")
        requests = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                requests.append(message["params"]["request"]["url"])
        result["requests"] = requests
        result["storage"] = driver.execute_script("return localStorage.length + sessionStorage.length")
    finally:
        driver.quit()
    json.dump(result, sys.stdout)


main()
