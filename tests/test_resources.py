"""What auditor ships (rules, data lists, model, dictionary) and how `rules_dir` and `model`
replace it — for the rules and the data lists alike, in `audit`, `batch` and `rules check`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from auditor import resources
from auditor.config import Config, ConfigError, rules_for

from conftest import OWN_RULE, ROOT
SAMPLE = ROOT / "corpus" / "qingxi-county-2023.txt"



def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def own_rubric(points: float = 5) -> str:
    """The shipped rubric with the table category renamed and worth `points`."""
    rubric = yaml.safe_load((ROOT / "rules" / "score.yaml").read_text(encoding="utf-8"))
    rubric["categories"]["table"].update(label="表格（自定）", points=points)
    return yaml.safe_dump(rubric, allow_unicode=True, sort_keys=False)


@pytest.fixture
def project(tmp_path):
    """A project with a rules directory of its own: one rule file and its own rubric (score.yaml)."""
    (tmp_path / "myrules").mkdir()
    (tmp_path / "myrules" / "own.yaml").write_text(OWN_RULE, encoding="utf-8")
    (tmp_path / "myrules" / "score.yaml").write_text(own_rubric(), encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('rules_dir = "myrules"\n', encoding="utf-8")
    (tmp_path / "reports").mkdir()
    shutil.copy(SAMPLE, tmp_path / "reports" / "qingxi.txt")
    return tmp_path


# --------------------------------------------------------------------------- what is shipped


def test_pyproject_packages_every_package_and_maps_the_shipped_files():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "auditor").rglob("__init__.py")}
    mapped = set(setuptools["package-dir"])
    assert set(setuptools["packages"]) == found | mapped, "a package of auditor/ is missing from pyproject.toml"
    assert setuptools["package-dir"] == {"auditor.rules.shipped": "rules", "auditor.similarity.shipped": "models"}
    # Every pattern of package data names files that exist where the package is mapped from.
    for package, patterns in setuptools["package-data"].items():
        directory = ROOT / setuptools["package-dir"].get(package, package.replace(".", "/"))
        for pattern in patterns:
            assert list(directory.glob(pattern)), f"{package}: {pattern} matches nothing in {directory}"


def test_a_checkout_reads_the_repository_files_in_place():
    assert resources.checkout_root() == ROOT
    assert resources.shipped_rules_dir() == ROOT / "rules"
    assert resources.shipped_model() == ROOT / "models" / "boilerplate.skops"
    assert (resources.shipped_models_dir() / resources.MODEL_CARD_FILE).is_file()
    assert resources.user_dictionary().read_text(encoding="utf-8").strip()
    assert resources.rules_dir() == ROOT / "rules" and resources.model_path() == resources.shipped_model()


# --------------------------------------------------------------------------- rules_dir


def test_rules_dir_data_lists_replace_the_shipped_ones_by_name(tmp_path):
    from auditor.nlp.lexicon import get_lexicon
    from auditor.rules.data import data_file, load_data
    from auditor.similarity.template import template_rules

    shipped_lexicon, shipped_template = get_lexicon(), template_rules()
    concepts = yaml.safe_load((ROOT / "rules" / "concepts.yaml").read_text(encoding="utf-8"))
    concepts["fill"] = concepts["fill"] + "|恰好"
    (tmp_path / "concepts.yaml").write_text(yaml.safe_dump(concepts, allow_unicode=True), encoding="utf-8")
    (tmp_path / "template_text.yaml").write_text("headings: ['^自定标题$']\n", encoding="utf-8")

    resources.use(rules_dir=tmp_path)
    assert data_file("concepts") == tmp_path / "concepts.yaml"
    assert load_data("concepts")["fill"].endswith("|恰好")
    assert get_lexicon() is not shipped_lexicon and get_lexicon().fill.pattern.endswith("|恰好)$")
    assert [p.pattern for p in template_rules().headings] == ["^自定标题$"]
    # A list the directory does not hold is the shipped one.
    assert data_file("specificity") == ROOT / "rules" / "specificity.yaml"

    resources.use()
    assert get_lexicon() is shipped_lexicon and template_rules() is shipped_template


def test_rules_for_puts_rules_dir_and_model_into_effect(project):
    rules = rules_for(Config(rules_dir=str(project / "myrules")))
    assert [r.id for r in rules] == ["TST-P1"]
    assert resources.rules_dir() == project / "myrules"
    from auditor.checks.score import rubric

    assert rubric()["categories"]["table"]["label"] == "表格（自定）"

    model = project / "copy.skops"
    shutil.copy(resources.shipped_model(), model)
    rules_for(Config(model=str(model)))
    assert resources.rules_dir() == resources.shipped_rules_dir()  # back to the shipped rules
    from auditor.similarity.classifier import load_model

    assert resources.model_path() == model and load_model() is load_model(model)
    assert load_model() is not load_model(resources.shipped_model())


def test_a_missing_or_unusable_model_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"设置项 model：找不到套话分类模型文件 .*none\.skops"):
        rules_for(Config(model=str(tmp_path / "none.skops")))
    (tmp_path / "junk.skops").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="不是有效的 skops 文件"):
        rules_for(Config(model=str(tmp_path / "junk.skops")))


def test_audit_takes_rules_and_data_lists_from_rules_dir(project):
    done = run(project, "audit", "reports/qingxi.txt", "--format", "json", "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {f["rule"] for f in data["findings"]} == {"TST-P1"}  # the directory's rules only
    rubric = data["score"]["rubric"]
    assert rubric["table"]["label"] == "表格（自定）" and rubric["table"]["points"] == 5  # its score.yaml
    assert rubric["contradiction"]["label"] == "叙述一致"

    shown = run(project, "config")
    assert f'rules_dir = "{project / "myrules"}"' in shown.stdout


def test_batch_workers_read_the_same_data_lists(project):
    audited = run(project, "audit", "reports/qingxi.txt", "--format", "json", "--fail-on", "never")
    done = run(project, "batch", "reports", "--out", "out", "-j", "2", "--no-pages")
    assert done.returncode == 0, done.stderr
    import sqlite3

    with sqlite3.connect(project / "out" / "auditor.db") as db:
        (score,) = db.execute("SELECT score FROM documents").fetchone()
        rules = {rule for (rule,) in db.execute("SELECT DISTINCT rule FROM findings")}
    assert score == json.loads(audited.stdout)["score"]["total"] and rules == {"TST-P1"}

    # Another rubric in the rules directory: a resumed batch audits again (its result depends on it).
    (project / "myrules" / "score.yaml").write_text(own_rubric(points=7), encoding="utf-8")
    again = run(project, "batch", "reports", "--out", "out", "-j", "1", "--no-pages")
    assert "新审核 1 份" in again.stderr, again.stderr


def test_batch_context_carries_the_settings_to_a_worker(tmp_path):
    from auditor.batch.tasks import BatchContext

    model = tmp_path / "m.skops"
    shutil.copy(resources.shipped_model(), model)
    resources.use(rules_dir=tmp_path, model=model)
    context = BatchContext(rules=[])
    resources.use()  # a worker that was not forked from the parent: the shipped files
    context.apply()
    assert resources.rules_dir() == tmp_path and resources.model_path() == model

    elsewhere = BatchContext(rules=[], resources=(str(tmp_path / "not-here"), None))
    with pytest.raises(FileNotFoundError, match="本机没有规则目录"):
        elsewhere.apply()


def test_rules_check_defaults_to_the_configured_rules_dir_and_reads_its_data(project, tmp_path_factory):
    # A rule whose cue list exists only in the project's rules directory: its example can run
    # only if the check reads the data lists of the directory it checks.
    shutil.copy(ROOT / "rules" / "specificity.yaml", project / "myrules" / "mycues.yaml")
    (project / "myrules" / "measures.yaml").write_text("""\
