"""Drives the tagging page (`evidence serve`) in headless Chromium, as a teacher would with the keyboard alone, and
reports what happened. Writes screenshots of the inbox and the tagging page (1280 px and a 768 px tablet width).

Usage: check_page.py START_URL VIDEO_ID PUPIL NO_CONSENT_PUPIL SCREENSHOT_DIR PROFILE_DIR
Prints one JSON object: the inbox's links, the two marked ranges (with the video's clock read just before and after
each key press), the texts the page showed after each save, refusal and undo, and the errors in the page's console.
"""
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--window-size=1280,1000", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                 f"--user-data-dir={profile}", f"--disk-cache-dir={profile}/cache"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def main():
    start, video, pupil, refused_pupil, shots, profile = sys.argv[1:7]
    os.makedirs(shots, exist_ok=True)
    driver = browser(profile)
    wait = WebDriverWait(driver, 30)
    out = {}
    try:
        driver.get(start)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "main.inbox"))
        out["inboxTitle"] = driver.title
        out["inboxLinks"] = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a.item-link")]
        wait.until(lambda d: d.execute_script(
            "return Array.from(document.images).every(i => i.complete)"))
        out["inboxPostersDecoded"] = driver.execute_script(
            "return Array.from(document.images).filter(i => i.naturalWidth > 0).length")
        screenshot(driver, shots, "inbox")

        # The video's page, from its inbox link.
        link = next(a for a in driver.find_elements(By.CSS_SELECTOR, "a.item-link") if video in a.get_attribute("href"))
        link.click()
        wait.until(lambda d: d.execute_script("return document.body.dataset.ready === 'true'"))
        wait.until(lambda d: d.execute_script("return document.getElementById('player').readyState >= 2"))
        keys = ActionChains(driver)
        body = driver.find_element(By.TAG_NAME, "body")
        clock = "return document.getElementById('player').currentTime"

        def press(key):
            ActionChains(driver).send_keys(key).perform()

        def mark(key):
            before = driver.execute_script(clock)
            press(key)
            after = driver.execute_script(clock)
            return before, after

        def seek(seconds):
            driver.execute_script(
                "const v = document.getElementById('player'); v.pause(); v.currentTime = arguments[0];", seconds)
            wait.until(lambda d: d.execute_script(
                "const v = document.getElementById('player'); return !v.seeking && Math.abs(v.currentTime - arguments[0]) < 0.001",
                seconds))

        def choose(name):
            press("/")
            wait.until(lambda d: d.switch_to.active_element.get_attribute("id") == "pupil")
            ActionChains(driver).send_keys(name).perform()
            press("\ue007")  # Enter

        def saved_text(previous):
            wait.until(lambda d: d.find_element(By.ID, "saved").text not in ("", previous)
                       or d.find_element(By.ID, "error-pupil").text != ""
                       or d.find_element(By.ID, "error-general").text != "")
            return driver.find_element(By.ID, "saved").text

        body.click()
        # 1. Play with Space, mark in while playing, seek, mark out while paused, pick the pupil and two areas, save.
        press(" ")
        wait.until(lambda d: d.execute_script(clock) >= 0.3)
        in_before, in_after = mark("i")
        press(" ")  # pause
        seek(1.5)
        out_before, out_after = mark("o")
        choose(pupil)
        out["pupilError"] = driver.find_element(By.ID, "error-pupil").text
        press("2")
        press("4")
        out["areasPressed"] = [b.get_attribute("data-area") for b in driver.find_elements(By.CSS_SELECTOR, ".area")
                               if b.get_attribute("aria-pressed") == "true"]
        driver.find_element(By.ID, "note").send_keys("Reached for the drum twice")
        body.click()
        press("\ue007")
        out["saved1"] = saved_text("")
        out["first"] = {"inWindow": [in_before, in_after], "outWindow": [out_before, out_after]}
        screenshot(driver, shots, "tagging")

        # 2. A pupil without capture consent: the reason is shown, and the save is refused.
        seek(0.2)
        press("i")
        seek(0.9)
        press("o")
        choose(refused_pupil)
        out["refusedChipText"] = driver.find_element(By.ID, "error-pupil").text
        press("1")
        body.click()
        press("\ue007")
        wait.until(lambda d: "consent" in d.find_element(By.ID, "error-pupil").text)
        out["refusedSaveText"] = driver.find_element(By.ID, "error-pupil").text
        screenshot(driver, shots, "tagging-refused")

        # 3. Another moment for the first pupil, then undo it with U.
        seek(1.0)
        press("i")
        seek(1.8)
        press("o")
        choose(pupil)
        press("5")
        body.click()
        press("\ue007")
        out["saved2"] = saved_text(out["saved1"])
        press("u")
        wait.until(lambda d: d.find_element(By.ID, "saved").text.startswith("Undone"))
        out["undone"] = driver.find_element(By.ID, "saved").text

        # The help overlay, and the tablet width.
        press("?")
        wait.until(lambda d: d.execute_script("return document.getElementById('help').open"))
        out["helpKeys"] = len(driver.find_elements(By.CSS_SELECTOR, "#help dt"))
        screenshot(driver, shots, "help")
        press("\ue00c")  # Escape
        driver.set_window_size(768, 1024)
        time.sleep(0.3)
        out["tabletOverflow"] = driver.execute_script(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth")
        screenshot(driver, shots, "tagging-768")
        driver.get(start.split("/open/")[0] + "/inbox")
        screenshot(driver, shots, "inbox-768")
        out["console"] = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
    print(json.dumps(out))


def screenshot(driver, shots, name):
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height + 120, 800), 4000))
    driver.save_screenshot(os.path.join(shots, f"{name}.png"))


if __name__ == "__main__":
    main()
