# Drives actorgraph's HTML page in headless Chromium (Debian's chromium and chromium-driver, with
# selenium from pip) for tests/it/exports.rs, and prints what it saw as one JSON object.
#
#   python3 browser.py PAGE.html SCREENSHOT.png [--edge ID] [--filter RELATION] [--stamp TEXT]
#
# It waits for the page to report it is ready, reads how many actors it drew and their labels,
# clicks an edge where it is drawn (--edge, else the first) and reads the evidence panel, takes
# a screenshot (--stamp goes into the PNG as a tEXt chunk `actorgraph-page`), clicks a relation
# filter (--filter, else the first) and reads the count again, clicks it back, sets a date
# range, and searches. Browser console errors are reported too.
import json
import os
import struct
import sys
import tempfile
import time
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def png_with_text(png, keyword, text):
    """The PNG with a tEXt chunk after its header chunk."""
    body = keyword.encode("latin-1") + b"\0" + text.encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    ihdr_end = 8 + 4 + 4 + 13 + 4
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def main():
    page, shot = os.path.abspath(sys.argv[1]), sys.argv[2]
    stamp = sys.argv[sys.argv.index("--stamp") + 1] if "--stamp" in sys.argv else None
    wanted = sys.argv[sys.argv.index("--filter") + 1] if "--filter" in sys.argv else None
    edge_id = sys.argv[sys.argv.index("--edge") + 1] if "--edge" in sys.argv else None
    profile = tempfile.mkdtemp(prefix="actorgraph-chromium-")
    opts = Options()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1400,860",
        "--user-data-dir=" + profile,
    ]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=opts, service=service)
    report = {}
    try:
        driver.set_window_size(1400, 860)
        driver.get("file://" + page)
        body = driver.find_element(By.TAG_NAME, "body")
        WebDriverWait(driver, 60).until(lambda d: body.get_attribute("data-ready") == "true")
        report["title"] = driver.title
        report["nodes_drawn"] = int(body.get_attribute("data-nodes-drawn"))
        report["edges_drawn"] = int(body.get_attribute("data-edges-drawn"))
        report["nodes_drawn_text"] = driver.find_element(By.ID, "nodes-drawn").text
        report["labels"] = driver.execute_script(
            "return window.actorgraph.cy.nodes().not('.hidden').map(n => n.data('label')).sort()"
        )
        report["canvas_drawn"] = driver.execute_script(
            "const cs = document.querySelectorAll('#cy canvas');"
            "return Array.from(cs).some(c => c.width > 0 && c.height > 0);"
        )
        report["pwned"] = driver.execute_script("return window.__pwned === true")

        # Click the first edge, where Cytoscape drew it, and read the evidence panel.
        cy = driver.find_element(By.ID, "cy")
        edge = driver.execute_script(
            "const cy = window.actorgraph.cy; const shown = cy.edges().not('.hidden');"
            "const e = shown.filter(x => x.id() === arguments[0])[0] || shown[0];"
            "if (!e) return null; const p = e.renderedMidpoint();"
            "return {id: e.id(), x: p.x, y: p.y, w: cy.width(), h: cy.height()};",
            edge_id,
        )
        report["clicked_edge"] = None
        if edge:
            ActionChains(driver).move_to_element_with_offset(
                cy, int(edge["x"] - edge["w"] / 2), int(edge["y"] - edge["h"] / 2)
            ).click().perform()
            time.sleep(0.3)
            report["clicked_edge"] = driver.execute_script(
                "const s = window.actorgraph.cy.edges(':selected'); return s.length ? s[0].id() : null;"
            )
            report["details"] = driver.execute_script("return document.getElementById('details').textContent")

        time.sleep(0.2)
        png = driver.get_screenshot_as_png()
        if stamp:
            png = png_with_text(png, "actorgraph-page", stamp)
        with open(shot, "wb") as f:
            f.write(png)

        # A relation filter: off, count, on again.
        boxes = driver.find_elements(By.CSS_SELECTOR, "#relation-filters input[type=checkbox]")
        report["relation_filters"] = [b.get_attribute("data-key") for b in boxes]
        chosen = [b for b in boxes if b.get_attribute("data-key") == wanted] or boxes[:1]
        if chosen:
            chosen[0].click()
            report["after_filter_click"] = int(body.get_attribute("data-nodes-drawn"))
            report["after_filter_click_text"] = driver.find_element(By.ID, "nodes-drawn").text
            report["after_filter_title"] = driver.title
            chosen[0].click()
            report["after_second_click"] = int(body.get_attribute("data-nodes-drawn"))

        # A date range: only what happened on the first dated day.
        report["after_date_range"] = driver.execute_script(
            "const d = window.actorgraph.data.edges.filter(e => e.first_day).map(e => e.first_day).sort();"
            "if (!d.length) return null;"
            "for (const [id, v] of [['date-from', d[0]], ['date-to', d[0]]]) {"
            "  const i = document.getElementById(id); i.value = v; i.dispatchEvent(new Event('change')); }"
            "const u = document.getElementById('undated'); u.click();"
            "return Number(document.body.dataset.nodesDrawn);"
        )

        # Search.
        search = driver.find_element(By.ID, "search")
        search.send_keys(report["labels"][0] if report["labels"] else "x")
        report["search_result"] = driver.find_element(By.ID, "search-result").text

        report["pwned_after"] = driver.execute_script("return window.__pwned === true")
        report["console_errors"] = [
            entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"
        ]
    finally:
        driver.quit()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