rules:
  - id: TST-M1
    kind: metric
    category: vague
    severity: warning
    message: "{problems}个问题（如“{first}”）没有措施"
    rationale: 测试用。
    scope: [problems]
    params: {metric: problems_without_measures, cues: mycues}
    examples:
      - text: "某镇2022年政府信息公开工作年度报告\\n五、存在的主要问题及改进情况\\n一是公开内容不够全面。二是政策解读形式单一。"
        expect: 1
""", encoding="utf-8")
    done = run(project, "rules", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "通过  TST-M1 示例 1（myrules/measures.yaml:2）" in done.stdout
    assert "通过  TST-P1 示例 1（myrules/own.yaml:2）" in done.stdout
    assert "2 条规则" in done.stdout

    plain = tmp_path_factory.mktemp("no-config")
    shipped = run(plain, "rules", "check")  # no configuration: the shipped rules
    assert shipped.returncode == 0, shipped.stdout[-2000:]
    assert f"{ROOT / 'rules' / 'concepts.yaml'}" in shipped.stdout and "失败 0" in shipped.stdout


# --------------------------------------------------------------------------- model


def all_template_model(path: Path) -> Path:
    """A model (saved like `auditor train` saves one) that finds the sample's sentences template text."""
    import numpy as np
    import skops.io as sio

    from auditor.nlp.sentences import split_document
    from auditor.similarity.classifier import is_narrative, make_pipeline, mask
    from auditor.structure import parse_file

    template = [mask(s.text) for s in split_document(parse_file(str(SAMPLE))) if is_narrative(s.text)]
    specific = ["天气晴朗适合出门散步", "今天的午饭是米饭和青菜", "小猫在沙发上睡觉", "他买了一本新书", "火车八点出发"]
    model = make_pipeline().fit(np.array(template + specific, dtype=object),
                                np.array([1] * len(template) + [0] * len(specific)))
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED)
    return path


def template_findings(done: subprocess.CompletedProcess) -> list[dict]:
    assert done.returncode in (0, 1), done.stderr
    return [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "SIM-TEMPLATE"]


def test_model_setting_replaces_the_shipped_model(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "qingxi.txt")
    assert template_findings(run(tmp_path, "audit", "qingxi.txt", "--format", "json")) == []

    (tmp_path / "models").mkdir()
    all_template_model(tmp_path / "models" / "mine.skops")
    (tmp_path / "auditor.toml").write_text('model = "models/mine.skops"\n', encoding="utf-8")
    found = template_findings(run(tmp_path, "audit", "qingxi.txt", "--format", "json"))
    assert found and {f["evidence"]["model"] for f in found} == {str(tmp_path / "models" / "mine.skops")}

    # --model on the command line wins over the configuration file
    shutil.copy(resources.shipped_model(), tmp_path / "shipped-copy.skops")
    done = run(tmp_path, "audit", "qingxi.txt", "--format", "json", "--model", "shipped-copy.skops")
    assert template_findings(done) == []


def test_unusable_model_is_one_chinese_line_and_exit_2(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "qingxi.txt")
    (tmp_path / "junk.skops").write_bytes(b"not a zip")
    for args in (("--model", "junk.skops"), ("--model", "none.skops")):
        done = run(tmp_path, "audit", "qingxi.txt", *args)
        assert done.returncode == 2 and done.stdout == ""
        [line] = done.stderr.strip().splitlines()
        assert line.startswith("错误：设置项 model：") and args[1] in line
    (tmp_path / "auditor.toml").write_text('model = "junk.skops"\n', encoding="utf-8")
    done = run(tmp_path, "batch", ".", "--out", "out")
    assert done.returncode == 2 and "不是有效的 skops 文件" in done.stderr
