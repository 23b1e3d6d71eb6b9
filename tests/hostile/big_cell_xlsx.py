"""Write the issue-13 upload: a ~400 KiB .xlsx whose shared strings hold one 400 MB cell.

Usage: ``python tests/hostile/big_cell_xlsx.py OUT.xlsx`` (run from the repository), then
``/usr/bin/time -v ecomap --db /tmp/x.lbug import OUT.xlsx``. Not part of the test suite.
"""

import io
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hostile.corpus import _shared_sheet, _sst, xlsx_bytes

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELLS = "".join(
    f'<c r="{column}{row}" t="s"><v>{index}</v></c>'
    for index, (row, column) in enumerate((r, c) for r in (1, 2) for c in "ABCD")
)
_ROWS = (
    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>'
    f'<row r="1">{_CELLS[: len(_CELLS) // 2]}</row><row r="2">{_CELLS[len(_CELLS) // 2 :]}</row>'
    "</sheetData></worksheet>"
)
_STRINGS = ("id", "name", "kind", "description", "big1", "Big", "company")


def main(out: str) -> None:
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes(_shared_sheet(3), shared=_sst("a", "b", "c"))))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in base.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, _ROWS)
            elif info.filename != "xl/sharedStrings.xml":
                archive.writestr(info.filename, base.read(info.filename))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            head = "".join(f"<si><t>{text}</t></si>" for text in _STRINGS)
            member.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}">'.encode())
            member.write(f"{head}<si><t>".encode())
            chunk = b"x" * (1 << 20)
            for _ in range(400):
                member.write(chunk)
            member.write(b"</t></si></sst>")


if __name__ == "__main__":
    main(sys.argv[1])
