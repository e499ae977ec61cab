"""Screenshots of the teaching page for docs/teaching.md: one per lesson, after Run,
with headless chromium (Debian's /usr/bin/python3 with python3-selenium).

Usage: /usr/bin/python3 scripts/teaching_screenshots.py build/release/vcsim docs/figures
"""
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

vcsim, out_dir = sys.argv[1:3]
# (file, preset, levers set through the page's inputs: id -> value)
SHOTS = [
    ("teaching_no_state_capital.png", "no_state_capital", {"lever-fund_size": "1390"}),
    ("teaching_fund_life.png", "fund_life_10_vs_20", {"lever-subfund_life": "240"}),
    ("teaching_national_fund.png", "national_fund_2025", {}),
]

server = subprocess.Popen([vcsim, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
try:
    base = server.stdout.readline().split()[2]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=1500,1250"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        for file, preset, levers in SHOTS:
            driver.get(base)
            WebDriverWait(driver, 30).until(
                lambda d: len(d.find_elements(By.CSS_SELECTOR, "#preset option")) >= 5)
            Select(driver.find_element(By.ID, "preset")).select_by_value(preset)
            for element, value in levers.items():
                driver.execute_script(
                    "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                    "e.dispatchEvent(new Event('input'));", element, value)
            driver.find_element(By.ID, "run").click()
            WebDriverWait(driver, 120).until(
                lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-run-state")
                in ("done", "error"))
            driver.save_screenshot(f"{out_dir}/{file}")
            print("wrote", file)
    finally:
        driver.quit()
finally:
    server.terminate()
    server.wait(timeout=10)
