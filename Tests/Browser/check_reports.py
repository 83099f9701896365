"""Opens report files in headless Chromium (Debian's chromium + chromium-driver, through selenium) and says what a
reader would see: the headings, the number of observation cards, whether every image decoded, and any network
request the page attempted. Writes a full-page screenshot of each.

Usage: check_reports.py SCREENSHOT_DIR NAME=FILE.html ...   Prints a JSON object keyed by NAME.
"""
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--window-size=1200,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main():
    shots = sys.argv[1]
    os.makedirs(shots, exist_ok=True)
    driver = browser()
    results = {}
    try:
        for item in sys.argv[2:]:
            name, path = item.split("=", 1)
            driver.get_log("performance")  # drop what came before
            driver.get("file://" + os.path.abspath(path))
            driver.execute_script("return document.fonts ? document.fonts.ready : true")
            images = driver.execute_script(
                "return Array.from(document.images).map(i => ({complete: i.complete, width: i.naturalWidth}))")
            requests = []
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message.get("method") == "Network.requestWillBeSent":
                    url = message["params"]["request"]["url"]
                    if not url.startswith("data:") and not url.startswith("file://" + os.path.abspath(path)):
                        requests.append(url)
            results[name] = {
                "title": driver.title,
                "h1": [e.text for e in driver.find_elements(By.CSS_SELECTOR, "h1")],
                "h2": [e.text for e in driver.find_elements(By.CSS_SELECTOR, "h2")],
                "cards": len(driver.find_elements(By.CSS_SELECTOR, "article.card")),
                "units": len(driver.find_elements(By.CSS_SELECTOR, "article.unit")),
                "images": len(images),
                "imagesDecoded": sum(1 for i in images if i["complete"] and i["width"] > 0),
                "svgs": len(driver.find_elements(By.CSS_SELECTOR, "svg")),
                "text": driver.find_element(By.TAG_NAME, "body").text,
                "requests": requests,
            }
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(1200, min(max(height, 900), 12000))
            driver.save_screenshot(os.path.join(shots, name + ".png"))
            driver.set_window_size(1200, 900)
    finally:
        driver.quit()
    json.dump(results, sys.stdout)


main()
