"""Fill a workbook in LibreOffice as a user would, over the UNO bridge.

Run by Debian's /usr/bin/python3 (the only interpreter with ``uno``), never imported by the tests:

    /usr/bin/python3 libreoffice_helper.py PROFILE_DIR SRC DST FORMAT KEY=VALUE...

Types each VALUE into the headcount cell of the row whose code (column A of the "Effectifs" sheet)
is KEY (or, for KEY@HEADING=VALUE, into the column headed HEADING: a breakdown's category, the ETP) — refusing a locked cell, as LibreOffice would refuse the user — lets LibreOffice recalculate,
then saves DST as FORMAT ("xlsx" or "ods"; "xlsx+motdepasse", "ods+motdepasse": with a password to open it,
as « Enregistrer avec mot de passe » does). Prints the recalculated gap cell. Its own soffice runs in
a private profile set to recalculate on load, in its own process group, killed at the end.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import uno  # noqa: E402 — Debian's python3-uno
from com.sun.star.beans import PropertyValue

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8"}
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(profile: str, src: str, dst: str, fmt: str, pairs: list[str]) -> None:
    user = Path(profile) / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    pipe = f"effectifs{os.getpid()}"
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless", "--norestore",
         "--nologo", f"--accept=pipe,name={pipe};urp;"],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 — not listening yet
                time.sleep(0.25)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
        doc = desktop.loadComponentFromURL(Path(src).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
        sheet = doc.Sheets.getByName("Effectifs")
        rows = {}
        for r in range(0, 200):
            code = sheet.getCellByPosition(0, r).getString()
            if code:
                rows[code] = r
        headings = {sheet.getCellByPosition(c, 9).getString(): c for c in range(0, 80)}
        for pair in pairs:
            key, value = pair.split("=", 1)
            key, _, heading = key.partition("@")  # KEY@HEADING=VALUE: the column of that heading (breakdowns, ETP)
            cell = sheet.getCellByPosition(headings[heading] if heading else 4, rows[key])
            if cell.CellProtection.IsLocked:
                raise SystemExit(f"cell of {key} is locked")
            if value.lstrip("-").replace(".", "", 1).isdigit():
                cell.setValue(float(value))
            else:
                cell.setString(value)
        doc.calculateAll()
        gap = sheet.getCellByPosition(4, max(rows.values()) + 1).getValue()
        fmt, _, password = fmt.partition("+")
        options = (prop("FilterName", FILTERS[fmt]),) + ((prop("Password", "secret"),) if password else ())
        doc.storeToURL(Path(dst).resolve().as_uri(), options)
        doc.close(True)
        print(f"gap={gap}")
    finally:
        try:
            os.killpg(office.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
