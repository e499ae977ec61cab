"""The teaching page in a real headless browser (Debian's chromium and chromedriver,
driven by python3-selenium): start `vcsim serve` on a free loopback port, load the page,
choose a lesson, move a slider, press Run, wait for the charts to fill, check that the
numbers on the page are the API's for the same query, and save a screenshot.

Usage: serve_browser.py VCSIM PRESETS_DIR OUT_DIR
"""
import json
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

vcsim, presets, out_dir = sys.argv[1:4]


def api_done_event(base, query):
    """The `done` event of the API's stream for `query`."""
    with urllib.request.urlopen(f"{base}/api/run?{query}", timeout=120) as response:
        text = response.read().decode()
    events = [json.loads(b[6:]) for b in text.split("\n\n") if b.startswith("data: ")]
    assert events[-1]["type"] == "done", events[-1]
    return events[-1]


server = subprocess.Popen([vcsim, "serve", "--port", "0", "--presets", presets],
                          stdout=subprocess.PIPE, text=True)
try:
    line = server.stdout.readline()
    assert line.startswith("vcsim serve: http://127.0.0.1:"), line
    base = line.split()[2].rstrip("/")

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                "--window-size=1500,1250"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(base + "/")
        wait = WebDriverWait(driver, 30)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#preset option")) >= 5)

        Select(driver.find_element(By.ID, "preset")).select_by_value("national_fund_2025")
        life = driver.find_element(By.ID, "lever-subfund_life")
        assert life.get_attribute("value") == "240", life.get_attribute("value")
        for _ in range(3):  # a student drags the slider: 240 -> 204 months
            life.send_keys(Keys.ARROW_LEFT)
        assert life.get_attribute("value") == "204", life.get_attribute("value")
        shown = driver.find_element(By.ID, "lever-subfund_life-value").text
        assert shown.startswith("204 months"), shown

        clicked = time.monotonic()
        driver.find_element(By.ID, "run").click()
        WebDriverWait(driver, 120).until(
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-run-state")
            in ("done", "error"))
        seconds = time.monotonic() - clicked
        body = driver.find_element(By.TAG_NAME, "body")
        status = driver.find_element(By.ID, "status").text
        assert body.get_attribute("data-run-state") == "done", status
        query = body.get_attribute("data-run-query")
        assert "preset=national_fund_2025" in query and "subfund_life=204" in query, query
        print(f"page: Run pressed to the last figure shown: {seconds:.2f} s ({status})")

        # The charts are filled: 46 years per region and side, sectors, the fund, flows.
        filled = driver.execute_script("""
            const g = (id) => Chart.getChart(id).data.datasets;
            return {
              regions: g("chart-regions").map((d) => d.data.filter((v) => v !== undefined).length),
              sectors: g("chart-sectors").map((d) => d.data.filter((v) => v !== undefined).length),
              drawn: g("chart-fund")[0].data.filter((v) => v > 0).length,
              flows: g("chart-flows")[0].data.length,
            };""")
        assert all(n == 46 for n in filled["regions"]), filled
        assert len(filled["sectors"]) == 2 * 8, filled  # eight sectors, two sides
        assert all(n == 46 for n in filled["sectors"]), filled
        assert filled["drawn"] > 10 and filled["flows"] > 10, filled

        done = api_done_event(base, query)
        regions = ["CN", "EU", "US"]
        for side in ("policy", "counterfactual"):
            api = dict(zip(regions, done[side]["unicorns_by_region"]))
            page = {r: int(driver.find_element(By.ID, f"{side}-{r}").text) for r in regions}
            assert page == api, (side, page, api)
            total = int(driver.find_element(By.ID, f"{side}-total").text)
            assert total == sum(api.values()), (side, total, api)
        difference = int(driver.find_element(By.ID, "difference-total").text)
        assert difference == sum(done["policy"]["unicorns_by_region"]) - sum(
            done["counterfactual"]["unicorns_by_region"])
        print("page numbers match the API:", {s: done[s]["unicorns_by_region"]
                                               for s in ("policy", "counterfactual")})
        driver.save_screenshot(f"{out_dir}/serve_browser.png")

        # A bad value typed into the seed box: the page shows the server's 400 message.
        seed = driver.find_element(By.ID, "lever-seed")
        seed.clear()
        seed.send_keys("-3")
        driver.find_element(By.ID, "run").click()
        WebDriverWait(driver, 30).until(
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-run-state")
            == "error")
        message = driver.find_element(By.ID, "status").text
        assert "seed" in message and "run.seed" in message, message
    finally:
        driver.quit()
    assert server.poll() is None, "the server stopped"
finally:
    server.terminate()
    server.wait(timeout=10)
print("ok")
