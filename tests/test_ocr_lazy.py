"""The OCR engine (rapidocr, ONNX Runtime) and OpenCV are loaded only for a page that needs OCR:
auditing a text-layer PDF or a .docx, parsing, and a batch of text reports never import them,
in the process or in any worker it forks.

Each run is a subprocess whose sitecustomize puts a finder first on sys.meta_path: it notes
every real import of one of those modules (not importlib.util.find_spec, which ocr.available
uses to ask whether the engine is installed without importing it) in a log, whatever process
of the run makes it (batch workers are forked: they keep the finder). The run also prints the
heavy modules in its own sys.modules at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("onnxruntime", "rapidocr", "cv2")

_HOOK = f"""
import os, sys

HEAVY = {HEAVY!r}


class _NoteHeavyImports:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HEAVY:
            frame = sys._getframe(1)
            while frame is not None:
                # A real import goes through _find_and_load_unlocked; find_spec alone does not.
                if frame.f_code.co_name == "_find_and_load_unlocked":
                    with open(os.environ["HEAVY_IMPORT_LOG"], "a", encoding="utf-8") as log:
                        log.write(f"{{os.getpid()}} {{name}}\\n")
                    break
                frame = frame.f_back
        return None


sys.meta_path.insert(0, _NoteHeavyImports())
"""

_RUN = """
import json, sys
from auditor.cli import app
sys.argv = ['auditor', *{args!r}]
try:
    app()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print(json.dumps({{"code": code, "heavy": sorted(m for m in {heavy!r} if m in sys.modules)}}))
"""


def _run(args: list[str], tmp_path: Path) -> tuple[dict, list[str]]:
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(_HOOK, encoding="utf-8")
    log = tmp_path / "heavy-imports.log"
    log.write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)]), "HEAVY_IMPORT_LOG": str(log)}
    result = subprocess.run([sys.executable, "-c", _RUN.format(args=args, heavy=HEAVY)], capture_output=True,
                            text=True, timeout=600, cwd=tmp_path, env=env)
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), log.read_text(encoding="utf-8").splitlines()


def test_the_hook_notes_a_real_import_and_not_a_question_whether_one_is_installed(tmp_path):
    """The check itself can fail: a run that loads OpenCV is noted; asking find_spec is not."""
    pytest.importorskip("cv2")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_HOOK, encoding="utf-8")
    log = tmp_path / "log"
    log.write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hook), "HEAVY_IMPORT_LOG": str(log)}
    subprocess.run([sys.executable, "-c", "import importlib.util; importlib.util.find_spec('cv2')"],
                   check=True, env=env, timeout=120)
    assert log.read_text(encoding="utf-8") == ""
    subprocess.run([sys.executable, "-c", "import cv2"], check=True, env=env, timeout=120)
    noted = [line.split()[1] for line in log.read_text(encoding="utf-8").splitlines()]
    assert noted[0] == "cv2"


@pytest.mark.parametrize("sample", ["yunling-eco-2023.pdf", "qingxi-natres-2023.docx"])
def test_auditing_a_text_layer_pdf_or_a_docx_never_loads_the_ocr_engine(tmp_path, sample):
    outcome, imports = _run(["audit", str(ROOT / "corpus" / sample), "--format", "json", "-o", "out.json",
                             "--fail-on", "never"], tmp_path)
    assert outcome == {"code": 0, "heavy": []}
    assert imports == []
    audited = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert audited["schema"] == "auditor.audit/1" and audited["document"]["meta"]["year"]


def test_parsing_a_text_layer_pdf_never_loads_the_ocr_engine(tmp_path):
    outcome, imports = _run(["parse", str(ROOT / "corpus" / "yunling-eco-2023.pdf"), "--format", "json"],
                            tmp_path)
    assert outcome == {"code": 0, "heavy": []}
    assert imports == []


def test_a_batch_of_text_reports_never_loads_the_ocr_engine_in_any_worker(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("qingxi-county-2023.txt", "yunling-eco-2023.pdf", "qingxi-natres-2023.docx"):
        shutil.copy(ROOT / "corpus" / name, reports / name)
    outcome, imports = _run(["batch", str(reports), "--out", str(tmp_path / "out"), "--workers", "2",
                             "--no-pages"], tmp_path)
    assert outcome == {"code": 0, "heavy": []}
    assert imports == []
    assert (tmp_path / "out" / "reports.csv").read_text(encoding="utf-8-sig").count("\n") >= 4
